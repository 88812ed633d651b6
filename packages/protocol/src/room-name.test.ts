import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRoomName } from './room-name.js';

describe('checkRoomName', () => {
  it('accepts letters of any script, digits, - and _, and folds case', () => {
    const check = checkRoomName('ReuniónMañana_2-b');
    assert.deepEqual(check, { ok: true, key: 'reuniónmañana_2-b', display: 'ReuniónMañana_2-b' });
  });

  it('treats names differing only in case or Unicode composition as one room', () => {
    const composed = checkRoomName('Reuni\u00f3n');
    const decomposed = checkRoomName('REUNIO\u0301N');
    assert.ok(composed.ok && decomposed.ok);
    assert.equal(composed.key, decomposed.key);
  });

  for (const [name, why] of [
    ['', 'empty'],
    ['a'.repeat(65), 'too long'],
    ['has space', 'a space'],
    ['dots.are.out', 'a dot'],
    ['../etc', 'a path'],
    ['<script>', 'markup'],
    ['Colibri', 'a reserved route'],
  ] as const) {
    it(`refuses a name with ${why}`, () => {
      const check = checkRoomName(name);
      assert.equal(check.ok, false);
      assert.ok(!check.ok && check.reason.length > 10, 'the reason says what is wrong');
    });
  }

  it('accepts the longest allowed name', () => {
    assert.equal(checkRoomName('ñ'.repeat(64)).ok, true);
  });
});
