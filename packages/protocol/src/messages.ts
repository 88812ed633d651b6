import { z } from 'zod';
import { ErrorCode } from './errors.js';
import { Limits } from './limits.js';
import {
  DtlsParameters,
  IceParameters,
  IceServer,
  MediaKind,
  MediaSource,
  VideoSource,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from './media-types.js';
import { SelfTestOffer } from './self-test.js';

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
/**
 * A picture everyone's browser loads: an https address (the page's Content-Security-Policy
 * allows no other remote images) or a small base64 PNG/JPEG/GIF/WebP.
 */
export const AvatarUrl = z
  .string()
  .max(Limits.maxAvatarUrlLength)
  .regex(/^(https:\/\/\S+|data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+)$/, 'expected an https: address or a base64 data:image (PNG, JPEG, GIF, WebP)');

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
  /** When this person raised their hand (server clock), or null; the raised hands ordered by it are the queue. */
  handRaisedAt: z.number().nullable(),
  /** A moderator stopped this person's chat messages and reactions. */
  chatMuted: z.boolean(),
  /** Their picture (from their token, or set by their page); initials without one. */
  avatarUrl: z.string().optional(),
  /** While A/V moderation is on (for either kind): whether they wait for a moderator's approval to unmute that kind. */
  forceMuted: z.object({ audio: z.boolean(), video: z.boolean() }).optional(),
  /** True while they record the meeting on their own device and tell everyone (Jitsi's `localRecording.notifyAllParticipants`). */
  recordingLocally: z.boolean().optional(),
});
export type Participant = z.infer<typeof Participant>;

const empty = z.object({}).strict();

/** A layout in the meeting: tile view or stage view, and who is pinned on stage (null: automatic). */
export const FollowMeLayout = z.strictObject({
  tileView: z.boolean(),
  pin: z.strictObject({ participantId: id, source: z.enum(['camera', 'screen']) }).nullable(),
});
export type FollowMeLayout = z.infer<typeof FollowMeLayout>;

export const RecordingMode = z.enum(['file', 'stream']);
export type RecordingMode = z.infer<typeof RecordingMode>;

/** A recording or live stream running in the room, as everyone sees it: people have a right to know. */
export const RecordingInfo = z.object({
  mode: RecordingMode,
  startedAt: z.number(),
  /** Who started it (null: the server API). */
  startedBy: z.object({ id, displayName: z.string() }).nullable(),
});
export type RecordingInfo = z.infer<typeof RecordingInfo>;

/**
 * What the prejoin screen is told before anyone joins (GET /api/room-notice/<room>):
 * whether the meeting is being recorded or streamed, so that joining is consent.
 */
export const RoomNotice = z.object({ recordings: z.array(RecordingMode) });
export type RoomNotice = z.infer<typeof RoomNotice>;

/** Room-wide settings everyone sees; moderators change them. */
export const RoomInfo = z.object({
  name: z.string(),
  /** `startedAt` and `serverTime` are the server's clock; clients correct for their own clock's offset. */
  startedAt: z.number(),
  serverTime: z.number(),
  subject: z.string(),
  /** A password is set (the password itself is never sent). */
  locked: z.boolean(),
  lobbyEnabled: z.boolean(),
  /** Audio/video moderation: when on, participants need a moderator's approval to unmute. */
  avModeration: z.object({ audio: z.boolean(), video: z.boolean() }),
  /** Who may create polls (POLL_CREATORS; a token's `create-polls` feature also allows it). */
  pollCreators: z.enum(['moderators', 'everyone']),
  /** Who may turn end-to-end encryption on and off (E2EE_CONTROL). */
  e2eeControl: z.enum(['moderators', 'everyone']),
  /** Set when this room is a breakout room of another meeting: which one it is. */
  breakout: z.object({ id, name: z.string() }).nullable(),
  /** "Follow me": while set, everyone shows this moderator's layout and cannot change their own. */
  followMe: z.object({ moderatorId: id, layout: FollowMeLayout }).nullable(),
  /** Recordings and live streams running now (at most one of each mode). */
  recordings: z.array(RecordingInfo),
  /** Why this server cannot record the meeting now (recording off, end-to-end encryption), or null when it can. */
  recordingUnavailable: z.object({ file: z.string().nullable(), stream: z.string().nullable() }),
  /** End-to-end encryption is on: browsers encrypt every frame with keys the server never sees. */
  e2ee: z.boolean(),
});
export type RoomInfo = z.infer<typeof RoomInfo>;

