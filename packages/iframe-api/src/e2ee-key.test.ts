import assert from 'node:assert/strict';
import { test } from 'node:test';
import { e2eeKeyBytes } from './e2ee-key.js';

test('e2eeKey in hex is the key itself, as Jitsi takes it', async () => {
  assert.deepEqual(await e2eeKeyBytes('00112233445566778899aabbccddeeff'), Uint8Array.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]));
  assert.equal((await e2eeKeyBytes('AB'.repeat(32))).length, 32);
});

test('any other e2eeKey is a passphrase: the same one gives the same 32-byte key, another one another key', async () => {
  const [one, two, other] = await Promise.all([e2eeKeyBytes('correct horse'), e2eeKeyBytes('correct horse'), e2eeKeyBytes('correct hors')]);
  assert.equal(one.length, 32);
  assert.deepEqual(one, two);
  assert.notDeepEqual(one, other);
  // Hex of a length that is not a key's is a passphrase too.
  assert.equal((await e2eeKeyBytes('abcd')).length, 32);
  await assert.rejects(e2eeKeyBytes(''), /empty/);
});
