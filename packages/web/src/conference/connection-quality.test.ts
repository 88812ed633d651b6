import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionFigures, expectedKbps, type StatsSample, type StreamCounters } from './connection-quality.js';

const audio = (bytes: number, packets: number, packetsLost = 0): StreamCounters => ({ id: 'mic', kind: 'audio', bytes, packets, packetsLost, codec: 'audio/opus' });
const video = (bytes: number, packets: number, packetsLost = 0, height = 360): StreamCounters => ({
  id: 'camera',
  kind: 'video',
  bytes,
  packets,
  packetsLost,
  width: (height * 16) / 9,
  height,
  framesPerSecond: 30,
  codec: 'video/VP8',
});
const sample = (at: number, streams: StreamCounters[], extra: Partial<StatsSample> = {}): StatsSample => ({
  at,
  direction: 'in',
  streams,
  judgeBitrate: true,
  roundTripTimeMs: 5,
  route: 'server',
  ...extra,
});

/** 2 s of 360p video at `kbps`, 100 packets a second with `lost` of them lost, plus 50 audio packets a second. */
function twoSeconds({ kbps = 500, lost = 0, audioLost = 0, rtt = 5, height = 360, judgeBitrate = true } = {}) {
  const before = sample(10_000, [audio(10_000, 500), video(1_000_000, 1000, 0, height)], { judgeBitrate });
  const after = sample(12_000, [audio(26_000, 600 - audioLost, audioLost), video(1_000_000 + (kbps * 1000 * 2) / 8, 1200 - lost, lost, height)], {
    roundTripTimeMs: rtt,
    judgeBitrate,
  });
  return connectionFigures(before, after);
}

describe('connectionFigures', () => {
  it('reports bitrate, loss, resolution, frame rate, codec and route, and good when all is well', () => {
    const figures = twoSeconds({ kbps: 500 });
    assert.equal(figures.level, 'good');
    // Video 500 kbps plus audio 16 000 bytes in 2 s (64 kbps).
    assert.equal(Math.round(figures.bitrateKbps!), 564);
    assert.equal(figures.lossPercent, 0);
    assert.deepEqual([figures.width, figures.height, figures.framesPerSecond], [640, 360, 30]);
    assert.equal(figures.codec, 'video/VP8');
    assert.equal(figures.route, 'server');
    assert.equal(figures.roundTripTimeMs, 5);
  });

  it('judges the worst stream\'s loss: fair from 2 %, poor from 10 %', () => {
    assert.equal(twoSeconds({ lost: 2 }).level, 'good', '1 % of video lost');
    assert.equal(twoSeconds({ lost: 6 }).level, 'fair', '3 % of video lost');
    // 20 of 200 received-or-lost video packets is exactly 10 %.
    assert.equal(twoSeconds({ lost: 20 }).lossPercent, 10);
    assert.equal(twoSeconds({ lost: 20 }).level, 'poor');
    // Audio alone losing a fifth is poor, whatever the video does.
    const audioLoss = twoSeconds({ audioLost: 20 });
    assert.equal(audioLoss.lossPercent, 20);
    assert.equal(audioLoss.level, 'poor');
  });

  it('ignores loss over too few packets to mean anything', () => {
    const before = sample(0, [audio(0, 100, 0)]);
    const after = sample(2000, [audio(1000, 110, 2)]);
    const figures = connectionFigures(before, after);
    assert.equal(figures.lossPercent, undefined);
    assert.equal(figures.level, 'good', 'judged on the round trip alone');
  });

  it('judges the round trip: fair from 300 ms, poor from 800 ms', () => {
    assert.equal(twoSeconds({ rtt: 299 }).level, 'good');
    assert.equal(twoSeconds({ rtt: 300 }).level, 'fair');
    assert.equal(twoSeconds({ rtt: 800 }).level, 'poor');
  });

  it('judges a camera\'s bitrate against what its resolution needs, but not a screen share\'s', () => {
    assert.equal(expectedKbps(360), 500);
    assert.equal(twoSeconds({ kbps: 160 }).level, 'good', '32 % of 500 kbps');
    assert.equal(twoSeconds({ kbps: 140 }).level, 'fair', '28 % of 500 kbps');
    assert.equal(twoSeconds({ kbps: 40 }).level, 'poor', '8 % of 500 kbps');
    assert.equal(twoSeconds({ kbps: 40, height: 720 }).level, 'poor');
    assert.equal(twoSeconds({ kbps: 400, height: 720 }).level, 'fair', '27 % of 1500 kbps at 720p');
    assert.equal(twoSeconds({ kbps: 40, judgeBitrate: false }).level, 'good');
  });

  it('expects fewer bits from video at fewer frames a second (a sender short of CPU drops frames)', () => {
    const at = (framesPerSecond: number | undefined, kbps: number) => {
      const stream = (bytes: number): StreamCounters => ({ id: 'camera', kind: 'video', bytes, height: 180, framesPerSecond });
      return connectionFigures(sample(0, [stream(0)]), sample(1000, [stream((kbps * 1000) / 8)])).level;
    };
    // 180p needs 150 kbps at 30 fps, so 30 kbps at 6 fps.
    assert.equal(at(6, 25), 'good');
    assert.equal(at(30, 25), 'fair');
    assert.equal(at(undefined, 25), 'fair', 'an unknown frame rate counts as full');
  });

  it('shows the largest video that moved: the top simulcast encoding being sent', () => {
    const encodings = (bytes: [number, number, number]) =>
      (['r0', 'r1', 'r2'] as const).map((rid, index): StreamCounters => ({ id: rid, kind: 'video', bytes: bytes[index]!, height: 180 * 2 ** index }));
    // r2 (720p) is switched off and sends nothing; r1 (360p) is the top one moving.
    const figures = connectionFigures(sample(0, encodings([0, 0, 500])), sample(1000, encodings([20_000, 60_000, 500]), { direction: 'out' }));
    assert.equal(figures.height, 360);
    assert.equal(Math.round(figures.bitrateKbps!), 640);
    assert.equal(figures.level, 'good', '480 kbps at 360p');
  });

  it('counts a sent stream\'s loss against what went out', () => {
    const before = sample(0, [audio(0, 1000, 0)], { direction: 'out' });
    const after = sample(2000, [audio(16_000, 1100, 10)], { direction: 'out' });
    assert.equal(connectionFigures(before, after).lossPercent, 10);
  });

  it('has no bitrate or loss from one sample, and no level without anything to judge', () => {
    const first = connectionFigures(undefined, sample(0, [video(1000, 10)]));
    assert.equal(first.bitrateKbps, undefined);
    assert.equal(first.lossPercent, undefined);
    assert.equal(first.level, 'good', 'the round trip is known already');
    assert.equal(connectionFigures(undefined, sample(0, [], { roundTripTimeMs: undefined })).level, undefined);
  });

  it('takes no negative loss from duplicates, and a stream new in the second sample adds nothing yet', () => {
    const before = sample(0, [audio(0, 100, 5)]);
    const after = sample(2000, [audio(16_000, 200, 3), video(50_000, 40)]);
    const figures = connectionFigures(before, after);
    assert.equal(figures.lossPercent, 0);
    assert.equal(Math.round(figures.bitrateKbps!), 64);
    assert.equal(figures.height, undefined);
  });
});
