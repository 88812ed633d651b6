import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { MediaPeer } from './media-peer.js';
import { emptyMediaStats, type MediaStats, type MediaTotals, type RoomMediaStats, type WorkerStats } from './media-stats.js';
import type { WorkerPool } from './worker-pool.js';

/** Like Jitsi Videobridge's stats interval: often enough for dashboards, rare enough to cost nothing. */
export const STATS_INTERVAL_MS = 5000;
/** A transport whose ICE has not connected this long after creation counts as an ICE failure (browsers give up sooner). */
const ICE_FAILURE_MS = 30_000;

/** What rooms report as it happens; everything else is sampled. */
export interface MediaStatsRecorder {
  watchTransport(peer: MediaPeer, transport: types.WebRtcTransport): void;
  dominantSpeakerChanged(): void;
}

/** The part of a room the collector reads. */
export interface SampledRoom {
  readonly key: string;
  peers(): Iterable<MediaPeer>;
  relays(): { pipes: number; pipedOut: Iterable<types.Consumer> };
}

interface Counted {
  bytes: number;
  packets: number;
}


/**
 * Counts the bridge's traffic and events. Transport state changes are counted as
 * they happen; byte and packet counters, RTT and worker CPU are polled every
 * STATS_INTERVAL_MS from mediasoup, away from the media path. Totals add each
 * object's growth since the previous poll, so traffic of an object that closes
 * between two polls after its last poll is not counted (at most one interval's worth).
 */
export class MediaStatsCollector implements MediaStatsRecorder {
  readonly #rooms: () => Iterable<SampledRoom>;
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  readonly #totals: MediaTotals = emptyMediaStats(STATS_INTERVAL_MS).totals;
  /** Last cumulative counters seen per producer/consumer, and per worker its CPU time in ms. */
  readonly #lastCounted = new WeakMap<object, Counted>();
  readonly #lastCpuMs = new WeakMap<types.Worker, number>();
  readonly #transportCreatedAt = new WeakMap<types.WebRtcTransport, number>();
  /** Endpoints already counted as ICE succeeded or failed, and as DTLS failed. */
  readonly #iceCounted = new WeakSet<MediaPeer>();
  readonly #dtlsCounted = new WeakSet<MediaPeer>();
  #rates = emptyMediaStats(STATS_INTERVAL_MS).rates;
  #rttMs: number | null = null;
  #cpu = new Map<number, number>();
  #sampledAt = 0;
  #lastSample = performance.now();
  #sampling = false;

  constructor(rooms: () => Iterable<SampledRoom>, pool: WorkerPool, logger: Logger) {
    this.#rooms = rooms;
    this.#pool = pool;
    this.#logger = logger;
    this.#timer = setInterval(() => this.#sampleSafely(), STATS_INTERVAL_MS);
    this.#timer.unref();
  }

