import { ErrorCode, ProtocolError, type P2PSignal } from '@tertulia/protocol';
import type { MediaRoom } from '@tertulia/media';
import type { Logger } from 'pino';
import type { Participant } from './participant.js';

export interface DirectPairOptions {
  /** Two people connect directly (P2P) instead of through the server. */
  enabled: boolean;
  /** After a third person leaves, wait this long before going direct again (avoids flapping). */
  backDelayMs: number;
}

/** What the pair needs from its room. */
export interface DirectPairRoom {
  participants(): Participant[];
  readonly media: MediaRoom;
  /** Starts forwarding everything `from` sends to `to` through the server. */
  forwardBetween(from: Participant, to: Participant): Promise<void>;
  /** Reruns the video forwarding policy (what the server forwards changed). */
  readonly forwarding: { changed(): void };
  /** A recording or live stream runs: it needs everyone's media at the server, as a third participant would. */
  readonly recorded: boolean;
}

interface Pair {
  readonly members: readonly [Participant, Participant];
  /** Members whose browsers report the direct connection up. */
  readonly up: Set<string>;
  /** Both are up: the server forwards nothing between them. */
  established: boolean;
}

/**
 * P2P for exactly two people. The server pairs them, relays their offers and
 * candidates, and once both report the direct path up it stops forwarding media
 * between them; a third person (or a failure) brings everyone back through the
 * server. Producers stay open throughout, so switching back needs no renegotiation.
 */
export class DirectPair {
  #pair: Pair | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Two people whose direct connection failed are not paired again until the room changes. */
  #failed: string | undefined;

  constructor(
    private readonly options: DirectPairOptions,
    private readonly room: DirectPairRoom,
    private readonly logger: Logger,
  ) {}

  /** Whether media between these two participants flows directly (and not through the server). */
  isDirect(a: string, b: string): boolean {
    return this.#pair?.established === true && this.#has(this.#pair, a) && this.#has(this.#pair, b);
  }

  /** Membership changed: pair the two people in the room (after `delayMs`), or unpair. */
  review(delayMs: number): void {
    clearTimeout(this.#timer);
    const people = this.room.participants();
    if (!this.options.enabled || people.length !== 2 || this.room.recorded) {
      this.#failed = undefined;
      this.#end();
      return;
    }
    if (this.#pair || this.#failed === keyOf(people)) return;
    this.#timer = setTimeout(() => this.#start(), delayMs);
    this.#timer.unref();
  }

  /** A member's media was rebuilt (reconnect, reload): start the direct connection over. */
  restart(participant: Participant): void {
    if (!this.#pair || !this.#has(this.#pair, participant.id)) return;
    this.#end();
    this.review(0);
  }

  connected(participant: Participant, connected: boolean): void {
    const pair = this.#member(participant.id);
    if (connected) pair.up.add(participant.id);
    else pair.up.delete(participant.id);
    if (connected && pair.up.size === 2 && !pair.established) {
      pair.established = true;
      const [a, b] = pair.members;
      for (const [to, from] of [[a, b], [b, a]] as const) {
        for (const consumerId of this.room.media.closeConsumersFrom(to.id, from.id)) to.notify('consumerClosed', { consumerId });
      }
      // Nobody receives the pair's server-side video now: its senders can stop encoding it.
      this.room.forwarding.changed();
      this.logger.info({ pair: keyOf(pair.members) }, 'peer-to-peer established');
    }
    if (!connected) {
      this.logger.warn({ participantId: participant.id }, 'peer-to-peer failed; back through the server');
      this.#failed = keyOf(pair.members);
      this.#end();
    }
  }

  relay(from: Participant, toId: string, signal: P2PSignal): void {
    const pair = this.#member(from.id);
    const to = pair.members.find((m) => m.id === toId && m !== from);
    if (!to) throw new ProtocolError(ErrorCode.NotFound, 'That participant is not your direct peer.');
    to.notify('p2pSignal', { from: from.id, signal });
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#pair = undefined;
  }

  #start(): void {
    const people = this.room.participants().sort((x, y) => x.joinedAt - y.joinedAt);
    if (!this.options.enabled || people.length !== 2 || this.#pair) return;
    const [a, b] = people as [Participant, Participant];
    this.#pair = { members: [a, b], up: new Set(), established: false };
    a.notify('p2pStatus', { active: true, peerId: b.id, initiator: true });
    b.notify('p2pStatus', { active: true, peerId: a.id, initiator: false });
  }

  /** Back through the server: tell the members still here, and forward between them again if it had stopped. */
  #end(): void {
    const pair = this.#pair;
    if (!pair) return;
    this.#pair = undefined;
    const present = new Set(this.room.participants());
    const [a, b] = pair.members;
    for (const member of pair.members) {
      if (present.has(member)) member.notify('p2pStatus', { active: false, peerId: null, initiator: false });
    }
    if (pair.established && present.has(a) && present.has(b)) {
      for (const [from, to] of [[a, b], [b, a]] as const) {
        this.room.forwardBetween(from, to).catch((err: unknown) => this.logger.warn({ err }, 'could not resume forwarding'));
      }
    }
  }

  #member(participantId: string): Pair {
    const pair = this.#pair;
    if (!pair || !this.#has(pair, participantId)) {
      throw new ProtocolError(ErrorCode.InvalidRequest, 'No direct connection is set up for you in this meeting.');
    }
    return pair;
  }

  #has(pair: Pair, participantId: string): boolean {
    return pair.members.some((m) => m.id === participantId);
  }
}

function keyOf(people: readonly Participant[]): string {
  return people
    .map((p) => p.id)
    .sort()
    .join('+');
}
