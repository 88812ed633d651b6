/*
 * The bridge's figures as plain JSON, so that the stats endpoints and metrics work
 * the same whether the bridge runs in this process or, later, on another machine.
 */

/** Cumulative since the bridge started. */
export interface MediaTotals {
  /** RTP media received from and sent to browsers (retransmissions included, RTCP and ICE/DTLS not). */
  rtpBytesReceived: number;
  rtpBytesSent: number;
  rtpPacketsReceived: number;
  rtpPacketsSent: number;
  /** Endpoints whose ICE connected (counted once per endpoint). */
  iceSucceeded: number;
  /** Endpoints that never connected ICE within the ICE timeout. */
  iceFailed: number;
  /** Endpoints with a transport whose DTLS handshake failed. */
  dtlsFailed: number;
  dominantSpeakerChanges: number;
  /** RTP to and from other bridges through pipes (a meeting spanning bridges); not in the figures above. */
  relayBytesReceived: number;
  relayBytesSent: number;
  relayPacketsReceived: number;
  relayPacketsSent: number;
}

/** Over the last sampling interval. */
export interface MediaRates {
  bitsReceivedPerSecond: number;
  bitsSentPerSecond: number;
  packetsReceivedPerSecond: number;
  packetsSentPerSecond: number;
  relayBitsReceivedPerSecond: number;
  relayBitsSentPerSecond: number;
  relayPacketsReceivedPerSecond: number;
  relayPacketsSentPerSecond: number;
}

/** One room right now. "Sending" means having a producer of that kind that is not paused. */
export interface RoomMediaStats {
  roomKey: string;
  endpoints: number;
  sendingAudio: number;
  sendingVideo: number;
  /** Endpoints sending neither audio nor video. */
  receiveOnly: number;
  /** Participants of other bridges whose media comes in through pipes (not counted in `endpoints`). */
  relayedEndpoints: number;
  /** Pipes to other bridges, one per bridge the meeting also spans. */
  pipes: number;
  /** Producers received from other bridges, and producers sent to them: one per producer and pipe. */
  producersPipedIn: number;
  producersPipedOut: number;
}

export interface WorkerStats {
  slot: number;
  /** Null while the slot's worker is dead and not yet replaced. */
  pid: number | null;
  endpoints: number;
  /** Share of one CPU core the worker used over the last interval (0–1); null before the first sample. */
  cpu: number | null;
}

export interface MediaStats {
  /** When totals, rates, RTT and CPU were last sampled (ms since the epoch); 0 before the first sample. */
  sampledAt: number;
  /** The sampling interval, ms. */
  intervalMs: number;
  totals: MediaTotals;
  rates: MediaRates;
  /** RTCP round-trip time averaged per endpoint, then over endpoints, ms; null when no endpoint reported one. */
  rttMs: number | null;
  rooms: RoomMediaStats[];
  workers: WorkerStats[];
}

/** An empty sample: no bridge has reported yet. */
export function emptyMediaStats(intervalMs: number): MediaStats {
  return {
    sampledAt: 0,
    intervalMs,
    totals: {
      rtpBytesReceived: 0,
      rtpBytesSent: 0,
      rtpPacketsReceived: 0,
      rtpPacketsSent: 0,
      iceSucceeded: 0,
      iceFailed: 0,
      dtlsFailed: 0,
      dominantSpeakerChanges: 0,
      relayBytesReceived: 0,
      relayBytesSent: 0,
      relayPacketsReceived: 0,
      relayPacketsSent: 0,
    },
    rates: {
      bitsReceivedPerSecond: 0,
      bitsSentPerSecond: 0,
      packetsReceivedPerSecond: 0,
      packetsSentPerSecond: 0,
      relayBitsReceivedPerSecond: 0,
      relayBitsSentPerSecond: 0,
      relayPacketsReceivedPerSecond: 0,
      relayPacketsSentPerSecond: 0,
    },
    rttMs: null,
    rooms: [],
    workers: [],
  };
}

/**
 * Load as Jitsi Videobridge reports it (stress_level): the workers' mean CPU over the last
 * sample, as a share of `cpuThreshold` (CPU_LOAD_THRESHOLD, a fraction of one core); 1 means
 * as loaded as the bridge should get. 0 before the first sample.
 */
export function mediaStress(stats: MediaStats, cpuThreshold: number): number {
  const cpu = stats.workers.flatMap((worker) => (worker.cpu === null ? [] : [worker.cpu]));
  return cpu.length > 0 ? cpu.reduce((total, value) => total + value, 0) / cpu.length / cpuThreshold : 0;
}
