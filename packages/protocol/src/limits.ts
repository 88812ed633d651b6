/** Limits every connection is held to; the server enforces them, clients may use them to pre-check. */
export const Limits = {
  /** Largest signalling message accepted, in bytes. RTP capabilities are the biggest legitimate payload (~10 KiB). */
  maxMessageBytes: 64 * 1024,
  /** Token bucket for messages per connection: sustained rate per second and burst size. */
  messagesPerSecond: 30,
  messageBurst: 120,
  /** Longest display name, in characters. */
  maxDisplayNameLength: 64,
  /** Longest chat message, in characters. */
  maxChatLength: 2000,
  /** Group chat messages a room keeps for people who join later. */
  chatHistorySize: 200,
  /** Chat messages per participant: sustained per second and burst. */
  chatPerSecond: 2,
  chatBurst: 10,
  /** Longest app-data message between participants (iframe API sendEndpointTextMessage), in characters. */
  maxEndpointMessageLength: 4096,
  /** Longest E2EE key-exchange message (base64 of a public key or a sealed media key, ~100 characters), in characters. */
  maxE2eeMessageLength: 512,
  /** Longest room password, in characters. */
  maxPasswordLength: 128,
  /** Wrong room-password attempts allowed per address and room: burst, then one per this many seconds. */
  passwordAttempts: 5,
  passwordAttemptEverySeconds: 12,
  /** Longest meeting subject, in characters. */
  maxSubjectLength: 128,
  /** Reactions per participant: sustained per second and burst. */
  reactionsPerSecond: 1,
  reactionBurst: 5,
  /** Polls: question and option lengths, options per poll, polls a room keeps. */
  maxPollQuestionLength: 300,
  maxPollOptionLength: 120,
  maxPollOptions: 10,
  maxPollsPerRoom: 50,
  /** Breakout rooms per meeting, and the longest breakout room name. */
  maxBreakoutRooms: 20,
  maxBreakoutNameLength: 64,
  /** Tallest video the protocol talks about (8K), in pixels. */
  maxVideoHeight: 4320,
  /** Entries in one receiver-constraints message (videos, on-stage ids) and the largest last-N. */
  maxReceiverConstraints: 200,
  /** Largest downlink a browser may say it has (iframe setAssumedBandwidthBps), bits per second. */
  maxAssumedBandwidthBps: 10_000_000_000,
  /** Longest avatar picture address (an https URL, or a small data:image). */
  maxAvatarUrlLength: 2048,
  /** Longest room name, in characters. */
  maxRoomNameLength: 64,
} as const;
