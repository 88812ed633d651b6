import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameCryptor, OWN_KEYS } from './frame-cryptor.js';
import { createIdentity, openMediaKey, pairKey, sealMediaKey, verificationCode } from './key-exchange.js';
import { randomMaterial } from './key-material.js';

describe('E2EE key exchange', () => {
  it("gives Bob Alice's media key through a relay that sees only public keys and ciphertext, and Bob decrypts her frames", async () => {
    const [alice, bob] = [await createIdentity(), await createIdentity()];
    assert.equal(alice.publicKey.length, 32);
    // What the server relays: public keys one way each, then the sealed key.
    const aliceSide = await pairKey(alice, 'alice', bob.publicKey, 'bob');
    const bobSide = await pairKey(bob, 'bob', alice.publicKey, 'alice');
    const mediaKey = { index: 7, material: randomMaterial() };
    const sealed = await sealMediaKey(aliceSide, mediaKey, 'alice', 'bob');
    assert.ok(!Buffer.from(sealed).includes(Buffer.from(mediaKey.material.subarray(0, 8))), 'the key is not in the clear');
    const received = await openMediaKey(bobSide, sealed, 'alice', 'bob');
    assert.deepEqual(received, mediaKey);

    const [aliceMedia, bobMedia] = [new FrameCryptor(), new FrameCryptor()];
    aliceMedia.setKey(OWN_KEYS, mediaKey.index, mediaKey.material);
    bobMedia.setKey('alice', received.index, received.material);
    const frame = new TextEncoder().encode('opus frame').buffer;
    const sealedFrame = (await aliceMedia.encrypt(frame, { kind: 'audio', keyFrame: false }))!;
    assert.deepEqual(new Uint8Array((await bobMedia.decrypt('alice', sealedFrame, { kind: 'audio', keyFrame: false }))!), new Uint8Array(frame));
  });

  it('refuses a sealed key opened by a third party, redirected, reflected or changed', async () => {
    const [alice, bob, mallory] = [await createIdentity(), await createIdentity(), await createIdentity()];
    const aliceBob = await pairKey(alice, 'alice', bob.publicKey, 'bob');
    const sealed = await sealMediaKey(aliceBob, { index: 0, material: randomMaterial() }, 'alice', 'bob');
    const malloryAlice = await pairKey(mallory, 'mallory', alice.publicKey, 'alice');
    await assert.rejects(openMediaKey(malloryAlice, sealed, 'alice', 'bob'), 'another pair key');
    const bobAlice = await pairKey(bob, 'bob', alice.publicKey, 'alice');
    await assert.rejects(openMediaKey(bobAlice, sealed, 'alice', 'carol'), 'meant for someone else');
    await assert.rejects(openMediaKey(bobAlice, sealed, 'bob', 'alice'), 'sent back to its sender');
    const changed = sealed.slice();
    changed[20]! ^= 1;
    await assert.rejects(openMediaKey(bobAlice, changed, 'alice', 'bob'), 'changed in transit');
  });

  it('derives another pair key when the server swaps in its own public key', async () => {
    const [alice, bob, server] = [await createIdentity(), await createIdentity(), await createIdentity()];
    const sealed = await sealMediaKey(await pairKey(alice, 'alice', server.publicKey, 'bob'), { index: 0, material: randomMaterial() }, 'alice', 'bob');
    await assert.rejects(openMediaKey(await pairKey(bob, 'bob', alice.publicKey, 'alice'), sealed, 'alice', 'bob'));
  });
});

describe('E2EE verification code', () => {
  it('is the same 12 digits on both sides of a pair, and another one when the server swaps a public key', async () => {
    const [alice, bob, server] = [await createIdentity(), await createIdentity(), await createIdentity()];
    const atAlice = await verificationCode({ id: 'alice', publicKey: alice.publicKey }, { id: 'bob', publicKey: bob.publicKey });
    const atBob = await verificationCode({ id: 'bob', publicKey: bob.publicKey }, { id: 'alice', publicKey: alice.publicKey });
    assert.match(atAlice, /^\d{4} \d{4} \d{4}$/);
    assert.equal(atAlice, atBob);
    // A man in the middle gives each of them its own key instead of the other's.
    const aliceFooled = await verificationCode({ id: 'alice', publicKey: alice.publicKey }, { id: 'bob', publicKey: server.publicKey });
    const bobFooled = await verificationCode({ id: 'bob', publicKey: bob.publicKey }, { id: 'alice', publicKey: server.publicKey });
    assert.notEqual(aliceFooled, bobFooled);
  });
});
