/**
 * CPU sampling for the capacity bench: the SFU's processes, the load tool's and the whole
 * machine, sampled twice a second with timestamps, so the CPU over any window (the load
 * run's measuring window, known only afterwards) can be read off by interpolation.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { cpuSeconds, processTree } from './proc-usage.js';

export const CORES = cpus().length;

/** Busy and total CPU seconds of the whole machine since boot, from /proc/stat (all cores). */
function machineSeconds(): { busy: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  // USER_HZ is 100 on Linux; only ratios of these are used.
  return { busy: (total - idle) / 100, total: total / 100 };
}

interface Sample {
  at: number;
  sfu: number;
  loadTool: number;
  machineBusy: number;
  machineTotal: number;
}

/** CPU use over one window. */
export interface WindowCpu {
  seconds: number;
  /** CPU-seconds of the SFU's processes (Tertulia: node + mediasoup workers; Janus: its process). */
  sfuCpuSeconds: number;
  /** CPU-seconds of the load tool (this process with its worker threads, and any children that are not the SFU). */
  loadToolCpuSeconds: number;
  /** Busy share of all cores, 0..1. */
  machineBusy: number;
}

export interface CpuSampler {
  /** CPU use between two Date.now() instants that lie within the sampling. */
  over(startedAt: number, endedAt: number): WindowCpu;
  stop(): void;
}

export function startCpuSampler(sfuRootPid: number, intervalMs = 500): CpuSampler {
  const samples: Sample[] = [];
  const take = () => {
    const sfu = processTree(sfuRootPid);
    const sfuPids = new Set(sfu);
    const loadTool = processTree(process.pid).filter((pid) => !sfuPids.has(pid));
    const machine = machineSeconds();
    samples.push({ at: Date.now(), sfu: cpuSeconds(sfu), loadTool: cpuSeconds(loadTool), machineBusy: machine.busy, machineTotal: machine.total });
  };
  take();
  const timer = setInterval(take, intervalMs);

  const at = (time: number): Sample => {
    take();
    const after = samples.findIndex((sample) => sample.at >= time);
    if (after <= 0) return samples[Math.max(after, 0)]!;
    const a = samples[after - 1]!;
    const b = samples[after]!;
    const f = (time - a.at) / Math.max(b.at - a.at, 1);
    const mix = (key: keyof Sample) => a[key] + (b[key] - a[key]) * f;
    return { at: time, sfu: mix('sfu'), loadTool: mix('loadTool'), machineBusy: mix('machineBusy'), machineTotal: mix('machineTotal') };
  };

  return {
    over(startedAt, endedAt) {
      const a = at(startedAt);
      const b = at(endedAt);
      return {
        seconds: (endedAt - startedAt) / 1000,
        sfuCpuSeconds: b.sfu - a.sfu,
        loadToolCpuSeconds: b.loadTool - a.loadTool,
        machineBusy: (b.machineBusy - a.machineBusy) / Math.max(b.machineTotal - a.machineTotal, 1e-9),
      };
    },
    stop: () => clearInterval(timer),
  };
}
