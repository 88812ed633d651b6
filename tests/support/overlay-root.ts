import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from './cli.js';

/** /home too, so a test can put a checkout there without touching the real one. */
const OVERLAID = ['etc', 'var', 'home'];

/**
 * A root file system whose /etc and /var take writes into directories of their
 * own (overlayfs in a private mount namespace), so a test can run something that
 * installs system-wide (users, /etc files, /var/lib) and then read exactly what it
 * wrote under `upper('/etc/…')`, leaving the machine as it was.
 */
export class OverlayRoot {
  private constructor(private readonly dir: string) {}

  static async create(): Promise<OverlayRoot> {
    const dir = await mkdtemp(join(tmpdir(), 'tertulia-overlay-'));
    for (const top of OVERLAID) {
      await mkdir(join(dir, top, 'upper'), { recursive: true });
      await mkdir(join(dir, top, 'work'), { recursive: true });
    }
    return new OverlayRoot(dir);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Where a write to `path` (under /etc or /var) landed. */
  upper(path: string): string {
    const top = OVERLAID.find((candidate) => path.startsWith(`/${candidate}/`));
    if (!top) throw new Error(`${path} is not under an overlaid directory (${OVERLAID.join(', ')})`);
    return join(this.dir, top, 'upper', path.slice(top.length + 2));
  }

  /**
   * Runs `argv` as root inside the overlays; `binds` mounts directories at other
   * paths first (e.g. a checkout under /home). Returns its exit status and output.
   */
  run(argv: string[], options: { env?: Record<string, string>; binds?: Record<string, string> } = {}): Promise<CliResult> {
    const mounts = [
      'mount --make-rprivate /',
      ...OVERLAID.map((top) => {
        const base = join(this.dir, top);
        return `mount -t overlay overlay -o lowerdir=/${top},upperdir=${base}/upper,workdir=${base}/work /${top}`;
      }),
      ...Object.entries(options.binds ?? {}).map(([target, source]) => `mkdir -p ${target} && mount --bind ${source} ${target}`),
    ];
    const script = `set -e; ${mounts.join('; ')}; exec "$@"`;
    return new Promise((resolve, reject) => {
      const child = spawn('unshare', ['--mount', 'sh', '-c', script, 'sh', ...argv], {
        env: { PATH: process.env['PATH'] ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
}
