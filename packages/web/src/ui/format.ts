import { describeError } from '../i18n/error-text.js';
import { say } from '../i18n/i18n.js';

/** Elapsed time as m:ss, or h:mm:ss from one hour on. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`;
  return `${String(minutes).padStart(2, '0')}:${seconds}`;
}

/** Up to two initials: "Ana María López" → "AM". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => [...word][0] ?? '');
  return letters.join('').toLocaleUpperCase();
}

/** A stable hue per participant, so the same person keeps the same avatar colour. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** What to tell a person about `error`, in the current language (see describeError). */
export function messageOf(error: unknown): string {
  return say(describeError(error));
}
