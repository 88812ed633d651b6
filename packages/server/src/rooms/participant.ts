import { randomBytes } from 'node:crypto';
import type { NotificationData, NotificationMethod, RequestData, Role } from '@tertulia/protocol';
import type { Room } from './room.js';

export type ReceiverConstraints = RequestData<'setReceiverConstraints'>;

/** The connection a participant currently talks through. */
export interface ParticipantLink {
  notify(method: NotificationMethod, data: unknown): void;
  /** Another connection took this session over (a reconnect that beat the old socket's timeout). */
  supersede(): void;
  /** The server ended this participant's session (kicked, meeting ended): close the connection for good. */
  close(reason: string): void;
  /** The participant now belongs to `room`, another room of the same meeting: speak for it there and tell the browser. */
  moved(room: Room): void;
  /** The room closed under the participant (its media restarted): the browser reconnects and finds or opens a new one. */
  roomClosed(): void;
  /** The room's media moved to another bridge: the browser builds new transports there, on the same connection. */
  mediaRestarted(room: Room): void;
}

/**
 * One person in a room. The participant outlives its WebSocket for a short grace
 * period so a reload or a network blip resumes the same session (same id, same role).
 */
export class Participant {
  readonly id: string;
  readonly sessionToken: string;
  readonly joinedAt: number;
  role: Role = 'participant';
  /** When the hand went up (server clock), or null. */
  handRaisedAt: number | null = null;
  /** Records the meeting on their own device and said so. */
  recordingLocally = false;
  /** A moderator stopped this person's chat messages and reactions. */
  chatMuted = false;
  /** Their picture, from their token or their page; undefined shows initials. */
  avatarUrl: string | undefined;
  /** Features this person's Jitsi token grants (`context.features` set to true), e.g. 'create-polls'. */
  features: ReadonlySet<string> = new Set();
  /** Where this person connected (REGION of the node), so its media can go to a bridge near it. */
  region: string | undefined;
  /** What this person's browser shows of the others (tile heights, last-N, pins); null until it says. */
  receiverConstraints: ReceiverConstraints | null = null;
  #link: ParticipantLink | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #onExpired: (() => void) | undefined;
  #repeatTimer: NodeJS.Timeout | undefined;

  /** `session`: the same session as on the node that held the meeting before (a handed-over meeting). */
  constructor(
    public displayName: string,
    session?: { id: string; sessionToken: string; joinedAt: number },
  ) {
    this.id = session?.id ?? randomBytes(4).toString('hex');
    this.sessionToken = session?.sessionToken ?? randomBytes(24).toString('base64url');
    this.joinedAt = session?.joinedAt ?? Date.now();
  }

  get connected(): boolean {
    return this.#link !== undefined;
  }

  attach(link: ParticipantLink): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
    const previous = this.#link;
    this.#link = link;
    if (previous && previous !== link) previous.supersede();
  }

  isAttachedTo(link: ParticipantLink): boolean {
    return this.#link === link;
  }

  /** Drops the connection; `onExpired` runs unless the participant is re-attached within `graceMs`. */
  detach(graceMs: number, onExpired: () => void): void {
    this.#link = undefined;
    clearTimeout(this.#graceTimer);
    this.#onExpired = onExpired;
    this.#graceTimer = setTimeout(() => this.#onExpired?.(), graceMs);
    this.#graceTimer.unref();
  }

  /** Moved to another room while its connection is away: should the grace period run out, `onExpired` ends it there instead. */
  expireWith(onExpired: () => void): void {
    this.#onExpired = onExpired;
  }

  /** Now in `room` (a breakout room or the main room of the same meeting). */
  movedTo(room: Room): void {
    this.#link?.moved(room);
  }

  notify<M extends NotificationMethod>(method: M, data: NotificationData<M>): void {
    this.#link?.notify(method, data);
  }

  /** Its room closed: the current connection, if any, ends so the browser reconnects. */
  roomClosed(): void {
    this.#link?.roomClosed();
  }

  /** Its room's media moved to another bridge: the browser, if connected, builds its media again there. */
  mediaRestarted(room: Room): void {
    this.#link?.mediaRestarted(room);
  }

  /** Closes the current connection, if any, after what was already sent to it. */
  closeConnection(reason: string): void {
    this.#link?.close(reason);
  }

  /** Runs `task` every `everyMs` until the participant leaves (TURN credential renewal); a new call replaces the old schedule. */
  every(everyMs: number, task: () => void): void {
    clearInterval(this.#repeatTimer);
    this.#repeatTimer = setInterval(task, everyMs);
    this.#repeatTimer.unref();
  }

  dispose(): void {
    clearTimeout(this.#graceTimer);
    clearInterval(this.#repeatTimer);
    this.#link = undefined;
  }
}
