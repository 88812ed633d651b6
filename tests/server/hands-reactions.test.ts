import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Limits } from '@tertulia/protocol';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, RawClient } from '../support/ws-client.js';

describe('raised hands and reactions over the protocol', () => {
  let server: RunningServer;
  const clients: RawClient[] = [];

  /** A new connection joined to `room`; the first one in a room moderates. */
  async function joined(room: string, displayName: string) {
    const person = await joinAs(server.url, room, displayName);
    clients.push(person.client);
    return person;
  }

  /** The `nth` update to `id`'s participant that `client` receives with the hand up (or down). */
  const handUpdate = (client: RawClient, id: string, raised: boolean, nth = 1) => {
    let count = 0;
    return client.waitFor(
      (m) => m.method === 'participantUpdated' && m.data.participant.id === id && (m.data.participant.handRaisedAt !== null) === raised && ++count === nth,
    );
  };
  const handUpdates = (client: RawClient, id: string) =>
    client.messages.filter((m) => m.method === 'participantUpdated' && m.data.participant.id === id).length;
  const reactionsFrom = (client: RawClient, id: string) => client.messages.filter((m) => m.method === 'reaction' && m.data.participantId === id);
  /** Waits until `client` has seen a reaction from `id` that was sent after `marker` (a reaction of another participant). */
  const seen = (client: RawClient, marker: { id: string; reaction: string }) =>
    client.waitFor((m) => m.method === 'reaction' && m.data.participantId === marker.id && m.data.reaction === marker.reaction);

  before(async () => (server = await startTestServer()));
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('broadcasts raised and lowered hands to everyone, queued in the order they went up', async () => {
    const ana = await joined('Hands', 'Ana');
    const bea = await joined('Hands', 'Bea');
    const carl = await joined('Hands', 'Carl');
    const room = server.registry.get('hands')!;

    assert.equal((await bea.client.request('raiseHand', { raised: true })).ok, true);
    const beaUp = await Promise.all([ana, bea, carl].map((c) => handUpdate(c.client, bea.id, true)));
    const beaAt = beaUp[0]!.data.participant.handRaisedAt as number;
    assert.ok(beaUp.every((m) => m.data.participant.handRaisedAt === beaAt), 'everyone, Bea included, sees the same time');

    assert.equal((await carl.client.request('raiseHand', { raised: true })).ok, true);
    const carlAt = (await handUpdate(ana.client, carl.id, true)).data.participant.handRaisedAt as number;
    assert.ok(carlAt > beaAt, 'Carl is behind Bea in the queue');

    const before = handUpdates(ana.client, bea.id);
    assert.equal((await bea.client.request('raiseHand', { raised: true })).ok, true, 'raising a raised hand is accepted');
    assert.equal(room.participant(bea.id)!.handRaisedAt, beaAt, '…and keeps its place');

    assert.equal((await bea.client.request('raiseHand', { raised: false })).ok, true);
    await Promise.all([ana, bea, carl].map((c) => handUpdate(c.client, bea.id, false)));
    assert.equal(handUpdates(ana.client, bea.id), before + 1, 'the repeated raise was not broadcast');
    assert.equal((await bea.client.request('raiseHand', { raised: false })).ok, true, 'lowering a lowered hand is a no-op');
    assert.equal(room.participant(carl.id)!.handRaisedAt, carlAt, 'Carl is still waiting');

    assert.equal((await bea.client.request('raiseHand', { raised: true })).ok, true);
    const again = (await handUpdate(carl.client, bea.id, true, 2)).data.participant.handRaisedAt as number;
    assert.ok(again > carlAt, 'raised again after lowering, Bea joins the end of the queue');

    for (const bad of [{}, { raised: 'yes' }, { raised: true, at: 0 }]) {
      assert.equal((await bea.client.request('raiseHand', bad)).error?.code, 'INVALID_REQUEST', JSON.stringify(bad));
    }
  });

  it('lets only moderators lower other people’s hands', async () => {
    const ana = await joined('Hands2', 'Ana');
    const bea = await joined('Hands2', 'Bea');
    const carl = await joined('Hands2', 'Carl');
    const room = server.registry.get('hands2')!;
    for (const c of [bea, carl]) await c.client.request('raiseHand', { raised: true });
    await handUpdate(ana.client, carl.id, true);

    assert.equal((await bea.client.request('lowerHand', { participantId: carl.id })).error?.code, 'FORBIDDEN');
    assert.equal((await bea.client.request('lowerHand', {})).error?.code, 'FORBIDDEN');
    assert.notEqual(room.participant(carl.id)!.handRaisedAt, null, 'Carl’s hand stays up');
    assert.notEqual(room.participant(bea.id)!.handRaisedAt, null, 'so does Bea’s');

    assert.equal((await ana.client.request('lowerHand', { participantId: 'nobody' })).error?.code, 'NOT_FOUND');
    assert.equal((await ana.client.request('lowerHand', { participantId: carl.id })).ok, true);
    await Promise.all([ana, bea, carl].map((c) => handUpdate(c.client, carl.id, false)));
    assert.notEqual(room.participant(bea.id)!.handRaisedAt, null, 'only Carl’s hand went down');
    assert.equal((await ana.client.request('lowerHand', { participantId: carl.id })).ok, true, 'a lowered hand: nothing to do');

    await carl.client.request('raiseHand', { raised: true });
    assert.equal((await ana.client.request('lowerHand', {})).ok, true);
    await Promise.all([bea, carl].map((c) => handUpdate(ana.client, c.id, false)));
    assert.ok(room.participants().every((p) => p.handRaisedAt === null), 'without an id, every hand goes down');
  });

  it('forgets the hand of someone who leaves', async () => {
    const ana = await joined('Hands3', 'Ana');
    const bea = await joined('Hands3', 'Bea');
    await bea.client.request('raiseHand', { raised: true });
    await handUpdate(ana.client, bea.id, true);
    await bea.client.request('leave');
    const later = await joined('Hands3', 'Carl');
    assert.deepEqual(
      later.meeting.participants.map((p: { handRaisedAt: number | null }) => p.handRaisedAt),
      [null],
      'the newcomer sees only Ana, with no hand up',
    );
  });

  it('lowers the hand of someone moved to a breakout room: the queue belongs to the room', async () => {
    const ana = await joined('Hands4', 'Ana');
    const bea = await joined('Hands4', 'Bea');
    await bea.client.request('raiseHand', { raised: true });
    await handUpdate(ana.client, bea.id, true);
    const breakout = (await ana.client.request('createBreakoutRoom', { name: 'Kitchen' })).data.room;
    assert.equal((await ana.client.request('sendToBreakoutRoom', { participantId: bea.id, roomId: breakout.id })).ok, true);
    const moved = await bea.client.waitFor((m) => m.method === 'moved');
    assert.equal(moved.data.meeting.self.handRaisedAt, null);
  });

  it('delivers a reaction to everyone, the sender included', async () => {
    const ana = await joined('Reacting', 'Ana');
    const bea = await joined('Reacting', 'Bea');
    assert.equal((await bea.client.request('sendReaction', { reaction: 'clap' })).ok, true);
    for (const c of [ana, bea]) {
      const got = await c.client.waitFor((m) => m.method === 'reaction');
      assert.deepEqual(got.data, { participantId: bea.id, reaction: 'clap' });
    }
  });

  it('refuses unknown reactions and extra fields, delivering nothing', async () => {
    const ana = await joined('Reacting2', 'Ana');
    const bea = await joined('Reacting2', 'Bea');
    for (const bad of [{ reaction: 'poop' }, { reaction: '👍' }, {}, { reaction: 'like', text: '<b>hi</b>' }, { reaction: 'like', participantId: ana.id }]) {
      assert.equal((await bea.client.request('sendReaction', bad)).error?.code, 'INVALID_REQUEST', JSON.stringify(bad));
    }
    await ana.client.request('sendReaction', { reaction: 'love' });
    await seen(bea.client, { id: ana.id, reaction: 'love' });
    assert.equal(reactionsFrom(ana.client, bea.id).length, 0);
    assert.equal(reactionsFrom(bea.client, bea.id).length, 0);
  });

  it('rate-limits a burst of reactions, and nobody receives the refused ones', async () => {
    const ana = await joined('Reacting3', 'Ana');
    const bea = await joined('Reacting3', 'Bea');
    const burst = Limits.reactionBurst * 3;
    const replies = await Promise.all(Array.from({ length: burst }, () => bea.client.request('sendReaction', { reaction: 'laugh' })));
    const accepted = replies.filter((r) => r.ok).length;
    const limited = replies.filter((r) => r.error?.code === 'RATE_LIMITED').length;
    assert.equal(accepted + limited, burst);
    assert.ok(accepted >= Limits.reactionBurst, `the burst allowance is honoured (${accepted} accepted)`);
    assert.ok(limited >= burst - Limits.reactionBurst - 1, `the rest is refused (${limited} refused)`);

    await ana.client.request('sendReaction', { reaction: 'boo' });
    for (const c of [ana, bea]) {
      await seen(c.client, { id: ana.id, reaction: 'boo' });
      assert.equal(reactionsFrom(c.client, bea.id).length, accepted, 'exactly the accepted reactions were delivered');
    }
  });

  it('refuses reactions from a participant a moderator chat-muted, until allowed again', async () => {
    const ana = await joined('Reacting4', 'Ana');
    const bea = await joined('Reacting4', 'Bea');
    assert.equal((await ana.client.request('setChatMuted', { participantId: bea.id, muted: true })).ok, true);
    assert.equal((await bea.client.request('sendReaction', { reaction: 'boo' })).error?.code, 'FORBIDDEN');
    await ana.client.request('sendReaction', { reaction: 'like' });
    for (const c of [ana, bea]) {
      await seen(c.client, { id: ana.id, reaction: 'like' });
      assert.equal(reactionsFrom(c.client, bea.id).length, 0, 'nobody received it');
    }
    assert.equal((await ana.client.request('setChatMuted', { participantId: bea.id, muted: false })).ok, true);
    assert.equal((await bea.client.request('sendReaction', { reaction: 'love' })).ok, true);
    await seen(ana.client, { id: bea.id, reaction: 'love' });
  });

  it('refuses reactions and hands from someone waiting in the lobby', async () => {
    const ana = await joined('Reacting5', 'Ana');
    assert.equal((await ana.client.request('setLobby', { enabled: true })).ok, true);
    const knocker = await RawClient.connect(server.url);
    clients.push(knocker);
    assert.equal((await knocker.request('join', { room: 'Reacting5', displayName: 'Knocker' })).data.status, 'waiting');
    assert.equal((await knocker.request('sendReaction', { reaction: 'surprised' })).error?.code, 'NOT_JOINED');
    assert.equal((await knocker.request('raiseHand', { raised: true })).error?.code, 'NOT_JOINED');
    await ana.client.request('sendReaction', { reaction: 'clap' });
    await seen(ana.client, { id: ana.id, reaction: 'clap' });
    assert.equal(ana.client.messages.filter((m) => m.method === 'reaction').length, 1, 'only Ana’s own reaction arrived');
  });

  it('takes nothing from a kicked participant', async () => {
    const ana = await joined('Reacting6', 'Ana');
    const bea = await joined('Reacting6', 'Bea');
    const carl = await joined('Reacting6', 'Carl');
    const closed = new Promise((resolve) => carl.client.socket.once('close', resolve));
    assert.equal((await ana.client.request('kick', { participantId: carl.id })).ok, true);
    // Whatever the kicked client still manages to send, the server no longer takes it from that socket.
    carl.client.sendRaw(JSON.stringify({ type: 'request', id: 1000, method: 'sendReaction', data: { reaction: 'boo' } }));
    carl.client.sendRaw(JSON.stringify({ type: 'request', id: 1001, method: 'raiseHand', data: { raised: true } }));
    await closed;
    const answers = carl.client.messages.filter((m) => m.type === 'response' && (m.id === 1000 || m.id === 1001));
    assert.ok(answers.every((m) => m.error?.code === 'NOT_JOINED'), JSON.stringify(answers));

    await ana.client.request('sendReaction', { reaction: 'like' });
    await seen(bea.client, { id: ana.id, reaction: 'like' });
    assert.equal(reactionsFrom(bea.client, carl.id).length, 0, 'no reaction from Carl');
    assert.equal(handUpdates(bea.client, carl.id), 0, 'no hand from Carl');
  });
});
