/*
 * Benchmark of what people in a meeting get, on this machine. Runs the real CLI
 * as a separate process on loopback and Debian's Chromium; prints figures and
 * asserts nothing.
 *   - time from opening the room URL to the first decoded remote frame, for the
 *     2nd joiner, for the host seeing the 2nd, and for the 3rd (decoding both others),
 *     and the longest time the first two see no new frame of each other while the
 *     third's arrival moves them from their direct link to the server: median/min/max
 *     of BENCH_RUNS (5) runs, each in a fresh room;
 *   - four people in tile view, one 1280×720 Chromium each (fake camera at 30 fps): per receiver the
 *     decoded resolution and fps of every remote camera (and the frames its tile
 *     showed), what each sender encodes, and CPU-seconds per minute of the browsers and of the server
 *     (Node + media workers) over BENCH_MEASURE_S (20) seconds.
 * BENCH_ROOT measures another checkout's build (its packages/cli/dist/main.js),
 * e.g. an older commit, with this same bench.
 *   npm run bench
 *   BENCH_ROOT=/tmp/old-checkout BENCH_RUNS=1 npm run bench
 *   BENCH_TILES=0 BENCH_RUNS=9 npm run bench   (join times only)
 *   BENCH_RUNS=0 npm run bench                (tile view only)
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../support/browser.js';
import { CAMERA_FPS } from './room-page.js';
import { startCliServer } from './cli-server.js';
import { measureJoin, type JoinTimes } from './join-time.js';
import { processTree, rssMiB } from './proc-usage.js';
import { spread, table } from './report.js';
import { measureTileMeeting } from './tile-meeting.js';

const ROOT = resolve(process.env['BENCH_ROOT'] ?? join(import.meta.dirname, '..', '..'));
const PORT = Number(process.env['BENCH_PORT'] ?? 18080);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const MEASURE_SECONDS = Number(process.env['BENCH_MEASURE_S'] ?? 20);
const SETTLE_SECONDS = Number(process.env['BENCH_SETTLE_S'] ?? 8);
/** BENCH_TILES=0 measures only the join times (BENCH_RUNS=0 only the tile view). */
const TILES = process.env['BENCH_TILES'] !== '0';

const say = (text: string) => process.stdout.write(text);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const ms = (value: number) => `${value.toFixed(0)} ms`;

say(`server: ${ROOT}/packages/cli/dist/main.js\nload average at start: ${load()}\n\n`);
const server = await startCliServer(ROOT, PORT);
try {
  say(`server idle: ${rssMiB(processTree(server.pid)).toFixed(0)} MiB (node + media workers)\n\n`);

  if (RUNS > 0) await reportJoinTimes();
  if (TILES) await reportTileMeeting();
  say(`\nload average at end: ${load()}\n`);
} finally {
  server.stop();
}

/** Join times over RUNS fresh rooms, and the direct-link-to-server switch. */
async function reportJoinTimes(): Promise<void> {
  const browser = await launchBrowser({ cameraFps: CAMERA_FPS });
  const runs: JoinTimes[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const times = await measureJoin(browser, server.url, `bench-join-${run}-${Date.now()}`);
      runs.push(times);
      say(`join run ${run}: 2nd joiner ${ms(times.second)} (host sees them ${ms(times.hostSeesSecond)}), 3rd joiner ${ms(times.third)}, switch gap ${ms(times.switchGap)}\n`);
    }
  } finally {
    await browser.close();
  }
  const rows: [keyof JoinTimes, string][] = [
    ['second', '2nd joiner sees the host'],
    ['hostSeesSecond', 'host sees the 2nd joiner'],
    ['third', '3rd joiner sees both others'],
  ];
  const spreadRow = (label: string, key: keyof JoinTimes) => {
    const { median, min, max } = spread(runs.map((run) => run[key]));
    return [label, ms(median), ms(min), ms(max)];
  };
  say(`\nTime from opening the room URL to the first decoded remote frame (${RUNS} runs, fresh room each)\n`);
  say(table([['who', 'median', 'min', 'max'], ...rows.map(([key, label]) => spreadRow(label, key))]));
  say(`\nDirect link to server as the third joins: longest time the first two saw no new frame of each other\n`);
  say(table([['', 'median', 'min', 'max'], spreadRow('longest gap (worse of the two)', 'switchGap')]));
}

/** Four people in tile view: what each receives and sends, and the CPU it takes. */
async function reportTileMeeting(): Promise<void> {
  say(`\nFour people in tile view, 1280x720 windows, one Chromium each; settling ${SETTLE_SECONDS} s, then measuring ${MEASURE_SECONDS} s\n`);
  const meeting = await measureTileMeeting(server.url, server.pid, SETTLE_SECONDS, MEASURE_SECONDS);
  const fps = (value: number) => value.toFixed(1);
  say(`\nReceived remote cameras (decoded, from inbound-rtp)\n`);
  say(table([['receiver', 'sender', 'decoded', 'fps', 'shown fps', 'tile (CSS px)'], ...meeting.received.map((r) => [r.receiver, r.sender, `${r.width}x${r.height}`, fps(r.fps), r.shownFps === undefined ? '-' : fps(r.shownFps), r.tile])]));
  for (const [receiver, count] of meeting.stalled) say(`${receiver}: ${count} remote video stream(s) not decoding throughout the window (stalled, or started during it)\n`);
  say(`\nSent camera encodings (outbound-rtp)\n`);
  say(table([['sender', 'rid', 'active', 'encoded', 'fps'], ...meeting.sent.map((s) => [s.sender, s.rid, String(s.active), `${s.width}x${s.height}`, fps(s.fps)])]));

  const received = meeting.received;
  const heights = spread(received.map((r) => r.height));
  const rates = spread(received.map((r) => r.fps));
  const shownRates = received.flatMap((r) => (r.shownFps === undefined ? [] : [r.shownFps]));
  const shown = shownRates.length > 0 ? spread(shownRates) : undefined;
  const browsers = meeting.browserCpuPerMinute;
  say(`\nSummary (CPU over ${meeting.seconds.toFixed(1)} s of wall time; fps from the stats' own timestamps)\n`);
  say(
    table([
      ['figure', 'value'],
      ['remote cameras decoding', `${received.length} (of ${4 * 3} expected)`],
      ['decoded height median / min / max', `${heights.median} / ${heights.min} / ${heights.max}`],
      ['decoded fps median / min / max', `${fps(rates.median)} / ${fps(rates.min)} / ${fps(rates.max)}`],
      ['shown fps (video elements) median / min / max', shown ? `${fps(shown.median)} / ${fps(shown.min)} / ${fps(shown.max)}` : 'no tile kept its video throughout'],
      ['browsers CPU-s per minute, total', browsers.reduce((a, b) => a + b, 0).toFixed(1)],
      ['browsers CPU-s per minute, each', browsers.map((b) => b.toFixed(1)).join(' ')],
      ['server CPU-s per minute (node + media workers)', meeting.serverCpuPerMinute.toFixed(1)],
      ['server memory with 4 people (MiB)', meeting.serverRssMiB.toFixed(0)],
    ]),
  );
}
