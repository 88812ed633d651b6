import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selfViewHeight } from './use-self-view-track.js';

test('a self-view is scaled to the first step that fills its tile, never above the capture', () => {
  assert.equal(selfViewHeight(120, 720), 180);
  assert.equal(selfViewHeight(280, 720), 360);
  assert.equal(selfViewHeight(360, 720), 360);
  assert.equal(selfViewHeight(500, 720), 540);
  assert.equal(selfViewHeight(600, 720), 720, 'a stage larger than every step shows the camera as captured');
  assert.equal(selfViewHeight(1440, 1080), 1080);
  assert.equal(selfViewHeight(280, 240), 240, 'a small camera is never scaled up');
});
