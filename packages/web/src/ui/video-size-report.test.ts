import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Conference } from '../conference/conference.js';
import { videoSizeSinkOf } from './video-size-report.js';

it("passes tiles' sizes on, but not the 0 of a tile whose person already left", () => {
  const reported: unknown[][] = [];
  const conference = {
    state: { participants: [{ id: 'bea' }] },
    setVideoSize: (...args: unknown[]) => reported.push(args),
  } as unknown as Conference;
  const report = videoSizeSinkOf(conference);
  report('bea', 'camera', 360);
  report('bea', 'screen', 0);
  report('gone', 'camera', 0);
  assert.deepEqual(reported, [
    ['bea', 'camera', 360],
    ['bea', 'screen', 0],
  ]);
});
