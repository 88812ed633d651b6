/*
 * Benchmark: time from opening a room URL to the first decoded remote video frame
 * (median of 5), and the server's memory (Node + media workers) with 3 participants.
 * Runs the real CLI as a separate process on loopback. Prints figures; asserts nothing.
 *   node --import tsx tests/bench/meeting.bench.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom } from '../support/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PORT = Number(process.env['BENCH_PORT'] ?? 18080);
const RUNS = 5;
const url = `http://127.0.0.1:${PORT}`;

const server = spawn(process.execPath, [join(ROOT, 'packages/cli/dist/main.js'), 'serve'], {
  env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', RTC_LISTEN_IPS: '127.0.0.1', RTC_PORT: '0', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

/** Resident memory of a process and all its descendants, in MiB. */
function treeRssMiB(pid: number): number {
  const children = (p: number): number[] =>
    readdirSync(`/proc/${p}/task`).flatMap((tid) =>
      readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  const kib = all.reduce((sum, p) => sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0), 0);
  return kib / 1024;
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/about/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

try {
  await waitForHealth();
  process.stdout.write(`server idle: ${treeRssMiB(server.pid!).toFixed(0)} MiB (node + media workers)\n`);
  const browser = await launchBrowser();
  const host = await joinRoom(browser, url, 'BenchRoom', 'Host');
  const hostId = await selfId(host.page);

  const times: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${url}/BenchRoom#config.prejoinConfig.enabled=false&userInfo.displayName="Guest${run}"`);
    await page.waitForFunction(
      async (id) => {
        const stats = (await window.tertulia?.conference.inboundStats()) ?? [];
        return stats.some((s) => s.participantId === id && s.source === 'camera' && s.framesDecoded > 0);
      },
      hostId,
      { polling: 20, timeout: 30_000 },
    );
    const ms = performance.now() - started;
    times.push(ms);
    process.stdout.write(`run ${run}: first remote frame after ${ms.toFixed(0)} ms\n`);
    await context.close();
    await new Promise((r) => setTimeout(r, 500));
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`median time from opening the room URL to the first remote frame: ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms\n`);

  const bea = await joinRoom(browser, url, 'BenchRoom', 'Bea');
  const carl = await joinRoom(browser, url, 'BenchRoom', 'Carl');
  const [beaId, carlId] = [await selfId(bea.page), await selfId(carl.page)];
  await waitForMediaFrom(host.page, [beaId, carlId]);
  await waitForMediaFrom(bea.page, [hostId, carlId]);
  await waitForMediaFrom(carl.page, [hostId, beaId]);
  await new Promise((r) => setTimeout(r, 5000));
  process.stdout.write(`server with 3 participants: ${treeRssMiB(server.pid!).toFixed(0)} MiB (node + media workers)\n`);
  await browser.close();
} finally {
  server.kill('SIGTERM');
}
