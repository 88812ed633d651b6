import { useEffect, useState } from 'preact/hooks';
import { Emitter } from '../conference/emitter.js';

/**
 * A subject shown on this page only (the iframe API's `localSubject`): the embedding
 * product titles its own view without changing the room's subject for everyone.
 * When set, it is shown instead of the room's.
 */
class LocalSubject extends Emitter<{ change: [subject: string] }> {
  #subject = '';

  get subject(): string {
    return this.#subject;
  }

  set(subject: string): void {
    this.#subject = subject;
    this.emit('change', subject);
  }
}

export const localSubject = new LocalSubject();

export function useLocalSubject(): string {
  const [subject, setSubject] = useState(localSubject.subject);
  useEffect(() => localSubject.on('change', setSubject), []);
  return subject;
}
