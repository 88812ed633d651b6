import { z } from 'zod';
import { ErrorCode } from './errors.js';
import { Limits } from './limits.js';
import {
  DtlsParameters,
  IceParameters,
  IceServer,
  MediaKind,
  MediaSource,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from './media-types.js';

/*
 * One WebSocket carries three kinds of message:
 *   client → server  { type: 'request', id, method, data }
 *   server → client  { type: 'response', id, ok: true, data } | { type: 'response', id, ok: false, error }
 *   server → client  { type: 'notification', method, data }
 * Each method has a request and a response schema below; each notification a data
 * schema. The server validates what it receives against these, and so does the client.
 */

const id = z.string().min(1).max(64);
const displayName = z.string().trim().max(Limits.maxDisplayNameLength);

export const Role = z.enum(['moderator', 'participant', 'guest']);
export type Role = z.infer<typeof Role>;

/** What every participant knows about every other participant. */
export const Participant = z.object({
  id,
  displayName,
  role: Role,
  joinedAt: z.number(),
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  screenSharing: z.boolean(),
});
export type Participant = z.infer<typeof Participant>;

const empty = z.object({}).strict();

/** A chat message as delivered: group messages go to everyone, private ones to sender and recipient. */
export const ChatMessage = z.object({
  id,
  from: id,
  fromName: z.string(),
  /** Recipient of a private message; absent for group messages. */
  to: id.optional(),
  text: z.string(),
  timestamp: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Every request the client can make: `method → { request, response }`. */
export const Requests = {
  /** Enter a room. `rejoin` resumes a session cut by a dropped connection or a reload. */
  join: {
    request: z.strictObject({
      room: z.string().max(256),
      displayName,
      rejoin: z.strictObject({ participantId: id, token: z.string().max(128) }).optional(),
    }),
    response: z.object({
      self: Participant,
      /** Secret for `rejoin`; keep it only for this tab. */
      sessionToken: z.string(),
      /** `startedAt` and `serverTime` are the server's clock; clients correct for their own clock's offset. */
      room: z.object({ name: z.string(), startedAt: z.number(), serverTime: z.number() }),
      participants: z.array(Participant),
      routerRtpCapabilities: RtpCapabilities,
      iceServers: z.array(IceServer),
      /** True when `rejoin` found the old session and kept its id and role. */
      resumed: z.boolean(),
      /** Group chat so far in this meeting (kept in memory only, gone with the room). */
      chatHistory: z.array(ChatMessage),
    }),
  },
  /** Declare what the browser can receive; the server then starts consuming for it. */
  setRtpCapabilities: {
    request: z.strictObject({ rtpCapabilities: RtpCapabilities }),
    response: empty,
  },
  createTransport: {
    request: z.strictObject({ direction: z.enum(['send', 'recv']) }),
    response: TransportOptions,
  },
  connectTransport: {
    request: z.strictObject({ transportId: id, dtlsParameters: DtlsParameters }),
    response: empty,
  },
  restartIce: {
    request: z.strictObject({ transportId: id }),
    response: z.object({ iceParameters: IceParameters }),
  },
  produce: {
    request: z.strictObject({
      transportId: id,
      kind: MediaKind,
      source: MediaSource,
      rtpParameters: RtpParameters,
      paused: z.boolean(),
    }),
    response: z.object({ producerId: id }),
  },
  closeProducer: {
    request: z.strictObject({ producerId: id }),
    response: empty,
  },
  /** Mute or unmute: pausing a producer is what "muted" means to everyone else. */
  setProducerPaused: {
    request: z.strictObject({ producerId: id, paused: z.boolean() }),
    response: empty,
  },
  /** Consumers start paused so the first frame the browser gets is a key frame. */
  resumeConsumer: {
    request: z.strictObject({ consumerId: id }),
    response: empty,
  },
  setDisplayName: {
    request: z.strictObject({ displayName }),
    response: empty,
  },
  leave: {
    request: empty,
    response: empty,
  },
  /** A chat message to everyone, or privately to one participant with `to`. Text is plain text, never HTML. */
  sendChat: {
    request: z.strictObject({ text: z.string().trim().min(1).max(Limits.maxChatLength), to: id.optional() }),
    response: z.object({ message: ChatMessage }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type RequestMethod = keyof typeof Requests;
export type RequestData<M extends RequestMethod> = z.infer<(typeof Requests)[M]['request']>;
export type ResponseData<M extends RequestMethod> = z.infer<(typeof Requests)[M]['response']>;

/** Everything the server may tell a client unprompted: `method → data schema`. */
export const Notifications = {
  participantJoined: z.object({ participant: Participant }),
  participantUpdated: z.object({ participant: Participant }),
  participantLeft: z.object({ participantId: id, reason: z.enum(['left', 'disconnected']) }),
  newConsumer: z.object({
    consumerId: id,
    producerId: id,
    participantId: id,
    kind: MediaKind,
    source: MediaSource,
    rtpParameters: RtpParameters,
  }),
  consumerClosed: z.object({ consumerId: id }),
  /** The loudest participant right now (null when nobody has spoken yet or the speaker left). */
  dominantSpeaker: z.object({ participantId: id.nullable() }),
  chatMessage: z.object({ message: ChatMessage }),
  /** A moderator (or the server API) muted this participant; the server has already stopped the track. */
  muted: z.object({ kind: MediaKind, by: id.nullable() }),
  /** This participant is out of the meeting: kicked, or the meeting was ended for all. The socket closes next. */
  removed: z.object({ reason: z.enum(['kicked', 'ended']), by: id.nullable() }),
  /** A message that could not be tied to a request (unparseable, oversized) was refused. */
  protocolError: z.lazy(() => ErrorBody),
} as const satisfies Record<string, z.ZodType>;

export type NotificationMethod = keyof typeof Notifications;
export type NotificationData<M extends NotificationMethod> = z.infer<(typeof Notifications)[M]>;

export const ErrorBody = z.object({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const RequestEnvelope = z.strictObject({
  type: z.literal('request'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(64),
  data: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const ServerMessage = z.union([
  z.object({ type: z.literal('response'), id: z.number(), ok: z.literal(true), data: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number(), ok: z.literal(false), error: ErrorBody }),
  z.object({ type: z.literal('notification'), method: z.string(), data: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export function isRequestMethod(method: string): method is RequestMethod {
  return Object.hasOwn(Requests, method);
}

export function isNotificationMethod(method: string): method is NotificationMethod {
  return Object.hasOwn(Notifications, method);
}
