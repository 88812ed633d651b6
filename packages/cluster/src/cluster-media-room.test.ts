import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { BridgeConnection, BridgeService, MediasoupBridge, type CascadeLeg, type MediaRoom } from '@tertulia/media';
import { pino } from 'pino';
import { opus, simulcastVp8 } from '../../../tests/support/rtp-parameters.js';
import { until } from '../../../tests/support/wait.js';
import { ClusterMediaRoom, type Leg, type LegPlacement } from './cluster-media-room.js';

const logger = pino({ level: 'silent' });
const SECRET = 'a-test-secret-of-enough-length';

/**
 * Where the test rooms' legs go: the first of `ids` not avoided (one in the wanted region when
 * there is one); each bridge takes `capacity[id]` participants of `room()` (default: any number).
 */
function legPlacement(
  ids: string[],
  createRoom: (id: string) => Promise<CascadeLeg>,
  room: () => ClusterMediaRoom | undefined,
  { capacity = {}, regions = {} }: { capacity?: Record<string, number>; regions?: Record<string, string> } = {},
): LegPlacement {
  const hasCapacity = (id: string) => (room()?.peersOn(id) ?? 0) < (capacity[id] ?? Infinity);
  return {
    async place(avoid, region) {
      const free = ids.filter((candidate) => !avoid.has(candidate));
      const id = free.find((candidate) => regions[candidate] === region) ?? free[0];
      if (!id) throw new Error('no bridge left');
      return { room: await createRoom(id), bridgeId: id };
    },
    hasCapacity,
    regionOf: (id) => regions[id],
    hasRoomIn: (region, avoid) => ids.some((id) => regions[id] === region && !avoid.has(id) && hasCapacity(id)),
  };
}

