import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MediasoupBridge } from '@tertulia/media';
import type { NotificationMethod } from '@tertulia/protocol';
import pino from 'pino';
import type { Participant, ParticipantLink } from './participant.js';
import type { Room } from './room.js';
import { RoomRegistry } from './room-registry.js';

/** A connection stand-in that records what the participant was told. */
function recorder() {
  const received: Array<{ method: NotificationMethod; data: any }> = [];
  let superseded = false;
  let closedFor = false;
  const link: ParticipantLink = {
    notify: (method, data) => received.push({ method, data }),
    supersede: () => (superseded = true),
    close: () => (closedFor = true),
    moved: () => undefined,
    roomClosed: () => undefined,
    mediaRestarted: () => undefined,
  };
  return { link, received, isSuperseded: () => superseded, isClosed: () => closedFor, of: (m: NotificationMethod) => received.filter((r) => r.method === m) };
}

describe('room lifecycle (real mediasoup worker)', () => {
  let bridge: MediasoupBridge;
  let registry: RoomRegistry;
  const logger = pino({ level: 'silent' });

  before(async () => {
    bridge = await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger });
    registry = new RoomRegistry(bridge, logger);
  });
  after(() => bridge.close());

  it('creates a room on first join, shares it for concurrent opens, and forgets it after the last leave', async () => {
    const [first, second] = await Promise.all([registry.open('team', 'Team'), registry.open('team', 'Team')]);
    assert.equal(first, second, 'concurrent first joins share one room');
    const a = recorder();
    const ana = first.join('Ana', a.link);
    assert.equal(registry.get('team'), first);
    first.leave(ana, 'left');
    assert.equal(registry.get('team'), undefined, 'an empty room is gone');
    assert.equal(first.closed, true);
    assert.equal(first.media.closed, true, 'its router is closed');
    const again = await registry.open('team', 'Team');
    assert.notEqual(again, first, 'the same name later is a new room');
    assert.ok(again.startedAt >= first.startedAt);
    again.leave(again.join('x', recorder().link), 'left');
  });

  it('makes the first participant moderator and hands moderation to the longest-present on leave', async () => {
    const room = await registry.open('handover', 'Handover');
    const [a, b, c] = [recorder(), recorder(), recorder()];
    const ana = room.join('Ana', a.link);
    await sleep(2);
    const bea = room.join('Bea', b.link);
    await sleep(2);
    room.join('Carl', c.link);
    assert.equal(ana.role, 'moderator');
    assert.equal(bea.role, 'participant');
    assert.deepEqual(a.of('participantJoined').map((n) => n.data.participant.displayName), ['Bea', 'Carl']);

    room.leave(ana, 'left');
    assert.equal(bea.role, 'moderator', 'the longest-present participant takes over');
    const update = c.of('participantUpdated').find((n) => n.data.participant.id === bea.id);
    assert.equal(update?.data.participant.role, 'moderator', 'everyone hears about the new moderator');
    assert.deepEqual(c.of('participantLeft').map((n) => n.data), [{ participantId: ana.id, reason: 'left' }]);
    for (const p of room.participants()) room.leave(p, 'left');
  });

  it('keeps a disconnected participant for the grace period, resumes it with its token, and drops it after', async () => {
    const room = await registry.open('grace', 'Grace');
    const [a, b] = [recorder(), recorder()];
    const ana = room.join('Ana', a.link);
    const bea = room.join('Bea', b.link);

    room.disconnected(bea, 60, false);
    const back = recorder();
    assert.equal(room.resume(bea.id, 'wrong-token', back.link), undefined, 'a wrong token resumes nothing');
    assert.equal(room.resume(bea.id, bea.sessionToken, back.link), bea, 'the right token resumes the same participant');
    await sleep(100);
    assert.equal(room.size, 2, 'a resumed participant is not dropped when the grace period would have ended');

    room.disconnected(bea, 30, true);
    await sleep(80);
    assert.equal(room.size, 1);
    assert.deepEqual(a.of('participantLeft').at(-1)?.data, { participantId: bea.id, reason: 'disconnected' });
    room.leave(ana, 'left');
    assert.equal(registry.get('grace'), undefined);
  });

  it('supersedes the old connection when a session is resumed while still attached', async () => {
    const room = await registry.open('takeover', 'Takeover');
    const old = recorder();
    const ana = room.join('Ana', old.link);
    const fresh = recorder();
    assert.equal(room.resume(ana.id, ana.sessionToken, fresh.link), ana);
    assert.equal(old.isSuperseded(), true);
    assert.equal(ana.isAttachedTo(fresh.link), true);
    room.leave(ana, 'left');
  });

  it('kicks one participant and ends the meeting for all, reporting each step as a lifecycle event', async () => {
    const events: string[] = [];
    const started = (room: Room) => events.push(`started ${room.key}`);
    const finished = (room: Room) => events.push(`finished ${room.key}`);
    const joined = (_room: Room, p: Participant) => events.push(`joined ${p.displayName}`);
    const left = (_room: Room, p: Participant, reason: string) => events.push(`left ${p.displayName} ${reason}`);
    registry.on('roomStarted', started).on('roomFinished', finished).on('participantJoined', joined).on('participantLeft', left);
    try {
      const room = await registry.open('moderated', 'Moderated');
      const [a, b, c] = [recorder(), recorder(), recorder()];
      const ana = room.join('Ana', a.link);
      const bea = room.join('Bea', b.link);
      room.join('Carl', c.link);

      assert.throws(() => room.kick('nobody', ana.id), /No participant/);
      room.kick(bea.id, ana.id);
      assert.deepEqual(b.of('removed').map((n) => n.data), [{ reason: 'kicked', by: ana.id }]);
      assert.equal(b.isClosed(), true, 'the kicked connection is closed');
      assert.equal(room.size, 2);
      assert.deepEqual(c.of('participantLeft').at(-1)?.data, { participantId: bea.id, reason: 'kicked', by: ana.id });

      room.end(null);
      for (const r of [a, c]) {
        assert.deepEqual(r.of('removed').map((n) => n.data), [{ reason: 'ended', by: null }]);
        assert.equal(r.isClosed(), true);
      }
      assert.equal(registry.get('moderated'), undefined, 'an ended room is gone');
      assert.deepEqual(events, [
        'started moderated',
        'joined Ana',
        'joined Bea',
        'joined Carl',
        'left Bea kicked',
        'left Ana ended',
        'left Carl ended',
        'finished moderated',
      ]);
    } finally {
      registry.off('roomStarted', started).off('roomFinished', finished).off('participantJoined', joined).off('participantLeft', left);
    }
  });
});
