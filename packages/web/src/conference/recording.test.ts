import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordingInfo } from '@tertulia/protocol';
import { startedRecordings } from './recording-changes.js';
import { streamUrlOf } from './stream-url.js';

describe('streamUrlOf', () => {
  it('takes a whole rtmp:// or rtmps:// address as it is', () => {
    assert.equal(streamUrlOf('rtmp://127.0.0.1:1935/live/room-1'), 'rtmp://127.0.0.1:1935/live/room-1');
    assert.equal(streamUrlOf('  rtmps://live-api-s.facebook.com:443/rtmp/FB-123  '), 'rtmps://live-api-s.facebook.com:443/rtmp/FB-123');
  });

  it('sends a bare key to YouTube', () => {
    assert.equal(streamUrlOf('abcd-efgh-ijkl-mnop-qrst'), 'rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop-qrst');
  });

  it('refuses what is neither', () => {
    for (const value of ['', 'abc', 'https://youtube.com/live/x', 'rtmp://', 'rtmp://host', 'my key', 'rtmp://host/app key']) {
      assert.equal(streamUrlOf(value), undefined, value);
    }
  });
});

describe('startedRecordings', () => {
  const file: RecordingInfo = { mode: 'file', startedAt: 1000, startedBy: { id: 'a', displayName: 'Ana' } };
  const stream: RecordingInfo = { mode: 'stream', startedAt: 2000, startedBy: null };

  it('on entering a room, everything running counts as started (a late joiner is told)', () => {
    assert.deepEqual(startedRecordings(undefined, [file, stream]), [file, stream]);
    assert.deepEqual(startedRecordings(undefined, []), []);
  });

  it('only what is new since the last update', () => {
    assert.deepEqual(startedRecordings([file], [file, stream]), [stream]);
    assert.deepEqual(startedRecordings([file, stream], [stream]), []);
  });

  it('a recording stopped and started again between two updates is new', () => {
    const again = { ...file, startedAt: 5000 };
    assert.deepEqual(startedRecordings([file], [again]), [again]);
  });
});
