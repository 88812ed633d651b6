import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relayedClient, relayHeader } from './relay.js';

const SECRET = 'a-long-shared-bridge-secret';

describe('the header by which a signalling node relays a participant', () => {
  it('vouches for the client address and region it was made for, IPv4 or IPv6', () => {
    assert.deepEqual(relayedClient(SECRET, relayHeader(SECRET, 'node-a.example', { address: '203.0.113.9' })), { address: '203.0.113.9' });
    assert.deepEqual(relayedClient(SECRET, relayHeader(SECRET, 'node-a', { address: '2001:db8::7', region: 'eu-west' })), { address: '2001:db8::7', region: 'eu-west' });
  });

  it('vouches for nothing when made with another secret, altered, stale, or not one at all', () => {
    assert.equal(relayedClient(SECRET, relayHeader('another-long-bridge-secret', 'node-a', { address: '203.0.113.9' })), undefined);
    const genuine = relayHeader(SECRET, 'node-a', { address: '203.0.113.9', region: 'eu' });
    assert.equal(relayedClient(SECRET, genuine.replace('203.0.113.9', '198.51.100.1')), undefined, 'the address is signed');
    assert.equal(relayedClient(SECRET, genuine.replace('@eu', '@us')), undefined, 'the region is signed');
    const [time, ...rest] = genuine.split('.');
    assert.equal(relayedClient(SECRET, [String(Number(time) - 60_000), ...rest].join('.')), undefined);
    assert.equal(relayedClient(SECRET, 'garbage'), undefined);
    assert.equal(relayedClient(SECRET, [genuine, genuine]), undefined);
  });
});
