/**
 * Key material (32 random bytes, or bytes an integrator or a passphrase gives) and what
 * is derived from it with HKDF-SHA-256: the AES-GCM key that encrypts frames, and the
 * next material of the ratchet. Ratcheting is one-way, so someone given a ratcheted key
 * (a participant who just joined) cannot decrypt what was sent before.
 */

export const MATERIAL_BYTES = 32;
const FRAME_KEY_INFO = new TextEncoder().encode('tertulia e2ee frame key');
const RATCHET_INFO = new TextEncoder().encode('tertulia e2ee ratchet');
const NO_SALT = new Uint8Array(32);

export function randomMaterial(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(MATERIAL_BYTES));
}

/** The AES-128-GCM key that encrypts and decrypts frames under this material. */
export async function frameKey(material: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: NO_SALT, info: FRAME_KEY_INFO },
    await hkdfBase(material),
    { name: 'AES-GCM', length: 128 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The material one ratchet step further. */
export async function ratchet(material: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: NO_SALT, info: RATCHET_INFO }, await hkdfBase(material), MATERIAL_BYTES * 8);
  return new Uint8Array(bits);
}

function hkdfBase(material: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveKey', 'deriveBits']);
}
