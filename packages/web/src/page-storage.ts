/**
 * localStorage and sessionStorage that never throw. A browser may deny storage to
 * a meeting another site embeds (third-party storage blocked: merely reading
 * `window.sessionStorage` throws a SecurityError), or refuse a write (quota, storage
 * disabled). Then values live in memory for the page's life: the meeting works, and
 * only what storage adds across reloads and visits is lost.
 */
export interface PageStorage {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** Whether the last write or removal reached the browser's storage, so it outlives this page. */
  readonly durable: boolean;
}

/** A PageStorage over the Storage `open` returns; `open` is called on each access since the access itself can throw. */
export function pageStorage(open: () => Storage): PageStorage {
  // This page's own writes and removals (null), which win over the browser's storage:
  // a write the browser refused must still read back.
  const memory = new Map<string, string | null>();
  let durable = true;
  const attempt = (write: (storage: Storage) => void) => {
    try {
      write(open());
      durable = true;
    } catch {
      durable = false;
    }
  };
  return {
    get(key) {
      if (memory.has(key)) return memory.get(key) ?? undefined;
      try {
        return open().getItem(key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      memory.set(key, value);
      attempt((storage) => storage.setItem(key, value));
    },
    remove(key) {
      memory.set(key, null);
      attempt((storage) => storage.removeItem(key));
    },
    get durable() {
      return durable;
    },
  };
}

/** Kept across visits on this browser (language, name, view). */
export const localStore = pageStorage(() => localStorage);
/** Kept across reloads of this tab (the session to resume). */
export const sessionStore = pageStorage(() => sessionStorage);
