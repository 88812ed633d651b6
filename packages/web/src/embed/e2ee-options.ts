import { KEY_RING_SIZE } from '../e2ee/key-ring.js';

/**
 * Jitsi's setMediaEncryptionKey command argument: `{ exportedKey, index }` as a JSON string
 * (what Jitsi's external API sends: the raw bytes of the integrator's AES key as numbers),
 * or the object itself.
 */
export function mediaKeyOf(keyInfo: unknown): { key: Uint8Array<ArrayBuffer>; index: number } {
  let value = keyInfo;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Error('expected { exportedKey, index } as JSON');
    }
  }
  if (typeof value !== 'object' || value === null) throw new Error('expected { exportedKey, index }');
  const { exportedKey, index } = value as Record<string, unknown>;
  if (exportedKey === false) throw new Error('removing the key is not supported: give a key (turn E2EE off with toggleE2EE)');
  if (!Array.isArray(exportedKey) || !exportedKey.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    throw new Error('expected exportedKey as the key’s bytes (numbers 0…255)');
  }
  if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= KEY_RING_SIZE) throw new Error(`expected index 0…${KEY_RING_SIZE - 1}`);
  return { key: Uint8Array.from(exportedKey as number[]), index: index as number };
}
