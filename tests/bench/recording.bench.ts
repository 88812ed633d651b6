/*
 * How many composite recordings this machine keeps in real time. For each N in
 * BENCH_RECORDINGS (1,2,4), runs N concurrent 1280×720@30 recordings, each of the
 * same three synthetic participants (640×360 VP8 + Opus over loopback RTP,
 * encoded once and sent to every recording, as an SFU forwards), for
 * BENCH_MEASURE_S (30) seconds after a 5 s warm-up, and prints per N:
 *   - whether every recording kept real time: frames encoded in the window vs
 *     30 per second, and how far the encoder lags behind the clock at the end;
 *   - CPU seconds per recording per second recorded (1.0 = one core), from
 *     /proc of the GStreamer host processes.
 * Prints figures, asserts nothing. Run it on a quiet machine:
 *   npm run bench:recording
 *   BENCH_RECORDINGS=1,3,5 BENCH_MEASURE_S=20 npm run bench:recording
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { RecordingPipeline, type RecordingStats } from '../../packages/recorder/src/index.js';
import { OPUS_PAYLOAD, VP8_PAYLOAD, startRtpSender } from '../support/rtp-sender.js';
import { cpuSeconds } from './proc-usage.js';
import { table } from './report.js';

const COUNTS = (process.env['BENCH_RECORDINGS'] ?? '1,2,4').split(',').map(Number);
const MEASURE_SECONDS = Number(process.env['BENCH_MEASURE_S'] ?? 30);
const WARM_UP_SECONDS = 5;
const FPS = 30;
/** Real time: at least this share of the frames, and the encoder no further behind the clock than this. */
const FRAMES_KEPT = 0.98;
const MAX_LAG_MS = 1000;

const logger = pino({ level: 'warn' });

interface Snapshot {
  /** The pipeline clock's running time: windows are measured on it, not on this process's timers. */
  runningMs: number;
  frames: number;
  lagMs: number;
  cpu: number;
}

async function snapshot(pipeline: RecordingPipeline): Promise<Snapshot> {
  const [stats] = (await once(pipeline, 'stats')) as [RecordingStats];
  const encoder = stats.counters['venc'];
  return {
    runningMs: stats.runningTimeMs,
    frames: encoder?.frames ?? 0,
    lagMs: stats.runningTimeMs - (encoder?.lastRunningTimeMs ?? 0),
    cpu: cpuSeconds([pipeline.pid!]),
  };
}

async function measure(count: number, dir: string): Promise<string[]> {
  const colours = [0xe02020, 0x20c020, 0x2040e0];
  const senders = await Promise.all(colours.map((colour, index) => startRtpSender(colour, 440 + 220 * index, { copies: count, width: 640, height: 360 })));
  const pipelines: RecordingPipeline[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const pipeline = await RecordingPipeline.start({ outputs: { file: { location: join(dir, `n${count}-${index}.mp4`) } }, logger });
      pipelines.push(pipeline);
      senders.forEach((sender, person) =>
        pipeline.addParticipant({
          id: `p${person}`,
          name: `Person ${person + 1}`,
          camera: { port: sender.videoPorts[index]!, mimeType: 'video/VP8', payloadType: VP8_PAYLOAD },
          mic: { port: sender.audioPorts[index]!, mimeType: 'audio/opus', payloadType: OPUS_PAYLOAD },
        }),
      );
    }
    await sleep(WARM_UP_SECONDS * 1000);
    const before = await Promise.all(pipelines.map(snapshot));
    await sleep(MEASURE_SECONDS * 1000);
    const after = await Promise.all(pipelines.map(snapshot));
    const seconds = after.map((end, index) => (end.runningMs - before[index]!.runningMs) / 1000);
    const kept = after.map((end, index) => (end.frames - before[index]!.frames) / (seconds[index]! * FPS));
    const realTime = kept.every((share, index) => share >= FRAMES_KEPT && after[index]!.lagMs <= MAX_LAG_MS);
    const cpu = after.map((end, index) => (end.cpu - before[index]!.cpu) / seconds[index]!);
    return [
      String(count),
      realTime ? 'yes' : 'no',
      `${(Math.min(...kept) * 100).toFixed(1)} %`,
      `${Math.max(...after.map((end) => end.lagMs))} ms`,
      (cpu.reduce((sum, value) => sum + value, 0) / count).toFixed(2),
    ];
  } finally {
    await Promise.all(pipelines.map((pipeline) => pipeline.stop().catch(() => pipeline.close())));
    await Promise.all(senders.map((sender) => sender.stop()));
  }
}

const dir = await mkdtemp(join(tmpdir(), 'tertulia-recording-bench-'));
const rows = [['recordings', 'real time', 'frames kept (worst)', 'encoder lag (worst)', 'CPU s per recorded s, each']];
try {
  process.stdout.write(`load average before: ${loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
  for (const count of COUNTS) {
    rows.push(await measure(count, dir));
    process.stdout.write(table(rows));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
