import { Limits } from './limits.js';

/**
 * Room names come from the URL path. Letters of any script, digits, `-` and `_`
 * are allowed so that "ReuniónMañana" works; dots and slashes are not, which keeps
 * room URLs from colliding with static files and API routes.
 */
const ROOM_NAME_PATTERN = /^[\p{L}\p{N}_-]+$/u;

/** Paths the server uses itself; a room cannot take them. */
export const RESERVED_ROOM_NAMES: ReadonlySet<string> = new Set([
  'about',
  'api',
  'assets',
  'colibri',
  'http-bind',
  'metrics',
  'selftest',
  'static',
  'ws',
  'xmpp-websocket',
]);

/** What is wrong with a refused name, so a client can say it in its own language. */
export type RoomNameProblem = 'empty' | 'tooLong' | 'characters' | 'reserved';

export type RoomNameCheck =
  | { ok: true; key: string; display: string }
  | { ok: false; reason: string; problem: RoomNameProblem };

/**
 * Validates a room name and derives its key. Names compare case-insensitively
 * (and independent of Unicode composition), so `/Team` and `/team` are one room.
 */
export function checkRoomName(raw: string): RoomNameCheck {
  const display = raw.normalize('NFC');
  if (display.length === 0) return { ok: false, reason: 'The room name is empty.', problem: 'empty' };
  if ([...display].length > Limits.maxRoomNameLength) {
    return { ok: false, reason: `A room name has at most ${Limits.maxRoomNameLength} characters.`, problem: 'tooLong' };
  }
  if (!ROOM_NAME_PATTERN.test(display)) {
    return {
      ok: false,
      reason: 'A room name may contain only letters, digits, "-" and "_".',
      problem: 'characters',
    };
  }
  const key = display.toLowerCase();
  if (RESERVED_ROOM_NAMES.has(key)) {
    return { ok: false, reason: `"${display}" is reserved by the server; choose another name.`, problem: 'reserved' };
  }
  return { ok: true, key, display };
}
