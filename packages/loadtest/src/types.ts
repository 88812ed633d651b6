/**
 * The contract between the load generator and the SFUs it drives. A synthetic
 * participant speaks real ICE + DTLS-SRTP; only the signalling differs per SFU,
 * so each SFU is one `SfuAdapter`.
 */

/** Which simulcast layer a subscriber asks for (where the SFU and the stack allow layers). */
export type WantedLayer = 'low' | 'mid' | 'high';

export type SfuName = 'tertulia' | 'janus';

/** The looped, pre-encoded media every publisher sends (generated once, see media-files.ts). */
export interface MediaFiles {
  /** VP8 in IVF, one file per simulcast layer, lowest first (one entry where only one layer is sent). */
  videoIvf: string[];
  /** Opus in Ogg. */
  audioOgg: string;
}

export interface JoinOptions {
  /** Base URL of the SFU's signalling: Tertulia's http://host:port, Janus's ws://host:port. */
  url: string;
  room: string;
  /** Display name, unique in the room. */
  name: string;
  /** Sends audio and video when true; a listener only subscribes. */
  publish: boolean;
  layer: WantedLayer;
  media: MediaFiles;
}

/** What a subscriber counted for one received stream. */
export interface StreamStats {
  /** The publisher's display name. */
  publisher: string;
  kind: 'audio' | 'video';
  packets: number;
  /** Missing sequence numbers (gaps not filled later by retransmission). */
  lost: number;
  bytes: number;
  /** RFC 3550 interarrival jitter, milliseconds. */
  jitterMs: number;
}

/** One stream one subscriber received, over a run's measuring window. */
export interface ReceivedStream extends StreamStats {
  subscriber: string;
  room: string;
}

/** One synthetic participant in one room. */
export interface SyntheticSession {
  readonly name: string;
  /** Every stream received so far, cumulative since join. */
  stats(): StreamStats[];
  /** Leaves the room and closes the peer connection; idempotent. */
  close(): Promise<void>;
}

export interface SfuAdapter {
  readonly sfu: SfuName;
  /** Joins, publishes if asked, and subscribes to every publisher in the room, present and future. */
  join(options: JoinOptions): Promise<SyntheticSession>;
}

export interface LoadOptions {
  sfu: SfuName;
  url: string;
  rooms: number;
  participantsPerRoom: number;
  /** Publishers per room; the rest only listen. */
  publishersPerRoom: number;
  /** Always bounded: the run stops by itself after this many seconds of measuring. */
  durationSeconds: number;
  /** Participants joined per second while ramping up. */
  rampPerSecond: number;
  layer: WantedLayer;
  /** Worker threads the participants are spread over. */
  workers: number;
  /** Room name prefix, so runs do not meet earlier ones. */
  roomPrefix: string;
}

/** Totals over the measuring window (after everyone joined), per room and overall. */
export interface LoadResult {
  options: LoadOptions;
  /** Seconds actually measured. */
  seconds: number;
  /** Wall-clock bounds (Date.now()) of the measuring window, so a caller can sample other processes' CPU over exactly it. */
  window: { startedAt: number; endedAt: number };
  participants: number;
  /** Participants that failed to join, with the reason. */
  failures: { name: string; error: string }[];
  /** RTP packets received by all subscribers in the window: what the SFU forwarded. */
  packets: number;
  bytes: number;
  /** lost / (packets + lost), over all received streams. */
  lossRatio: number;
  jitterMsMedian: number;
  /** Streams expected (each subscriber × each other publisher × kinds) vs streams that delivered packets. */
  streamsExpected: number;
  streamsReceiving: number;
  /** CPU seconds (user + system, all threads) the load tool's own process used in the window. */
  toolCpuSeconds: number;
  /** Per received stream, over the window. */
  streams: ReceivedStream[];
}
