import type { Participant } from '@tertulia/protocol';

type HandHolder = Pick<Participant, 'id' | 'handRaisedAt'>;

/**
 * Who is waiting to speak, first raised first: everyone with a raised hand ordered
 * by the server's `handRaisedAt` (which never repeats within a room), so every
 * browser shows the same queue. Pass yourself along with the others.
 */
function handQueue<P extends HandHolder>(people: ReadonlyArray<P | undefined>): P[] {
  return people
    .filter((p): p is P & { handRaisedAt: number } => p?.handRaisedAt != null)
    .sort((a, b) => a.handRaisedAt - b.handRaisedAt || (a.id < b.id ? -1 : 1));
}

/** Each raised hand's place in the queue (1 is next), by participant id. */
export function handPositions(people: ReadonlyArray<HandHolder | undefined>): Map<string, number> {
  return new Map(handQueue(people).map((p, index) => [p.id, index + 1]));
}
