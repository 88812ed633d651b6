import type { Role } from '@tertulia/protocol';
import type { ConferenceState } from '../conference/conference.js';
import { handPositions } from './hand-queue.js';
import { localNames } from './local-names.js';

/** One line of the participants pane. */
export interface Person {
  id: string;
  /** As the person gave it (or this page named them: overwriteNames); empty for a guest who gave none. */
  name: string;
  self: boolean;
  /** Unknown for yourself until the server has let you in. */
  role: Role | undefined;
  audioMuted: boolean;
  videoMuted: boolean;
  chatMuted: boolean;
  /** Place in the hand queue (1 is next), or undefined with the hand down. */
  handPosition: number | undefined;
}

/**
 * Everyone in the meeting for the participants pane: raised hands first, in the
 * order they were raised (the queue), then yourself, then the others as they joined.
 */
export function peopleOf(state: ConferenceState, selfName: string): Person[] {
  const positions = handPositions([state.self, ...state.participants]);
  const { self, local } = state;
  const me: Person = {
    id: self?.id ?? 'local',
    name: self?.displayName || selfName,
    self: true,
    role: self?.role,
    // Your own buttons are more current than what the server last heard.
    audioMuted: local.audioMuted,
    videoMuted: local.videoMuted,
    chatMuted: self?.chatMuted ?? false,
    handPosition: self && positions.get(self.id),
  };
  const others: Person[] = state.participants.map((p) => ({
    id: p.id,
    name: localNames.names.get(p.id) ?? p.displayName,
    self: false,
    role: p.role,
    audioMuted: p.audioMuted,
    videoMuted: p.videoMuted,
    chatMuted: p.chatMuted,
    handPosition: positions.get(p.id),
  }));
  const queue = (person: Person) => person.handPosition ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable: without hands, yourself then join order stays.
  return [me, ...others].sort((a, b) => queue(a) - queue(b));
}

/** Case- and accent-insensitive: "jose" finds "José", "ANA" finds "Ana María". */
export function nameMatches(name: string, query: string): boolean {
  return fold(name).includes(fold(query.trim()));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
