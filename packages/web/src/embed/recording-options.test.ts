import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordingModeOf, recordingRequestOf } from './recording-options.js';

describe('recordingRequestOf (Jitsi startRecording options)', () => {
  it('file, with its extraMetadata kept as given', () => {
    assert.deepEqual(recordingRequestOf({ mode: 'file' }), { mode: 'file' });
    assert.deepEqual(recordingRequestOf({ mode: 'file', extraMetadata: { course: 'math', n: 3 } }), { mode: 'file', extraMetadata: { course: 'math', n: 3 } });
  });

  it('stream: rtmpStreamKey as a whole address, or a bare key to YouTube; youtubeStreamKey to YouTube', () => {
    assert.deepEqual(recordingRequestOf({ mode: 'stream', rtmpStreamKey: 'rtmps://live.example.com/app/key1' }), { mode: 'stream', streamUrl: 'rtmps://live.example.com/app/key1' });
    assert.deepEqual(recordingRequestOf({ mode: 'stream', rtmpStreamKey: 'abcd-efgh' }), { mode: 'stream', streamUrl: 'rtmp://a.rtmp.youtube.com/live2/abcd-efgh' });
    assert.deepEqual(recordingRequestOf({ mode: 'stream', youtubeStreamKey: 'wxyz-1234', youtubeBroadcastID: 'b1' }), { mode: 'stream', streamUrl: 'rtmp://a.rtmp.youtube.com/live2/wxyz-1234' });
  });

  it('local is recording in this browser', () => assert.deepEqual(recordingRequestOf({ mode: 'local' }), { mode: 'local' }));

  it('refuses what cannot be started, saying what is missing', () => {
    assert.throws(() => recordingRequestOf({ mode: 'stream' }), /needs rtmpStreamKey/);
    assert.throws(() => recordingRequestOf({ mode: 'stream', rtmpStreamKey: 'not a key' }), /neither an rtmp/);
    assert.throws(() => recordingRequestOf({ mode: 'dropbox' }), /expected a recording mode/);
    assert.throws(() => recordingRequestOf('file'), /expected recording options/);
    assert.throws(() => recordingRequestOf({ mode: 'file', extraMetadata: [1] }), /extraMetadata/);
  });

  it('stopRecording takes the same modes', () => {
    assert.equal(recordingModeOf('stream'), 'stream');
    assert.throws(() => recordingModeOf(undefined), /expected a recording mode/);
  });
});
