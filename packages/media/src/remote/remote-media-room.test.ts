import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import pino from 'pino';
import { opus, simulcastVp8 } from '../../../../tests/support/rtp-parameters.js';
import { until } from '../../../../tests/support/wait.js';
import type { MediaRoom } from '../bridge.js';
import { MediasoupBridge } from '../mediasoup-bridge.js';
import { BridgeConnection } from './bridge-connection.js';
import { BridgeService } from './bridge-service.js';

const SECRET = 'a-test-secret-of-enough-length';
const logger = pino({ level: 'silent' });

describe('RemoteMediaRoom over a BridgeService (real mediasoup, real WebSocket)', () => {
  let bridge: MediasoupBridge;
  let service: BridgeService;
  let connection: BridgeConnection;
  /** The rooms as the bridge's side has them: the truth the remote rooms mirror. */
  const truths = new Map<string, MediaRoom>();

  before(async () => {
    bridge = await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger });
    const createRoom = bridge.createRoom.bind(bridge);
    bridge.createRoom = async (roomKey) => {
      const room = await createRoom(roomKey);
      truths.set(roomKey, room);
      return room;
    };
    service = await BridgeService.start({ bridge, host: '127.0.0.1', port: 0, secret: SECRET, logger });
    connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'node-a.example', logger });
  });

  after(async () => {
    connection.close();
    await service.close();
    await bridge.close();
  });

  /** The remote room's synchronous reads say what the bridge's room says, peer by peer. */
  function assertMirrors(remote: MediaRoom, truth: MediaRoom, peers: string[], when: string): void {
    const byId = (list: ReturnType<MediaRoom['consumersOf']>) => [...list].sort((a, b) => a.consumerId.localeCompare(b.consumerId));
    for (const peer of peers) {
      assert.deepEqual(remote.producersOf(peer), truth.producersOf(peer), `${when}: producers of ${peer}`);
      assert.deepEqual(byId(remote.consumersOf(peer)), byId(truth.consumersOf(peer)), `${when}: consumers of ${peer}`);
      assert.equal(remote.canReceive(peer), truth.canReceive(peer), `${when}: canReceive(${peer})`);
      assert.equal(remote.consumerCount(peer), truth.consumerCount(peer), `${when}: consumerCount(${peer})`);
    }
  }

  it('keeps a mirror equal to the bridge through produce, consume, pause, close and removal', async () => {
    const room = await connection.createRoom('mirror');
    const truth = truths.get('mirror')!;
    const peers = ['ana', 'ben', 'cy'];
    assert.deepEqual(room.rtpCapabilities, truth.rtpCapabilities);

    for (const peer of peers) room.addPeer(peer);
    const anaSend = await room.createTransport('ana', 'send');
    const cySend = await room.createTransport('cy', 'send');
    await room.createTransport('ben', 'recv');
    assert.equal(room.canReceive('ben'), false, 'no RTP capabilities yet');
    room.setRtpCapabilities('ben', room.rtpCapabilities);
    assert.equal(room.canReceive('ben'), true, 'at once: the server asks right after setting them');
    await room.setMaxOutgoingBitrate('ben', 3_000_000); // a round trip: the bridge has run what was sent before it
    assertMirrors(room, truth, peers, 'after transports');

    const audio = await room.produce('ana', { transportId: anaSend.id, kind: 'audio', source: 'mic', rtpParameters: opus(1111, 'ana'), paused: false });
    const video = await room.produce('ana', {
      transportId: anaSend.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: simulcastVp8(2220, 'ana'),
      paused: false,
      videoHeight: 720,
    });
    const cyAudio = await room.produce('cy', { transportId: cySend.id, kind: 'audio', source: 'mic', rtpParameters: opus(3333, 'cy'), paused: false });
    assert.deepEqual(
      room.producersOf('ana').find((p) => p.producerId === video.producerId)?.layers.map((l) => l.height),
      [180, 360, 720],
    );
    assertMirrors(room, truth, peers, 'after produce');

    const audioConsumer = await room.consume('ben', audio.producerId);
    const videoConsumer = await room.consume('ben', video.producerId, { paused: false, spatialLayer: 2, temporalLayer: 0, priority: 1 });
    const cyConsumer = await room.consume('ben', cyAudio.producerId);
    assert.ok(audioConsumer && videoConsumer && cyConsumer);
    assert.equal(room.consumerCount('ben'), 3);
    assert.ok(room.consumersOf('ben').every((c) => c.paused), 'consumers start paused');
    assertMirrors(room, truth, peers, 'after consume');

    await room.resumeConsumer('ben', audioConsumer.consumerId);
    await room.resumeConsumer('ben', videoConsumer.consumerId);
    await room.setConsumerForwarding('ben', videoConsumer.consumerId, { paused: true, spatialLayer: 0, temporalLayer: 0, priority: 2 });
    await room.setProducerPaused('ana', audio.producerId, true);
    assert.equal(room.consumersOf('ben').find((c) => c.consumerId === audioConsumer.consumerId)?.paused, false);
    assert.equal(room.producersOf('ana').find((p) => p.producerId === audio.producerId)?.paused, true);
    assertMirrors(room, truth, peers, 'after resume and pause');

    // closeConsumersFrom answers at once, from the mirror; the bridge agrees once it has the command.
    assert.deepEqual(room.closeConsumersFrom('ben', 'cy'), [cyConsumer.consumerId]);
    assert.equal(room.consumerCount('ben'), 2);
    await room.setMaxOutgoingBitrate('ben', 2_000_000);
    assertMirrors(room, truth, peers, 'after closeConsumersFrom');

    // Closing a producer drops its consumers from the mirror at once; the bridge's consumer goes a moment later, with an event.
    const consumerClosed = once(room, 'consumerClosed');
    room.closeProducer('ana', video.producerId);
    assert.equal(room.producersOf('ana').length, 1);
    assert.deepEqual(room.consumersOf('ben').map((c) => c.consumerId), [audioConsumer.consumerId]);
    assert.deepEqual(await consumerClosed, ['ben', videoConsumer.consumerId]);
    assertMirrors(room, truth, peers, 'after closeProducer');

    const lastClosed = once(room, 'consumerClosed');
    room.removePeer('ana');
    assert.deepEqual(room.producersOf('ana'), []);
    assert.equal(room.consumerCount('ben'), 0, "ana's producers took ben's consumers of them");
    assert.deepEqual(await lastClosed, ['ben', audioConsumer.consumerId]);
    assertMirrors(room, truth, peers, 'after removePeer');

    room.close();
    assert.equal(room.closed, true);
    await until(() => truth.closed, Boolean, 'the bridge closes the room', 5_000, 20);
  });

  it("carries the bridge's ProtocolErrors with their code and message, and refuses an unknown producer at once", async () => {
    const room = await connection.createRoom('errors');
    const truth = truths.get('errors')!;
    room.addPeer('ana');
    const send = await room.createTransport('ana', 'send');

    const fromBridge = await truth.createTransport('ana', 'send').catch((error: unknown) => error);
    assert.ok(fromBridge instanceof ProtocolError && fromBridge.code === ErrorCode.InvalidRequest);
    await assert.rejects(room.createTransport('ana', 'send'), (error) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, fromBridge.code);
      assert.equal(error.message, fromBridge.message);
      return true;
    });
    await assert.rejects(room.produce('ana', { transportId: send.id, kind: 'video', source: 'mic', rtpParameters: opus(5, 'ana'), paused: false }), {
      name: 'ProtocolError',
      code: ErrorCode.InvalidRequest,
    });
    await assert.rejects(room.createTransport('nobody', 'recv'), { name: 'ProtocolError', code: ErrorCode.NotJoined });
    assert.throws(() => room.closeProducer('ana', 'no-such-producer'), { name: 'ProtocolError', code: ErrorCode.NotFound });
    room.close();
  });

  it('passes tap and probe calls through', async () => {
    const room = await connection.createRoom('taps');
    room.addPeer('ana');
    const send = await room.createTransport('ana', 'send');
    const audio = await room.produce('ana', { transportId: send.id, kind: 'audio', source: 'mic', rtpParameters: opus(7777, 'ana'), paused: false });
    const tap = await room.createRtpTap(audio.producerId, { ip: '127.0.0.1', port: 40_000, rtcpPort: 40_001 });
    assert.equal(tap.mimeType.toLowerCase(), 'audio/opus');
    assert.equal(tap.producerPeerId, 'ana');
    const tapClosed = once(room, 'tapClosed');
    room.closeProducer('ana', audio.producerId);
    assert.deepEqual(await tapClosed, [tap.tapId]);

    const probes = await connection.createProbes({ relay: false });
    assert.deepEqual(probes.probes.map((p) => p.check).sort(), ['tcp', 'udp']);
    connection.closeProbes(probes.probes.map((p) => p.id));
    await assert.rejects(connection.connectProbe('no-such-probe', probes.probes[0]!.dtlsParameters), { code: ErrorCode.NotFound });
    room.close();
  });
});
