import type { ReceivedStream } from './types.js';
import type { SessionStats } from './worker-messages.js';

/** What subscribers received between two snapshots of every session's counters. */
export interface WindowTotals {
  packets: number;
  bytes: number;
  lost: number;
  /** lost / (packets + lost). */
  lossRatio: number;
  jitterMsMedian: number;
  /** Each subscriber × each other publisher in its room × audio and video. */
  streamsExpected: number;
  /** Expected streams that delivered packets in the window. */
  streamsReceiving: number;
  /** Every received stream's figures over the window (jitter: at its end). */
  streams: ReceivedStream[];
}

const KINDS_PER_PUBLISHER = 2;

/** Totals of `after` minus `before` (sessions or streams missing from `before` count from zero). */
export function windowTotals(before: SessionStats[], after: SessionStats[]): WindowTotals {
  const earlier = new Map<string, { packets: number; bytes: number; lost: number }>();
  for (const session of before) {
    for (const stream of session.streams) earlier.set(`${session.name}|${stream.publisher}|${stream.kind}`, stream);
  }
  const totals = { packets: 0, bytes: 0, lost: 0 };
  const publishers = new Set(after.filter((s) => s.publish).map((s) => `${s.room}|${s.name}`));
  /** Expected streams that delivered: a stream counts once even if its consumer was remade (a new SSRC). */
  const receiving = new Set<string>();
  const jitters: number[] = [];
  const streams: ReceivedStream[] = [];
  for (const session of after) {
    for (const stream of session.streams) {
      const base = earlier.get(`${session.name}|${stream.publisher}|${stream.kind}`);
      const packets = stream.packets - (base?.packets ?? 0);
      const bytes = stream.bytes - (base?.bytes ?? 0);
      const lost = stream.lost - (base?.lost ?? 0);
      streams.push({ ...stream, subscriber: session.name, room: session.room, packets, bytes, lost });
      totals.packets += packets;
      totals.bytes += bytes;
      totals.lost += lost;
      if (packets > 0) {
        jitters.push(stream.jitterMs);
        if (publishers.has(`${session.room}|${stream.publisher}`)) receiving.add(`${session.name}|${stream.publisher}|${stream.kind}`);
      }
    }
  }
  const sent = totals.packets + totals.lost;
  return {
    ...totals,
    lossRatio: sent > 0 ? totals.lost / sent : 0,
    jitterMsMedian: median(jitters),
    streamsExpected: expectedStreams(after),
    streamsReceiving: receiving.size,
    streams,
  };
}

function expectedStreams(sessions: SessionStats[]): number {
  const publishersPerRoom = new Map<string, number>();
  for (const s of sessions) if (s.publish) publishersPerRoom.set(s.room, (publishersPerRoom.get(s.room) ?? 0) + 1);
  let expected = 0;
  for (const s of sessions) expected += ((publishersPerRoom.get(s.room) ?? 0) - (s.publish ? 1 : 0)) * KINDS_PER_PUBLISHER;
  return expected;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
