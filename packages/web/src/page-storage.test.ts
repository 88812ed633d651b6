import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageStorage } from './page-storage.js';

/** A working Storage over a map; with `full` set, setItem fails the way an exceeded quota does. */
function mapStorage(): Storage & { full: boolean } {
  const map = new Map<string, string>();
  return {
    full: false,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem(key, value) {
      if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      map.set(key, value);
    },
    removeItem: (key) => void map.delete(key),
  };
}

/** What reading `window.sessionStorage` does in a frame whose third-party storage is blocked. */
const denied = (): Storage => {
  throw new DOMException("Failed to read the 'sessionStorage' property from 'Window': Access is denied for this document.", 'SecurityError');
};

describe('pageStorage', () => {
  it('reads and writes the browser storage when it works, and says the writes outlive the page', () => {
    const storage = mapStorage();
    storage.setItem('language', 'es');
    const store = pageStorage(() => storage);
    assert.equal(store.get('language'), 'es');
    store.set('view', 'tile');
    assert.equal(storage.getItem('view'), 'tile');
    assert.equal(store.durable, true);
    store.remove('language');
    assert.equal(storage.getItem('language'), null);
    assert.equal(store.get('language'), undefined);
  });

  it('keeps values in memory for the page when merely opening the storage throws', () => {
    const store = pageStorage(denied);
    assert.equal(store.get('session'), undefined);
    store.set('session', 'secret');
    assert.equal(store.get('session'), 'secret');
    assert.equal(store.durable, false);
    store.remove('session');
    assert.equal(store.get('session'), undefined);
  });

  it('reads back a write the storage refused, over the older stored value', () => {
    const storage = mapStorage();
    storage.setItem('name', 'Ana');
    storage.full = true;
    const store = pageStorage(() => storage);
    store.set('name', 'Ana María');
    assert.equal(store.get('name'), 'Ana María');
    assert.equal(storage.getItem('name'), 'Ana');
    assert.equal(store.durable, false);
  });
});
