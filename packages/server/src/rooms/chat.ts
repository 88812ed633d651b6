import { randomBytes } from 'node:crypto';
import { ErrorCode, Limits, ProtocolError, type ChatMessage } from '@tertulia/protocol';
import { BucketsPer } from '../signalling/rate-limiter.js';
import type { Participant } from './participant.js';

/**
 * A room's chat. Group messages are kept (in memory, for the room's life only)
 * so that people who join later can read back; private messages are delivered
 * and forgotten. Text is stored as sent: it is plain text, and clients render it as text.
 */
export class RoomChat {
  readonly #history: ChatMessage[] = [];
  readonly #rate = new BucketsPer<Participant>(Limits.chatPerSecond, Limits.chatBurst);

  history(): ChatMessage[] {
    return [...this.#history];
  }

  /** The group messages of a meeting handed over from another node. */
  restore(history: readonly ChatMessage[]): void {
    this.#history.splice(0, this.#history.length, ...history.slice(-Limits.chatHistorySize));
  }

  /** Builds the message after checking the sender's rate; the caller delivers it. */
  compose(from: Participant, text: string, to: Participant | undefined): ChatMessage {
    if (!this.#rate.take(from)) throw new ProtocolError(ErrorCode.RateLimited, 'You are sending chat messages too fast; wait a moment.');
    const message: ChatMessage = {
      id: randomBytes(6).toString('hex'),
      from: from.id,
      fromName: from.displayName,
      text,
      timestamp: Date.now(),
      ...(to ? { to: to.id } : {}),
    };
    if (!to) {
      this.#history.push(message);
      if (this.#history.length > Limits.chatHistorySize) this.#history.shift();
    }
    return message;
  }
}
