import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VideoSource } from '@tertulia/protocol';
import { decideForwarding, effectiveLastN, layerForHeight, type PolicyInput, type ReceiverInput, type VideoSourceInput } from './forwarding-policy.js';
import type { ReceiverConstraints } from './participant.js';

/** A 1280×720 camera simulcast as the browser sends it: 180p, 360p, 720p with three temporal layers. */
const CAMERA_LAYERS = [
  { height: 180, bitrate: 150_000 },
  { height: 360, bitrate: 500_000 },
  { height: 720, bitrate: 1_500_000 },
];

function camera(ownerId: string): VideoSourceInput {
  return { producerId: `${ownerId}-camera`, ownerId, source: 'camera', layers: CAMERA_LAYERS, temporalLayers: 3, paused: false };
}

function screen(ownerId: string): VideoSourceInput {
  return { producerId: `${ownerId}-screen`, ownerId, source: 'screen', layers: [{ height: 1080, bitrate: 2_500_000 }], temporalLayers: 3, paused: false };
}

/** A receiver consuming every source but its own; consumer ids are `<receiver>:<producer>`. */
function receiver(id: string, sources: VideoSourceInput[], constraints: Partial<ReceiverConstraints> | null, availableBitrate: number | null = null): ReceiverInput {
  return {
    id,
    constraints: constraints && { lastN: -1, videos: [], defaultHeight: 360, onStage: [], ...constraints },
    availableBitrate,
    consumers: sources.filter((s) => s.ownerId !== id).map((s) => ({ consumerId: `${id}:${s.producerId}`, producerId: s.producerId })),
  };
}

function decide(sources: VideoSourceInput[], receivers: ReceiverInput[], options: Partial<PolicyInput> = {}) {
  return decideForwarding({ sources, receivers, channelLastN: -1, speakers: [], joinOrder: ['ana', 'bea', 'carl', 'dan', 'eve'], ...options });
}

/** What one receiver gets from each owner's source, in a form that reads well in assertions. */
function view(output: ReturnType<typeof decide>, receiverId: string, source: VideoSource = 'camera') {
  const result: Record<string, string> = {};
  for (const [consumerId, d] of output.receivers.get(receiverId) ?? []) {
    const [, producerId] = consumerId.split(':') as [string, string];
    const [owner, kind] = producerId.split('-') as [string, string];
    if (kind !== source) continue;
    result[owner] = d.paused ? `paused ${d.reason}` : `S${d.spatialLayer}T${d.temporalLayer}`;
  }
  return result;
}

