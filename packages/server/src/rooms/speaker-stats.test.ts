import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Participant } from './participant.js';
import { SpeakerStats } from './speaker-stats.js';

/** Speaker stats on a clock the test moves by hand. */
function setup() {
  let now = 1_000;
  const stats = new SpeakerStats(() => now);
  const ana = new Participant('Ana');
  const bea = new Participant('Bea');
  const carl = new Participant('Carl');
  const ms = (present: Participant[]) => Object.fromEntries(stats.stats(present).map((s) => [s.displayName, s.speakingMs]));
  return { stats, ana, bea, carl, ms, advance: (by: number) => (now += by) };
}

describe('speaker stats', () => {
  it('counts turns from dominant-speaker changes, the running turn included', () => {
    const { stats, ana, bea, carl, ms, advance } = setup();
    assert.deepEqual(ms([ana, bea, carl]), { Ana: 0, Bea: 0, Carl: 0 }, 'everyone present is listed from the start');
    stats.dominantSpeaker(ana);
    advance(4_000);
    stats.dominantSpeaker(ana);
    advance(1_000);
    assert.deepEqual(ms([ana, bea, carl]), { Ana: 5_000, Bea: 0, Carl: 0 }, 'the same speaker again continues the turn');
    stats.dominantSpeaker(bea);
    advance(2_500);
    assert.deepEqual(ms([ana, bea, carl]), { Ana: 5_000, Bea: 2_500, Carl: 0 });
    const now = stats.stats([ana, bea, carl]);
    assert.deepEqual(
      now.map((s) => [s.displayName, s.speakingNow, s.present]),
      [
        ['Ana', false, true],
        ['Bea', true, true],
        ['Carl', false, true],
      ],
    );
  });

  it('pauses a muted dominant speaker’s turn and resumes it on unmute', () => {
    const { stats, ana, bea, ms, advance } = setup();
    stats.dominantSpeaker(ana);
    advance(1_000);
    stats.micChanged(ana.id, false);
    advance(10_000);
    assert.deepEqual(ms([ana, bea]), { Ana: 1_000, Bea: 0 });
    assert.equal(stats.stats([ana, bea])[0]!.speakingNow, false);
    stats.micChanged(ana.id, false);
    stats.micChanged(ana.id, true);
    advance(500);
    assert.deepEqual(ms([ana, bea]), { Ana: 1_500, Bea: 0 });
    stats.micChanged(bea.id, false);
    stats.dominantSpeaker(bea);
    advance(700);
    assert.deepEqual(ms([ana, bea]), { Ana: 1_500, Bea: 0 }, 'a muted person who becomes dominant gains nothing until unmuted');
  });

  it('keeps people who left, not present, with the time they had and their last name', () => {
    const { stats, ana, bea, ms, advance } = setup();
    stats.dominantSpeaker(bea);
    advance(3_000);
    bea.displayName = 'Beatriz';
    stats.left(bea);
    advance(3_000);
    assert.deepEqual(ms([ana]), { Ana: 0, Beatriz: 3_000 }, 'her turn ended when she left');
    const gone = stats.stats([ana]).find((s) => s.participantId === bea.id)!;
    assert.equal(gone.present, false);
    assert.equal(gone.speakingNow, false);
    const silent = new Participant('Silent');
    stats.left(silent);
    assert.deepEqual(ms([ana]), { Ana: 0, Beatriz: 3_000, Silent: 0 }, 'someone who never spoke is listed too');
  });
});
