import { useEffect, useState } from 'preact/hooks';
import { Emitter } from '../conference/emitter.js';

/**
 * Names for other participants shown on this page only (the iframe API's
 * `overwriteNames`): an embedding product shows its own names for people, say a
 * class roster's, without renaming anyone for the others.
 */
class LocalNames extends Emitter<{ change: [names: ReadonlyMap<string, string>] }> {
  #names: ReadonlyMap<string, string> = new Map();

  get names(): ReadonlyMap<string, string> {
    return this.#names;
  }

  /** Adds or replaces these people's names; an empty name goes back to their own. */
  overwrite(names: ReadonlyArray<{ id: string; name: string }>): void {
    const next = new Map(this.#names);
    for (const { id, name } of names) {
      if (name === '') next.delete(id);
      else next.set(id, name);
    }
    this.#names = next;
    this.emit('change', next);
  }
}

export const localNames = new LocalNames();

export function useLocalNames(): ReadonlyMap<string, string> {
  const [names, setNames] = useState(localNames.names);
  useEffect(() => localNames.on('change', setNames), []);
  return names;
}
