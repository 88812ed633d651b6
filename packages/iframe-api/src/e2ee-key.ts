/**
 * Jitsi's `e2eeKey` option, turned into the key bytes `setMediaEncryptionKey` sends: the
 * key in hex (as Jitsi's external API takes it today), or else a passphrase (as its older
 * releases took it), stretched with PBKDF2 so that every page given the same passphrase
 * derives the same key. Done in the embedding page, so the meeting's page never sees it.
 */

/** PBKDF2 rounds: slow enough to make guessing a weak passphrase from captured media costly. */
const PBKDF2_ITERATIONS = 100_000;
/** A fixed salt: every participant must derive the same key from the same passphrase, in any room. */
const PASSPHRASE_SALT = new TextEncoder().encode('tertulia e2ee passphrase');
/** 16 or 32 key bytes in hex. */
const HEX_KEY = /^(?:[0-9a-f]{32}|[0-9a-f]{64})$/i;

export async function e2eeKeyBytes(e2eeKey: string): Promise<Uint8Array<ArrayBuffer>> {
  if (HEX_KEY.test(e2eeKey)) return Uint8Array.from(e2eeKey.match(/../g)!, (pair) => parseInt(pair, 16));
  if (e2eeKey.length === 0) throw new RangeError('e2eeKey is empty: give the key in hex, or a passphrase');
  if (!globalThis.crypto?.subtle) throw new Error('e2eeKey needs WebCrypto: serve the embedding page over HTTPS (or from localhost)');
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(e2eeKey), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: PASSPHRASE_SALT, iterations: PBKDF2_ITERATIONS }, base, 256);
  return new Uint8Array(bits);
}
