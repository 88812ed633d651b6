import { Limits, type RoomNameProblem } from '@tertulia/protocol';
import type { Phrase } from '../i18n/i18n.js';

const KEYS = {
  empty: 'welcome.roomEmpty',
  tooLong: 'welcome.roomTooLong',
  characters: 'welcome.roomCharacters',
  reserved: 'welcome.roomReserved',
} as const;

/** Why `name` cannot be a room, in words for the person who typed it. */
export function roomNameProblem(problem: RoomNameProblem, name: string): Phrase {
  return { key: KEYS[problem], params: { name, max: Limits.maxRoomNameLength } };
}
