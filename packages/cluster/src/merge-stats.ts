import { emptyMediaStats, type MediaStats } from '@tertulia/media';

/**
 * Several bridges' figures as one, for a signalling node's stats and metrics: counters and
 * rates add up, rooms and workers are listed together (worker slots renumbered in order),
 * and the round trip is the mean of the bridges' means, weighted by their endpoints.
 */
export function mergeMediaStats(samples: readonly MediaStats[], intervalMs: number): MediaStats {
  const merged = emptyMediaStats(intervalMs);
  let rttWeight = 0;
  let rttSum = 0;
  for (const sample of samples) {
    merged.sampledAt = Math.max(merged.sampledAt, sample.sampledAt);
    for (const key of Object.keys(merged.totals) as Array<keyof MediaStats['totals']>) merged.totals[key] += sample.totals[key];
    for (const key of Object.keys(merged.rates) as Array<keyof MediaStats['rates']>) merged.rates[key] += sample.rates[key];
    merged.rooms.push(...sample.rooms);
    for (const worker of sample.workers) merged.workers.push({ ...worker, slot: merged.workers.length });
    if (sample.rttMs !== null) {
      const weight = Math.max(1, sample.rooms.reduce((total, room) => total + room.endpoints, 0));
      rttSum += sample.rttMs * weight;
      rttWeight += weight;
    }
  }
  merged.rttMs = rttWeight > 0 ? rttSum / rttWeight : null;
  return merged;
}
