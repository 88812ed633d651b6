import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnIn, type NamespacedProcess } from './netns.js';

export interface TestRedis {
  /** redis://<ip>:6379 */
  readonly url: string;
  readonly process: NamespacedProcess;
  stop(): Promise<void>;
}

/**
 * Debian's redis-server inside `ns` (null: this machine's namespace), listening on `ip`:`port`,
 * keeping nothing on disk, with a password as on a real deployment (without one, Redis takes
 * connections only from loopback).
 */
export async function startRedisIn(ns: string | null, ip: string, port = 6379, password = randomBytes(12).toString('hex')): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'tertulia-redis-'));
  const redis = spawnIn(ns, ['/usr/bin/redis-server', '--bind', ip, '--port', String(port), '--requirepass', password, '--save', '', '--appendonly', 'no', '--dir', dir], {});
  await redis.waitForOutput('Ready to accept connections', 'redis-server');
  return {
    url: `redis://:${password}@${ip}:${port}`,
    process: redis,
    async stop() {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