  watchTransport(peer: MediaPeer, transport: types.WebRtcTransport): void {
    this.#transportCreatedAt.set(transport, performance.now());
    transport.on('icestatechange', (state) => {
      if ((state === 'connected' || state === 'completed') && !this.#iceCounted.has(peer)) {
        this.#iceCounted.add(peer);
        this.#totals.iceSucceeded += 1;
      }
    });
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' && !this.#dtlsCounted.has(peer)) {
        this.#dtlsCounted.add(peer);
        this.#totals.dtlsFailed += 1;
      }
    });
  }

  dominantSpeakerChanged(): void {
    this.#totals.dominantSpeakerChanges += 1;
  }

  snapshot(): MediaStats {
    return {
      sampledAt: this.#sampledAt,
      intervalMs: STATS_INTERVAL_MS,
      totals: { ...this.#totals },
      rates: { ...this.#rates },
      rttMs: this.#rttMs,
      rooms: [...this.#rooms()].map(roomStats),
      workers: this.#pool.workers().map(
        (slot, index): WorkerStats => ({
          slot: index,
          pid: slot?.worker.pid ?? null,
          endpoints: slot?.load ?? 0,
          cpu: slot ? (this.#cpu.get(index) ?? null) : null,
        }),
      ),
    };
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #sampleSafely(): void {
    // A slow worker must not pile up overlapping polls.
    if (this.#sampling) return;
    this.#sampling = true;
    this.#sample()
      .catch((err: unknown) => this.#logger.warn({ err }, 'media stats sample failed'))
      .finally(() => (this.#sampling = false));
  }

  async #sample(): Promise<void> {
    const now = performance.now();
    const seconds = (now - this.#lastSample) / 1000;
    const received: Counted = { bytes: 0, packets: 0 };
    const sent: Counted = { bytes: 0, packets: 0 };
    const relayReceived: Counted = { bytes: 0, packets: 0 };
    const relaySent: Counted = { bytes: 0, packets: 0 };
    const peerRtts: number[] = [];
    const work: Array<Promise<void>> = [this.#sampleWorkers(now)];

    for (const room of this.#rooms()) {
      for (const consumer of room.relays().pipedOut) work.push(this.#count(consumer, consumer.getStats(), 'outbound-rtp', relaySent));
      for (const peer of room.peers()) {
        this.#checkIceTimeout(peer, now);
        for (const producer of peer.producers.values()) {
          work.push(this.#count(producer, producer.getStats(), 'inbound-rtp', peer.relayed ? relayReceived : received));
        }
        const rtts: number[] = [];
        const consumers = [...peer.consumers.values()].map((c) => this.#count(c, c.getStats(), 'outbound-rtp', sent, rtts));
        work.push(
          Promise.allSettled(consumers).then(() => {
            if (rtts.length > 0) peerRtts.push(mean(rtts));
          }),
        );
      }
    }
    await Promise.allSettled(work);

    this.#totals.rtpBytesReceived += received.bytes;
    this.#totals.rtpPacketsReceived += received.packets;
    this.#totals.rtpBytesSent += sent.bytes;
    this.#totals.rtpPacketsSent += sent.packets;
    this.#totals.relayBytesReceived += relayReceived.bytes;
    this.#totals.relayPacketsReceived += relayReceived.packets;
    this.#totals.relayBytesSent += relaySent.bytes;
    this.#totals.relayPacketsSent += relaySent.packets;
    this.#rates =
      seconds > 0
        ? {
            bitsReceivedPerSecond: (received.bytes * 8) / seconds,
            bitsSentPerSecond: (sent.bytes * 8) / seconds,
            packetsReceivedPerSecond: received.packets / seconds,
            packetsSentPerSecond: sent.packets / seconds,
            relayBitsReceivedPerSecond: (relayReceived.bytes * 8) / seconds,
            relayBitsSentPerSecond: (relaySent.bytes * 8) / seconds,
            relayPacketsReceivedPerSecond: relayReceived.packets / seconds,
            relayPacketsSentPerSecond: relaySent.packets / seconds,
          }
        : emptyMediaStats(STATS_INTERVAL_MS).rates;
    this.#rttMs = peerRtts.length > 0 ? mean(peerRtts) : null;
    this.#lastSample = now;
    this.#sampledAt = Date.now();
  }

  /** Adds a producer's or consumer's growth since the last poll to `into`; collects its RTTs. */
  async #count(
    owner: object,
    stats: Promise<Array<{ type: string; byteCount?: number; packetCount?: number; roundTripTime?: number }>>,
    type: 'inbound-rtp' | 'outbound-rtp',
    into: Counted,
    rtts?: number[],
  ): Promise<void> {
    const streams = (await stats).filter((s) => s.type === type);
    const now: Counted = {
      bytes: streams.reduce((sum, s) => sum + (s.byteCount ?? 0), 0),
      packets: streams.reduce((sum, s) => sum + (s.packetCount ?? 0), 0),
    };
    const last = this.#lastCounted.get(owner) ?? { bytes: 0, packets: 0 };
    // Counters restart when a simulcast layer goes away; never count backwards.
    into.bytes += Math.max(0, now.bytes - last.bytes);
    into.packets += Math.max(0, now.packets - last.packets);
    this.#lastCounted.set(owner, now);
    for (const s of streams) if (rtts && s.roundTripTime && s.roundTripTime > 0) rtts.push(s.roundTripTime);
  }

  async #sampleWorkers(now: number): Promise<void> {
    const elapsedMs = now - this.#lastSample;
    const cpu = new Map<number, number>();
    await Promise.allSettled(
      this.#pool.workers().map(async (slot, index) => {
        if (!slot) return;
        const usage = await slot.worker.getResourceUsage();
        const cpuMs = usage.ru_utime + usage.ru_stime;
        const last = this.#lastCpuMs.get(slot.worker);
        this.#lastCpuMs.set(slot.worker, cpuMs);
        if (last !== undefined && elapsedMs > 0) cpu.set(index, Math.max(0, (cpuMs - last) / elapsedMs));
      }),
    );
    this.#cpu = cpu;
  }

  #checkIceTimeout(peer: MediaPeer, now: number): void {
    if (this.#iceCounted.has(peer)) return;
    for (const transport of peer.transports.values()) {
      const createdAt = this.#transportCreatedAt.get(transport);
      if (transport.iceState === 'new' && createdAt !== undefined && now - createdAt > ICE_FAILURE_MS) {
        this.#iceCounted.add(peer);
        this.#totals.iceFailed += 1;
        return;
      }
    }
  }
}

function roomStats(room: SampledRoom): RoomMediaStats {
  const { pipes, pipedOut } = room.relays();
  const stats: RoomMediaStats = {
    roomKey: room.key,
    endpoints: 0,
    sendingAudio: 0,
    sendingVideo: 0,
    receiveOnly: 0,
    relayedEndpoints: 0,
    pipes,
    producersPipedIn: 0,
    producersPipedOut: [...pipedOut].length,
  };
  for (const peer of room.peers()) {
    if (peer.relayed) {
      stats.relayedEndpoints += 1;
      stats.producersPipedIn += peer.producers.size;
      continue;
    }
    const live = [...peer.producers.values()].filter((p) => !p.paused && !p.closed);
    const audio = live.some((p) => p.kind === 'audio');
    const video = live.some((p) => p.kind === 'video');
    stats.endpoints += 1;
    if (audio) stats.sendingAudio += 1;
    if (video) stats.sendingVideo += 1;
    if (!audio && !video) stats.receiveOnly += 1;
  }
  return stats;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