/** Someone asking to enter from the lobby, as moderators see them. */
export const Knocker = z.object({ id, displayName, since: z.number() });
export type Knocker = z.infer<typeof Knocker>;

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

/** Emoji reactions: a fixed set, so nothing but these names travels (the client maps them to emoji). */
export const Reaction = z.enum(['like', 'love', 'clap', 'laugh', 'surprised', 'boo']);
export type Reaction = z.infer<typeof Reaction>;

/** A poll as one participant sees it: live counts for everyone, names only when the poll is not anonymous. */
export const Poll = z.object({
  id,
  question: z.string(),
  options: z.array(
    z.object({
      text: z.string(),
      votes: z.number().int().nonnegative(),
      /** Who voted for this option; empty for anonymous polls. */
      voters: z.array(z.object({ id, displayName: z.string() })),
    }),
  ),
  anonymous: z.boolean(),
  createdBy: id,
  createdByName: z.string(),
  /** Closed polls take no more votes. */
  closed: z.boolean(),
  /** The option this participant voted for (index), or null; a vote cannot be changed. Always null in anonymous polls (the server does not keep anonymous choices). */
  myVote: z.number().int().nullable(),
  /** This participant has voted (in anonymous polls the only trace of a vote besides the count). */
  voted: z.boolean(),
});
export type Poll = z.infer<typeof Poll>;

/** Talk time per person, counted on the server from dominant-speaker changes; people who left stay listed. */
export const SpeakerStat = z.object({
  participantId: id,
  displayName: z.string(),
  /** Total milliseconds as the dominant speaker, including the current turn. */
  speakingMs: z.number().nonnegative(),
  speakingNow: z.boolean(),
  /** False once the person has left the room. */
  present: z.boolean(),
});
export type SpeakerStat = z.infer<typeof SpeakerStat>;

/** A breakout room of a meeting and who is in it (everyone in the meeting and its breakouts sees the list). */
export const BreakoutRoom = z.object({
  id,
  name: z.string(),
  participants: z.array(z.object({ id, displayName: z.string() })),
});
export type BreakoutRoom = z.infer<typeof BreakoutRoom>;

/** Everything a browser needs once it is in the meeting. */
export const JoinedMeeting = z.object({
  self: Participant,
  /** Secret for `rejoin`; keep it only for this tab. */
  sessionToken: z.string(),
  room: RoomInfo,
  participants: z.array(Participant),
  routerRtpCapabilities: RtpCapabilities,
  /** For the transports to the media server: TURN with credentials issued to this participant (renewed by `iceServersUpdated`). */
  iceServers: z.array(IceServer),
  /** For a direct connection to another participant: the P2P STUN servers, then the same TURN servers. */
  p2pIceServers: z.array(IceServer),
  /** True when `rejoin` found the old session and kept its id and role. */
  resumed: z.boolean(),
  /** Group chat so far in this meeting (kept in memory only, gone with the room). */
  chatHistory: z.array(ChatMessage),
  /** Moderators: who is waiting in the lobby. */
  knocking: z.array(Knocker),
  /** Polls of this room so far, from this participant's point of view. */
  polls: z.array(Poll),
  /** Features a Jitsi token grants this participant (`context.features` set to true), e.g. 'create-polls'. */
  features: z.array(z.string()),
  /** The meeting's breakout rooms (the same list in the main room and in each breakout). */
  breakoutRooms: z.array(BreakoutRoom),
});
export type JoinedMeeting = z.infer<typeof JoinedMeeting>;

/**
 * End-to-end encryption's key exchange between two browsers (public keys, sealed media keys):
 * opaque base64 to the server, which only relays it.
 */
export const E2eeMessage = z
  .string()
  .min(1)
  .max(Limits.maxE2eeMessageLength)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64');

