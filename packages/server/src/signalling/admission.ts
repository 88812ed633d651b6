import { ErrorCode, Limits, ProtocolError, type JoinedMeeting, type Role } from '@tertulia/protocol';
import type { Authenticator, Credentials, Identity } from '../auth/authenticator.js';
import type { IceServerIssuer } from '../connectivity/ice-servers.js';
import type { Participant } from '../rooms/participant.js';
import type { Room } from '../rooms/room.js';
import { admitInTurn, type WaitReason } from '../rooms/lobby.js';
import { BucketsPer } from './rate-limiter.js';

/** The server's access rules, from ENABLE_AUTH, ENABLE_GUESTS and TOKEN_AUTH_URL. */
export interface AccessPolicy {
  /** Only authenticated people may open or host a meeting. */
  authRequired: boolean;
  /** With authentication on, unauthenticated people may join as guests once a host is in. */
  guestsAllowed: boolean;
  /** External login page for people without a token. */
  loginUrl?: string | undefined;
}

/**
 * Decides a newcomer's role from who they are. Undefined means "no opinion"
 * (anonymous server): the room's auto-owner rule decides.
 */
export function roleFor(identity: Identity | undefined, policy: AccessPolicy, authenticator: Authenticator | undefined): Role | undefined {
  if (identity) {
    // A secure domain's logged-in users host meetings; token users host only when the token says so.
    if (identity.moderator || (policy.authRequired && authenticator?.type !== 'jwt')) return 'moderator';
    return 'participant';
  }
  if (!policy.authRequired) return undefined;
  if (policy.guestsAllowed) return 'guest';
  throw new ProtocolError(ErrorCode.AuthenticationRequired, 'This server asks you to log in before joining.', policy.loginUrl);
}

/** The features a token turns on (`context.features` set to true); none without a token. */
export function grantedFeatures(identity: Identity | undefined): ReadonlySet<string> {
  return new Set(Object.entries(identity?.features ?? {}).flatMap(([feature, on]) => (on ? [feature] : [])));
}

/** The scope of failed logins. Room passwords are counted per room name key, which has no "/", so no room shares this scope. */
const LOGIN_ATTEMPTS = '/login';

/**
 * Failed guesses per address and scope (a room's password, or logins). Only
 * failures use up the allowance; once it is gone every attempt from that address
 * waits, right or wrong, so guessing gets nowhere and a flood cannot burn CPU on hashing.
 */
export class FailedAttempts {
  readonly #buckets = new BucketsPer<string>(1 / Limits.passwordAttemptEverySeconds, Limits.passwordAttempts);

  allowed(address: string, scope: string): boolean {
    return this.#buckets.available(`${address}\n${scope}`);
  }

  failed(address: string, scope: string): void {
    this.#buckets.take(`${address}\n${scope}`);
  }
}

/** Checks the credentials a joiner presented, counting failures against its address. */
export async function identify(
  authenticator: Authenticator | undefined,
  credentials: Credentials,
  roomKey: string,
  address: string,
  attempts: FailedAttempts,
): Promise<Identity | undefined> {
  if (!authenticator) return undefined;
  const presented = Boolean(credentials.jwt || credentials.username);
  if (presented && !attempts.allowed(address, LOGIN_ATTEMPTS)) {
    throw new ProtocolError(ErrorCode.RateLimited, 'Too many failed logins; wait a minute and try again.');
  }
  try {
    return await authenticator.authenticate(credentials, roomKey);
  } catch (error) {
    if (error instanceof ProtocolError && error.code === ErrorCode.AuthenticationFailed) attempts.failed(address, LOGIN_ATTEMPTS);
    throw error;
  }
}

/**
 * Whether a non-moderator may walk in: 'enter', or 'lobby' to knock. A correct
 * room password skips the lobby; a wrong one is an error, and wrong attempts are rate-limited.
 */
export function gateFor(room: Room, password: string | undefined, address: string, attempts: FailedAttempts): 'enter' | 'lobby' {
  if (!room.hasPassword) return room.lobbyEnabled ? 'lobby' : 'enter';
  if (password === undefined) {
    if (room.lobbyEnabled) return 'lobby';
    throw new ProtocolError(ErrorCode.PasswordRequired, 'This meeting is protected by a password.');
  }
  if (!attempts.allowed(address, room.key)) {
    throw new ProtocolError(ErrorCode.RateLimited, 'Too many password attempts; wait a minute and try again.');
  }
  if (!room.checkPassword(password)) {
    attempts.failed(address, room.key);
    throw new ProtocolError(ErrorCode.PasswordIncorrect, 'That password is not right.');
  }
  return 'enter';
}

/** Where a newcomer goes: straight in, or to wait for a host or for a moderator's answer. */
export function placeFor(room: Room, role: Role | undefined, gate: 'enter' | 'lobby'): 'enter' | WaitReason {
  if (role === 'moderator') return 'enter';
  if (role === 'guest' && !room.hasHost()) return 'host';
  return gate === 'enter' ? 'enter' : 'lobby';
}

/** Everything the browser needs once it is in. TURN credentials are renewed for it until it leaves. */
export function meetingFor(room: Room, participant: Participant, resumed: boolean, ice: IceServerIssuer): JoinedMeeting {
  const { iceServers, p2pIceServers } = ice.keepFresh(participant);
  return {
    self: room.describe(participant),
    sessionToken: participant.sessionToken,
    room: room.info(),
    participants: room.participants().filter((p) => p !== participant).map((p) => room.describe(p)),
    routerRtpCapabilities: room.media.rtpCapabilities,
    iceServers,
    p2pIceServers,
    resumed,
    chatHistory: room.chat.history(),
    knocking: participant.role === 'moderator' ? room.lobby.knocking() : [],
    polls: room.polls.viewsFor(participant),
    features: [...participant.features],
    breakoutRooms: room.breakouts.list(),
  };
}

/** A host arrived: guests waiting for one come in (while there are seats), or knock if the lobby is on. */
export function hostArrived(room: Room): void {
  const waiting = room.lobby.entries('host');
  if (waiting.length === 0) return;
  if (room.lobbyEnabled) for (const entry of waiting) entry.reason = 'lobby';
  else admitInTurn(waiting);
  room.lobbyChanged();
}

/** ROOM_FULL unless the meeting (its main room and breakout rooms together) has a seat left. */
export function requireSeat(room: Room, maxParticipants: number): void {
  if (room.main.breakouts.everyone().length >= maxParticipants) {
    throw new ProtocolError(ErrorCode.RoomFull, `This meeting is full: it has ${maxParticipants} people, as many as this server allows.`);
  }
}
