/** The name a person last joined with, remembered across rooms on this browser. */
import { localStore } from '../page-storage.js';

const KEY = 'tertulia:displayName';

export function loadDisplayName(): string {
  return localStore.get(KEY) ?? '';
}

export function saveDisplayName(name: string): void {
  localStore.set(KEY, name);
}
