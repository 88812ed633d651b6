import { OWN_KEYS } from './frame-cryptor.js';
import { createIdentity, openMediaKey, pairKey, sealMediaKey, verificationCode, type Identity, type MediaKey } from './key-exchange.js';
import { KEY_RING_SIZE } from './key-ring.js';
import { randomMaterial, ratchet } from './key-material.js';
import { decodeKeyMessage, encodeKeyMessage } from './key-messages.js';

/**
 * After a rotation, how long we keep sending under the old key while the new one reaches
 * everyone (sent at once; this covers the relay's round trip).
 */
export const ROTATION_DELAY_MS = 1_000;

export interface AutomaticKeysOptions {
  selfId: string;
  /** Sends an opaque key-exchange message to one participant (through the server). */
  send: (to: string, message: string) => void;
  /** Puts a key into the media crypto: `owner` OWN_KEYS for ours, else whose it is. */
  setKey: (owner: string, index: number, material: Uint8Array<ArrayBuffer>, use: boolean) => void;
  /** A participant left: drop their keys from the media crypto. */
  forget: (owner: string) => void;
  /** We paired with `id`: the code both of us see (see key-exchange.ts, verificationCode). */
  paired?: (id: string, code: string) => void;
}

/**
 * Per-participant media keys, managed by the browsers themselves: we make our own key,
 * agree on a pair key with each participant (X25519, public keys through the server) and
 * send them our key sealed under it. Someone joining makes us ratchet our key before they
 * get it (they cannot decrypt what came before); someone leaving makes us rotate to a new
 * random key that only those still here receive (the one who left cannot decrypt what follows).
 */
export class AutomaticKeys {
  readonly #options: AutomaticKeysOptions;
  readonly #identity: Identity;
  #own: MediaKey;
  /** Pair keys with everyone who sent us their public key. */
  readonly #pairs = new Map<string, CryptoKey>();
  /** Participants we sent our public key to. */
  readonly #greeted = new Set<string>();
  /** Each participant's public key as last heard: another one means a new page (a reload) that needs ours again. */
  readonly #publicKeys = new Map<string, string>();
  /** Every change runs in turn: a ratchet must be done before the key goes to the newcomer. */
  #queue: Promise<void> = Promise.resolve();
  #rotation: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  private constructor(options: AutomaticKeysOptions, identity: Identity, own: MediaKey) {
    this.#options = options;
    this.#identity = identity;
    this.#own = own;
  }

  /** Our identity and first key, already in use for what we send. */
  static async create(options: AutomaticKeysOptions): Promise<AutomaticKeys> {
    const keys = new AutomaticKeys(options, await createIdentity(), { index: 0, material: randomMaterial() });
    options.setKey(OWN_KEYS, 0, keys.#own.material, true);
    return keys;
  }

  /** The index of the key we send under now (changes with each rotation). */
  get currentIndex(): number {
    return this.#own.index;
  }

  /** Starts the exchange with participants already here (we just came in, or E2EE was just turned on). */
  greet(participantIds: readonly string[]): void {
    this.#run(async () => {
      for (const id of participantIds) this.#hello(id);
    });
  }

  /** Someone joined: our key moves one ratchet step on, so what they receive does not open what we sent before. */
  participantJoined(_id: string): void {
    this.#run(async () => {
      this.#own = { index: this.#own.index, material: await ratchet(this.#own.material) };
      this.#options.setKey(OWN_KEYS, this.#own.index, this.#own.material, true);
    });
  }

  /** Someone left: a new key for everyone still here, sent now and used once it has had time to arrive. */
  participantLeft(id: string): void {
    this.#run(async () => {
      this.#pairs.delete(id);
      this.#greeted.delete(id);
      this.#publicKeys.delete(id);
      this.#options.forget(id);
      const next = { index: (this.#own.index + 1) % KEY_RING_SIZE, material: randomMaterial() };
      this.#own = next;
      for (const to of this.#pairs.keys()) await this.#sendKey(to);
      clearTimeout(this.#rotation);
      this.#rotation = setTimeout(() => {
        if (!this.#stopped && this.#own === next) this.#options.setKey(OWN_KEYS, next.index, next.material, true);
      }, ROTATION_DELAY_MS);
    });
  }

  /** A key-exchange message from `from`, as relayed by the server. Anything that does not open is ignored. */
  handle(from: string, text: string): void {
    const message = decodeKeyMessage(text);
    if (!message) return;
    this.#run(async () => {
      if (message.type === 'hello') {
        const publicKey = message.publicKey.join(',');
        if (this.#publicKeys.has(from) && this.#publicKeys.get(from) !== publicKey) this.#greeted.delete(from);
        this.#publicKeys.set(from, publicKey);
        this.#pairs.set(from, await pairKey(this.#identity, this.#options.selfId, message.publicKey, from));
        this.#hello(from);
        await this.#sendKey(from);
        const code = await verificationCode({ id: this.#options.selfId, publicKey: this.#identity.publicKey }, { id: from, publicKey: message.publicKey });
        this.#options.paired?.(from, code);
        return;
      }
      const pair = this.#pairs.get(from);
      if (!pair) return;
      const key = await openMediaKey(pair, message.sealed, from, this.#options.selfId).catch(() => undefined);
      if (key) this.#options.setKey(from, key.index, key.material, true);
    });
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#rotation);
  }

  #hello(to: string): void {
    if (this.#greeted.has(to)) return;
    this.#greeted.add(to);
    this.#options.send(to, encodeKeyMessage({ type: 'hello', publicKey: this.#identity.publicKey }));
  }

  async #sendKey(to: string): Promise<void> {
    const pair = this.#pairs.get(to);
    if (!pair) return;
    const sealed = await sealMediaKey(pair, this.#own, this.#options.selfId, to);
    this.#options.send(to, encodeKeyMessage({ type: 'key', sealed }));
  }

  #run(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(() => (this.#stopped ? undefined : step())).catch(() => undefined);
  }
}
