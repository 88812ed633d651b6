import { frameKey, ratchet } from './key-material.js';

/** Slots per participant, addressed by the frame trailer's key index (as Jitsi's 16-key ring). */
export const KEY_RING_SIZE = 16;

interface Slot {
  material: Uint8Array<ArrayBuffer>;
  key: Promise<CryptoKey>;
  /** Keys 1…window ratchet steps ahead, derived once when a frame first fails with this slot's key. */
  ahead?: Promise<Slot[]>;
}

/**
 * One participant's keys (or the meeting's shared keys): sixteen slots, one of which
 * encrypts what the owner sends. A new key goes into another slot, so frames already
 * in flight under the old one still decrypt.
 */
export class KeyRing {
  readonly #slots: (Slot | undefined)[] = new Array(KEY_RING_SIZE).fill(undefined);
  #current = 0;

  /** Puts `material` in slot `index`; with `use`, frames are sent under it from now on. */
  set(index: number, material: Uint8Array<ArrayBuffer>, use = true): void {
    checkIndex(index);
    this.#slots[index] = slot(material);
    if (use) this.#current = index;
  }

  get currentIndex(): number {
    return this.#current;
  }

  /** The key that encrypts what the owner sends, if there is one. */
  sendingKey(): Promise<CryptoKey> | undefined {
    return this.#slots[this.#current]?.key;
  }

  key(index: number): Promise<CryptoKey> | undefined {
    return this.#slots[index]?.key;
  }

  /**
   * The keys 1…`window` ratchet steps past slot `index`, for a frame its key did not open:
   * the sender may have ratcheted (someone joined) before we heard of it.
   */
  async ahead(index: number, window: number): Promise<CryptoKey[]> {
    const current = this.#slots[index];
    if (!current || window <= 0) return [];
    current.ahead ??= ratchetChain(current.material, window);
    return Promise.all((await current.ahead).map((next) => next.key));
  }

  /** A frame opened `steps` ratchets ahead of slot `index`: that key becomes the slot's. */
  async advance(index: number, steps: number): Promise<void> {
    const current = this.#slots[index];
    const next = current?.ahead && (await current.ahead)[steps - 1];
    if (next && this.#slots[index] === current) this.#slots[index] = next;
  }
}

function slot(material: Uint8Array<ArrayBuffer>): Slot {
  return { material, key: frameKey(material) };
}

async function ratchetChain(material: Uint8Array<ArrayBuffer>, window: number): Promise<Slot[]> {
  const chain: Slot[] = [];
  let next = material;
  for (let step = 0; step < window; step++) {
    next = await ratchet(next);
    chain.push(slot(next));
  }
  return chain;
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= KEY_RING_SIZE) throw new RangeError(`Key index must be 0…${KEY_RING_SIZE - 1}, not ${index}`);
}
