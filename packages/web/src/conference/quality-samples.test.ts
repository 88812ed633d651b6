import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receivedSample, sentSample, type ReceivedStream, type SentStream } from './quality-samples.js';

const received = (participantId: string, source: ReceivedStream['source'], extra: Partial<ReceivedStream> = {}): ReceivedStream => ({
  participantId,
  path: 'server',
  source,
  kind: source === 'mic' ? 'audio' : 'video',
  bytesReceived: 1000,
  framesDecoded: 0,
  totalAudioEnergy: 0,
  packetsReceived: 10,
  packetsLost: 1,
  roundTripTimeMs: 12,
  localCandidateType: 'host',
  ...extra,
});

const sent = (source: SentStream['source'], rid: string | undefined, extra: Partial<SentStream> = {}): SentStream => ({
  source,
  path: 'server',
  rid,
  active: true,
  bytesSent: 500,
  packetsSent: 5,
  ...extra,
});

describe('receivedSample', () => {
  it("takes the person's video of that tile and their microphone, nobody else's", () => {
    const all = [received('ana', 'mic'), received('ana', 'camera', { frameHeight: 360 }), received('ana', 'screen'), received('bea', 'camera')];
    const sample = receivedSample(all, { participantId: 'ana', source: 'camera' }, 5);
    assert.deepEqual(
      sample.streams.map((s) => [s.id, s.kind, s.bytes, s.packets, s.packetsLost]),
      [
        ['server:mic', 'audio', 1000, 10, 1],
        ['server:camera', 'video', 1000, 10, 1],
      ],
    );
    assert.equal(sample.streams[1]!.height, 360);
    assert.equal(sample.at, 5);
    assert.equal(sample.direction, 'in');
    assert.equal(sample.judgeBitrate, true);
    assert.equal(receivedSample(all, { participantId: 'ana', source: 'screen' }, 5).judgeBitrate, false);
  });

  it('names the route: direct for the P2P link, server, or relay through TURN on either', () => {
    const tile = { participantId: 'ana', source: 'camera' } as const;
    assert.equal(receivedSample([received('ana', 'camera')], tile, 0).route, 'server');
    assert.equal(receivedSample([received('ana', 'camera', { path: 'p2p' })], tile, 0).route, 'direct');
    assert.equal(receivedSample([received('ana', 'camera', { path: 'p2p', localCandidateType: 'relay' })], tile, 0).route, 'relay');
    assert.equal(receivedSample([received('ana', 'camera', { roundTripTimeMs: 40 }), received('ana', 'mic')], tile, 0).roundTripTimeMs, 40);
    assert.equal(receivedSample([], tile, 0).route, undefined);
  });
});

describe('sentSample', () => {
  it('keeps each simulcast encoding apart, with the microphone, and reads the loss reported back', () => {
    const all = [sent('mic', undefined), sent('camera', 'r0', { height: 180, packetsLost: 2 }), sent('camera', 'r1', { height: 360 }), sent('screen', undefined)];
    const sample = sentSample(all, 'camera', 7);
    assert.deepEqual(
      sample.streams.map((s) => [s.id, s.kind, s.height, s.packetsLost]),
      [
        ['server:mic:', 'audio', undefined, undefined],
        ['server:camera:r0', 'video', 180, 2],
        ['server:camera:r1', 'video', 360, undefined],
      ],
    );
    assert.equal(sample.direction, 'out');
    assert.deepEqual(
      sentSample(all, 'screen', 7).streams.map((s) => s.id),
      ['server:mic:', 'server:screen:'],
    );
  });
});