/** Two real bridges in this process, each reached over its own bridge channel as a signalling node reaches them. */
describe('a meeting spanning two bridges', () => {
  const bridges = new Map<string, { bridge: MediasoupBridge; service: BridgeService; connection: BridgeConnection }>();

  before(async () => {
    for (const id of ['A', 'B']) {
      const bridge = await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger });
      const service = await BridgeService.start({ bridge, host: '127.0.0.1', port: 0, secret: SECRET, logger });
      const connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'node', logger });
      bridges.set(id, { bridge, service, connection });
    }
  });
  after(async () => {
    for (const { bridge, service, connection } of bridges.values()) {
      connection.close();
      await service.close();
      await bridge.close();
    }
  });

  /** By default bridge A takes one participant and B two, so the second participant opens a leg on B; A is in region eu, B in us. */
  function spanningRoom(key: string, capacity: Record<string, number> = { A: 1, B: 2 }): { room: Promise<ClusterMediaRoom>; legs: Map<string, CascadeLeg> } {
    const legs = new Map<string, CascadeLeg>();
    let room: ClusterMediaRoom | undefined;
    const createRoom = async (id: string) => {
      const leg = await bridges.get(id)!.connection.createRoom(key);
      legs.set(id, leg);
      return leg;
    };
    const placement = legPlacement([...bridges.keys()], createRoom, () => room, { capacity, regions: { A: 'eu', B: 'us' } });
    return { room: placement.place(new Set()).then((first: Leg) => (room = new ClusterMediaRoom(first, placement, logger))), legs };
  }
  const roomStats = (id: string, key: string) => bridges.get(id)!.bridge.stats().rooms.find((room) => room.roomKey === key)!;

  it('pipes each producer once to the other bridge, however many participants there consume it', async () => {
    const { room: opening, legs } = spanningRoom('Spanning');
    const room = await opening;
    for (const peer of ['ana', 'bea', 'dan']) {
      room.addPeer(peer);
      room.setRtpCapabilities(peer, room.rtpCapabilities);
    }
    const anaSend = await room.createTransport('ana', 'send');
    await room.createTransport('bea', 'recv');
    await room.createTransport('dan', 'recv');
    assert.deepEqual(room.bridgeIds, ['A', 'B']);
    assert.deepEqual([room.peersOn('A'), room.peersOn('B')], [1, 2]);

    const audio = await room.produce('ana', { transportId: anaSend.id, kind: 'audio', source: 'mic', rtpParameters: opus(1111, 'ana'), paused: false });
    const video = await room.produce('ana', { transportId: anaSend.id, kind: 'video', source: 'camera', rtpParameters: simulcastVp8(2220, 'ana'), paused: false });
    for (const peer of ['bea', 'dan']) {
      for (const { producerId } of [audio, video]) {
        const consumer = await room.consume(peer, producerId);
        assert.equal(consumer?.producerPeerId, 'ana', `${peer} consumes ana's ${producerId} on bridge B`);
      }
      assert.equal(room.consumerCount(peer), 2);
    }
    // One pipe between the bridges, each producer through it once although two people on B receive it.
    assert.deepEqual(
      { pipes: roomStats('A', 'Spanning').pipes, out: roomStats('A', 'Spanning').producersPipedOut, endpoints: roomStats('A', 'Spanning').endpoints },
      { pipes: 1, out: 2, endpoints: 1 },
    );
    const onB = roomStats('B', 'Spanning');
    assert.deepEqual({ pipes: onB.pipes, in: onB.producersPipedIn, relayed: onB.relayedEndpoints, endpoints: onB.endpoints }, { pipes: 1, in: 2, relayed: 1, endpoints: 2 });

    // Pausing reaches the copy on B; closing the audio closes it there, and the consumers of it.
    await room.setProducerPaused('ana', video.producerId, true);
    assert.equal(legs.get('B')!.producersOf('ana').find((p) => p.producerId === video.producerId)?.paused, true);
    const closedConsumers: string[] = [];
    room.on('consumerClosed', (peerId) => closedConsumers.push(peerId));
    room.closeProducer('ana', audio.producerId);
    await until(() => closedConsumers.length, (count) => count === 2, 'bea and dan lose their consumer of the closed audio');
    assert.deepEqual(legs.get('B')!.producersOf('ana').map((p) => p.producerId), [video.producerId]);

    // Ana leaves: nothing of hers is left on B.
    room.removePeer('ana');
    await until(() => roomStats('B', 'Spanning').relayedEndpoints, (count) => count === 0, 'ana is gone from bridge B');
    assert.equal(room.consumerCount('bea'), 0);
    room.close();
    assert.equal(legs.get('A')!.closed && legs.get('B')!.closed, true);
  });

  it('opens no second leg while the first bridge has room', async () => {
    const { room: opening } = spanningRoom('Small');
    const room = await opening;
    room.addPeer('solo');
    await room.createTransport('solo', 'send');
    assert.deepEqual(room.bridgeIds, ['A']);
    room.close();
  });

  it('puts a participant from another region on a bridge there, and the next one from there with them', async () => {
    const { room: opening } = spanningRoom('Regions', { A: 10, B: 10 });
    const room = await opening;
    room.addPeer('ana', { region: 'eu' });
    room.addPeer('bo', { region: 'us' });
    room.addPeer('cy', { region: 'us' });
    room.addPeer('di', { region: 'asia' });
    room.addPeer('ed');
    await Promise.all(['ana', 'bo', 'cy', 'di', 'ed'].map((peer) => room.createTransport(peer, 'recv')));
    assert.deepEqual(room.bridgeIds, ['A', 'B']);
    // A region without a bridge, or none given: the first leg with room.
    assert.deepEqual([room.peersOn('A'), room.peersOn('B')], [3, 2]);
    room.close();
  });
});

