import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DownlinkLimits } from './downlink-limits.js';

/** Limits on a clock the test moves by hand. */
function setup() {
  let now = 0;
  const limits = new DownlinkLimits(() => now);
  return { limits, at: (ms: number) => (now = ms) };
}

describe('downlink limits', () => {
  it('ignores a fresh transport’s ramp-up, then limits a receiver whose estimate falls short of what it is sent', () => {
    const { limits, at } = setup();
    assert.equal(limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 2_000_000 }), false, 'the estimate starts low by design');
    at(6_000);
    assert.equal(limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 2_000_000 }), true);
    assert.equal(limits.limit('ana'), 300_000);
    assert.equal(limits.update('ana', { availableBitrate: 310_000, desiredBitrate: 2_000_000 }), false, 'jitter does not rerun the policy');
    assert.equal(limits.update('ana', { availableBitrate: 600_000, desiredBitrate: 2_000_000 }), true);
    assert.equal(limits.limit('ana'), 600_000);
    assert.equal(limits.limit('bea'), null, 'other receivers are unaffected');
  });

  it('goes by the best estimate of the last twenty seconds, not by a dip', () => {
    const { limits, at } = setup();
    limits.update('ana', { availableBitrate: 500_000, desiredBitrate: 500_000 });
    at(5_000);
    limits.update('ana', { availableBitrate: 2_000_000, desiredBitrate: 3_000_000 });
    at(6_000);
    limits.update('ana', { availableBitrate: 200_000, desiredBitrate: 3_000_000 });
    assert.equal(limits.limit('ana'), 2_000_000);
    at(16_000);
    limits.update('ana', { availableBitrate: 200_000, desiredBitrate: 3_000_000 });
    assert.equal(limits.limit('ana'), 2_000_000, 'ten seconds low is not yet short');
    at(25_500);
    limits.update('ana', { availableBitrate: 200_000, desiredBitrate: 3_000_000 });
    assert.equal(limits.limit('ana'), 200_000, 'a downlink that stays short');
  });

  it('keeps a limit for a while after the congestion ends, then lifts it, holding longer when the full layers fail again at once', () => {
    const { limits, at } = setup();
    limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 300_000 });
    at(6_000);
    limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 2_000_000 });
    at(8_000);
    assert.equal(limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 300_000 }), false, 'held');
    at(11_000);
    assert.equal(limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 300_000 }), true, 'lifted after the hold');
    assert.equal(limits.limit('ana'), null);
    at(12_000);
    assert.equal(limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 2_000_000 }), true, 'congested again at once');
    at(18_000);
    limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 300_000 });
    assert.equal(limits.limit('ana'), 300_000, 'the second hold is twice as long');
    at(22_001);
    limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 300_000 });
    assert.equal(limits.limit('ana'), null);
  });

  it('starts over for a receiver that rebuilt its transports', () => {
    const { limits, at } = setup();
    limits.update('ana', { availableBitrate: 1_000_000, desiredBitrate: 1_000_000 });
    at(6_000);
    limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 2_000_000 });
    limits.forget('ana');
    assert.equal(limits.limit('ana'), null);
    assert.equal(limits.update('ana', { availableBitrate: 300_000, desiredBitrate: 2_000_000 }), false, 'ramping up again');
  });
});
