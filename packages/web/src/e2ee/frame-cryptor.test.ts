import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameCryptor, OWN_KEYS, RATCHET_WINDOW } from './frame-cryptor.js';
import type { FrameInfo } from './frame-format.js';
import { randomMaterial, ratchet } from './key-material.js';

const VIDEO: FrameInfo = { kind: 'video', keyFrame: false };
const plain = (): ArrayBuffer => new TextEncoder().encode('a VP8 delta frame, in short').buffer;

/** Alice sends; Bob receives her frames with the keys he was given. */
function pair(): { alice: FrameCryptor; bob: FrameCryptor } {
  return { alice: new FrameCryptor(), bob: new FrameCryptor() };
}

async function ratchetTimes(material: Uint8Array<ArrayBuffer>, times: number): Promise<Uint8Array<ArrayBuffer>> {
  let next = material;
  for (let i = 0; i < times; i++) next = await ratchet(next);
  return next;
}

describe('E2EE frame cryptor', () => {
  it('sends nothing before it has a key', async () => {
    assert.equal(await new FrameCryptor().encrypt(plain(), VIDEO), undefined);
  });

  it("decrypts a participant's frames with the key they sent us, and counts the frames it cannot open", async () => {
    const { alice, bob } = pair();
    const key = randomMaterial();
    alice.setKey(OWN_KEYS, 3, key);
    const sealed = (await alice.encrypt(plain(), VIDEO))!;
    assert.equal(await bob.decrypt('alice', sealed, VIDEO), undefined, 'no key yet');
    bob.setKey('alice', 3, randomMaterial());
    assert.equal(await bob.decrypt('alice', sealed, VIDEO), undefined, 'a wrong key');
    assert.deepEqual(bob.allFailures(), { alice: 2 });
    bob.setKey('alice', 3, key);
    assert.deepEqual(new Uint8Array((await bob.decrypt('alice', sealed, VIDEO))!), new Uint8Array(plain()));
    assert.deepEqual(bob.allFailures(), { alice: 2 });
    assert.deepEqual(bob.allDecrypted(), { alice: 1 });
  });

  it(`follows a sender that ratcheted up to ${RATCHET_WINDOW} times, and no further`, async () => {
    const { alice, bob } = pair();
    const key = randomMaterial();
    bob.setKey('alice', 0, key);
    alice.setKey(OWN_KEYS, 0, await ratchetTimes(key, 2));
    assert.ok(await bob.decrypt('alice', (await alice.encrypt(plain(), VIDEO))!, VIDEO), 'two steps ahead');
    // Bob now holds the ratcheted key: one more step is within reach again.
    alice.setKey(OWN_KEYS, 0, await ratchetTimes(key, 3));
    assert.ok(await bob.decrypt('alice', (await alice.encrypt(plain(), VIDEO))!, VIDEO), 'one more step');
    alice.setKey(OWN_KEYS, 0, await ratchetTimes(key, 3 + RATCHET_WINDOW + 1));
    assert.equal(await bob.decrypt('alice', (await alice.encrypt(plain(), VIDEO))!, VIDEO), undefined, 'beyond the window');
  });

  it('cannot go back: a ratcheted key does not open frames sent before the ratchet', async () => {
    const { alice, bob } = pair();
    const key = randomMaterial();
    alice.setKey(OWN_KEYS, 0, key);
    const before = (await alice.encrypt(plain(), VIDEO))!;
    bob.setKey('alice', 0, await ratchet(key));
    assert.equal(await bob.decrypt('alice', before, VIDEO), undefined);
  });

  it('rotates: frames under the old and the new key index both open while both are in the ring', async () => {
    const { alice, bob } = pair();
    const [first, second] = [randomMaterial(), randomMaterial()];
    alice.setKey(OWN_KEYS, 0, first);
    bob.setKey('alice', 0, first);
    const old = (await alice.encrypt(plain(), VIDEO))!;
    bob.setKey('alice', 1, second, false);
    alice.setKey(OWN_KEYS, 1, second);
    const rotated = (await alice.encrypt(plain(), VIDEO))!;
    assert.equal(new Uint8Array(rotated).at(-1), 1, 'the trailer names the new index');
    assert.ok(await bob.decrypt('alice', old, VIDEO));
    assert.ok(await bob.decrypt('alice', rotated, VIDEO));
    // Someone who only had the first key (who left before the rotation) cannot open the rest.
    const left = new FrameCryptor();
    left.setKey('alice', 0, first);
    assert.equal(await left.decrypt('alice', rotated, VIDEO), undefined);
  });

  it("with a shared key, decrypts everyone's frames under it and does not ratchet it", async () => {
    const shared = randomMaterial();
    const [alice, carol, bob] = [new FrameCryptor(), new FrameCryptor(), new FrameCryptor()];
    for (const cryptor of [alice, carol, bob]) cryptor.setShared(true);
    alice.setKey(OWN_KEYS, 4, shared);
    carol.setKey(OWN_KEYS, 4, shared);
    bob.setKey(OWN_KEYS, 4, await ratchet(shared));
    assert.equal(await bob.decrypt('alice', (await alice.encrypt(plain(), VIDEO))!, VIDEO), undefined, 'a ratchet of the shared key is another key');
    bob.setKey(OWN_KEYS, 4, shared);
    assert.ok(await bob.decrypt('alice', (await alice.encrypt(plain(), VIDEO))!, VIDEO));
    assert.ok(await bob.decrypt('carol', (await carol.encrypt(plain(), VIDEO))!, VIDEO));
    assert.deepEqual(bob.allFailures(), { alice: 1 });
  });
});