/** Two real bridges in this process; losing one is killing its only mediasoup worker (the bridge then starts another). */
describe('a room whose media bridge goes away', () => {
  const bridges = new Map<string, MediasoupBridge>();

  before(async () => {
    for (const id of ['A', 'B']) bridges.set(id, await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger }));
  });
  after(async () => {
    for (const bridge of bridges.values()) await bridge.close();
  });

  const placement = legPlacement(['A', 'B'], (id) => bridges.get(id)!.createRoom('Room'), () => undefined);
  const killWorkerOf = (id: string) => process.kill(bridges.get(id)!.stats().workers[0]!.pid!, 'SIGKILL');
  const bothHealthy = async () => {
    while (![...bridges.values()].every((bridge) => bridge.healthy())) await new Promise((resolve) => setTimeout(resolve, 100));
  };

  it('moves to another bridge with the same peers and says so, then closes when no bridge is left', async () => {
    await bothHealthy();
    const room = new ClusterMediaRoom(await placement.place(new Set()), placement, logger);
    assert.deepEqual(room.bridgeIds, ['A']);
    room.addPeer('ana');
    room.addPeer('bea');
    await room.createTransport('ana', 'send');
    const oldCapabilities = room.rtpCapabilities;

    const moved = once(room, 'moved');
    killWorkerOf('A');
    const [reason] = (await moved) as [string];
    assert.match(reason, /worker/);
    assert.deepEqual(room.bridgeIds, ['B']);
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
    // The test before killed both workers; each bridge replaces its own.
    await bothHealthy();
    const placed = await placement.place(new Set());
    const room = new ClusterMediaRoom(placed, placement, logger);
    const events: string[] = [];
    room.on('closed', (reason) => events.push(`closed:${reason}`));
    room.on('moved', () => events.push('moved'));
    room.close();
    room.close();
    assert.deepEqual(events, ['closed:closed']);
    assert.equal((placed.room as MediaRoom).closed, true);
  });

  it('moves only the participants who were on it; the others keep their media', async () => {
    await bothHealthy();
    let room: ClusterMediaRoom | undefined;
    const placement = legPlacement(['A', 'B'], (id) => bridges.get(id)!.createRoom('Partial'), () => room, { capacity: { A: 1, B: 1 } });
    room = new ClusterMediaRoom(await placement.place(new Set()), placement, logger);
    for (const peer of ['ana', 'bea']) {
      room.addPeer(peer);
      room.setRtpCapabilities(peer, room.rtpCapabilities);
    }
    const anaSend = await room.createTransport('ana', 'send');
    const beaSend = await room.createTransport('bea', 'send');
    await room.createTransport('ana', 'recv');
    await room.createTransport('bea', 'recv');
    assert.deepEqual(room.bridgeIds, ['A', 'B']);
    const anaAudio = await room.produce('ana', { transportId: anaSend.id, kind: 'audio', source: 'mic', rtpParameters: opus(4444, 'ana'), paused: false });
    const beaAudio = await room.produce('bea', { transportId: beaSend.id, kind: 'audio', source: 'mic', rtpParameters: opus(5555, 'bea'), paused: false });
    const anaHearsBea = await room.consume('ana', beaAudio.producerId);
    await room.consume('bea', anaAudio.producerId);
    assert.equal(bridges.get('A')!.stats().rooms[0]!.pipes, 1);

    const closedForAna: string[] = [];
    room.on('consumerClosed', (peerId, consumerId) => peerId === 'ana' && closedForAna.push(consumerId));
    const moved = once(room, 'moved');
    killWorkerOf('B');
    const [, peerIds] = (await moved) as [string, string[]];
    assert.deepEqual(peerIds, ['bea'], 'only Bea, who was on bridge B, moves');
    // No third bridge: Bea joins Ana's bridge although it is full, rather than be refused.
    assert.deepEqual(room.bridgeIds, ['A']);
    assert.deepEqual(room.producersOf('ana').map((p) => p.producerId), [anaAudio.producerId], 'Ana keeps her microphone');
    await until(() => closedForAna, (closed) => closed.includes(anaHearsBea!.consumerId), 'Ana’s consumer of Bea’s old microphone to close');
    await until(() => bridges.get('A')!.stats().rooms[0]!.pipes, (pipes) => pipes === 0, 'the pipe to the lost bridge closed');
    // Bea builds her media again, on bridge A now, and Ana hears her new microphone.
    const beaAgain = await room.createTransport('bea', 'send');
    const beaNewAudio = await room.produce('bea', { transportId: beaAgain.id, kind: 'audio', source: 'mic', rtpParameters: opus(6666, 'bea'), paused: false });
    assert.equal((await room.consume('ana', beaNewAudio.producerId))?.producerPeerId, 'bea');
    room.close();
  });
});
