import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MediaBridge } from '@tertulia/media';
import { ServerLoad } from './server-load.js';

/** A bridge whose only worker reports `cpu.value` of a core; ServerLoad reads nothing else. */
function bridgeAt(cpu: { value: number | null }): MediaBridge {
  return { stats: () => ({ workers: [{ cpu: cpu.value }] }) } as unknown as MediaBridge;
}

it('is overloaded from stress 1 until stress falls below 0.8, not at every sample near the threshold', () => {
  const cpu = { value: null as number | null };
  const load = new ServerLoad(bridgeAt(cpu), 0.5);
  const seen = [null, 0.3, 0.5, 0.45, 0.41, 0.39, 0.45, 0.5].map((value) => {
    cpu.value = value;
    return [load.stress(), load.overloaded] as const;
  });
  assert.deepEqual(
    seen.map(([, overloaded]) => overloaded),
    [false, false, true, true, true, false, false, true],
  );
  assert.equal(seen[2]![0], 1);
});
