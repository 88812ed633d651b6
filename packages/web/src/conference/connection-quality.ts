/**
 * How well a tile's media arrives (or, for your own tile, leaves): figures from two
 * successive stats samples, and a good / fair / poor level from them.
 *
 * The level is the worst of three judgements, each with bands from a known reference:
 * - Packet loss, on the worst stream: under 2 % good, from 10 % poor. These are the bands
 *   of WebRTC's own loss-based rate control (it raises the bitrate under 2 % and cuts it
 *   over 10 %); at 10 % Opus concealment is audible and video freezes between keyframes.
 * - Round trip: from 300 ms fair, from 800 ms poor, i.e. 150 and 400 ms one way, where
 *   ITU-T G.114 puts conversation getting harder and becoming unacceptable.
 * - Bitrate against what the video's resolution and frame rate need (as Jitsi's indicator
 *   compares it with the target for the resolution): under 30 % fair, under 10 % poor.
 *   The needs are our simulcast caps at 30 fps (CAMERA_ENCODINGS: 150 kbps at 180p, 500
 *   at 360p, 1500 at 720p), in proportion at fewer frames: a sender short of CPU drops
 *   frames, and the fewer bits that leaves say nothing about the network.
 *   Not judged for screen shares, whose bitrate follows how much of the screen changes.
 */

export type QualityLevel = 'good' | 'fair' | 'poor';
/** Direct between the two browsers, through the media server, or through a TURN relay. */
export type MediaRoute = 'direct' | 'server' | 'relay';

/** One stream's running counters at one moment. */
export interface StreamCounters {
  /** Names the stream from one sample to the next. */
  id: string;
  kind: 'audio' | 'video';
  /** Bytes received or sent so far. */
  bytes: number;
  /** Packets received (received streams) or sent (sent streams) so far. */
  packets?: number | undefined;
  /** Packets lost so far: seen missing by us, or reported missing by the receiving end. */
  packetsLost?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  framesPerSecond?: number | undefined;
  codec?: string | undefined;
}

export interface StatsSample {
  /** When it was taken, in ms. */
  at: number;
  /** 'in': what we receive from someone; 'out': what we send. */
  direction: 'in' | 'out';
  streams: StreamCounters[];
  roundTripTimeMs?: number | undefined;
  route?: MediaRoute | undefined;
  /** Whether the video's bitrate says anything about the connection (not for a screen share). */
  judgeBitrate: boolean;
}

export interface ConnectionFigures {
  /** Undefined until two samples show media moving (or at least a round trip is known). */
  level: QualityLevel | undefined;
  /** All the tile's streams together. */
  bitrateKbps: number | undefined;
  /** The worst stream's. */
  lossPercent: number | undefined;
  roundTripTimeMs: number | undefined;
  width: number | undefined;
  height: number | undefined;
  framesPerSecond: number | undefined;
  codec: string | undefined;
  route: MediaRoute | undefined;
}

const LOSS_FAIR_PERCENT = 2;
const LOSS_POOR_PERCENT = 10;
const RTT_FAIR_MS = 300;
const RTT_POOR_MS = 800;
const BITRATE_FAIR_RATIO = 0.3;
const BITRATE_POOR_RATIO = 0.1;
/** Fewer packets than this in an interval make a loss percentage noise (one lost packet in ten is not 10 %). */
const MIN_PACKETS_FOR_LOSS = 25;

const FULL_FRAME_RATE = 30;

/** The bitrate, in kbps, that video of this height (at 30 fps) is sent at when nothing holds it back. */
export function expectedKbps(height: number): number {
  if (height <= 180) return 150;
  if (height <= 270) return 300;
  if (height <= 360) return 500;
  if (height <= 540) return 1000;
  if (height <= 720) return 1500;
  return 2500;
}

