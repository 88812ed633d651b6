/*
 * `npm run fuzz`: the protocol fuzzer of tests/server/protocol-fuzz.test.ts for longer,
 * against a server of its own in this process. Prints progress and a summary; exits 1 on a failure.
 *   FUZZ_SECONDS (default 300)  FUZZ_SEED (default: random)  FUZZ_LANES (default 8, scenarios at once)
 *   FUZZ_PATH with FUZZ_SEED: replay one counterexample (both are in a failure's report).
 */
import { FUZZ_SERVER_ENV, ProtocolFuzzer } from '../support/protocol-fuzz.js';
import { startTestServer } from '../support/server.js';

const seconds = Number(process.env['FUZZ_SECONDS'] ?? 300);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const lanes = Number(process.env['FUZZ_LANES'] ?? 8);
const path = process.env['FUZZ_PATH'];

const say = (line: string) => process.stdout.write(`${line}\n`);
const server = await startTestServer(FUZZ_SERVER_ENV);
const fuzzer = new ProtocolFuzzer(server);
say(`fuzzing for ${seconds} s with ${lanes} lanes, FUZZ_SEED=${seed}${path ? ` FUZZ_PATH=${path}` : ''}`);
const started = Date.now();
const progress = setInterval(() => say(`${((Date.now() - started) / 1000).toFixed(0)} s: ${fuzzer.cases} scenarios`), 10_000);
const result = await fuzzer.run({ cases: path ? 1 : Infinity, lanes, seed, path, timeLimitMs: seconds * 1000 });
clearInterval(progress);
await server.close();

const elapsed = (Date.now() - started) / 1000;
const cpu = process.cpuUsage();
say(`\n${result.cases} scenarios in ${elapsed.toFixed(0)} s (${(result.cases / elapsed).toFixed(0)}/s; this process used ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s of CPU), lane seeds ${result.seeds.join(', ')}`);
say('answers:');
for (const [code, n] of [...result.tally].sort((a, b) => b[1] - a[1])) say(`  ${code.padEnd(32)} ${n}`);
for (const failure of result.failures) say(`\nFAILURE\n${failure}`);
for (const leftover of result.leftovers) say(`\nLEFT OVER: ${leftover}`);
const ok = result.failures.length === 0 && result.leftovers.length === 0;
say(ok ? '\nno problems found' : '\nproblems found');
process.exit(ok ? 0 : 1);