describe('forwarding policy', () => {
  it('picks the smallest layer at least as tall as the tile, the top one for a taller tile', () => {
    assert.equal(layerForHeight(CAMERA_LAYERS, 1), 0);
    assert.equal(layerForHeight(CAMERA_LAYERS, 180), 0);
    assert.equal(layerForHeight(CAMERA_LAYERS, 181), 1);
    assert.equal(layerForHeight(CAMERA_LAYERS, 280), 1, 'a 500×280 tile in a four-person tile view takes 360p');
    assert.equal(layerForHeight(CAMERA_LAYERS, 540), 2);
    assert.equal(layerForHeight(CAMERA_LAYERS, 2160), 2);
    assert.equal(layerForHeight([{ height: 1080, bitrate: 1 }], 200), 0, 'a single layer is all there is');
  });

  it('maps each drawn height to its layer; height 0 pauses as not visible; unlisted videos use the default height', () => {
    const sources = ['ana', 'bea', 'carl', 'dan'].map(camera);
    const out = decide(sources, [
      receiver('ana', sources, {
        defaultHeight: 100,
        videos: [
          { participantId: 'bea', source: 'camera', height: 720 },
          { participantId: 'carl', source: 'camera', height: 0 },
        ],
      }),
    ]);
    assert.deepEqual(view(out, 'ana'), { bea: 'S2T2', carl: 'paused notVisible', dan: 'S0T2' });
  });

  it('treats a browser that has not sent constraints as 360p with no last-N', () => {
    const sources = ['ana', 'bea', 'carl'].map(camera);
    const out = decide(sources, [receiver('ana', sources, null)], { channelLastN: -1 });
    assert.deepEqual(view(out, 'ana'), { bea: 'S1T2', carl: 'S1T2' });
  });

  it('last-N keeps on-stage first, then screen shares, then recent speakers, then join order', () => {
    const sources = [...['ana', 'bea', 'carl', 'dan', 'eve'].map(camera), screen('carl')];
    const speakers = ['eve', 'dan'];
    const ranked = (lastN: number, onStage: string[] = []) => {
      const out = decide(sources, [receiver('ana', sources, { lastN, onStage })], { speakers });
      return { cameras: view(out, 'ana'), screen: view(out, 'ana', 'screen')['carl'] };
    };
    assert.deepEqual(ranked(1), { cameras: { bea: 'paused lastN', carl: 'paused lastN', dan: 'paused lastN', eve: 'S1T2' }, screen: 'paused lastN' }, 'the dominant speaker always fits');
    assert.deepEqual(ranked(2), { cameras: { bea: 'paused lastN', carl: 'paused lastN', dan: 'paused lastN', eve: 'S1T2' }, screen: 'S0T2' }, 'a screen share before speakers');
    assert.deepEqual(ranked(3), { cameras: { bea: 'paused lastN', carl: 'paused lastN', dan: 'S1T2', eve: 'S1T2' }, screen: 'S0T2' }, 'then speakers by recency');
    assert.deepEqual(ranked(4), { cameras: { bea: 'S1T2', carl: 'paused lastN', dan: 'S1T2', eve: 'S1T2' }, screen: 'S0T2' }, 'then join order');
    assert.deepEqual(ranked(3, ['bea']), { cameras: { bea: 'S1T2', carl: 'paused lastN', dan: 'paused lastN', eve: 'S1T2' }, screen: 'S0T2' }, 'a pin goes first');
    assert.deepEqual(ranked(0), { cameras: { bea: 'paused lastN', carl: 'paused lastN', dan: 'paused lastN', eve: 'paused lastN' }, screen: 'paused lastN' }, 'last-N 0 is audio only');
  });

  it('gives the dominant speaker the last place when pins and screen shares fill last-N', () => {
    const sources = [...['ana', 'bea', 'carl', 'dan'].map(camera), screen('carl')];
    const out = decide(sources, [receiver('ana', sources, { lastN: 2, onStage: ['bea'] })], { speakers: ['dan'] });
    assert.deepEqual(view(out, 'ana'), { bea: 'S1T2', carl: 'paused lastN', dan: 'S1T2' });
    assert.equal(view(out, 'ana', 'screen')['carl'], 'paused lastN');
    const priorities = [...out.receivers.get('ana')!].map(([consumerId, d]) => [consumerId, d.priority]);
    assert.deepEqual(
      Object.fromEntries(priorities),
      { 'ana:bea-camera': 2, 'ana:carl-camera': 1, 'ana:dan-camera': 2, 'ana:carl-screen': 1 },
      'the stage and the speaker come first when the bridge shares a short downlink',
    );
  });

  it('does not spend last-N places on invisible or muted videos, nor count the receiver as its own speaker', () => {
    const sources = ['ana', 'bea', 'carl', 'dan'].map(camera);
    sources[1] = { ...camera('bea'), paused: true };
    const out = decide(sources, [receiver('ana', sources, { lastN: 1, videos: [{ participantId: 'carl', source: 'camera', height: 0 }] })], { speakers: ['ana'] });
    assert.deepEqual(view(out, 'ana'), { bea: 'S1T2', carl: 'paused notVisible', dan: 'S1T2' });
  });

  it('caps the browser’s last-N with the server’s CHANNEL_LAST_N', () => {
    assert.equal(effectiveLastN(-1, -1), Infinity);
    assert.equal(effectiveLastN(5, -1), 5);
    assert.equal(effectiveLastN(-1, 2), 2);
    assert.equal(effectiveLastN(5, 2), 2);
    assert.equal(effectiveLastN(1, 2), 1);
    const sources = ['ana', 'bea', 'carl', 'dan'].map(camera);
    const out = decide(sources, [receiver('ana', sources, { lastN: -1 })], { channelLastN: 2, speakers: ['dan'] });
    assert.deepEqual(view(out, 'ana'), { bea: 'S1T2', carl: 'paused lastN', dan: 'S1T2' });
  });

  it('on a short downlink lowers the lowest-ranked videos first, then pauses them, the speaker and the stage last', () => {
    const sources = ['ana', 'bea', 'carl', 'dan', 'eve'].map(camera);
    const tiles = { defaultHeight: 720, onStage: ['bea'] };
    const at = (bitrate: number | null) => view(decide(sources, [receiver('ana', sources, tiles, bitrate)], { speakers: ['eve'] }), 'ana');
    assert.deepEqual(at(null), { bea: 'S2T2', carl: 'S2T2', dan: 'S2T2', eve: 'S2T2' }, 'unknown bandwidth limits nothing');
    assert.deepEqual(at(6_000_000), { bea: 'S2T2', carl: 'S2T2', dan: 'S2T2', eve: 'S2T2' });
    assert.deepEqual(at(5_500_000), { bea: 'S2T2', carl: 'S2T2', dan: 'S1T2', eve: 'S2T2' }, 'the last in join order goes down first');
    assert.deepEqual(at(3_700_000), { bea: 'S2T2', carl: 'S1T2', dan: 'S0T2', eve: 'S2T2' });
    assert.deepEqual(at(3_300_000), { bea: 'S2T2', carl: 'S0T2', dan: 'S0T2', eve: 'S2T2' });
    assert.deepEqual(at(3_200_000), { bea: 'S2T2', carl: 'S0T2', dan: 'paused bandwidth', eve: 'S2T2' }, 'ordinary tiles are paused before the stage loses a layer');
    assert.deepEqual(at(2_900_000), { bea: 'S2T2', carl: 'paused bandwidth', dan: 'paused bandwidth', eve: 'S1T2' }, 'the speaker before the pinned one');
    assert.deepEqual(at(200_000), { bea: 'S0T2', carl: 'paused bandwidth', dan: 'paused bandwidth', eve: 'paused bandwidth' });
    assert.deepEqual(at(0), { bea: 'paused bandwidth', carl: 'paused bandwidth', dan: 'paused bandwidth', eve: 'paused bandwidth' });
  });

  it('lowers a screen share’s frame rate before its resolution', () => {
    const sources = [camera('ana'), { ...screen('bea'), layers: [{ height: 540, bitrate: 800_000 }, ...screen('bea').layers] }];
    const out = (bitrate: number) => view(decide(sources, [receiver('ana', sources, { defaultHeight: 1080 }, bitrate)]), 'ana', 'screen');
    assert.deepEqual(out(2_500_000), { bea: 'S1T2' });
    assert.deepEqual(out(1_500_000), { bea: 'S1T1' });
    assert.deepEqual(out(1_000_000), { bea: 'S1T0' });
    assert.deepEqual(out(900_000), { bea: 'S0T0' }, 'resolution goes once frame rate is at its lowest');
  });

  it('tells each sender the highest layer any receiver’s tiles need, -1 when nobody’s do', () => {
    const sources = ['ana', 'bea', 'carl'].map(camera);
    const tiles = (heights: Record<string, number>) => ({ videos: Object.entries(heights).map(([participantId, height]) => ({ participantId, source: 'camera' as const, height })) });
    const out = decide(sources, [
      receiver('ana', sources, tiles({ bea: 280, carl: 0 })),
      receiver('bea', sources, tiles({ ana: 150, carl: 0 })),
      receiver('carl', sources, tiles({ ana: 700, bea: 200 })),
    ]);
    assert.deepEqual(Object.fromEntries(out.senders), { 'ana-camera': 2, 'bea-camera': 1, 'carl-camera': -1 });
    const pausedByLastN = decide(sources, [receiver('bea', sources, { lastN: 1 })], { speakers: ['carl'] });
    assert.equal(pausedByLastN.senders.get('ana-camera'), -1, 'a video held back by last-N needs no layer');
    assert.equal(pausedByLastN.senders.get('carl-camera'), 1);
    const shortDownlink = decide(sources, [receiver('bea', sources, { defaultHeight: 720 }, 200_000)]);
    assert.deepEqual(view(shortDownlink, 'bea'), { ana: 'S0T2', carl: 'paused bandwidth' });
    assert.equal(shortDownlink.senders.get('carl-camera'), 2, 'a short downlink lowers what it receives, not what senders encode');
  });
});
