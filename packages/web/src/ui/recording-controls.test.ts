import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomInfo } from '@tertulia/protocol';
import { recordingIndicators, serverRecordingControls } from './recording-controls.js';

/** Only the fields these functions read; the rest of RoomInfo does not matter here. */
const roomWith = (recordings: RoomInfo['recordings'], recordingUnavailable: RoomInfo['recordingUnavailable']) => ({ recordings, recordingUnavailable }) as RoomInfo;
const ana = { id: 'a', displayName: 'Ana' };

describe('serverRecordingControls', () => {
  const off = roomWith([], { file: 'Recording is turned off on this server.', stream: null });

  it('moderators get both, with the reason a mode cannot start', () => {
    assert.deepEqual(serverRecordingControls(off, true, []), [
      { mode: 'file', running: false, unavailable: 'Recording is turned off on this server.' },
      { mode: 'stream', running: false, unavailable: null },
    ]);
  });

  it('others get none, unless a token feature grants a mode', () => {
    assert.deepEqual(serverRecordingControls(off, false, []), []);
    assert.deepEqual(serverRecordingControls(off, false, ['livestreaming']).map((c) => c.mode), ['stream']);
    assert.deepEqual(serverRecordingControls(off, false, ['recording']).map((c) => c.mode), ['file']);
  });

  it('a mode running (started by anyone) shows as running', () => {
    const room = roomWith([{ mode: 'stream', startedAt: 1, startedBy: ana }], { file: null, stream: null });
    assert.deepEqual(serverRecordingControls(room, true, []).map((c) => [c.mode, c.running]), [['file', false], ['stream', true]]);
  });

  it('nothing before the room is known', () => assert.deepEqual(serverRecordingControls(undefined, true, []), []));
});

describe('recordingIndicators', () => {
  it('REC and LIVE from the room’s running recordings, saying who started them', () => {
    const indicators = recordingIndicators([{ mode: 'file', startedAt: 1, startedBy: ana }, { mode: 'stream', startedAt: 2, startedBy: null }], false);
    assert.deepEqual(indicators, [
      { mode: 'file', label: 'recording.rec', title: { key: 'recording.indicator.file', params: { name: 'Ana' } } },
      { mode: 'stream', label: 'recording.live', title: { key: 'recording.indicator.stream', params: { name: { key: 'notices.aModerator' } } } },
    ]);
  });

  it('nothing while nothing runs; this person’s own recording on this device adds one', () => {
    assert.deepEqual(recordingIndicators([], false), []);
    assert.deepEqual(recordingIndicators([], true).map((i) => i.mode), ['local']);
  });
});
