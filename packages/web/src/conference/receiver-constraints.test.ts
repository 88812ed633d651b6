import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverConstraints, type Constraints } from './receiver-constraints.js';
import { cameraLayerFor } from './sender-layers.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

function recorder(): { sent: Constraints[]; constraints: ReceiverConstraints } {
  const sent: Constraints[] = [];
  return { sent, constraints: new ReceiverConstraints((c) => sent.push(c)) };
}

describe('receiver constraints', () => {
  it('sends at once on a new session, with a default height below the top layer', () => {
    const { sent, constraints } = recorder();
    constraints.sendNow();
    assert.deepEqual(sent, [{ lastN: -1, videos: [], defaultHeight: 360, onStage: [] }]);
  });

  it('sends one message for a burst of changes, and nothing when they change nothing', async () => {
    const { sent, constraints } = recorder();
    constraints.sendNow();
    constraints.setVideoSize('ana', 'camera', 100);
    constraints.setVideoSize('ana', 'camera', 280.4);
    constraints.setOnStage(['bea']);
    assert.equal(sent.length, 1, 'debounced');
    await settle();
    assert.deepEqual(sent.at(-1), { lastN: -1, videos: [{ participantId: 'ana', source: 'camera', height: 280 }], defaultHeight: 360, onStage: ['bea'] });
    constraints.setVideoSize('ana', 'camera', 280);
    await settle();
    assert.equal(sent.length, 2, 'an unchanged layout sends nothing');
  });

  it('caps heights by the quality setting and asks for no video in audio-only mode', async () => {
    const { sent, constraints } = recorder();
    constraints.setVideoSize('ana', 'screen', 1080);
    constraints.setMaxHeight(180);
    constraints.setLastN(3);
    await settle();
    assert.deepEqual(sent.at(-1), { lastN: 3, videos: [{ participantId: 'ana', source: 'screen', height: 180 }], defaultHeight: 180, onStage: [] });
    constraints.setAudioOnly(true);
    await settle();
    assert.equal(sent.at(-1)?.lastN, 0);
    constraints.forget('ana');
    constraints.setAudioOnly(false);
    await settle();
    assert.deepEqual(sent.at(-1), { lastN: 3, videos: [], defaultHeight: 180, onStage: [] });
  });

  it('keeps bad sizes inside what the protocol accepts', async () => {
    const { sent, constraints } = recorder();
    constraints.setVideoSize('ana', 'camera', Number.NaN);
    constraints.setVideoSize('bea', 'camera', -5);
    constraints.setVideoSize('carl', 'camera', 1e9);
    constraints.setLastN(-7);
    constraints.setMaxHeight(1e9);
    await settle();
    assert.deepEqual(sent.at(-1)?.videos.map((v) => v.height), [0, 0, 4320]);
    assert.equal(sent.at(-1)?.defaultHeight, 360);
    assert.equal(sent.at(-1)?.lastN, -1);
  });

  it('carries an assumed downlink only while one is set, rounded and within the protocol’s range', async () => {
    const { sent, constraints } = recorder();
    constraints.setAssumedBandwidth(250_000.6);
    await settle();
    assert.equal(sent.at(-1)?.assumedBandwidthBps, 250_001);
    constraints.setAssumedBandwidth(1e12);
    await settle();
    assert.equal(sent.at(-1)?.assumedBandwidthBps, 10_000_000_000);
    for (const none of [0, -1, Number.NaN]) {
      constraints.setAssumedBandwidth(250_000);
      await settle();
      constraints.setAssumedBandwidth(none);
      await settle();
      assert.equal('assumedBandwidthBps' in sent.at(-1)!, false, `${none} lifts the cap`);
    }
  });
});

describe('camera layer for a quality setting', () => {
  it('is the highest layer that fits, the lowest at worst', () => {
    assert.equal(cameraLayerFor(720, 720), 2);
    assert.equal(cameraLayerFor(360, 720), 1);
    assert.equal(cameraLayerFor(180, 720), 0);
    assert.equal(cameraLayerFor(90, 720), 0);
    assert.equal(cameraLayerFor(720, 1080), 1);
  });
});
