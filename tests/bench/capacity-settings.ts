/** What `npm run bench:capacity` runs, and the environment variables that shorten or change it. */
import type { SfuName, WantedLayer } from '@tertulia/loadtest';
import { CORES } from './capacity-cpu.js';

export interface Scenario {
  /** Short label for progress lines and room names. */
  key: string;
  title: string;
  rooms: number;
  participantsPerRoom: number;
  publishersPerRoom: number;
  /** Counted in the headline pps/cpu-s figure (the all-to-all scenarios are). */
  headline: boolean;
}

/** The same loads for every SFU: two all-to-all shapes (the headline) and one broadcast. */
export const SCENARIOS: Scenario[] = [
  { key: '5x6', title: '5 rooms × 6, all-to-all', rooms: 5, participantsPerRoom: 6, publishersPerRoom: 6, headline: true },
  { key: '1x20', title: '1 room × 20, all-to-all', rooms: 1, participantsPerRoom: 20, publishersPerRoom: 20, headline: true },
  { key: '1to50', title: '1 publisher → 50 listeners', rooms: 1, participantsPerRoom: 51, publishersPerRoom: 1, headline: false },
];

function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a number ≥ 0; unset it or give e.g. ${name}=${fallback}`);
  return value;
}

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);
}

function sfus(): SfuName[] {
  const names = list('CAPACITY_SFUS', 'tertulia,janus');
  for (const name of names) {
    if (name !== 'tertulia' && name !== 'janus') throw new Error(`CAPACITY_SFUS: unknown SFU "${name}"; use tertulia, janus or both (comma-separated)`);
  }
  return names as SfuName[];
}

function layer(): WantedLayer {
  const value = process.env['CAPACITY_LAYER'] ?? 'high';
  if (value !== 'low' && value !== 'mid' && value !== 'high') throw new Error(`CAPACITY_LAYER=${value}: use low, mid or high`);
  return value;
}

function rampSizes(): number[] {
  return list('CAPACITY_RAMP_SIZES', '6,10,14,18,22,26,30').map((item) => {
    const size = Number(item);
    if (!Number.isInteger(size) || size < 2) throw new Error(`CAPACITY_RAMP_SIZES: "${item}" is not a room size ≥ 2 (e.g. 6,10,14)`);
    return size;
  });
}

export function readSettings() {
  return {
    sfus: sfus(),
    /** Measuring window of each scenario, seconds (after everyone joined). */
    seconds: number('CAPACITY_SECONDS', 30),
    /** Room sizes tried, in order, for the largest room each SFU holds; empty skips the ramp. */
    rampSizes: rampSizes(),
    rampSeconds: number('CAPACITY_RAMP_SECONDS', 15),
    /** The ramp of one SFU stops trying bigger rooms after this long. */
    rampBudgetSeconds: number('CAPACITY_RAMP_BUDGET_SECONDS', 240),
    joinsPerSecond: number('CAPACITY_JOIN_RATE', 5),
    workers: number('CAPACITY_WORKERS', CORES),
    layer: layer(),
    /** Pause after each run so the SFU's teardown of the last one is not in the next window. */
    settleSeconds: number('CAPACITY_SETTLE_SECONDS', 3),
    /** CPU seconds per floor measurement (three per cipher). */
    floorSeconds: number('CAPACITY_FLOOR_SECONDS', 1),
    port: number('CAPACITY_PORT', 18090),
  };
}

export type Settings = ReturnType<typeof readSettings>;

/** A room held: everyone joined, every stream arrived, loss < 1 %, the machine ≤ 85 % busy. */
export const HOLD_MAX_LOSS = 0.01;
export const HOLD_MAX_MACHINE_BUSY = 0.85;
/** Above this share of all cores the load tool, not the SFU, is what the ramp would measure. */
export const LOAD_TOOL_SATURATED = 0.6;
