/**
 * The rejoin secret of this tab's session in a room, in sessionStorage: a reload
 * of the tab resumes the session (same id, same role); another tab does not.
 * Where the browser denies storage (a meeting embedded by another site), the
 * secret lives only as long as the page, and a reload joins anew.
 */
import { sessionStore } from '../page-storage.js';

export interface StoredSession {
  participantId: string;
  token: string;
}

const keyFor = (room: string) => `tertulia:session:${room.normalize('NFC').toLowerCase()}`;

export function loadSession(room: string): StoredSession | undefined {
  try {
    const value = JSON.parse(sessionStore.get(keyFor(room)) ?? 'null') as StoredSession | null;
    return value && typeof value.participantId === 'string' && typeof value.token === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the session; false when it could not be kept beyond this page, so a reload cannot resume it. */
export function saveSession(room: string, session: StoredSession): boolean {
  sessionStore.set(keyFor(room), JSON.stringify(session));
  return sessionStore.durable;
}

export function clearSession(room: string): void {
  sessionStore.remove(keyFor(room));
}