/** What two browsers exchange, through the server, to connect directly (SDP and ICE candidates). */
export const P2PSignal = z.union([
  z.strictObject({ description: z.strictObject({ type: z.enum(['offer', 'answer']), sdp: z.string().max(48 * 1024) }) }),
  z.strictObject({
    candidate: z.strictObject({
      candidate: z.string().max(1024),
      sdpMid: z.string().max(32).nullable().optional(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
      usernameFragment: z.string().max(256).nullable().optional(),
    }),
  }),
]);
export type P2PSignal = z.infer<typeof P2PSignal>;

/** Every request the client can make: `method → { request, response }`. */
export const Requests = {
  /**
   * Enter a room. `rejoin` resumes a session cut by a dropped connection or a reload.
   * The answer is either the meeting (`joined`) or a wait (`waiting`: for the host,
   * or in the lobby), which ends with an `admitted` or `lobbyDenied` notification.
   */
  join: {
    request: z.strictObject({
      room: z.string().max(256),
      displayName,
      rejoin: z.strictObject({ participantId: id, token: z.string().max(128) }).optional(),
      /** A Jitsi JWT or a login, when the server asks for one. */
      auth: z
        .strictObject({ jwt: z.string().max(8192).optional(), username: z.string().max(256).optional(), password: z.string().max(1024).optional() })
        .optional(),
      /** The room password, when the room has one. */
      password: z.string().max(Limits.maxPasswordLength).optional(),
    }),
    response: z.discriminatedUnion('status', [
      z.object({ status: z.literal('joined'), meeting: JoinedMeeting }),
      z.object({ status: z.literal('waiting'), reason: z.enum(['host', 'lobby']) }),
    ]),
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
      /** Height of the captured video (the top simulcast layer), so the server knows what each layer shows. */
      videoHeight: z.number().int().min(1).max(Limits.maxVideoHeight).optional(),
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
  /**
   * What this browser shows (Jitsi's receiver video constraints). Sent again whenever the
   * layout, window size, pin or speaker changes. The server forwards each remote video at
   * the smallest layer that fills its drawn height, and at most `lastN` videos.
   */
  setReceiverConstraints: {
    request: z.strictObject({
      /** Most videos to receive (Jitsi's channelLastN); -1 = all, 0 = audio only. The server's CHANNEL_LAST_N caps it. */
      lastN: z.number().int().min(-1).max(Limits.maxReceiverConstraints),
      /** Device pixels high each remote video is drawn; 0 = not visible (hidden, off-screen, page in the background). */
      videos: z
        .array(z.strictObject({ participantId: id, source: VideoSource, height: z.number().int().min(0).max(Limits.maxVideoHeight) }))
        .max(Limits.maxReceiverConstraints),
      /** Height for videos not listed (someone who just joined). */
      defaultHeight: z.number().int().min(0).max(Limits.maxVideoHeight),
      /** Pinned or on the stage: kept first when last-N or bandwidth must leave videos out. */
      onStage: z.array(id).max(Limits.maxReceiverConstraints),
      /**
       * The downlink the browser says it has (Jitsi's assumedBandwidthBps, e.g. an app that knows
       * the user is on a metered link): the server never forwards more video than this, nor more
       * than its own estimate. Absent: its estimate alone.
       */
      assumedBandwidthBps: z.number().int().min(1).max(Limits.maxAssumedBandwidthBps).optional(),
    }),
    response: empty,
  },
  setDisplayName: {
    request: z.strictObject({ displayName }),
    response: empty,
  },
  /** This person's picture for everyone (the iframe API's avatarUrl, userInfo.avatarURL); null: initials. */
  setAvatarUrl: {
    request: z.strictObject({ avatarUrl: AvatarUrl.nullable() }),
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
  /**
   * App data for one participant in the same room (the iframe API's sendEndpointTextMessage):
   * delivered as `endpointMessage` to that participant only, never stored; rate-limited like chat.
   */
  sendEndpointMessage: {
    request: z.strictObject({ to: id, text: z.string().max(Limits.maxEndpointMessageLength) }),
    response: empty,
  },
  /** Relays a P2P signal to the other participant of the room's direct pair. */
  p2pSignal: {
    request: z.strictObject({ to: id, signal: P2PSignal }),
    response: empty,
  },
  /** Moderators: turn end-to-end encryption on or off for the meeting (everyone is told with `roomUpdated`). */
  setE2ee: {
    request: z.strictObject({ enabled: z.boolean() }),
    response: empty,
  },
  /** Relays an E2EE key-exchange message to one participant in the same room (`e2eeMessage`); the server cannot read it. */
  sendE2eeMessage: {
    request: z.strictObject({ to: id, message: E2eeMessage }),
    response: empty,
  },
  /** This browser's direct connection is up (media flows peer to peer) or has failed. */
  p2pConnected: {
    request: z.strictObject({ connected: z.boolean() }),
    response: empty,
  },
  /** Say that you record the meeting on your device (true) or stopped (false): everyone is told. */
  setRecordingLocally: {
    request: z.strictObject({ on: z.boolean() }),
    response: empty,
  },
  /** Raise or lower your own hand. */
  raiseHand: {
    request: z.strictObject({ raised: z.boolean() }),
    response: empty,
  },
  /** An emoji over your tile for everyone; rate-limited. */
  sendReaction: {
    request: z.strictObject({ reaction: Reaction }),
    response: empty,
  },
  /** Moderators, or everyone when `room.pollCreators` is 'everyone'. */
  createPoll: {
    request: z.strictObject({
      question: z.string().trim().min(1).max(Limits.maxPollQuestionLength),
      options: z.array(z.string().trim().min(1).max(Limits.maxPollOptionLength)).min(2).max(Limits.maxPollOptions),
      anonymous: z.boolean(),
    }),
    response: z.object({ poll: Poll }),
  },
  /** One vote per person and poll; a second vote is refused. */
  votePoll: {
    request: z.strictObject({ pollId: id, option: z.number().int().min(0).max(Limits.maxPollOptions - 1) }),
    response: empty,
  },
  /** Its creator or a moderator closes a poll; results stay visible. */
  closePoll: {
    request: z.strictObject({ pollId: id }),
    response: empty,
  },
  getSpeakerStats: {
    request: empty,
    response: z.object({ stats: z.array(SpeakerStat) }),
  },
  /** Move yourself into a breakout room (`roomId`) or back to the main room (null). */
  joinBreakoutRoom: {
    request: z.strictObject({ roomId: id.nullable() }),
    response: empty,
  },
  // ── moderation: moderators only; everyone else gets FORBIDDEN and nothing changes ──
  /** Lower one participant's hand, or everyone's without `participantId`. */
  lowerHand: {
    request: z.strictObject({ participantId: id.optional() }),
    response: empty,
  },
  /** Stop (or allow again) a participant's chat messages and reactions. */
  setChatMuted: {
    request: z.strictObject({ participantId: id, muted: z.boolean() }),
    response: empty,
  },
  createBreakoutRoom: {
    request: z.strictObject({ name: z.string().trim().min(1).max(Limits.maxBreakoutNameLength).optional() }),
    response: z.object({ room: BreakoutRoom }),
  },
  /** Removes a breakout room; whoever is in it goes back to the main room. */
  removeBreakoutRoom: {
    request: z.strictObject({ roomId: id }),
    response: empty,
  },
  /** Sends everyone in the breakout rooms (or only in `roomId`) back to the main room; the rooms stay for another round. */
  closeBreakoutRooms: {
    request: z.strictObject({ roomId: id.optional() }),
    response: empty,
  },
  /** Spreads the main room's participants (moderators excepted) evenly over the breakout rooms. */
  autoAssignBreakoutRooms: {
    request: empty,
    response: empty,
  },
  /** Moves a participant (in the main room or any breakout) to a breakout room, or to the main room with null. */
  sendToBreakoutRoom: {
    request: z.strictObject({ participantId: id, roomId: id.nullable() }),
    response: empty,
  },
  muteParticipant: {
    request: z.strictObject({ participantId: id, kind: MediaKind }),
    response: empty,
  },
  muteAll: {
    request: z.strictObject({ kind: MediaKind }),
    response: z.object({ muted: z.array(id) }),
  },
  askToUnmute: {
    request: z.strictObject({ participantId: id }),
    response: empty,
  },
  /** Turn audio or video moderation on or off; turning it on mutes every non-moderator. */
  setAvModeration: {
    request: z.strictObject({ kind: MediaKind, enabled: z.boolean() }),
    response: empty,
  },
  /** Let a participant unmute under audio/video moderation (or take that back). */
  approveMedia: {
    request: z.strictObject({ participantId: id, kind: MediaKind, approved: z.boolean() }),
    response: empty,
  },
  kick: {
    request: z.strictObject({ participantId: id }),
    response: empty,
  },
  grantModerator: {
    request: z.strictObject({ participantId: id }),
    response: empty,
  },
  endConference: {
    request: empty,
    response: empty,
  },
  /** Set (string) or remove (null) the room password. */
  setPassword: {
    request: z.strictObject({ password: z.string().min(1).max(Limits.maxPasswordLength).nullable() }),
    response: empty,
  },
  setLobby: {
    request: z.strictObject({ enabled: z.boolean() }),
    response: empty,
  },
  answerKnock: {
    request: z.strictObject({ knockerId: id, approved: z.boolean() }),
    response: empty,
  },
  setSubject: {
    request: z.strictObject({ subject: z.string().trim().max(Limits.maxSubjectLength) }),
    response: empty,
  },
  /**
   * Moderators (or a token with the `recording`/`livestreaming` feature): start recording the
   * meeting to a file on the server, or streaming it live to an RTMP(S) URL.
   */
  startRecording: {
    request: z.strictObject({
      mode: RecordingMode,
      /** mode 'stream': rtmp:// or rtmps:// URL including the stream key. */
      streamUrl: z
        .string()
        .max(2048)
        .regex(/^rtmps?:\/\/[^\s]+$/, 'expected an rtmp:// or rtmps:// URL')
        .optional(),
      /** Only the mixed audio (an .m4a file). */
      audioOnly: z.boolean().optional(),
      /** Also each participant's audio in a file of its own. */
      perTrackAudio: z.boolean().optional(),
      /** Kept in the recording's metadata.json as given (Jitsi's extraMetadata). */
      extraMetadata: z.record(z.string().max(64), z.unknown()).optional(),
    }),
    response: z.object({ sessionId: id }),
  },
  stopRecording: {
    request: z.strictObject({ mode: RecordingMode }),
    response: empty,
  },
  /** Turn "follow me" on with the moderator's current layout (sent again on each change), or off with null. */
  setFollowMe: {
    request: z.strictObject({ layout: FollowMeLayout.nullable() }),
    response: empty,
  },
  // ── connectivity self-test: needs no room; rate-limited per address ──
  /** Probe transports on every media port (UDP only, TCP only) and TURN credentials issued for the test. */
  selfTest: {
    request: empty,
    response: SelfTestOffer,
  },
  /** The browser's DTLS parameters for one probe; ICE and DTLS then complete if its protocol gets through. */
  selfTestConnect: {
    request: z.strictObject({ probeId: id, dtlsParameters: DtlsParameters }),
    response: empty,
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type RequestMethod = keyof typeof Requests;
export type RequestData<M extends RequestMethod> = z.infer<(typeof Requests)[M]['request']>;
export type ResponseData<M extends RequestMethod> = z.infer<(typeof Requests)[M]['response']>;

/** Everything the server may tell a client unprompted: `method → data schema`. */
export const Notifications = {
  participantJoined: z.object({ participant: Participant }),
  participantUpdated: z.object({ participant: Participant }),
  /** `kicked` names the moderator who removed the person (`by`; null when the server's REST API did). */
  participantLeft: z.object({ participantId: id, reason: z.enum(['left', 'disconnected', 'kicked']), by: id.nullable().optional() }),
  newConsumer: z.object({
    consumerId: id,
    producerId: id,
    participantId: id,
    kind: MediaKind,
    source: MediaSource,
    rtpParameters: RtpParameters,
  }),
  consumerClosed: z.object({ consumerId: id }),
  /**
   * Remote videos the server holds back from this browser, and why: `lastN` (more videos than
   * this browser's last-N), `bandwidth` (its downlink cannot carry them), `notVisible` (it said
   * height 0). Everything not listed flows. Sent whenever the list changes.
   */
  videoForwarding: z.object({
    paused: z.array(z.object({ consumerId: id, reason: z.enum(['lastN', 'bandwidth', 'notVisible']) })),
  }),
  /**
   * The highest simulcast layer of this browser's `source` that any receiver needs
   * (-1: nobody watches it). The browser stops encoding the layers above it.
   */
  senderLayers: z.object({ source: VideoSource, maxSpatialLayer: z.number().int().min(-1).max(2) }),
  /** The loudest participant right now (null when nobody has spoken yet or the speaker left). */
  dominantSpeaker: z.object({ participantId: id.nullable() }),
  /** New TURN credentials before the old ones expire; apply them to the transports (and the direct connection). */
  iceServersUpdated: z.object({ iceServers: z.array(IceServer), p2pIceServers: z.array(IceServer) }),
  chatMessage: z.object({ message: ChatMessage }),
  /** App data another participant sent to this one alone (`sendEndpointMessage`). */
  endpointMessage: z.object({ from: id, text: z.string() }),
  /** A moderator (or the server API) muted this participant; the server has already stopped the track. */
  muted: z.object({ kind: MediaKind, by: id.nullable() }),
  /** This participant is out of the meeting: kicked, or the meeting was ended for all. The socket closes next. */
  removed: z.object({ reason: z.enum(['kicked', 'ended']), by: id.nullable() }),
  /** Room settings changed (subject, password set or removed, lobby, A/V moderation). */
  roomUpdated: z.object({ room: RoomInfo }),
  /** A recording or live stream ended: stopped by someone, the meeting ended, or it failed (with why). */
  recordingEnded: z.object({
    mode: RecordingMode,
    reason: z.enum(['stopped', 'meetingEnded', 'failed']),
    by: id.nullable(),
    error: z.string().optional(),
  }),
  /** To moderators when a recording file is ready: a download link that expires after `ttlSeconds`. */
  recordingLink: z.object({ link: z.string(), ttlSeconds: z.number().int().positive() }),
  /** Moderators: the lobby's waiting list changed. */
  lobbyUpdated: z.object({ knocking: z.array(Knocker) }),
  /** The wait is over: here is the meeting (same data as a `joined` answer). */
  admitted: z.object({ meeting: JoinedMeeting }),
  /** A moderator turned down the knock; the wait is over. */
  lobbyDenied: z.object({}),
  /** A moderator asks this participant to unmute. */
  unmuteRequested: z.object({ kind: MediaKind, by: id }),
  /** Under A/V moderation, this participant may now unmute (or no longer may). */
  mediaApproval: z.object({ kind: MediaKind, approved: z.boolean() }),
  /**
   * With exactly two people, connect directly to `peerId` (the `initiator` makes the
   * offer); `active: false` means use the server again (a third person joined).
   */
  p2pStatus: z.object({ active: z.boolean(), peerId: id.nullable(), initiator: z.boolean() }),
  p2pSignal: z.object({ from: id, signal: P2PSignal }),
  /** Another participant's E2EE key-exchange message for this one (`sendE2eeMessage`). */
  e2eeMessage: z.object({ from: id, message: E2eeMessage }),
  reaction: z.object({ participantId: id, reaction: Reaction }),
  /** A poll was created, voted on or closed (as this participant sees it). */
  pollUpdated: z.object({ poll: Poll }),
  breakoutRoomsUpdated: z.object({ rooms: z.array(BreakoutRoom) }),
  /**
   * This participant was moved to another room of the meeting (a breakout or the main room):
   * drop the old room's media and enter this one, on the same connection.
   */
  moved: z.object({ meeting: JoinedMeeting }),
  /**
   * This room's media now runs on another media bridge (the one it was on went away): drop
   * every transport and connect again with this meeting's router, on the same connection.
   */
  mediaRestarted: z.object({ meeting: JoinedMeeting }),
  /** A message that could not be tied to a request (unparseable, oversized) was refused. */
  protocolError: z.lazy(() => ErrorBody),
} as const satisfies Record<string, z.ZodType>;

export type NotificationMethod = keyof typeof Notifications;
export type NotificationData<M extends NotificationMethod> = z.infer<(typeof Notifications)[M]>;

export const ErrorBody = z.object({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** With AUTHENTICATION_REQUIRED: the external login page (TOKEN_AUTH_URL), when the server has one. */
  loginUrl: z.string().optional(),
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
