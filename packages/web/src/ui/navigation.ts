export function roomPath(room: string): string {
  return `/${encodeURIComponent(room)}`;
}

export function goHome(): void {
  location.assign('/');
}

/** Loads the room page afresh: a new conference, and the prejoin again since leaving forgets the session. */
export function reloadRoom(): void {
  location.reload();
}
