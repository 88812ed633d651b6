import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Limits } from '@tertulia/protocol';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, OPUS, RawClient, type JoinedClient } from '../support/ws-client.js';

async function ok(client: RawClient, method: string, data: object = {}) {
  const reply = await client.request(method, data);
  assert.equal(reply.ok, true, `${method}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const count = (client: RawClient, method: string) => client.messages.filter((m) => m.method === method).length;
/** The `n`-th (1-based) notification of `method` this client gets, waiting for it if needed. */
const nth = (client: RawClient, method: string, n: number) => {
  let seen = 0;
  return client.waitFor((m) => m.method === method && ++seen === n);
};
const lastRooms = (client: RawClient) => client.messages.filter((m) => m.method === 'breakoutRoomsUpdated').at(-1)?.data.rooms;

describe('breakout rooms over the protocol', () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  const join = async (room: string, name: string, extra: object = {}) => {
    const person = await joinAs(server.url, room, name, extra);
    clients.push(person.client);
    return person;
  };

  before(async () => (server = await startTestServer()));
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('refuses every moderator breakout request from a non-moderator, and nothing changes', async () => {
    const ana = await join('Guarded', 'Ana');
    const bea = await join('Guarded', 'Bea');
    const carl = await join('Guarded', 'Carl');
    assert.equal(bea.meeting.self.role, 'participant');
    const { room } = await ok(ana.client, 'createBreakoutRoom', { name: 'Kitchen' });
    await nth(bea.client, 'breakoutRoomsUpdated', 1);
    const main = server.registry.get('guarded')!;
    const before = JSON.stringify(main.breakouts.list());

    const attempts: Array<[string, object]> = [
      ['createBreakoutRoom', { name: 'Mine' }],
      ['createBreakoutRoom', {}],
      ['removeBreakoutRoom', { roomId: room.id }],
      ['closeBreakoutRooms', {}],
      ['closeBreakoutRooms', { roomId: room.id }],
      ['autoAssignBreakoutRooms', {}],
      ['sendToBreakoutRoom', { participantId: carl.id, roomId: room.id }],
      ['sendToBreakoutRoom', { participantId: bea.id, roomId: room.id }],
    ];
    for (const [method, data] of attempts) {
      const reply = await bea.client.request(method, data);
      assert.equal(reply.error?.code, 'FORBIDDEN', `${method} is refused`);
    }
    assert.equal(JSON.stringify(main.breakouts.list()), before, 'the breakout rooms are unchanged');
    assert.equal(main.size, 3, 'everyone is still in the main room');
    for (const c of [ana.client, bea.client, carl.client]) {
      assert.equal(count(c, 'moved'), 0);
      assert.equal(count(c, 'breakoutRoomsUpdated'), 1, 'only the moderator’s creation was announced');
    }
  });

  it('answers NOT_FOUND for unknown rooms and people, and a clear error past the room limit', async () => {
    const ana = await join('Limits', 'Ana');
    const bea = await join('Limits', 'Bea');
    const { room } = await ok(ana.client, 'createBreakoutRoom', {});
    assert.equal(room.name, 'Breakout room 1', 'a room without a name gets one');
    const notFound: Array<[JoinedClient, string, object]> = [
      [ana, 'removeBreakoutRoom', { roomId: 'nope' }],
      [ana, 'closeBreakoutRooms', { roomId: 'nope' }],
      [ana, 'sendToBreakoutRoom', { participantId: bea.id, roomId: 'nope' }],
      [ana, 'sendToBreakoutRoom', { participantId: 'nobody', roomId: room.id }],
      [bea, 'joinBreakoutRoom', { roomId: 'nope' }],
    ];
    for (const [who, method, data] of notFound) {
      const reply = await who.client.request(method, data);
      assert.equal(reply.error?.code, 'NOT_FOUND', `${method} ${JSON.stringify(data)}`);
    }
    const tooLong = await ana.client.request('createBreakoutRoom', { name: 'x'.repeat(Limits.maxBreakoutNameLength + 1) });
    assert.equal(tooLong.error?.code, 'INVALID_REQUEST');

    for (let made = 1; made < Limits.maxBreakoutRooms; made++) await ok(ana.client, 'createBreakoutRoom', { name: `Room ${made + 1}` });
    const over = await ana.client.request('createBreakoutRoom', { name: 'One too many' });
    assert.equal(over.error?.code, 'INVALID_REQUEST');
    assert.match(over.error!.message, new RegExp(`at most ${Limits.maxBreakoutRooms} breakout rooms`));
    const main = server.registry.get('limits')!;
    assert.equal(main.breakouts.list().length, Limits.maxBreakoutRooms);
    assert.equal(main.size, 2, 'nobody moved');
    assert.equal(count(bea.client, 'moved'), 0);
  });

  it('moves people between rooms on the same connection, each room with its own media', async () => {
    const ana = await join('Moves', 'Ana');
    const bea = await join('Moves', 'Bea');
    const carl = await join('Moves', 'Carl');
    const { room } = await ok(ana.client, 'createBreakoutRoom', { name: 'Terrace' });

    await ok(ana.client, 'sendToBreakoutRoom', { participantId: bea.id, roomId: room.id });
    const moved = (await nth(bea.client, 'moved', 1)).data.meeting;
    assert.deepEqual(moved.room.breakout, { id: room.id, name: 'Terrace' });
    assert.equal(moved.room.name, 'Moves', 'the meeting keeps its name');
    assert.equal(moved.self.id, bea.id, 'same session');
    assert.equal(moved.sessionToken, bea.meeting.sessionToken);
    assert.equal(moved.self.role, 'participant');
    assert.deepEqual(moved.participants, [], 'nobody else in the breakout room yet');
    assert.deepEqual(moved.breakoutRooms, [{ id: room.id, name: 'Terrace', participants: [{ id: bea.id, displayName: 'Bea' }] }]);
    for (const other of [ana, carl]) {
      const left = await other.client.waitFor((m) => m.method === 'participantLeft' && m.data.participantId === bea.id);
      assert.equal(left.data.reason, 'left');
    }
    for (const c of [ana.client, bea.client, carl.client]) {
      await c.waitFor((m) => m.method === 'breakoutRoomsUpdated' && m.data.rooms[0].participants.length === 1);
    }

    // Carl goes by himself; Bea sees him come in.
    await ok(carl.client, 'joinBreakoutRoom', { roomId: room.id });
    const carlMoved = (await nth(carl.client, 'moved', 1)).data.meeting;
    assert.deepEqual(carlMoved.participants.map((p: { id: string }) => p.id), [bea.id]);
    await bea.client.waitFor((m) => m.method === 'participantJoined' && m.data.participant.id === carl.id);
    assert.equal(count(ana.client, 'moved'), 0, 'the moderator stays');

    // What Bea sends now goes to the breakout room's router, not the main room's.
    const main = server.registry.get('moves')!;
    const breakout = server.registry.get(`moves/${room.id}`)!;
    assert.equal(breakout.breakout?.main, main);
    assert.notEqual(breakout.media, main.media);
    const transport = await ok(bea.client, 'createTransport', { direction: 'send' });
    await ok(bea.client, 'produce', { transportId: transport.id, kind: 'audio', source: 'mic', rtpParameters: OPUS, paused: false });
    assert.equal(breakout.media.producersOf(bea.id).length, 1);
    assert.equal(main.media.producersOf(bea.id).length, 0);
    assert.deepEqual(main.participants().map((p) => p.displayName), ['Ana']);

    // Back to the main room: the others there see Bea again.
    await ok(bea.client, 'joinBreakoutRoom', { roomId: null });
    const back = (await nth(bea.client, 'moved', 2)).data.meeting;
    assert.equal(back.room.breakout, null);
    assert.deepEqual(back.participants.map((p: { id: string }) => p.id), [ana.id]);
    await ana.client.waitFor((m) => m.method === 'participantJoined' && m.data.participant.id === bea.id);
    await carl.client.waitFor((m) => m.method === 'participantLeft' && m.data.participantId === bea.id);
    assert.equal(breakout.media.producersOf(bea.id).length, 0, 'its media in the breakout room is gone');
  });

  it('auto-assigns the non-moderators evenly; removing or closing rooms sends people back', async () => {
    const ana = await join('Assign', 'Ana');
    const empty = await ana.client.request('autoAssignBreakoutRooms', {});
    assert.equal(empty.error?.code, 'INVALID_REQUEST', 'no rooms to assign to');
    const others = [await join('Assign', 'Bea'), await join('Assign', 'Carl'), await join('Assign', 'Dan')];
    const first = (await ok(ana.client, 'createBreakoutRoom', { name: 'One' })).room;
    const second = (await ok(ana.client, 'createBreakoutRoom', { name: 'Two' })).room;

    await ok(ana.client, 'autoAssignBreakoutRooms');
    for (const person of others) await nth(person.client, 'moved', 1);
    const main = server.registry.get('assign')!;
    assert.deepEqual(main.participants().map((p) => p.displayName), ['Ana'], 'the moderator stays in the main room');
    const sizes = main.breakouts.list().map((r) => r.participants.length);
    assert.deepEqual([...sizes].sort(), [1, 2]);
    assert.deepEqual(lastRooms(ana.client), main.breakouts.list(), 'the moderator sees the assignment');

    const crowded = main.breakouts.list().find((r) => r.participants.length === 2)!;
    const crowd = others.filter((p) => crowded.participants.some((q) => q.id === p.id));
    await ok(ana.client, 'removeBreakoutRoom', { roomId: crowded.id });
    for (const person of crowd) assert.equal((await nth(person.client, 'moved', 2)).data.meeting.room.breakout, null);
    assert.equal(main.size, 3);
    assert.deepEqual(main.breakouts.list().map((r) => r.id), [crowded.id === first.id ? second.id : first.id]);
    assert.equal(server.registry.get(`assign/${crowded.id}`), undefined, 'a removed room is closed');

    await ok(ana.client, 'closeBreakoutRooms');
    const loner = others.find((p) => !crowd.includes(p))!;
    assert.equal((await nth(loner.client, 'moved', 2)).data.meeting.room.breakout, null);
    assert.equal(main.size, 4, 'everyone is back');
    assert.equal(main.breakouts.list().length, 1, 'closing keeps the rooms');
    assert.deepEqual(main.breakouts.list()[0]!.participants, []);
  });

  it('resumes a dropped session in its breakout room', async () => {
    const ana = await join('Resume', 'Ana');
    const bea = await join('Resume', 'Bea');
    const { room } = await ok(ana.client, 'createBreakoutRoom', { name: 'Nook' });
    await ok(ana.client, 'sendToBreakoutRoom', { participantId: bea.id, roomId: room.id });
    await nth(bea.client, 'moved', 1);
    bea.client.close();
    await once(bea.client.socket, 'close');

    const again = await join('Resume', 'Bea', { rejoin: { participantId: bea.id, token: bea.meeting.sessionToken } });
    assert.equal(again.meeting.resumed, true);
    assert.equal(again.id, bea.id);
    assert.deepEqual(again.meeting.room.breakout, { id: room.id, name: 'Nook' });
    const main = server.registry.get('resume')!;
    assert.equal(main.size, 1, 'not a second Bea in the main room');
    assert.deepEqual(main.breakouts.list()[0]!.participants, [{ id: bea.id, displayName: 'Bea' }]);
    // The resumed connection speaks for the breakout room: moving on from there works.
    await ok(again.client, 'joinBreakoutRoom', { roomId: null });
    assert.equal(main.size, 2);
  });

  it('shows the new name in the breakout list when a session resumes there under another name', async () => {
    const ana = await join('Rename', 'Ana');
    const bea = await join('Rename', 'Bea');
    const { room } = await ok(ana.client, 'createBreakoutRoom', { name: 'Nook' });
    await ok(ana.client, 'sendToBreakoutRoom', { participantId: bea.id, roomId: room.id });
    await nth(bea.client, 'moved', 1);
    bea.client.close();
    await once(bea.client.socket, 'close');

    const updates = count(ana.client, 'breakoutRoomsUpdated');
    await join('Rename', 'Beatriz', { rejoin: { participantId: bea.id, token: bea.meeting.sessionToken } });
    await nth(ana.client, 'breakoutRoomsUpdated', updates + 1);
    assert.deepEqual(lastRooms(ana.client)[0].participants, [{ id: bea.id, displayName: 'Beatriz' }]);
  });

  it('keeps the main room while everyone is in breakout rooms, and ending the meeting reaches them', async () => {
    const events: string[] = [];
    const started = (room: { key: string }) => events.push(`started ${room.key}`);
    const finished = (room: { key: string }) => events.push(`finished ${room.key}`);
    const left = (room: { key: string }, p: { displayName: string }, reason: string) => events.push(`left ${p.displayName} ${room.key} ${reason}`);
    server.registry.on('roomStarted', started).on('roomFinished', finished).on('participantLeft', left);
    try {
      const ana = await join('Ending', 'Ana');
      const bea = await join('Ending', 'Bea');
      const { room } = await ok(ana.client, 'createBreakoutRoom', { name: 'Garden' });
      await ok(ana.client, 'sendToBreakoutRoom', { participantId: bea.id, roomId: room.id });
      await ok(ana.client, 'joinBreakoutRoom', { roomId: room.id });
      const main = server.registry.get('ending')!;
      assert.equal(main.size, 0);
      assert.equal(main.closed, false, 'an empty main room stays open while people are in breakout rooms');
      assert.equal(server.registry.get('ending'), main);

      // The moderator, from inside the breakout room, ends the meeting for all.
      await ok(ana.client, 'endConference');
      for (const person of [ana, bea]) {
        const removed = await person.client.waitFor((m) => m.method === 'removed');
        assert.deepEqual(removed.data, { reason: 'ended', by: ana.id });
        if (person.client.socket.readyState !== person.client.socket.CLOSED) await once(person.client.socket, 'close');
      }
      assert.equal(main.closed, true);
      assert.equal(server.registry.get('ending'), undefined);
      assert.equal(server.registry.get(`ending/${room.id}`), undefined, 'its breakout room is gone too');
      assert.deepEqual(events, ['started ending', 'left Bea ending ended', 'left Ana ending ended', 'finished ending'], 'webhooks see one meeting');
    } finally {
      server.registry.off('roomStarted', started).off('roomFinished', finished).off('participantLeft', left);
    }
  });
});
