/**
 * The rejoin secret of this tab's session in a room, in sessionStorage: a reload
 * of the tab resumes the session (same id, same role); another tab does not.
 */

export interface StoredSession {
  participantId: string;
  token: string;
}

const keyFor = (room: string) => `tertulia:session:${room.normalize('NFC').toLowerCase()}`;

export function loadSession(room: string): StoredSession | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(keyFor(room)) ?? 'null') as StoredSession | null;
    return value && typeof value.participantId === 'string' && typeof value.token === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(room: string, session: StoredSession): void {
  sessionStorage.setItem(keyFor(room), JSON.stringify(session));
}

export function clearSession(room: string): void {
  sessionStorage.removeItem(keyFor(room));
}
