import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Participant } from '@tertulia/protocol';
import type { ConferenceState, RemoteParticipant } from '../conference/conference.js';
import { nameMatches, peopleOf } from './participants.js';

const person = (id: string, displayName: string, handRaisedAt: number | null = null): Participant => ({
  id,
  displayName,
  role: 'participant',
  joinedAt: 0,
  audioMuted: true,
  videoMuted: false,
  screenSharing: false,
  handRaisedAt,
  chatMuted: false,
});

function stateWith(self: Participant, others: Participant[]): ConferenceState {
  const participants: RemoteParticipant[] = others.map((p) => ({ ...p, tracks: {}, videoHeldBack: {} }));
  return { self, participants, local: { audioMuted: false, videoMuted: true } } as unknown as ConferenceState;
}

describe('participants pane', () => {
  it('lists raised hands first in the order raised, then yourself, then the others as they joined', () => {
    const state = stateWith(person('me', 'Me', 300), [person('a', 'Ana'), person('b', 'Bea', 200), person('c', 'Carl'), person('d', 'Dan', 100)]);
    const people = peopleOf(state, 'Me');
    assert.deepEqual(people.map((p) => p.id), ['d', 'b', 'me', 'a', 'c']);
    assert.deepEqual(people.map((p) => p.handPosition), [1, 2, 3, undefined, undefined]);
  });

  it('shows your own microphone and camera as your buttons have them', () => {
    const [me] = peopleOf(stateWith(person('me', 'Me'), []), 'Me');
    assert.deepEqual([me!.self, me!.audioMuted, me!.videoMuted], [true, false, true]);
  });

  it('matches names ignoring case and accents, anywhere in the name', () => {
    assert.ok(nameMatches('José Luis', 'jose'));
    assert.ok(nameMatches('Ana María', 'MARIA'));
    assert.ok(nameMatches('Zoë', 'zoe'));
    assert.ok(nameMatches('Anyone', '  '));
    assert.ok(!nameMatches('Bea', 'ana'));
  });
});
