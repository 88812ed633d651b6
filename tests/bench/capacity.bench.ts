/*
 * Capacity benchmark: Tertulia and Janus, one after the other on this machine, under
 * identical loads of synthetic participants (packages/loadtest: real ICE + DTLS-SRTP,
 * looped VP8 + Opus). Per scenario it prints the packets forwarded (counted at the
 * subscribers), loss, jitter, the CPU of the SFU's processes over the measuring window,
 * the load tool's own CPU and the machine's; then the largest all-to-all room each SFU
 * held; the floor (one SRTP encrypt + one UDP send) beside them; and as its last line
 *   capacity: tertulia <X> pps/cpu-s, janus <Y> pps/cpu-s, ratio <X/Y>
 * where X and Y are packets forwarded per CPU-second of the SFU over both all-to-all
 * scenarios together. Run through `npm run bench:capacity` (installs and builds what it
 * needs); the CAPACITY_* variables in capacity-settings.ts shorten it.
 */
import { runLoad, type SfuName } from '@tertulia/loadtest';
import { CORES, startCpuSampler, type CpuSampler } from './capacity-cpu.js';
import { capacityLine, floorTable, ppsPerCpuSecond, rampTable, scenarioTable, type RampStep, type Run } from './capacity-report.js';
import { HOLD_MAX_LOSS, HOLD_MAX_MACHINE_BUSY, LOAD_TOOL_SATURATED, SCENARIOS, readSettings, type Scenario } from './capacity-settings.js';
import { startSfu, type RunningSfu } from './capacity-sfus.js';
import { NEGOTIATED_CIPHER, measureFloor } from './floor.js';

const settings = readSettings();
const say = (text: string) => process.stdout.write(text);
const pause = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const tag = Date.now().toString(36);

say(`capacity bench on ${CORES} cores: ${settings.sfus.join(' then ')}; ${settings.seconds} s per scenario, ramp ${settings.rampSizes.join(', ') || 'skipped'}\n`);
say(`floor: ${settings.floorSeconds} s of CPU per measurement…\n`);
const floor = await measureFloor(settings.floorSeconds);
const negotiatedFloor = floor.find((figures) => figures.cipher === NEGOTIATED_CIPHER);
say(floorTable(floor));

interface Shape {
  label: string;
  rooms: number;
  participantsPerRoom: number;
  publishersPerRoom: number;
  seconds: number;
}

/** One bounded load run, with the SFU's, the load tool's and the machine's CPU over its measuring window. */
async function measure(sfu: SfuName, server: RunningSfu, sampler: CpuSampler, shape: Shape): Promise<Run> {
  say(`▸ ${sfu} ${shape.label}: ${shape.rooms} room(s) × ${shape.participantsPerRoom}, ${shape.publishersPerRoom} publishing per room, ${shape.seconds} s\n`);
  const load = await runLoad(
    {
      sfu,
      url: server.url,
      rooms: shape.rooms,
      participantsPerRoom: shape.participantsPerRoom,
      publishersPerRoom: shape.publishersPerRoom,
      durationSeconds: shape.seconds,
      rampPerSecond: settings.joinsPerSecond,
      layer: settings.layer,
      workers: settings.workers,
      roomPrefix: `cap-${tag}-${sfu}-${shape.label}`,
    },
    (line) => say(`  [${sfu} ${shape.label}] ${line}\n`),
  );
  const cpu = sampler.over(load.window.startedAt, load.window.endedAt);
  await pause(settings.settleSeconds);
  return { sfu, load, cpu };
}

const scenarioShape = (scenario: Scenario): Shape => ({ ...scenario, label: scenario.key, seconds: settings.seconds });

