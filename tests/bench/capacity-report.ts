/** Tables and the final line of the capacity bench. */
import type { LoadResult, SfuName } from '@tertulia/loadtest';
import type { WindowCpu } from './capacity-cpu.js';
import type { FloorFigures } from './floor.js';
import { NEGOTIATED_CIPHER } from './floor.js';
import { table } from './report.js';

/** One load run against one SFU, with the CPU over its measuring window. */
export interface Run {
  sfu: SfuName;
  load: LoadResult;
  cpu: WindowCpu;
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const percent = (ratio: number) => `${fixed(ratio * 100, 2)} %`;

export const forwardedPerSecond = (run: Run) => run.load.packets / run.load.seconds;
export const ppsPerCpuSecond = (runs: Run[]) =>
  runs.reduce((sum, run) => sum + run.load.packets, 0) / runs.reduce((sum, run) => sum + run.cpu.sfuCpuSeconds, 0);

export function scenarioTable(runs: Run[], floor: FloorFigures | undefined): string {
  const rows = runs.map((run) => {
    const nsPerPacket = (run.cpu.sfuCpuSeconds * 1e9) / run.load.packets;
    return [
      run.sfu,
      fixed(forwardedPerSecond(run)),
      fixed(run.load.bytes / run.load.packets),
      percent(run.load.lossRatio),
      fixed(run.load.jitterMsMedian, 1),
      `${run.load.streamsReceiving}/${run.load.streamsExpected}`,
      String(run.load.failures.length),
      fixed(run.cpu.sfuCpuSeconds / run.cpu.seconds, 2),
      fixed(ppsPerCpuSecond([run])),
      floor ? `${fixed(nsPerPacket)} (${fixed(nsPerPacket / floor.totalNs, 1)}×)` : fixed(nsPerPacket),
      fixed(run.cpu.loadToolCpuSeconds / run.cpu.seconds, 2),
      percent(run.cpu.machineBusy),
    ];
  });
  return table([
    ['sfu', 'fwd pps', 'bytes/pkt', 'loss', 'jitter ms', 'streams', 'join fails', 'SFU cpu-s/s', 'pps/SFU cpu-s', 'SFU ns/pkt (× floor)', 'load tool cpu-s/s', 'machine cpu'],
    ...rows,
  ]);
}

export function floorTable(figures: FloorFigures[]): string {
  return table([
    ['cipher', 'srtp_protect ns', 'sendto ns', 'both ns/pkt', 'pps per core'],
    ...figures.map((f) => [
      f.cipher === NEGOTIATED_CIPHER ? `${f.cipher} (negotiated)` : f.cipher,
      fixed(f.protectNs),
      fixed(f.sendtoNs),
      fixed(f.totalNs),
      fixed(f.ppsPerCore),
    ]),
  ]);
}

/** One ramp step: a room size tried, and whether the SFU held it. */
export interface RampStep {
  size: number;
  /** Absent when the load run itself failed (the note says why). */
  run: Run | undefined;
  held: boolean;
  /** Why it did not count as held, or why the ramp stopped there. */
  note: string;
}

export function rampTable(sfu: SfuName, steps: RampStep[]): string {
  return table([
    ['sfu', 'room size', 'held', 'fwd pps', 'loss', 'streams', 'SFU cpu-s/s', 'load tool cpu-s/s', 'machine cpu', 'note'],
    ...steps.map(({ size, run, held, note }) => [
      sfu,
      String(size),
      held ? 'yes' : 'no',
      ...(run
        ? [
            fixed(forwardedPerSecond(run)),
            percent(run.load.lossRatio),
            `${run.load.streamsReceiving}/${run.load.streamsExpected}`,
            fixed(run.cpu.sfuCpuSeconds / run.cpu.seconds, 2),
            fixed(run.cpu.loadToolCpuSeconds / run.cpu.seconds, 2),
            percent(run.cpu.machineBusy),
          ]
        : ['–', '–', '–', '–', '–', '–']),
      note,
    ]),
  ]);
}

/** The bench's last line (its format is fixed; scripts read it). */
export function capacityLine(tertulia: number, janus: number): string {
  return `capacity: tertulia ${fixed(tertulia)} pps/cpu-s, janus ${fixed(janus)} pps/cpu-s, ratio ${(tertulia / janus).toFixed(2)}`;
}
