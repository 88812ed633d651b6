import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { joinAs, type JoinedClient } from '../support/ws-client.js';

const RTP_CAPABILITIES = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101 },
  ],
  headerExtensions: [],
};

/** A 1280×720 camera in three simulcast layers, as Tertulia's browser client sends it. */
function simulcastCamera(ssrcBase: number) {
  return {
    codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }],
    encodings: [
      { ssrc: ssrcBase, scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
      { ssrc: ssrcBase + 1, scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
      { ssrc: ssrcBase + 2, scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
    ],
  };
}

type Name = 'ana' | 'bea' | 'carl' | 'dan';

interface Person extends JoinedClient {
  name: string;
  producerId: string;
}

/** Notifications of `method` a person has had so far, oldest first. */
const heard = (person: Person, method: string) => person.client.messages.filter((m) => m.type === 'notification' && m.method === method).map((m) => m.data);
const lastHeard = (person: Person, method: string) => heard(person, method).at(-1);

describe('video forwarding (real mediasoup, CHANNEL_LAST_N=2)', () => {
  let server: RunningServer;
  const people = {} as Record<Name, Person>;
  const room = () => server.registry.get('forwarding')!;
  /** The consumer `receiver` has of `sender`'s camera. */
  const consumerOf = (receiver: Person, sender: Person) => room().media.consumersOf(receiver.id).find((c) => c.producerId === sender.producerId)!;
  /** Which senders' cameras `receiver`'s browser is told are held back, and why. */
  const heldBack = (receiver: Person) => {
    const paused: Array<{ consumerId: string; reason: string }> = lastHeard(receiver, 'videoForwarding')?.paused ?? [];
    return Object.fromEntries(
      paused.map(({ consumerId, reason }) => [Object.values(people).find((p) => consumerOf(receiver, p)?.consumerId === consumerId)?.name, reason]),
    );
  };

  before(async () => {
    server = await startTestServer({ CHANNEL_LAST_N: '2', P2P_ENABLED: '0' });
    for (const [index, name] of (['ana', 'bea', 'carl', 'dan'] as const).entries()) {
      const person = await joinAs(server.url, 'forwarding', name);
      const { client } = person;
      assert.equal((await client.request('setRtpCapabilities', { rtpCapabilities: RTP_CAPABILITIES })).ok, true);
      const send = await client.request('createTransport', { direction: 'send' });
      assert.equal((await client.request('createTransport', { direction: 'recv' })).ok, true);
      const produced = await client.request('produce', {
        transportId: send.data.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: simulcastCamera(1000 * (index + 1)),
        paused: false,
        videoHeight: 720,
      });
      assert.equal(produced.ok, true, JSON.stringify(produced.error));
      people[name] = { ...person, name, producerId: produced.data.producerId };
    }
  });
  after(async () => {
    for (const person of Object.values(people)) person.client.close();
    await server.close();
  });

  it('before any constraints, forwards the server’s last-N in join order at 360p and tells senders what is still needed', async () => {
    const { ana, bea, carl, dan } = people;
    await until(() => heldBack(dan), (held) => held['carl'] === 'lastN', 'dan to hear that carl is held back');
    assert.deepEqual(heldBack(ana), { dan: 'lastN' });
    assert.deepEqual(heldBack(bea), { dan: 'lastN' });
    assert.deepEqual(heldBack(carl), { dan: 'lastN' });
    assert.deepEqual(heldBack(dan), { carl: 'lastN' });
    await until(() => lastHeard(dan, 'senderLayers'), (layers) => layers?.maxSpatialLayer === -1, 'dan to hear nobody receives his camera');
    for (const sender of [ana, bea, carl]) assert.deepEqual(lastHeard(sender, 'senderLayers'), { source: 'camera', maxSpatialLayer: 1 }, `${sender.name} encodes up to 360p`);
  });

  it('holds a consumer back from mediasoup even after its browser resumes it, until the policy lets it flow', async () => {
    const { ana, bea, dan } = people;
    assert.equal((await ana.client.request('resumeConsumer', { consumerId: consumerOf(ana, dan).consumerId })).ok, true);
    assert.equal((await ana.client.request('resumeConsumer', { consumerId: consumerOf(ana, bea).consumerId })).ok, true);
    assert.equal(consumerOf(ana, dan).paused, true, 'held back by last-N');
    assert.equal(consumerOf(ana, bea).paused, false, 'resumed and allowed');
  });

  it('follows a receiver’s tile sizes, pins and hidden tiles: the pinned sender encodes 720p again, a hidden tile frees a last-N place', async () => {
    const { ana, bea, carl, dan } = people;
    const constraints = {
      lastN: -1,
      videos: [
        { participantId: bea.id, source: 'camera', height: 720 },
        { participantId: carl.id, source: 'camera', height: 0 },
      ],
      defaultHeight: 180,
      onStage: [bea.id],
    };
    assert.equal((await ana.client.request('setReceiverConstraints', constraints)).ok, true);
    await until(() => heldBack(ana), (held) => held['carl'] === 'notVisible', 'ana to hear carl is not visible');
    assert.deepEqual(heldBack(ana), { carl: 'notVisible' }, 'dan takes the place carl’s hidden tile left');
    await until(() => lastHeard(bea, 'senderLayers')?.maxSpatialLayer, (layer) => layer === 2, 'bea to encode 720p for ana’s stage');
    assert.deepEqual(lastHeard(dan, 'senderLayers'), { source: 'camera', maxSpatialLayer: 0 }, 'dan is a 180p tile at ana only');
    await until(() => consumerOf(ana, dan).paused, (paused) => !paused, 'dan’s video, resumed by ana earlier and now allowed, to flow');
    assert.equal(lastHeard(carl, 'senderLayers').maxSpatialLayer, 1, 'bea and dan still see carl at 360p');
  });

  it('caps a browser’s last-N with CHANNEL_LAST_N, keeping the stage first', async () => {
    const { bea, dan } = people;
    assert.equal((await bea.client.request('setReceiverConstraints', { lastN: 3, videos: [], defaultHeight: 360, onStage: [dan.id] })).ok, true);
    await until(() => heldBack(bea), (held) => held['carl'] === 'lastN', 'bea to hear carl is held back');
    assert.deepEqual(heldBack(bea), { carl: 'lastN' }, 'dan pinned, then ana by join order');
  });

  it('ranks the dominant speaker in, and tells a newcomer who is speaking once it can receive', async () => {
    const { carl, dan } = people;
    // What mediasoup's active-speaker observer reports when dan talks.
    room().media.emit('dominantSpeaker', dan.id);
    await until(() => heldBack(carl), (held) => held['bea'] === 'lastN', 'carl to get dan, the speaker, instead of bea');
    assert.deepEqual(heldBack(carl), { bea: 'lastN' });
    const eve = await joinAs(server.url, 'forwarding', 'eve');
    assert.equal((await eve.client.request('setRtpCapabilities', { rtpCapabilities: RTP_CAPABILITIES })).ok, true);
    assert.equal((await eve.client.request('createTransport', { direction: 'recv' })).ok, true);
    const notice = await eve.client.waitFor((m) => m.method === 'dominantSpeaker');
    assert.equal(notice.data.participantId, dan.id);
    assert.equal((await eve.client.request('leave')).ok, true);
    eve.client.close();
  });

  it('never forwards more video than the downlink a browser says it has, and lifts the cap when it stops saying so', async () => {
    const { carl } = people;
    const constraints = { lastN: -1, videos: [], defaultHeight: 360, onStage: [] };
    const videos = () => room().media.consumersOf(carl.id).filter((c) => c.kind === 'video');
    // Carl's two last-N videos do not fit in 200 kbps even at 180p (150 kbps each): one waits.
    assert.equal((await carl.client.request('setReceiverConstraints', { ...constraints, assumedBandwidthBps: 200_000 })).ok, true);
    await until(() => Object.values(heldBack(carl)), (reasons) => reasons.filter((r) => r === 'bandwidth').length === 1, 'carl to hear one video is held back for bandwidth');
    assert.equal(videos().filter((c) => !c.paused).length <= 1, true, 'at most one video flows');
    assert.equal((await carl.client.request('setReceiverConstraints', constraints)).ok, true);
    await until(() => Object.values(heldBack(carl)), (reasons) => !reasons.includes('bandwidth'), 'the cap to be lifted');
    const refused = await carl.client.request('setReceiverConstraints', { ...constraints, assumedBandwidthBps: 0 });
    assert.equal(refused.error?.code, 'INVALID_REQUEST');
  });

  it('refuses malformed constraints with a clear error and changes nothing', async () => {
    const { ana } = people;
    const before = room().participant(ana.id)!.receiverConstraints;
    const notices = ana.client.messages.length;
    for (const bad of [
      { lastN: -2, videos: [], defaultHeight: 360, onStage: [] },
      { lastN: 1.5, videos: [], defaultHeight: 360, onStage: [] },
      { lastN: 1, videos: [{ participantId: 'x', source: 'mic', height: 100 }], defaultHeight: 360, onStage: [] },
      { lastN: 1, videos: [{ participantId: 'x', source: 'camera', height: -1 }], defaultHeight: 360, onStage: [] },
      { lastN: 1, videos: [], defaultHeight: 99_999, onStage: [] },
      { lastN: 1, videos: Array.from({ length: 201 }, () => ({ participantId: 'x', source: 'camera', height: 1 })), defaultHeight: 360, onStage: [] },
      { lastN: 1, videos: [], defaultHeight: 360, onStage: [], extra: true },
      { lastN: 1, videos: [], defaultHeight: 360 },
      'nope',
    ]) {
      const reply = await ana.client.request('setReceiverConstraints', bad);
      assert.equal(reply.error?.code, 'INVALID_REQUEST', JSON.stringify(bad).slice(0, 80));
      assert.ok(reply.error!.message.length > 0);
    }
    // Anything the refused requests had changed would have been sent within a policy run.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(room().participant(ana.id)!.receiverConstraints, before);
    assert.deepEqual(
      ana.client.messages.slice(notices).filter((m) => m.method === 'videoForwarding' || m.method === 'senderLayers'),
      [],
      'no forwarding change reached ana',
    );
  });

  it('recounts when a sender leaves: the held-back video takes its place', async () => {
    const { ana, bea, carl, dan } = people;
    assert.equal((await ana.client.request('leave')).ok, true);
    await until(() => heldBack(bea), (held) => Object.keys(held).length === 0, 'bea to receive carl once ana is gone');
    await until(() => heldBack(dan), (held) => Object.keys(held).length === 0, 'dan to receive both others');
    assert.equal(room().media.consumersOf(carl.id).length, 2);
  });
});
