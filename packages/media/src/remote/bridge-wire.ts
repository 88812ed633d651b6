import {
  DtlsParameters,
  ErrorCode,
  IceParameters,
  MediaKind,
  MediaSource,
  ProbeTransport,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from '@tertulia/protocol';
import { z } from 'zod';
import type {
  ConsumerDescription,
  ConsumerForwarding,
  PipedProducer,
  PipeEndpoint,
  ProduceRequest,
  ProducerInfo,
  RtpDestination,
  RtpTapDescription,
} from '../bridge.js';
import type { ProbeSet } from '../connectivity-probes.js';
import type { MediaStats } from '../media-stats.js';

/*
 * The wire between a signalling node and a media bridge on another machine: JSON
 * text frames on one WebSocket.
 *   node → bridge  { id, method, params }
 *   bridge → node  { id, result } | { id, error: { code, message } }   (id null: the request had none)
 *   bridge → node  { event, ... }                                      (pushed)
 * Every method's params and result have a schema below; both sides validate what
 * they receive. Schemas carrying bridge.ts types are annotated with them, so the
 * compiler catches the wire drifting from the interface.
 */

/** Neither side accepts a bigger frame (ws closes the connection with 1009). */
export const BRIDGE_MAX_PAYLOAD = 1024 * 1024;
/** The request header carrying `<unix ms>.<nodeId>.<hex HMAC-SHA256(secret, "<unix ms>.<nodeId>")>`. */
export const BRIDGE_AUTH_HEADER = 'x-tertulia-bridge-auth';
/** A shorter secret is refused at start by both sides. */
export const MIN_BRIDGE_SECRET_LENGTH = 16;

const id = z.string().min(1).max(128);
const roomId = id;
const peerId = id;

const VideoLayers = z.array(z.strictObject({ height: z.number(), bitrate: z.number() })).max(8);

const ProducerInfoSchema: z.ZodType<ProducerInfo> = z.strictObject({
  producerId: id,
  source: MediaSource,
  paused: z.boolean(),
  layers: VideoLayers,
  temporalLayers: z.number().int(),
});

const ConsumerStateSchema = z.strictObject({ consumerId: id, producerId: id, kind: MediaKind, paused: z.boolean() });
export type ConsumerState = z.infer<typeof ConsumerStateSchema>;

/** What the bridge's room says about one peer: everything the synchronous reads of MediaRoom answer. */
export const PeerStateSchema = z.strictObject({
  canReceive: z.boolean(),
  producers: z.array(ProducerInfoSchema).max(16),
  consumers: z.array(ConsumerStateSchema).max(10_000),
});
export type PeerState = z.infer<typeof PeerStateSchema>;

const ForwardingSchema: z.ZodType<ConsumerForwarding> = z.strictObject({
  paused: z.boolean(),
  spatialLayer: z.number().int().min(0),
  temporalLayer: z.number().int().min(0),
  priority: z.number().int().min(1).max(255),
});

const ProduceRequestSchema: z.ZodType<ProduceRequest> = z.strictObject({
  transportId: id,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: RtpParameters,
  paused: z.boolean(),
  videoHeight: z.number().int().positive().optional(),
});

const ConsumerDescriptionSchema: z.ZodType<ConsumerDescription> = z.strictObject({
  consumerId: id,
  producerId: id,
  producerPeerId: peerId,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: RtpParameters,
});

const RtpDestinationSchema: z.ZodType<RtpDestination> = z.strictObject({
  ip: z.union([z.ipv4(), z.ipv6()]),
  port: z.number().int().min(1).max(65_535),
  rtcpPort: z.number().int().min(1).max(65_535),
});

const RtpTapDescriptionSchema: z.ZodType<RtpTapDescription> = z.strictObject({
  tapId: id,
  producerId: id,
  producerPeerId: peerId,
  kind: MediaKind,
  source: MediaSource,
  mimeType: z.string().max(64),
  payloadType: z.number().int(),
  clockRate: z.number().int(),
  channels: z.number().int().optional(),
  ssrc: z.number().int(),
});

const pipeEndpoint = {
  ip: z.union([z.ipv4(), z.ipv6()]),
  port: z.number().int().min(1).max(65_535),
  srtpParameters: z.strictObject({ cryptoSuite: z.string().max(64), keyBase64: z.string().max(256) }),
};
const PipeEndpointSchema: z.ZodType<PipeEndpoint> = z.strictObject(pipeEndpoint);

const PipedProducerSchema: z.ZodType<PipedProducer> = z.strictObject({
  producerId: id,
  peerId,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: RtpParameters,
  paused: z.boolean(),
  layers: VideoLayers,
  temporalLayers: z.number().int(),
});

const ProbeSetSchema: z.ZodType<ProbeSet> = z.strictObject({ rtpCapabilities: RtpCapabilities, probes: z.array(ProbeTransport).max(256) });

const count = z.number();
export const MediaStatsSchema: z.ZodType<MediaStats> = z.strictObject({
  sampledAt: z.number(),
  intervalMs: z.number(),
  totals: z.strictObject({
    rtpBytesReceived: count,
    rtpBytesSent: count,
    rtpPacketsReceived: count,
    rtpPacketsSent: count,
    iceSucceeded: count,
    iceFailed: count,
    dtlsFailed: count,
    dominantSpeakerChanges: count,
    relayBytesReceived: count,
    relayBytesSent: count,
    relayPacketsReceived: count,
    relayPacketsSent: count,
  }),
  rates: z.strictObject({
    bitsReceivedPerSecond: count,
    bitsSentPerSecond: count,
    packetsReceivedPerSecond: count,
    packetsSentPerSecond: count,
    relayBitsReceivedPerSecond: count,
    relayBitsSentPerSecond: count,
    relayPacketsReceivedPerSecond: count,
    relayPacketsSentPerSecond: count,
  }),
  rttMs: z.number().nullable(),
  rooms: z.array(
    z.strictObject({
      roomKey: z.string(),
      endpoints: count,
      sendingAudio: count,
      sendingVideo: count,
      receiveOnly: count,
      relayedEndpoints: count,
      pipes: count,
      producersPipedIn: count,
      producersPipedOut: count,
    }),
  ),
  workers: z.array(z.strictObject({ slot: z.number().int(), pid: z.number().int().nullable(), endpoints: count, cpu: z.number().nullable() })),
});

const none = z.null();
const inRoom = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject({ roomId, ...shape });

/** Every method a node may call, with what it sends and what it gets back. Room methods name their room by the id createRoom returned. */
export const BRIDGE_METHODS = {
  createRoom: { params: z.strictObject({ roomKey: z.string().min(1).max(1024) }), result: z.strictObject({ roomId, rtpCapabilities: RtpCapabilities }) },
  closeRoom: { params: inRoom({}), result: none },
  createProbes: { params: z.strictObject({ relay: z.boolean() }), result: ProbeSetSchema },
  connectProbe: { params: z.strictObject({ probeId: id, dtlsParameters: DtlsParameters }), result: none },
  closeProbes: { params: z.strictObject({ probeIds: z.array(id).max(256) }), result: none },

  addPeer: { params: inRoom({ peerId }), result: none },
  removePeer: { params: inRoom({ peerId }), result: none },
  setRtpCapabilities: { params: inRoom({ peerId, rtpCapabilities: RtpCapabilities }), result: none },
  createTransport: { params: inRoom({ peerId, direction: z.enum(['send', 'recv']) }), result: TransportOptions },
  connectTransport: { params: inRoom({ peerId, transportId: id, dtlsParameters: DtlsParameters }), result: none },
  restartIce: { params: inRoom({ peerId, transportId: id }), result: IceParameters },
  produce: { params: inRoom({ peerId, request: ProduceRequestSchema }), result: z.strictObject({ producerId: id }) },
  closeProducer: { params: inRoom({ peerId, producerId: id }), result: none },
  setProducerPaused: { params: inRoom({ peerId, producerId: id, paused: z.boolean() }), result: none },
  consume: { params: inRoom({ peerId, producerId: id, forwarding: ForwardingSchema.optional() }), result: ConsumerDescriptionSchema.nullable() },
  resumeConsumer: { params: inRoom({ peerId, consumerId: id }), result: none },
  setMaxOutgoingBitrate: { params: inRoom({ peerId, bitrate: z.number().positive() }), result: none },
  setConsumerForwarding: { params: inRoom({ peerId, consumerId: id, forwarding: ForwardingSchema }), result: none },
  closeConsumersFrom: { params: inRoom({ peerId, fromPeerId: peerId }), result: z.array(id) },
  createRtpTap: { params: inRoom({ producerId: id, destination: RtpDestinationSchema }), result: RtpTapDescriptionSchema },
  requestTapKeyFrame: { params: inRoom({ tapId: id }), result: none },
  closeTap: { params: inRoom({ tapId: id }), result: none },
  openPipe: { params: inRoom({}), result: z.strictObject({ pipeId: id, ...pipeEndpoint }) },
  connectPipe: { params: inRoom({ pipeId: id, remote: PipeEndpointSchema }), result: none },
  closePipe: { params: inRoom({ pipeId: id }), result: none },
  pipeOut: { params: inRoom({ pipeId: id, producerId: id }), result: PipedProducerSchema },
  pipeIn: { params: inRoom({ pipeId: id, producer: PipedProducerSchema }), result: none },
} as const;

export type BridgeMethod = keyof typeof BRIDGE_METHODS;
export type BridgeParams<M extends BridgeMethod> = z.infer<(typeof BRIDGE_METHODS)[M]['params']>;
export type BridgeResult<M extends BridgeMethod> = z.infer<(typeof BRIDGE_METHODS)[M]['result']>;

export function isBridgeMethod(method: string): method is BridgeMethod {
  return Object.hasOwn(BRIDGE_METHODS, method);
}

export const BridgeRequest = z.strictObject({ id: z.number().int().min(1), method: z.string().max(64), params: z.unknown() });
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export const WireError = z.strictObject({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string().max(4096),
});
export type WireError = z.infer<typeof WireError>;

const BridgeResponse = z.union([
  z.strictObject({ id: z.number().int().min(1), result: z.unknown() }),
  z.strictObject({ id: z.number().int().min(1).nullable(), error: WireError }),
]);

/**
 * Pushed by the bridge. `peer` keeps a node's mirror of a room current: the bridge sends
 * it before the response of any request that changed the peer (and before the event
 * that follows a change), so after any awaited call the mirror says what the bridge
 * says. `seq` is the highest request id the bridge had received when it looked (null
 * state: no such peer).
 */
export const BridgeEvent = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('peer'), roomId, peerId, seq: z.number().int().min(0), state: PeerStateSchema.nullable() }),
  z.strictObject({ event: z.literal('tapClosed'), roomId, tapId: id }),
  z.strictObject({ event: z.literal('consumerClosed'), roomId, peerId, consumerId: id }),
  z.strictObject({ event: z.literal('dominantSpeaker'), roomId, peerId }),
  z.strictObject({
    event: z.literal('downlink'),
    roomId,
    peerId,
    estimate: z.strictObject({ availableBitrate: z.number(), desiredBitrate: z.number() }),
  }),
  z.strictObject({ event: z.literal('closed'), roomId, reason: z.string().max(1024) }),
  z.strictObject({ event: z.literal('stats'), stats: MediaStatsSchema, healthy: z.boolean() }),
  z.strictObject({ event: z.literal('workerDied'), workerPid: z.number().int(), message: z.string().max(4096) }),
]);
export type BridgeEvent = z.infer<typeof BridgeEvent>;
export type RoomEvent = Extract<BridgeEvent, { roomId: string }>;

export const BridgeServerMessage = z.union([BridgeResponse, BridgeEvent]);
export type BridgeServerMessage = z.infer<typeof BridgeServerMessage>;

/** A frame as JSON, or undefined when it is binary or not JSON. */
export function parseFrame(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): unknown {
  if (isBinary) return undefined;
  const buffer = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Zod's complaint in one line, for error replies and logs. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ');
}
