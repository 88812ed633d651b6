import { KEY_RING_SIZE } from './key-ring.js';
import { MATERIAL_BYTES } from './key-material.js';

/**
 * Media keys travel end to end: every pair of participants agrees on a secret with
 * X25519 (WebCrypto in Chromium ≥ 133, Firefox ≥ 130, Safari 17, Node 20), and each
 * sends the other its media key sealed with AES-GCM under it. The server relays only
 * public keys and sealed keys, so it learns no media key. It could still swap public
 * keys (a man in the middle): comparing a short authentication string made from both
 * public keys is what rules that out.
 */

const IV_BYTES = 12;
const PAIR_INFO = new TextEncoder().encode('tertulia e2ee pair key');

export interface Identity {
  privateKey: CryptoKey;
  /** What everyone else is given: the raw 32-byte X25519 public key. */
  publicKey: Uint8Array<ArrayBuffer>;
}

/** A media key as it is handed to someone: the slot it goes in and its material. */
export interface MediaKey {
  index: number;
  material: Uint8Array<ArrayBuffer>;
}

/** A fresh key pair for this participant in this meeting. */
export async function createIdentity(): Promise<Identity> {
  const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)) };
}

/**
 * The AES-GCM key two participants share: X25519, then HKDF bound to both ids and both
 * public keys (in a fixed order, so each side derives the same key).
 */
export async function pairKey(own: Identity, ownId: string, theirPublicKey: Uint8Array<ArrayBuffer>, theirId: string): Promise<CryptoKey> {
  const theirs = await crypto.subtle.importKey('raw', theirPublicKey, { name: 'X25519' }, false, []);
  const shared = await crypto.subtle.deriveBits({ name: 'X25519', public: theirs }, own.privateKey, 256);
  const base = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const sides = [
    { id: ownId, publicKey: own.publicKey },
    { id: theirId, publicKey: theirPublicKey },
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const encoder = new TextEncoder();
  const salt = concat(...sides.map((side) => side.publicKey));
  const info = concat(PAIR_INFO, ...sides.map((side) => encoder.encode(`\0${side.id}`)));
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** `key` sealed for `to` under the pair key: IV, then ciphertext of [index, material]. Sender and receiver are authenticated. */
export async function sealMediaKey(pair: CryptoKey, key: MediaKey, from: string, to: string): Promise<Uint8Array<ArrayBuffer>> {
  const plain = new Uint8Array(1 + key.material.length);
  plain[0] = key.index;
  plain.set(key.material, 1);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: direction(from, to) }, pair, plain);
  return concat(iv, new Uint8Array(sealed));
}

/** The media key `from` sealed for `to`; rejects when it was not sealed under this pair key for this direction, or was changed. */
export async function openMediaKey(pair: CryptoKey, sealed: Uint8Array<ArrayBuffer>, from: string, to: string): Promise<MediaKey> {
  const plain = new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, IV_BYTES), additionalData: direction(from, to) }, pair, sealed.subarray(IV_BYTES)),
  );
  const index = plain[0] ?? -1;
  if (index >= KEY_RING_SIZE || plain.length !== 1 + MATERIAL_BYTES) throw new RangeError('A sealed media key must hold a key index and 32 bytes');
  return { index, material: plain.slice(1) };
}

const CODE_INFO = new TextEncoder().encode('tertulia e2ee verification code');

/**
 * A short authentication string for a pair: both people see the same 12 digits only if
 * each has the other's real public key. Read aloud and compared, it rules out a server
 * that swapped public keys to sit in the middle (which would have to match 40 bits in one go).
 */
export async function verificationCode(a: { id: string; publicKey: Uint8Array<ArrayBuffer> }, b: { id: string; publicKey: Uint8Array<ArrayBuffer> }): Promise<string> {
  const encoder = new TextEncoder();
  const sides = [a, b].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', concat(CODE_INFO, ...sides.flatMap((side) => [encoder.encode(`\0${side.id}\0`), side.publicKey]))),
  );
  const groups = [0, 1, 2].map((group) => String(((digest[group * 2]! << 8) | digest[group * 2 + 1]!) % 10_000).padStart(4, '0'));
  return groups.join(' ');
}

/** Binds a sealed key to who sent it to whom, so the server cannot reflect or redirect it. */
function direction(from: string, to: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${from}\0${to}`);
}

function concat(...parts: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
