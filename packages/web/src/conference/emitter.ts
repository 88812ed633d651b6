/** A minimal typed event emitter for browser code (Node's EventEmitter is not in the browser). */
export class Emitter<Events extends Record<string, unknown[]>> {
  readonly #listeners = new Map<keyof Events, Set<unknown>>();

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  protected emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      (listener as (...args: Events[E]) => void)(...args);
    }
  }
}
