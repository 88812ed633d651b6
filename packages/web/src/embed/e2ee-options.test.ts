import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mediaKeyOf } from './e2ee-options.js';

describe('mediaKeyOf (Jitsi setMediaEncryptionKey argument)', () => {
  it("takes Jitsi's JSON string and the object alike", () => {
    const bytes = Array.from({ length: 16 }, (_, i) => i * 16);
    assert.deepEqual(mediaKeyOf(JSON.stringify({ exportedKey: bytes, index: 3 })), { key: Uint8Array.from(bytes), index: 3 });
    assert.deepEqual(mediaKeyOf({ exportedKey: bytes, index: 0 }), { key: Uint8Array.from(bytes), index: 0 });
  });

  it('refuses what is not a key at a ring index, saying what it expected', () => {
    assert.throws(() => mediaKeyOf('{not json'), /as JSON/);
    assert.throws(() => mediaKeyOf({ exportedKey: false, index: 0 }), /toggleE2EE/);
    assert.throws(() => mediaKeyOf({ exportedKey: [1, 256], index: 0 }), /bytes/);
    assert.throws(() => mediaKeyOf({ exportedKey: 'abc', index: 0 }), /bytes/);
    assert.throws(() => mediaKeyOf({ exportedKey: [1, 2], index: 16 }), /index 0…15/);
    assert.throws(() => mediaKeyOf(null), /exportedKey, index/);
  });
});
