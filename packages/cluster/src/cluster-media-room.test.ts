import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { MediasoupBridge, type MediaRoom } from '@tertulia/media';
import { pino } from 'pino';
import { FailoverMediaRoom, type PlaceRoom } from './failover-media-room.js';

const logger = pino({ level: 'silent' });

/** Two real bridges in this process; losing one is killing its only mediasoup worker. */
describe('a room whose media bridge goes away', () => {
  const bridges = new Map<string, MediasoupBridge>();

  before(async () => {
    for (const id of ['A', 'B']) bridges.set(id, await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger }));
  });
  after(async () => {
    for (const bridge of bridges.values()) await bridge.close();
  });

  const place: PlaceRoom = async (avoid) => {
    const id = [...bridges.keys()].find((candidate) => !avoid.has(candidate));
    if (!id) throw new Error('no bridge left');
    return { room: await bridges.get(id)!.createRoom('Room'), bridgeId: id };
  };
  const killWorkerOf = (id: string) => process.kill(bridges.get(id)!.stats().workers[0]!.pid!, 'SIGKILL');

  it('moves to another bridge with the same peers and says so, then closes when no bridge is left', async () => {
    const room = new FailoverMediaRoom(await place(new Set()), place, logger);
    assert.equal(room.bridgeId, 'A');
    room.addPeer('ana');
    room.addPeer('bea');
    await room.createTransport('ana', 'send');
    const oldCapabilities = room.rtpCapabilities;

    const moved = once(room, 'moved');
    killWorkerOf('A');
    const [reason] = (await moved) as [string];
    assert.match(reason, /worker/);
    assert.equal(room.bridgeId, 'B');
    assert.equal(room.closed, false);
    assert.deepEqual(room.rtpCapabilities.codecs?.map((codec) => codec.mimeType), oldCapabilities.codecs?.map((codec) => codec.mimeType));
    // Both peers are on the new bridge: they can build transports there; nothing of the old media is left.
    const transport = await room.createTransport('bea', 'recv');
    assert.ok(transport.iceCandidates.length > 0);
    assert.deepEqual(room.producersOf('ana'), []);

    const closed = once(room, 'closed');
    // Bridge A replaced its worker, but the room does not go back to a bridge it was lost on.
    killWorkerOf('B');
    const [why] = (await closed) as [string];
    assert.match(why, /no other media bridge could take the room/);
    assert.equal(room.closed, true);
  });

  it('closes once when asked, and does not move afterwards', async () => {
    // The first test killed both workers; each bridge replaces its own.
    while (![...bridges.values()].every((bridge) => bridge.healthy())) await new Promise((resolve) => setTimeout(resolve, 100));
    const placed = await place(new Set());
    const room = new FailoverMediaRoom(placed, place, logger);
    const events: string[] = [];
    room.on('closed', (reason) => events.push(`closed:${reason}`));
    room.on('moved', () => events.push('moved'));
    room.close();
    room.close();
    assert.deepEqual(events, ['closed:closed']);
    assert.equal((placed.room as MediaRoom).closed, true);
  });
});
