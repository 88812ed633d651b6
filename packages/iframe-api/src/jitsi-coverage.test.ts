import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { currentSection, expectedSection, implemented, README } from '../../../scripts/iframe-coverage.js';
import { ABSENT, coverage, JITSI_COMMANDS, JITSI_EVENTS } from './jitsi-coverage.js';

test('the README coverage table is the one the code generates (run npm run coverage:iframe after changing either)', () => {
  const { section, problems } = expectedSection();
  assert.deepEqual(problems, []);
  assert.equal(currentSection(readFileSync(README, 'utf8')), section);
});

test('Jitsi has 74 commands and 81 events, and the table has a row for each', () => {
  assert.equal(new Set(JITSI_COMMANDS).size, 74);
  assert.equal(new Set(JITSI_EVENTS).size, 81);
  const { rows } = coverage(implemented());
  assert.equal(rows.filter((row) => row.kind === 'command').length, 74);
  assert.equal(rows.filter((row) => row.kind === 'event').length, 81);
});

test('an unclassified Jitsi name and a supported name Jitsi does not have are both reported', () => {
  const real = implemented();
  const unclassified = JITSI_COMMANDS.find((name) => !real.commands.includes(name) && ABSENT.has(name));
  assert.ok(unclassified, 'some Jitsi command is still absent');
  const { problems } = coverage({ ...real, commands: [...real.commands, 'inventedCommand'], events: real.events.filter((e) => e !== 'ready') });
  assert.ok(problems.some((p) => p.includes('"inventedCommand" is implemented but is not a Jitsi name')));
  // `ready` is supported and has no absence reason, so dropping it from the code leaves it unclassified.
  assert.ok(problems.some((p) => p.includes('event "ready" is neither implemented nor classified')));
});

test('security-relevant config keys are listed as server-side only, never as supported', () => {
  const { rows } = coverage(implemented());
  for (const key of Object.keys(implemented().serverOnlyKeys)) {
    const row = rows.find((r) => r.kind === 'config' && r.name === key);
    assert.ok(row && row.status !== 'supported' && 'serverOnly' in row.status, key);
  }
});
