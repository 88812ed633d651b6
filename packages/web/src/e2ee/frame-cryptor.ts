import { decryptFrame, encryptFrame, frameKeyIndex, type FrameInfo } from './frame-format.js';
import { KeyRing } from './key-ring.js';

/** How many ratchet steps past its known key a receiver tries on a frame that does not open. */
export const RATCHET_WINDOW = 8;

/** Whose key ring: a remote participant's id, or ours. */
export const OWN_KEYS = '';

/**
 * The crypto of every stream in this browser: our key ring encrypts what we send; each
 * remote participant's ring decrypts what they send. With a shared key (an integrator's
 * or a passphrase) one ring does both, and is never ratcheted.
 */
export class FrameCryptor {
  readonly #rings = new Map<string, KeyRing>();
  #shared = false;
  readonly #failures = new Map<string, number>();
  readonly #decrypted = new Map<string, number>();

  /** Puts a key in `owner`'s ring (OWN_KEYS for ours); `use`: the owner sends under it from now on. */
  setKey(owner: string, index: number, material: Uint8Array<ArrayBuffer>, use = true): void {
    this.#ring(owner).set(index, material, use);
  }

  /** Shared: everyone sends and receives under our ring (which holds the shared key). */
  setShared(shared: boolean): void {
    this.#shared = shared;
  }

  /** A participant left: its keys go. */
  forget(owner: string): void {
    this.#rings.delete(owner);
    this.#failures.delete(owner);
    this.#decrypted.delete(owner);
  }

  /** Our encrypted frame, or undefined while we have no key (nothing unencrypted may leave). */
  async encrypt(frame: ArrayBuffer, info: FrameInfo): Promise<ArrayBuffer | undefined> {
    const ring = this.#rings.get(OWN_KEYS);
    const key = ring?.sendingKey();
    if (!ring || !key) return undefined;
    return encryptFrame(frame, info, await key, ring.currentIndex);
  }

  /** `from`'s frame decrypted, or undefined (counted as a failure) when no key we have opens it. */
  async decrypt(from: string, frame: ArrayBuffer, info: FrameInfo): Promise<ArrayBuffer | undefined> {
    const ringId = this.#shared ? OWN_KEYS : from;
    const ring = this.#rings.get(ringId);
    const index = frameKeyIndex(frame);
    const key = index === undefined ? undefined : ring?.key(index);
    if (ring && index !== undefined && key) {
      const plain = await decryptFrame(frame, info, await key).catch(() => undefined);
      if (plain) return this.#opened(from, plain);
      if (!this.#shared) {
        const ahead = await ring.ahead(index, RATCHET_WINDOW);
        for (const [step, next] of ahead.entries()) {
          const opened = await decryptFrame(frame, info, next).catch(() => undefined);
          if (!opened) continue;
          await ring.advance(index, step + 1);
          return this.#opened(from, opened);
        }
      }
    }
    this.#failures.set(from, (this.#failures.get(from) ?? 0) + 1);
    return undefined;
  }

  /** Every participant's decrypt failures. */
  allFailures(): Record<string, number> {
    return Object.fromEntries(this.#failures);
  }

  /** Frames decrypted so far, per participant. */
  allDecrypted(): Record<string, number> {
    return Object.fromEntries(this.#decrypted);
  }

  #opened(from: string, plain: ArrayBuffer): ArrayBuffer {
    this.#decrypted.set(from, (this.#decrypted.get(from) ?? 0) + 1);
    return plain;
  }

  #ring(owner: string): KeyRing {
    let ring = this.#rings.get(owner);
    if (!ring) this.#rings.set(owner, (ring = new KeyRing()));
    return ring;
  }
}