/** What a video stream should carry at its size and frame rate (unknown rate: full). */
const neededKbps = ({ height = 0, framesPerSecond }: StreamCounters): number =>
  expectedKbps(height) * Math.min(1, (framesPerSecond ?? FULL_FRAME_RATE) / FULL_FRAME_RATE);

const LEVELS: readonly QualityLevel[] = ['good', 'fair', 'poor'];
const worst = (levels: QualityLevel[]): QualityLevel => LEVELS[Math.max(...levels.map((level) => LEVELS.indexOf(level)))]!;

/** `value` against a fair and a poor threshold, where higher is worse. */
const bandAbove = (value: number, fair: number, poor: number): QualityLevel => (value >= poor ? 'poor' : value >= fair ? 'fair' : 'good');
/** `value` against a fair and a poor threshold, where lower is worse. */
const bandBelow = (value: number, fair: number, poor: number): QualityLevel => (value < poor ? 'poor' : value < fair ? 'fair' : 'good');

/** Percent of one stream's packets lost between the samples, when enough went by to say. */
function lossPercent(direction: 'in' | 'out', before: StreamCounters, now: StreamCounters): number | undefined {
  if (now.packets === undefined || before.packets === undefined || now.packetsLost === undefined || before.packetsLost === undefined) return undefined;
  // Duplicates can make the cumulative loss go down; that is no negative loss.
  const lost = Math.max(0, now.packetsLost - before.packetsLost);
  const moved = now.packets - before.packets;
  // A received stream counts what arrived; a sent one counts everything that went out.
  const expected = direction === 'in' ? moved + lost : moved;
  return expected >= MIN_PACKETS_FOR_LOSS ? Math.min(100, (100 * lost) / expected) : undefined;
}

/** The figures and level between `previous` and `current` (the same tile, a few seconds apart). */
export function connectionFigures(previous: StatsSample | undefined, current: StatsSample): ConnectionFigures {
  const seconds = previous ? (current.at - previous.at) / 1000 : 0;
  const earlier = new Map(previous?.streams.map((stream) => [stream.id, stream]));
  let bits = 0;
  let loss: number | undefined;
  let video: { stream: StreamCounters; kbps: number } | undefined;
  for (const stream of seconds > 0 ? current.streams : []) {
    const before = earlier.get(stream.id);
    if (!before) continue;
    const streamBits = Math.max(0, stream.bytes - before.bytes) * 8;
    bits += streamBits;
    const streamLoss = lossPercent(current.direction, before, stream);
    if (streamLoss !== undefined) loss = Math.max(loss ?? 0, streamLoss);
    // The largest video that moved is what the tile shows (with simulcast, the top encoding sent).
    if (stream.kind === 'video' && streamBits > 0 && (stream.height ?? 0) >= (video?.stream.height ?? 0)) {
      video = { stream, kbps: streamBits / seconds / 1000 };
    }
  }
  const bitrateKbps = seconds > 0 ? bits / seconds / 1000 : undefined;

  const judgements: QualityLevel[] = [];
  if (loss !== undefined) judgements.push(bandAbove(loss, LOSS_FAIR_PERCENT, LOSS_POOR_PERCENT));
  if (current.roundTripTimeMs !== undefined) judgements.push(bandAbove(current.roundTripTimeMs, RTT_FAIR_MS, RTT_POOR_MS));
  if (current.judgeBitrate && video?.stream.height && video.stream.framesPerSecond !== 0) {
    judgements.push(bandBelow(video.kbps / neededKbps(video.stream), BITRATE_FAIR_RATIO, BITRATE_POOR_RATIO));
  }
  return {
    level: judgements.length > 0 ? worst(judgements) : undefined,
    bitrateKbps,
    lossPercent: loss,
    roundTripTimeMs: current.roundTripTimeMs,
    width: video?.stream.width,
    height: video?.stream.height,
    framesPerSecond: video?.stream.framesPerSecond,
    codec: video?.stream.codec ?? current.streams.find((stream) => stream.codec)?.codec,
    route: current.route,
  };
}
