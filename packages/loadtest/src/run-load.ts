import { setTimeout as sleep } from 'node:timers/promises';
import { parseLoadOptions } from './load-options.js';
import { windowTotals } from './load-window.js';
import { LoadWorker } from './load-worker.js';
import { prepareMediaFiles } from './media-files.js';
import type { LoadOptions, LoadResult } from './types.js';
import type { PlannedJoin, SessionStats } from './worker-messages.js';

const PROGRESS_EVERY_MS = 2_000;

/** Every participant of the run, in join order: room by room round-robin, so rooms fill evenly while ramping up. */
export function planParticipants(options: LoadOptions): PlannedJoin[] {
  const plan: PlannedJoin[] = [];
  for (let index = 0; index < options.participantsPerRoom; index++) {
    for (let room = 0; room < options.rooms; room++) {
      plan.push({
        url: options.url,
        room: `${options.roomPrefix}-${room + 1}`,
        name: `${options.roomPrefix}-${room + 1}-p${index + 1}`,
        publish: index < options.publishersPerRoom,
        layer: options.layer,
      });
    }
  }
  return plan;
}

/**
 * Runs one load: synthetic participants spread over worker threads join at `rampPerSecond`,
 * then every counter is measured for `durationSeconds`, and everything is closed. Bad options
 * throw LoadOptionsError before anything starts. `onProgress` gets a line every two seconds.
 */
export async function runLoad(input: LoadOptions, onProgress: (line: string) => void = () => undefined): Promise<LoadResult> {
  const options = parseLoadOptions(input);
  const media = await prepareMediaFiles();
  const plan = planParticipants(options);
  const workers = Array.from({ length: Math.min(options.workers, plan.length) }, () => new LoadWorker({ sfu: options.sfu, media }));
  const startedAt = performance.now();
  const failures: LoadResult['failures'] = [];
  let joined = 0;
  let windowStart: SessionStats[] | undefined;
  let last = { at: startedAt, packets: 0 };

  const snapshot = async (): Promise<SessionStats[]> => (await Promise.all(workers.map((w) => w.stats()))).flat();
  const progress = async (): Promise<void> => {
    const now = performance.now();
    const sessions = await snapshot();
    const totals = windowTotals(windowStart ?? [], sessions);
    const packets = windowTotals([], sessions).packets;
    const pps = ((packets - last.packets) * 1000) / (now - last.at);
    last = { at: now, packets };
    const phase = windowStart ? 'measuring' : 'ramping up';
    onProgress(
      `${((now - startedAt) / 1000).toFixed(1).padStart(6)} s  ${phase}  joined ${joined}/${plan.length}` +
        `${failures.length ? `  failed ${failures.length}` : ''}  ${Math.round(pps)} pps  loss ${(totals.lossRatio * 100).toFixed(2)} %`,
    );
  };
  const ticker = setInterval(() => void progress(), PROGRESS_EVERY_MS);

  try {
    const msPerJoin = 1000 / options.rampPerSecond;
    await Promise.all(
      plan.map(async (join, index) => {
        await sleep(index * msPerJoin);
        const error = await workers[index % workers.length]!.join(join);
        if (error === undefined) joined++;
        else failures.push({ name: join.name, error });
      }),
    );
    windowStart = await snapshot();
    const cpuBefore = process.cpuUsage();
    const window = { startedAt: Date.now(), endedAt: 0 };
    await sleep(options.durationSeconds * 1000);
    const windowEnd = await snapshot();
    const cpu = process.cpuUsage(cpuBefore);
    window.endedAt = Date.now();
    const { lost: _lost, ...totals } = windowTotals(windowStart, windowEnd);
    const seconds = (window.endedAt - window.startedAt) / 1000;
    return { options, seconds, window, participants: joined, failures, ...totals, toolCpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    clearInterval(ticker);
    await Promise.all(workers.map((w) => w.close()));
  }
}
