/**
 * Keys everyone in a meeting shares, instead of per-participant keys exchanged by the
 * browsers: an integrator's own key (Jitsi's `setMediaEncryptionKey({ key, index })`,
 * the raw bytes of an AES key) or a passphrase (Jitsi's older `e2eeKey` option). Either
 * becomes key material, from which frame keys are derived as for any other key.
 */

/** PBKDF2 rounds: slow enough to make guessing a weak passphrase from captured media costly. */
const PBKDF2_ITERATIONS = 100_000;
/** A fixed salt: every participant must derive the same key from the same passphrase, in any room. */
const PASSPHRASE_SALT = new TextEncoder().encode('tertulia e2ee passphrase');
const MIN_KEY_BYTES = 16;

/** Key material from a shared passphrase. */
export async function passphraseMaterial(passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
  if (passphrase.length === 0) throw new RangeError('The E2EE passphrase is empty: give a non-empty e2eeKey');
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: PASSPHRASE_SALT, iterations: PBKDF2_ITERATIONS }, base, 256);
  return new Uint8Array(bits);
}

/** Key material from an integrator's raw key bytes (an exported AES-128 or AES-256 key). */
export function externalMaterial(raw: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const bytes = ArrayBuffer.isView(raw) ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(raw);
  if (bytes.length < MIN_KEY_BYTES) throw new RangeError(`An E2EE key must be at least ${MIN_KEY_BYTES} bytes (an exported AES-128 or AES-256 key), not ${bytes.length}`);
  return bytes.slice();
}
