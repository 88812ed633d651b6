/**
 * Stable error codes carried by every failed response. Clients (and integrators)
 * switch on `code`; `message` is for humans and may change.
 */
export const ErrorCode = {
  /** The message was not valid JSON or did not match the protocol envelope. */
  MalformedMessage: 'MALFORMED_MESSAGE',
  /** The message is larger than the per-connection limit. */
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  /**
   * Too many in too short a time: messages on this connection, failed passwords or logins,
   * or joins, new rooms or new connections from this address (README "Limits"). Retry later.
   */
  RateLimited: 'RATE_LIMITED',
  /** This address already has MAX_CONNECTIONS_PER_IP signalling connections open. */
  TooManyConnections: 'TOO_MANY_CONNECTIONS',
  /** The meeting (its main room and breakout rooms together) has MAX_PARTICIPANTS people in it. */
  RoomFull: 'ROOM_FULL',
  /** The server takes no new meetings now (MAX_ROOMS reached, or its media workers are overloaded); running ones go on. */
  ServerBusy: 'SERVER_BUSY',
  /** The method name is not part of the protocol. */
  UnknownMethod: 'UNKNOWN_METHOD',
  /** The method exists but its data failed validation. */
  InvalidRequest: 'INVALID_REQUEST',
  /** The room name is empty, too long or uses characters that are not allowed. */
  InvalidRoomName: 'INVALID_ROOM_NAME',
  /** This server needs a login (or a token) to join; the client shows a login dialog. */
  AuthenticationRequired: 'AUTHENTICATION_REQUIRED',
  /** The login or token was refused (wrong password, expired or forged token, wrong room…). */
  AuthenticationFailed: 'AUTHENTICATION_FAILED',
  /** The room has a password and none was given. */
  PasswordRequired: 'PASSWORD_REQUIRED',
  /** The room password was wrong. */
  PasswordIncorrect: 'PASSWORD_INCORRECT',
  /** A moderator turned down this person's request to enter from the lobby. */
  LobbyDenied: 'LOBBY_DENIED',
  /** The request needs a joined participant and this connection has not joined. */
  NotJoined: 'NOT_JOINED',
  /** `join` was sent twice on one connection. */
  AlreadyJoined: 'ALREADY_JOINED',
  /** Credentials (an API key, later a token) are missing or not valid. */
  Unauthorized: 'UNAUTHORIZED',
  /** The participant's role does not allow this action. */
  Forbidden: 'FORBIDDEN',
  /** A transport, producer or consumer id that does not belong to this participant. */
  NotFound: 'NOT_FOUND',
  /** The media layer refused the request (bad RTP parameters, closed transport, …). */
  MediaError: 'MEDIA_ERROR',
  /** This server cannot record or stream this meeting (turned off, or end-to-end encryption is on); the message says which. */
  RecordingUnavailable: 'RECORDING_UNAVAILABLE',
  /** The meeting is already being recorded (or streamed) in that mode. */
  AlreadyRecording: 'ALREADY_RECORDING',
  /** End-to-end encryption cannot be turned on while the server records or streams the meeting (it would need the media); stop those first. */
  RecordingInProgress: 'RECORDING_IN_PROGRESS',
  /** This machine already runs MAX_RECORDINGS recordings and live streams; try again when one ends. */
  RecordingLimit: 'RECORDING_LIMIT',
  /** The server is shutting down and accepts no new participants. */
  ShuttingDown: 'SHUTTING_DOWN',
  /** Anything unexpected on the server side; details are in the server log. */
  Internal: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * WebSocket close codes of the signalling connection that the client acts on.
 * With `Refused` the close reason is the ErrorCode that says why.
 */
export const CloseCode = {
  /** Not joined (nor waiting, nor running a self-test) within JOIN_TIMEOUT_SECONDS of connecting. */
  JoinTimeout: 4008,
  /** Refused at connect by a per-address limit; the reason is TOO_MANY_CONNECTIONS or RATE_LIMITED. */
  Refused: 4029,
} as const;

/** An error that travels over the wire as `{ code, message }`. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** With AUTHENTICATION_REQUIRED: where to log in, when the server has an external login page. */
    readonly loginUrl?: string,
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string; loginUrl?: string } {
    return { code: this.code, message: this.message, ...(this.loginUrl ? { loginUrl: this.loginUrl } : {}) };
  }
}
