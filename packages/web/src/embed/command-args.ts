/** Checks of the arguments a host page passes to iframe API commands (they arrive unchecked). */

export function flag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`expected ${what} (true or false)`);
  return value;
}

export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`expected ${what} (a number)`);
  return value;
}

export function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`expected ${what} (a string)`);
  return value;
}

/** Jitsi's `mediaType` argument: 'audio' (also when left out) or 'video'. */
export function mediaType(value: unknown): 'audio' | 'video' {
  if (value === undefined || value === null || value === 'audio') return 'audio';
  if (value === 'video') return 'video';
  throw new Error(`expected a media type ('audio' or 'video'), got ${JSON.stringify(value)}`);
}
