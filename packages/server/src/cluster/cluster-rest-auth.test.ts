import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterRestHeader, verifyClusterRest } from './cluster-rest-auth.js';
import { relayedClient } from './relay.js';

const SECRET = 'a-long-shared-bridge-secret';
const KICK = { method: 'POST', path: '/cluster/v1/rooms/Team/participants/a1/kick', body: undefined };

describe('the header by which a signalling node asks another for a REST action', () => {
  it('proves the node that signed it, for exactly the request it was made for', () => {
    assert.deepEqual(verifyClusterRest(SECRET, clusterRestHeader(SECRET, 'node-a.example', KICK), KICK), { nodeId: 'node-a.example' });
    const mute = { method: 'POST', path: '/cluster/v1/rooms/Team/mute-all', body: { kind: 'audio' } };
    assert.deepEqual(verifyClusterRest(SECRET, clusterRestHeader(SECRET, 'node-a', mute), mute), { nodeId: 'node-a' });
  });

  it('proves nothing for another action, room, body or secret, nor as a relay header', () => {
    const header = clusterRestHeader(SECRET, 'node-a', KICK);
    for (const other of [{ ...KICK, method: 'GET' }, { ...KICK, path: '/cluster/v1/rooms/Team/participants/b2/kick' }, { ...KICK, body: {} }]) {
      assert.ok('refused' in verifyClusterRest(SECRET, header, other), JSON.stringify(other));
    }
    assert.ok('refused' in verifyClusterRest('another-long-bridge-secret', header, KICK));
    assert.ok('refused' in verifyClusterRest(SECRET, undefined, KICK));
    assert.ok('refused' in verifyClusterRest(SECRET, [header, header], KICK));
    assert.equal(relayedClient(SECRET, header), undefined, 'a captured header does not let anyone pass for a relayed participant');
  });
});
