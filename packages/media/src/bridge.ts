import type { EventEmitter } from 'node:events';
import type {
  DtlsParameters,
  IceParameters,
  MediaKind,
  MediaSource,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from '@tertulia/protocol';
import type { ProbeOptions, ProbeSet } from './connectivity-probes.js';
import type { MediaStats } from './media-stats.js';

/*
 * The media bridge as the signalling server sees it. Everything is addressed by
 * ids and plain data so that a bridge can later live in another process or on
 * another machine behind the same interface; the server never holds a mediasoup
 * object. Policy (who receives whom) stays in the server: the bridge only does
 * what it is asked and reports what happened.
 */

export interface ProduceRequest {
  transportId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
  paused: boolean;
  /** Height of the captured video (its top simulcast layer), when the browser says. */
  videoHeight?: number;
}

/** One spatial layer of a video producer. */
export interface VideoLayerInfo {
  height: number;
  /** Bits per second the sender allows it (or an estimate from its height). */
  bitrate: number;
}

export interface ProducerInfo {
  producerId: string;
  source: MediaSource;
  paused: boolean;
  /** Spatial layers, lowest first; empty for audio. */
  layers: VideoLayerInfo[];
  /** Temporal layers in each spatial layer (1 without temporal scalability). */
  temporalLayers: number;
}

/**
 * What the server's forwarding policy wants a consumer to carry. A consumer flows only when its
 * browser resumed it and the policy does not pause it; layers matter only for simulcast and SVC.
 */
export interface ConsumerForwarding {
  paused: boolean;
  spatialLayer: number;
  temporalLayer: number;
  /** When the downlink cannot carry every preferred layer, higher priorities get theirs first (1–255). */
  priority: number;
}

/** A receive transport's bandwidth estimate (transport-wide congestion control), in bits per second. */
export interface DownlinkEstimate {
  /** What the path can carry now. */
  availableBitrate: number;
  /** What the consumers on it would send at their preferred layers. */
  desiredBitrate: number;
}

/** Everything a browser needs to create a consumer for a remote track. */
export interface ConsumerDescription {
  consumerId: string;
  producerId: string;
  producerPeerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
}

/** Where a tap sends its RTP: a local receiver such as the recorder; its RTCP (sender reports) goes to `rtcpPort`. */
export interface RtpDestination {
  ip: string;
  port: number;
  /** Kept apart from the RTP port: a plain depacketizer would take RTCP packets for media. */
  rtcpPort: number;
}

/** A producer's media forwarded as plain RTP to a local receiver, and what the receiver must expect. */
export interface RtpTapDescription {
  tapId: string;
  producerId: string;
  producerPeerId: string;
  kind: MediaKind;
  source: MediaSource;
  /** video/VP8, video/H264 or audio/opus. */
  mimeType: string;
  payloadType: number;
  clockRate: number;
  /** Audio channels (2 for Opus). */
  channels?: number;
  ssrc: number;
}

export type MediaRoomEvents = {
  /** A tap ended because its producer went away. */
  tapClosed: [tapId: string];
  /** A consumer of `peerId` ended because its producer went away. */
  consumerClosed: [peerId: string, consumerId: string];
  /** The loudest audio producer changed. */
  dominantSpeaker: [peerId: string];
  /** A fresh downlink estimate for `peerId` (at most every DOWNLINK_REPORT_MS per peer). */
  downlink: [peerId: string, estimate: DownlinkEstimate];
  /**
   * These peers' media now runs on another bridge (the one it was on went away): they are
   * still added, but their transports, producers and consumers are gone, and their browsers
   * must connect again. Others' consumers of their producers have closed (consumerClosed).
   */
  moved: [reason: string, peerIds: string[]];
  /** The room's media is gone: closed on request, or its worker died and participants must rejoin. */
  closed: [reason: string];
};

/** Where one end of a pipe between two bridges receives, and the SRTP key it sends with. */
export interface PipeEndpoint {
  ip: string;
  port: number;
  srtpParameters: { cryptoSuite: string; keyBase64: string };
}

/** A producer sent into a pipe: what the bridge at the other end needs to receive it as a producer of its own. */
export interface PipedProducer {
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
  paused: boolean;
  layers: VideoLayerInfo[];
  temporalLayers: number;
}

/** Where a participant is, so that a room spanning bridges can put its media on a bridge near it. */
export interface PeerPlacement {
  /** The REGION of the signalling node the participant came through. */
  region?: string | undefined;
}

export interface MediaRoom extends EventEmitter<MediaRoomEvents> {
  readonly rtpCapabilities: RtpCapabilities;
  readonly closed: boolean;

  /** `placement` matters only to a room that may span bridges. */
  addPeer(peerId: string, placement?: PeerPlacement): void;
  /** Closes everything the peer had; its producers' consumers close with it. */
  removePeer(peerId: string): void;
  setRtpCapabilities(peerId: string, rtpCapabilities: RtpCapabilities): void;
  /** Whether the peer has told us what it can receive and has a receive transport. */
  canReceive(peerId: string): boolean;

  createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions>;
  connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void>;
  restartIce(peerId: string, transportId: string): Promise<IceParameters>;

  produce(peerId: string, request: ProduceRequest): Promise<{ producerId: string }>;
  closeProducer(peerId: string, producerId: string): void;
  setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void>;
  /** Producers of a peer with their source and layers, for deciding what others should consume and at which layer. */
  producersOf(peerId: string): ProducerInfo[];

  /** Creates a paused consumer, at `forwarding`'s layers when given; null when the peer cannot receive this producer. */
  consume(peerId: string, producerId: string, forwarding?: ConsumerForwarding): Promise<ConsumerDescription | null>;
  /** The browser is ready for the consumer's media; it flows unless the policy pauses it. */
  resumeConsumer(peerId: string, consumerId: string): Promise<void>;
  /** Caps what the server sends `peerId` (its receive transport), in bits per second: a throttled receiver. */
  setMaxOutgoingBitrate(peerId: string, bitrate: number): Promise<void>;
  /** Applies the forwarding policy's decision to one consumer. */
  setConsumerForwarding(peerId: string, consumerId: string, forwarding: ConsumerForwarding): Promise<void>;
  /** What `peerId` receives, consumer by consumer; `paused` while its browser has not resumed it or the policy holds it. */
  consumersOf(peerId: string): Array<{ consumerId: string; producerId: string; kind: MediaKind; paused: boolean }>;
  /** Closes what `peerId` receives from `fromPeerId` (they went peer to peer); returns the closed consumer ids. */
  closeConsumersFrom(peerId: string, fromPeerId: string): string[];
  /** How many consumers `peerId` has: what the server forwards to it. */
  consumerCount(peerId: string): number;

  /**
   * Sends a producer's media as plain RTP to `destination` (unencrypted: only to a
   * receiver on this machine or a private network), at its top simulcast layer.
   */
  createRtpTap(producerId: string, destination: RtpDestination): Promise<RtpTapDescription>;
  /** Asks the producer's sender for a keyframe, so a receiver that joined mid-stream can start decoding. */
  requestTapKeyFrame(tapId: string): Promise<void>;
  /** Idempotent. */
  closeTap(tapId: string): void;

  /** Idempotent. */
  close(): void;
}

/**
 * A room's media on one bridge when the room spans several (cascade). Pipes join two
 * bridges' halves of the room over UDP with SRTP, one pipe per pair of bridges; each
 * producer crosses a pipe once and is fanned out by the bridge at the other end.
 */
export interface CascadeLeg extends MediaRoom {
  /** A new pipe end on this bridge, to give to the bridge at the other end. */
  openPipe(): Promise<{ pipeId: string } & PipeEndpoint>;
  connectPipe(pipeId: string, remote: PipeEndpoint): Promise<void>;
  /** Closes a pipe (its other end's bridge went away): what went through it closes, consumers of it included. */
  closePipe(pipeId: string): void;
  /** Sends one of this room's producers into the pipe. */
  pipeOut(pipeId: string, producerId: string): Promise<PipedProducer>;
  /**
   * Receives a producer from the pipe as a producer of `producer.peerId` here (a peer of
   * another bridge: it has no transports on this one), which peers here can consume.
   * removePeer, closeProducer and setProducerPaused work on it as on any producer.
   */
  pipeIn(pipeId: string, producer: PipedProducer): Promise<void>;
}

export type MediaBridgeEvents = {
  /** A media worker died; its rooms have closed. The bridge replaces the worker. */
  workerDied: [workerPid: number, error: Error];
};

/** `R`: what its rooms can do beyond MediaRoom (a bridge served to other machines makes CascadeLegs). */
export interface MediaBridge<R extends MediaRoom = MediaRoom> extends EventEmitter<MediaBridgeEvents> {
  createRoom(roomKey: string): Promise<R>;
  /** False while a worker is dead and not yet replaced. */
  healthy(): boolean;
  /** Traffic, senders per room, connection outcomes and worker load, as of now and the last sample. */
  stats(): MediaStats;
  /**
   * Connectivity self-test: on every worker's media port, a transport that accepts only
   * UDP and one that accepts only TCP (plus, with `relay`, a UDP one to reach through TURN).
   * They carry no media and close by themselves after half a minute.
   */
  createProbes(options: ProbeOptions): Promise<ProbeSet>;
  connectProbe(probeId: string, dtlsParameters: DtlsParameters): Promise<void>;
  closeProbes(probeIds: string[]): void;
  /** Idempotent. */
  close(): Promise<void>;
}
