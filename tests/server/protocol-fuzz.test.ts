import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { FUZZ_SERVER_ENV, ProtocolFuzzer, byOutcome } from '../support/protocol-fuzz.js';
import { startTestServer } from '../support/server.js';

/**
 * This many scenarios (about 30 s on an idle 2-core machine), stopped at TIME_LIMIT_MS on a
 * busy one: the count is printed, not asserted, since it measures the machine as much as the
 * server. `npm run fuzz` runs longer. FUZZ_SEED replays a run.
 */
const CASES = 5000;
const LANES = 8;
const TIME_LIMIT_MS = 50_000;

describe('protocol fuzzing: whatever clients send, the server stays up, answers, and keeps a possible state', () => {
  let server: RunningServer;
  before(async () => (server = await startTestServer(FUZZ_SERVER_ENV)));
  after(() => server.close());

  it(`survives ${CASES} generated scenarios, ${LANES} at once`, { timeout: 60_000 }, async (t) => {
    const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
    const started = Date.now();
    const result = await new ProtocolFuzzer(server).run({ cases: CASES, lanes: LANES, seed, timeLimitMs: TIME_LIMIT_MS });
    const answers = [...byOutcome(result.tally)].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    const cut = result.cases < CASES ? ` (stopped at the ${TIME_LIMIT_MS / 1000} s limit)` : '';
    t.diagnostic(`${result.cases} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s${cut}, seeds ${result.seeds.join(', ')} (FUZZ_SEED=${seed}); answers: ${answers}`);
    assert.equal(result.failures.length, 0, result.failures.join('\n\n'));
    assert.equal(result.leftovers.length, 0, result.leftovers.join('\n'));
  });
});
