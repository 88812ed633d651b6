import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectBridge, withPlacedRooms } from './bridge-selection.js';
import type { BridgeRecord } from './registry.js';

const bridge = (id: string, fields: Partial<BridgeRecord> = {}): BridgeRecord => ({
  id,
  url: `ws://10.0.0.${id.length}:8090`,
  version: '0.1.0',
  startedAt: 0,
  draining: false,
  healthy: true,
  stress: 0.2,
  workers: 2,
  rooms: 0,
  endpoints: 0,
  packetsPerSecond: 0,
  ...fields,
});

describe('bridge selection for a new room', () => {
  it('takes the least stressed bridge, then the one with fewer endpoints, then the lower id', () => {
    assert.equal(selectBridge([bridge('a', { stress: 0.5 }), bridge('b', { stress: 0.1 }), bridge('c', { stress: 0.3 })])?.id, 'b');
    assert.equal(selectBridge([bridge('a', { endpoints: 9 }), bridge('b', { endpoints: 3 })])?.id, 'b');
    assert.equal(selectBridge([bridge('b'), bridge('a')])?.id, 'a');
  });

  it('never picks a bridge that is unhealthy or draining, and has none to give when all are', () => {
    assert.equal(selectBridge([bridge('a', { healthy: false, stress: 0 }), bridge('b', { draining: true, stress: 0 }), bridge('c', { stress: 0.9 })])?.id, 'c');
    assert.equal(selectBridge([bridge('a', { healthy: false }), bridge('b', { draining: true })]), undefined);
    assert.equal(selectBridge([]), undefined);
  });

  it('prefers the placement’s region, and goes elsewhere when the region has no usable bridge', () => {
    const bridges = [bridge('eu', { region: 'eu', stress: 0.7 }), bridge('us', { region: 'us', stress: 0.1 })];
    assert.equal(selectBridge(bridges, { region: 'eu' })?.id, 'eu');
    assert.equal(selectBridge(bridges)?.id, 'us');
    assert.equal(selectBridge([bridge('eu', { region: 'eu', draining: true }), bridge('us', { region: 'us' })], { region: 'eu' })?.id, 'us');
  });

  it('puts fully stressed bridges last, but still uses one when there is nothing else', () => {
    assert.equal(selectBridge([bridge('a', { stress: 1.2, endpoints: 0 }), bridge('b', { stress: 0.95, endpoints: 50 })])?.id, 'b');
    assert.equal(selectBridge([bridge('a', { stress: 1.4 }), bridge('b', { stress: 1.1 })])?.id, 'b');
  });

  it('spreads a burst of new rooms that the bridges’ records do not show yet', () => {
    const records = [bridge('a', { stress: 0.18 }), bridge('b', { stress: 0 })];
    const placed = new Map<string, number>();
    for (let room = 0; room < 4; room++) {
      const chosen = selectBridge(records.map((record) => withPlacedRooms(record, placed.get(record.id) ?? 0)))!;
      placed.set(chosen.id, (placed.get(chosen.id) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(placed), { b: 3, a: 1 });
    // A bridge whose rooms weigh more than the default counts each new one at its own weight.
    assert.ok(Math.abs(withPlacedRooms(bridge('c', { stress: 0.6, rooms: 2 }), 1).stress - 0.9) < 1e-9);
    assert.equal(withPlacedRooms(bridge('c', { stress: 0.6, rooms: 2 }), 0).stress, 0.6);
  });
});
