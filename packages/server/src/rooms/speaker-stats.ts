import type { SpeakerStat } from '@tertulia/protocol';
import type { Participant } from './participant.js';

interface Talker {
  /** Finished turns, in ms. */
  spokenMs: number;
  /** The name when last seen, for people who left. */
  displayName: string;
  present: boolean;
}

/**
 * Talk time per person for the room's life, from the media server's dominant-speaker
 * changes: a turn runs from becoming the dominant speaker until someone else does,
 * the speaker mutes or leaves. The observer names no one during silence, so a
 * speaker who simply stops talking keeps the turn, as in Jitsi.
 */
export class SpeakerStats {
  readonly #talkers = new Map<string, Talker>();
  /** Participants whose microphone is off. */
  readonly #muted = new Set<string>();
  #dominant: string | undefined;
  /** When the running turn started (monotonic clock), or undefined when nobody's turn is running. */
  #turnStartedAt: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  dominantSpeaker(participant: Participant): void {
    if (participant.id === this.#dominant) return;
    this.#endTurn();
    this.#dominant = participant.id;
    this.#talkerOf(participant);
    this.#startTurn();
  }

  /** A microphone went on or off: a muted dominant speaker's turn pauses until they unmute. */
  micChanged(participantId: string, on: boolean): void {
    if (on === !this.#muted.has(participantId)) return;
    if (participantId === this.#dominant) this.#endTurn();
    if (on) this.#muted.delete(participantId);
    else this.#muted.add(participantId);
    if (participantId === this.#dominant) this.#startTurn();
  }

  /** The person stays listed, as not present, with the time they had. */
  left(participant: Participant): void {
    if (participant.id === this.#dominant) {
      this.#endTurn();
      this.#dominant = undefined;
    }
    this.#muted.delete(participant.id);
    const talker = this.#talkerOf(participant);
    talker.displayName = participant.displayName;
    talker.present = false;
  }

  /** Everyone present (with their current names) and everyone who left, the running turn included. */
  stats(present: Participant[]): SpeakerStat[] {
    const now = this.now();
    const row = (participantId: string, talker: Talker, displayName: string, isPresent: boolean): SpeakerStat => {
      const speakingNow = participantId === this.#dominant && this.#turnStartedAt !== undefined;
      return {
        participantId,
        displayName,
        speakingMs: Math.round(talker.spokenMs + (speakingNow ? now - this.#turnStartedAt! : 0)),
        speakingNow,
        present: isPresent,
      };
    };
    const here = present.map((p) => row(p.id, this.#talkers.get(p.id) ?? { spokenMs: 0, displayName: p.displayName, present: true }, p.displayName, true));
    // Someone back from a breakout room is present again, not also gone.
    const presentIds = new Set(present.map((p) => p.id));
    const gone = [...this.#talkers].filter(([id, t]) => !t.present && !presentIds.has(id)).map(([id, t]) => row(id, t, t.displayName, false));
    return [...here, ...gone];
  }

  #startTurn(): void {
    this.#turnStartedAt = this.#dominant !== undefined && !this.#muted.has(this.#dominant) ? this.now() : undefined;
  }

  #endTurn(): void {
    if (this.#dominant !== undefined && this.#turnStartedAt !== undefined) {
      this.#talkers.get(this.#dominant)!.spokenMs += this.now() - this.#turnStartedAt;
    }
    this.#turnStartedAt = undefined;
  }

  #talkerOf(participant: Participant): Talker {
    let talker = this.#talkers.get(participant.id);
    if (!talker) this.#talkers.set(participant.id, (talker = { spokenMs: 0, displayName: participant.displayName, present: true }));
    return talker;
  }
}
