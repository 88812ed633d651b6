/** The name a person last joined with, remembered across rooms on this browser. */

const KEY = 'tertulia:displayName';

export function loadDisplayName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    // Storage can be blocked (privacy settings, sandboxed iframes); the name is only a convenience.
    return '';
  }
}

export function saveDisplayName(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // See loadDisplayName.
  }
}
