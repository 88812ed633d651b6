/** Starts the SFU under test as its own process on loopback: Tertulia's real CLI, or Debian's Janus. */
import type { SfuName } from '@tertulia/loadtest';
import { join } from 'node:path';
import { startCliServer } from './cli-server.js';
import { startJanus } from '../support/janus-server.js';

export interface RunningSfu {
  /** What the load tool's adapter connects to (Tertulia: http://…, Janus: ws://…). */
  url: string;
  /** Root of the SFU's process tree, whose CPU is the SFU's cost. */
  pid: number;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');

async function exited(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startSfu(sfu: SfuName, port: number): Promise<RunningSfu> {
  if (sfu === 'tertulia') {
    const server = await startCliServer(ROOT, port);
    return {
      url: server.url,
      pid: server.pid,
      stop: async () => {
        server.stop();
        await exited(server.pid);
      },
    };
  }
  const janus = await startJanus();
  return { url: janus.wsUrl, pid: janus.pid, stop: async () => janus.stop() };
}
