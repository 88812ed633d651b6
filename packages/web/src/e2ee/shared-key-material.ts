/**
 * A key everyone in a meeting shares, instead of per-participant keys exchanged by the
 * browsers: an integrator's own key (Jitsi's `setMediaEncryptionKey({ key, index })`, the
 * raw bytes of an AES key; the `e2eeKey` option arrives the same way, see the iframe API's
 * e2ee-key.ts). Frame keys are derived from it as from any other key material.
 */

const MIN_KEY_BYTES = 16;

/** Key material from an integrator's raw key bytes (an exported AES-128 or AES-256 key). */
export function externalMaterial(raw: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const bytes = ArrayBuffer.isView(raw) ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(raw);
  if (bytes.length < MIN_KEY_BYTES) throw new RangeError(`An E2EE key must be at least ${MIN_KEY_BYTES} bytes (an exported AES-128 or AES-256 key), not ${bytes.length}`);
  return bytes.slice();
}
