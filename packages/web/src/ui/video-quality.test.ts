import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConferenceState, RemoteParticipant } from '../conference/conference.js';
import { heldBackNote, videoHoldOf } from './video-hold.js';
import { choiceOf, qualityLevelOf } from './video-quality.js';

const video = (maxHeight: number, audioOnly = false) => ({ maxHeight, audioOnly, lastN: -1 });

describe('video quality setting', () => {
  it('shows the level at or below the cap, and audio-only over any height', () => {
    assert.equal(choiceOf(video(720)), 'high');
    assert.equal(choiceOf(video(540)), 'standard');
    assert.equal(choiceOf(video(360)), 'standard');
    assert.equal(choiceOf(video(180)), 'low');
    assert.equal(choiceOf(video(720, true)), 'audioOnly');
  });

  it("takes Jitsi's setVideoQuality heights as the level not above them, and refuses what is below the lowest", () => {
    assert.equal(qualityLevelOf(2160), 720);
    assert.equal(qualityLevelOf(720), 720);
    assert.equal(qualityLevelOf(480), 360);
    assert.equal(qualityLevelOf(180), 180);
    for (const bad of [179, 0, -1, Number.NaN, '720', undefined]) assert.throws(() => qualityLevelOf(bad), /at least 180/, String(bad));
  });
});

describe('held-back video', () => {
  const person = (patch: Partial<RemoteParticipant> = {}): RemoteParticipant =>
    ({ id: 'bea', videoMuted: false, screenSharing: false, videoHeldBack: {}, tracks: {}, ...patch }) as RemoteParticipant;
  const state = (audioOnly: boolean, videoMuted = false) =>
    ({ video: video(720, audioOnly), local: { videoMuted } }) as unknown as ConferenceState;

  it("is the server's reason, or audio-only for every video that is being sent", () => {
    assert.equal(videoHoldOf(state(false), person({ videoHeldBack: { camera: 'lastN' } }), 'camera'), 'lastN');
    assert.equal(videoHoldOf(state(false), person(), 'camera'), undefined);
    assert.equal(videoHoldOf(state(true), person(), 'camera'), 'audioOnly');
    assert.equal(videoHoldOf(state(true), person({ videoMuted: true }), 'camera'), undefined, 'a camera that is off is not held back');
    assert.equal(videoHoldOf(state(true), person({ screenSharing: true }), 'screen'), 'audioOnly');
    assert.equal(videoHoldOf(state(true), 'self', 'camera'), 'audioOnly', 'your camera is not sent');
    assert.equal(videoHoldOf(state(true, true), 'self', 'camera'), undefined);
    assert.equal(videoHoldOf(state(true), 'self', 'screen'), undefined);
  });

  it('says "paused to save bandwidth" for last-N and bandwidth, nothing for a video nobody sees', () => {
    assert.equal(heldBackNote('lastN'), 'videoQuality.pausedForBandwidth');
    assert.equal(heldBackNote('bandwidth'), 'videoQuality.pausedForBandwidth');
    assert.equal(heldBackNote('audioOnly'), 'videoQuality.audioOnlyTile');
    assert.equal(heldBackNote('notVisible'), undefined);
    assert.equal(heldBackNote(undefined), undefined);
  });
});
