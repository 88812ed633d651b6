import { CLI } from './cli.js';
import { spawnIn, type NamespacedProcess } from './netns.js';
import { freePort } from './slapd.js';

/** The BRIDGE_SECRET of the test bridges; signalling nodes meant to use them are given the same. */
export const BRIDGE_SECRET = 'a-long-shared-bridge-secret-for-tests';

/** A `tertulia bridge` process on loopback with one worker, and the address of its ops listener. */
export async function startBridge(redisUrl: string, cwd: string, env: Record<string, string> = {}): Promise<{ process: NamespacedProcess; ops: string }> {
  const opsPort = await freePort();
  const process_ = spawnIn(null, [process.execPath, CLI, 'bridge'], {
    REDIS_URL: redisUrl,
    BRIDGE_SECRET,
    BRIDGE_HOST: '127.0.0.1',
    BRIDGE_PORT: '0',
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IPS: '127.0.0.1',
    OPS_PORT: String(opsPort),
    ...env,
  }, cwd);
  await process_.waitForOutput('media bridge registered', `tertulia bridge ${JSON.stringify(env)}`);
  return { process: process_, ops: `http://127.0.0.1:${opsPort}` };
}
