import { randomBytes } from 'node:crypto';
import { ErrorCode, ProtocolError, type Knocker } from '@tertulia/protocol';

/** Why someone is waiting outside a room. */
export type WaitReason = 'host' | 'lobby';

export interface WaitingEntry {
  readonly id: string;
  readonly displayName: string;
  readonly since: number;
  reason: WaitReason;
  /** Let them in: the waiting connection completes its join. */
  admit(): void;
  /** Turn them away, or (with 'closed') tell them the room is gone. */
  deny(why: 'denied' | 'closed'): void;
}

/** Lets waiting people in, in order, until the meeting is full: whoever is left keeps waiting. */
export function admitInTurn(entries: WaitingEntry[]): void {
  for (const entry of entries) {
    try {
      entry.admit();
    } catch (error) {
      if (error instanceof ProtocolError && error.code === ErrorCode.RoomFull) return;
      throw error;
    }
  }
}

/**
 * People waiting to enter a room: guests waiting for a host to arrive, and
 * knockers waiting for a moderator's answer. They are not participants: they
 * receive no media and see nothing of the meeting until admitted.
 */
export class Lobby {
  readonly #entries = new Map<string, WaitingEntry>();

  get size(): number {
    return this.#entries.size;
  }

  add(displayName: string, reason: WaitReason, callbacks: Pick<WaitingEntry, 'admit' | 'deny'>): WaitingEntry {
    const entry: WaitingEntry = { id: randomBytes(4).toString('hex'), displayName, since: Date.now(), reason, ...callbacks };
    this.#entries.set(entry.id, entry);
    return entry;
  }

  get(id: string): WaitingEntry | undefined {
    return this.#entries.get(id);
  }

  remove(id: string): boolean {
    return this.#entries.delete(id);
  }

  /** Knockers, as moderators see them. */
  knocking(): Knocker[] {
    return [...this.#entries.values()]
      .filter((entry) => entry.reason === 'lobby')
      .map(({ id, displayName, since }) => ({ id, displayName, since }));
  }

  entries(reason?: WaitReason): WaitingEntry[] {
    return [...this.#entries.values()].filter((entry) => reason === undefined || entry.reason === reason);
  }
}