/** Whether a ramp step held, and whether the ramp should go on to a bigger room. */
function judge(run: Run): { held: boolean; stop: boolean; note: string } {
  const { load, cpu } = run;
  const problems = [
    load.failures.length > 0 && `${load.failures.length} join(s) failed: ${load.failures[0]!.error}`,
    load.streamsReceiving < load.streamsExpected && `${load.streamsExpected - load.streamsReceiving} stream(s) never arrived`,
    load.lossRatio >= HOLD_MAX_LOSS && `loss ${(load.lossRatio * 100).toFixed(2)} %`,
    cpu.machineBusy > HOLD_MAX_MACHINE_BUSY && `machine ${(cpu.machineBusy * 100).toFixed(0)} % busy`,
  ].filter((problem): problem is string => Boolean(problem));
  const loadToolShare = cpu.loadToolCpuSeconds / cpu.seconds / CORES;
  const saturated = loadToolShare >= LOAD_TOOL_SATURATED;
  const notes = [...problems, saturated && `load tool at ${(loadToolShare * 100).toFixed(0)} % of all cores, stopping`].filter(Boolean);
  return { held: problems.length === 0, stop: problems.length > 0 || saturated, note: notes.join('; ') };
}

/** Ever bigger all-to-all rooms until one is not held, the load tool saturates or the time budget is spent. */
async function ramp(sfu: SfuName, server: RunningSfu, sampler: CpuSampler): Promise<RampStep[]> {
  const steps: RampStep[] = [];
  const started = performance.now();
  for (const size of settings.rampSizes) {
    if ((performance.now() - started) / 1000 > settings.rampBudgetSeconds) {
      say(`  [${sfu} ramp] time budget of ${settings.rampBudgetSeconds} s spent; not trying ${size}\n`);
      break;
    }
    const shape = { label: `ramp${size}`, rooms: 1, participantsPerRoom: size, publishersPerRoom: size, seconds: settings.rampSeconds };
    let run: Run;
    try {
      run = await measure(sfu, server, sampler, shape);
    } catch (error) {
      steps.push({ size, run: undefined, held: false, note: `load run failed: ${(error as Error).message}` });
      break;
    }
    const verdict = judge(run);
    steps.push({ size, run, held: verdict.held, note: verdict.note });
    if (verdict.stop) break;
  }
  return steps;
}

const runs = new Map<string, Run[]>(SCENARIOS.map((scenario) => [scenario.key, []]));
const ramps = new Map<SfuName, RampStep[]>();
for (const sfu of settings.sfus) {
  say(`\n▸ starting ${sfu}\n`);
  const server = await startSfu(sfu, settings.port);
  const sampler = startCpuSampler(server.pid);
  try {
    for (const scenario of SCENARIOS) runs.get(scenario.key)!.push(await measure(sfu, server, sampler, scenarioShape(scenario)));
    ramps.set(sfu, await ramp(sfu, server, sampler));
  } finally {
    sampler.stop();
    await server.stop();
  }
}

for (const scenario of SCENARIOS) {
  say(`\n${scenario.title} (${settings.seconds} s measured; packets counted at the subscribers; SFU ns/pkt against the floor's ${NEGOTIATED_CIPHER})\n`);
  say(scenarioTable(runs.get(scenario.key)!, negotiatedFloor));
}

if (settings.rampSizes.length > 0) {
  say(`\nLargest all-to-all room held (loss < ${HOLD_MAX_LOSS * 100} %, every stream arriving, machine ≤ ${HOLD_MAX_MACHINE_BUSY * 100} % busy; ${settings.rampSeconds} s each)\n`);
  for (const [sfu, steps] of ramps) {
    say(rampTable(sfu, steps));
    const held = steps.filter((step) => step.held).map((step) => step.size);
    say(`${sfu}: largest room held ${held.length > 0 ? Math.max(...held) : 'none'}\n\n`);
  }
}

say(`Floor on this machine (one srtp_protect of a 1,100-byte packet + one UDP sendto on loopback, one core)\n`);
say(floorTable(floor));

const headline = (sfu: SfuName) => ppsPerCpuSecond(SCENARIOS.filter((s) => s.headline).flatMap((s) => runs.get(s.key)!.filter((run) => run.sfu === sfu)));
if (settings.sfus.includes('tertulia') && settings.sfus.includes('janus')) {
  say(`\n${capacityLine(headline('tertulia'), headline('janus'))}\n`);
} else {
  say(`\n(${settings.sfus[0]} only: ${headline(settings.sfus[0]!).toFixed(0)} pps/cpu-s over the all-to-all scenarios; the capacity line needs both SFUs)\n`);
}
