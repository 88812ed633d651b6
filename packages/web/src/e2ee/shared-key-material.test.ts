import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameCryptor, OWN_KEYS } from './frame-cryptor.js';
import { externalMaterial } from './shared-key-material.js';

describe('E2EE shared key', () => {
  it("takes an integrator's exported AES key as it is, and refuses one too short to be a key", async () => {
    const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
    const raw = await crypto.subtle.exportKey('raw', aes);
    const [alice, bob] = [new FrameCryptor(), new FrameCryptor()];
    for (const cryptor of [alice, bob]) {
      cryptor.setShared(true);
      cryptor.setKey(OWN_KEYS, 2, externalMaterial(raw));
    }
    const info = { kind: 'video', keyFrame: true } as const;
    const frame = new Uint8Array(64).fill(9).buffer;
    assert.deepEqual(new Uint8Array((await bob.decrypt('alice', (await alice.encrypt(frame, info))!, info))!), new Uint8Array(frame));
    assert.throws(() => externalMaterial(new Uint8Array(8)), /at least 16 bytes/);
  });
});
