import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The real CLI server of a checkout (BENCH_ROOT lets a bench from this tree measure an older build), on loopback. */
export interface CliServer {
  url: string;
  pid: number;
  stop(): void;
}

export async function startCliServer(root: string, port: number): Promise<CliServer> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'packages/cli/dist/main.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RTC_LISTEN_IPS: '127.0.0.1', RTC_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const server = { url, pid: child.pid!, stop: () => void child.kill('SIGTERM') };
  try {
    await waitForHealth(url);
  } catch (error) {
    server.stop();
    throw error;
  }
  return server;
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/about/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${url} did not become healthy`);
}
