import { ErrorCode, Limits, ProtocolError } from '@tertulia/protocol';
import { BucketsPer } from '../signalling/rate-limiter.js';
import type { Participant } from './participant.js';

/**
 * A room's emoji reactions. Nothing is kept: a reaction is shown for a moment and
 * gone, so all this holds is each sender's rate, which keeps a held-down key from
 * flooding everyone's screen.
 */
export class RoomReactions {
  readonly #rate = new BucketsPer<Participant>(Limits.reactionsPerSecond, Limits.reactionBurst);

  /** Refuses a reaction over the sender's rate (RATE_LIMITED); the caller delivers the others. */
  admit(from: Participant): void {
    if (!this.#rate.take(from)) throw new ProtocolError(ErrorCode.RateLimited, 'You are sending reactions too fast; wait a moment.');
  }
}
