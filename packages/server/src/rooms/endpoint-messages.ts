import { ErrorCode, Limits, ProtocolError } from '@tertulia/protocol';
import { BucketsPer } from '../signalling/rate-limiter.js';
import type { Participant } from './participant.js';

/**
 * App data between two participants (Jitsi's endpoint text messages). Nothing is
 * kept; each sender has its own bucket at chat's rate, so an embedding page's loop
 * cannot flood another participant's browser.
 */
export class RoomEndpointMessages {
  readonly #rate = new BucketsPer<Participant>(Limits.chatPerSecond, Limits.chatBurst);

  /** Delivers `text` to `to` alone; over the sender's rate it is refused (RATE_LIMITED). */
  send(from: Participant, to: Participant, text: string): void {
    if (!this.#rate.take(from)) throw new ProtocolError(ErrorCode.RateLimited, 'You are sending messages too fast; wait a moment.');
    to.notify('endpointMessage', { from: from.id, text });
  }
}
