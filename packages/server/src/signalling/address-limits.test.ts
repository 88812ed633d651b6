import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from './address-limits.js';

describe('addressKey', () => {
  it('keeps IPv4 as is, also when written IPv4-mapped', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const key = '2001:db8:0:12::/64';
    for (const address of ['2001:db8:0:12::1', '2001:0db8:0000:0012:abcd:ef01:2345:6789', '2001:DB8:0:12:ffff::', '2001:db8::12:0:0:0:1']) {
      assert.equal(addressKey(address), key, address);
    }
    assert.notEqual(addressKey('2001:db8:0:13::1'), key, 'the next /64 is someone else');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });
});
