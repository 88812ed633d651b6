import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // the process exited between listing and reading
    return fallback;
  }
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => readOr(`/proc/${pid}/task/${tid}/children`, '').trim().split(/\s+/).filter(Boolean).map(Number));
}

/** A process and all its descendants. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

/** This process's direct children that run Chromium (or Debian's shell wrapper around it): one per launched browser. */
export function browserRoots(): number[] {
  return childrenOf(process.pid).filter((pid) => readOr(`/proc/${pid}/cmdline`, '').includes('chromium'));
}

/** User + system CPU seconds the given processes have used so far (all their threads). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readOr(`/proc/${pid}/stat`, '');
    // Fields after the parenthesised command name, which may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / CLOCK_TICKS;
}

/** Resident memory of the given processes, in MiB. */
export function rssMiB(pids: number[]): number {
  const kib = pids.reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+)/.exec(readOr(`/proc/${pid}/status`, ''))?.[1] ?? 0), 0);
  return kib / 1024;
}
