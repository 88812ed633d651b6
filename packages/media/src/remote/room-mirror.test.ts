import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PeerState } from './bridge-wire.js';
import { RoomMirror } from './room-mirror.js';

const mic = (producerId: string) => ({ producerId, source: 'mic' as const, paused: false, layers: [], temporalLayers: 1 });
const receiving = (consumerId: string, producerId: string) => ({ consumerId, producerId, kind: 'audio' as const, paused: false });

/** Ana sends p1; Ben receives it as c1. */
function twoPeers(): { mirror: RoomMirror; ana: PeerState; ben: PeerState } {
  const mirror = new RoomMirror();
  const ana: PeerState = { canReceive: true, producers: [mic('p1')], consumers: [] };
  const ben: PeerState = { canReceive: true, producers: [], consumers: [receiving('c1', 'p1')] };
  mirror.apply('ana', ana, 1);
  mirror.apply('ben', ben, 2);
  return { mirror, ana, ben };
}

describe('RoomMirror', () => {
  it('keeps a closed producer and its consumers out of pushes that were already on their way', () => {
    const { mirror, ana, ben } = twoPeers();
    assert.equal(mirror.closeProducer('ana', 'p1'), true);
    assert.equal(mirror.closeProducer('ana', 'p1'), false, 'already gone');
    assert.equal(mirror.consumerCount('ben'), 0);
    mirror.apply('ben', ben, 3); // made before the bridge closed the consumer
    mirror.apply('ana', ana, 3);
    assert.deepEqual(mirror.consumersOf('ben'), []);
    assert.deepEqual(mirror.producersOf('ana'), []);
  });

  it('drops a push about a removed peer made before the bridge had the removal, and takes later ones', () => {
    const { mirror, ana } = twoPeers();
    mirror.removePeer('ana', 5);
    assert.equal(mirror.canReceive('ana'), false);
    assert.equal(mirror.consumerCount('ben'), 0, "ben's consumer of ana's producer went with her");
    mirror.apply('ana', ana, 4);
    assert.equal(mirror.canReceive('ana'), false, 'a push from before the removal is stale');
    mirror.apply('ana', null, 5);
    mirror.apply('ana', { canReceive: true, producers: [], consumers: [] }, 6);
    assert.equal(mirror.canReceive('ana'), true, 'the peer came back');
  });

  it('returns what closeConsumersFrom closes, and only that', () => {
    const { mirror } = twoPeers();
    mirror.apply('cy', { canReceive: false, producers: [mic('p2')], consumers: [] }, 3);
    mirror.apply('ben', { canReceive: true, producers: [], consumers: [receiving('c1', 'p1'), receiving('c2', 'p2')] }, 4);
    assert.deepEqual(mirror.closeConsumersFrom('ben', 'cy'), ['c2']);
    assert.deepEqual(mirror.consumersOf('ben').map((c) => c.consumerId), ['c1']);
    assert.deepEqual(mirror.closeConsumersFrom('ben', 'cy'), []);
  });

  it('hands out copies: changing what a read returned changes nothing', () => {
    const { mirror } = twoPeers();
    mirror.consumersOf('ben')[0]!.paused = true;
    mirror.producersOf('ana')[0]!.paused = true;
    assert.equal(mirror.consumersOf('ben')[0]!.paused, false);
    assert.equal(mirror.producersOf('ana')[0]!.paused, false);
  });
});
