import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import jwt from 'jsonwebtoken';
import { startTestServer } from '../support/server.js';
import { joinAs, RawClient, type JoinedClient } from '../support/ws-client.js';

const updatesOf = (client: RawClient, pollId: string) => client.messages.filter((m) => m.method === 'pollUpdated' && m.data.poll.id === pollId);
const lastUpdate = (client: RawClient, pollId: string) => updatesOf(client, pollId).at(-1)!.data.poll;

describe('polls over the protocol', () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  let ana: JoinedClient, bea: JoinedClient, carl: JoinedClient;

  before(async () => {
    server = await startTestServer();
    ana = await joinAs(server.url, 'Polls', 'Ana');
    bea = await joinAs(server.url, 'Polls', 'Bea');
    carl = await joinAs(server.url, 'Polls', 'Carl');
    clients.push(ana.client, bea.client, carl.client);
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it('lets only moderators create polls by default, and refuses malformed ones, creating nothing', async () => {
    const good = { question: 'Lunch?', options: ['Yes', 'No'], anonymous: false };
    assert.equal((await bea.client.request('createPoll', good)).error?.code, 'FORBIDDEN');
    const malformed: object[] = [
      { ...good, question: 'x'.repeat(301) },
      { ...good, question: '   ' },
      { ...good, options: ['Only one'] },
      { ...good, options: Array.from({ length: 11 }, (_, i) => `Option ${i}`) },
      { ...good, options: ['Yes', 'x'.repeat(121)] },
      { ...good, options: ['Yes', ''] },
      { ...good, options: ['Same', 'Same'] },
      { question: 'Lunch?', options: ['Yes', 'No'] },
    ];
    for (const data of malformed) {
      assert.equal((await ana.client.request('createPoll', data)).error?.code, 'INVALID_REQUEST', JSON.stringify(data).slice(0, 80));
    }
    assert.deepEqual(server.registry.get('polls')!.polls.viewsFor(server.registry.get('polls')!.participant(ana.id)!), []);
    assert.equal(bea.client.messages.filter((m) => m.method === 'pollUpdated').length, 0);
  });

  it('shares a named poll with everyone and counts one vote per person, with names', async () => {
    const reply = await ana.client.request('createPoll', { question: 'Where shall we meet?', options: ['Park', 'Café', 'Office'], anonymous: false });
    assert.equal(reply.ok, true);
    const pollId = reply.data.poll.id as string;
    for (const c of [bea.client, carl.client]) await c.waitFor((m) => m.method === 'pollUpdated' && m.data.poll.id === pollId);
    assert.equal(lastUpdate(bea.client, pollId).createdByName, 'Ana');

    assert.equal((await bea.client.request('votePoll', { pollId, option: 1 })).ok, true);
    const seenByCarl = await carl.client.waitFor((m) => m.method === 'pollUpdated' && m.data.poll.id === pollId && m.data.poll.options[1].votes === 1);
    assert.deepEqual(seenByCarl.data.poll.options[1].voters, [{ id: bea.id, displayName: 'Bea' }]);
    assert.equal(seenByCarl.data.poll.myVote, null, 'Carl has not voted');
    await bea.client.waitFor((m) => m.method === 'pollUpdated' && m.data.poll.id === pollId && m.data.poll.myVote === 1);
    assert.equal(lastUpdate(bea.client, pollId).voted, true);

    const updates = updatesOf(carl.client, pollId).length;
    const again = await bea.client.request('votePoll', { pollId, option: 2 });
    assert.equal(again.error?.code, 'INVALID_REQUEST');
    assert.match(again.error!.message, /already voted/);
    for (const [data, code] of [
      [{ pollId, option: 3 }, 'INVALID_REQUEST'],
      [{ pollId, option: -1 }, 'INVALID_REQUEST'],
      [{ pollId: 'nosuchpoll', option: 0 }, 'NOT_FOUND'],
    ] as const) {
      assert.equal((await carl.client.request('votePoll', data)).error?.code, code, JSON.stringify(data));
    }
    assert.equal(updatesOf(carl.client, pollId).length, updates, 'refused votes send no update');
    const room = server.registry.get('polls')!;
    const counts = room.polls.viewsFor(room.participant(ana.id)!)[0]!.options.map((o) => o.votes);
    assert.deepEqual(counts, [0, 1, 0], 'counts unchanged by refused votes');
  });

  it('counts anonymous votes without ever sending who voted for what', async () => {
    const reply = await ana.client.request('createPoll', { question: 'Rate the talk', options: ['Good', 'Bad'], anonymous: true });
    const pollId = reply.data.poll.id as string;
    assert.equal((await bea.client.request('votePoll', { pollId, option: 0 })).ok, true);
    assert.equal((await carl.client.request('votePoll', { pollId, option: 0 })).ok, true);
    for (const c of [ana.client, bea.client, carl.client]) {
      await c.waitFor((m) => m.method === 'pollUpdated' && m.data.poll.id === pollId && m.data.poll.options[0].votes === 2);
      for (const { data } of updatesOf(c, pollId)) {
        assert.ok(data.poll.options.every((o: { voters: unknown[] }) => o.voters.length === 0), 'no voters listed');
        assert.equal(data.poll.myVote, null, 'not even their own choice comes back');
        for (const id of [bea.id, carl.id]) assert.ok(!JSON.stringify(data).includes(id), 'no voter id anywhere in the update');
      }
    }
    assert.equal(lastUpdate(bea.client, pollId).voted, true);
    assert.equal(lastUpdate(ana.client, pollId).voted, false);
    assert.equal((await bea.client.request('votePoll', { pollId, option: 1 })).error?.code, 'INVALID_REQUEST', 'a second anonymous vote is refused too');
  });

  it('lets only the creator or a moderator close a poll, after which it takes no votes', async () => {
    const pollId = (await ana.client.request('createPoll', { question: 'Close me', options: ['A', 'B'], anonymous: false })).data.poll.id;
    assert.equal((await bea.client.request('closePoll', { pollId })).error?.code, 'FORBIDDEN');
    assert.equal((await bea.client.request('closePoll', { pollId: 'nosuchpoll' })).error?.code, 'NOT_FOUND');
    assert.equal(lastUpdate(carl.client, pollId).closed, false);
    assert.equal((await ana.client.request('closePoll', { pollId })).ok, true);
    await carl.client.waitFor((m) => m.method === 'pollUpdated' && m.data.poll.id === pollId && m.data.poll.closed);
    const refused = await carl.client.request('votePoll', { pollId, option: 0 });
    assert.equal(refused.error?.code, 'INVALID_REQUEST');
    assert.match(refused.error!.message, /closed/);
  });

  it('gives someone who joins later every poll, from their own point of view', async () => {
    const dan = await joinAs(server.url, 'Polls', 'Dan');
    clients.push(dan.client);
    const polls = dan.meeting.polls as Array<{ question: string; voted: boolean; options: Array<{ votes: number; voters: unknown[] }> }>;
    assert.deepEqual(polls.map((p) => p.question), ['Where shall we meet?', 'Rate the talk', 'Close me']);
    assert.ok(polls.every((p) => !p.voted));
    assert.deepEqual(polls[0]!.options.map((o) => o.votes), [0, 1, 0]);
    assert.deepEqual(polls[0]!.options[1]!.voters, [{ id: bea.id, displayName: 'Bea' }]);
  });

  it('lets everyone create polls with POLL_CREATORS=everyone', async () => {
    const open = await startTestServer({ POLL_CREATORS: 'everyone' });
    try {
      const first = await joinAs(open.url, 'Open', 'First');
      const second = await joinAs(open.url, 'Open', 'Second');
      clients.push(first.client, second.client);
      assert.equal(second.meeting.room.pollCreators, 'everyone');
      const reply = await second.client.request('createPoll', { question: 'Anyone may ask?', options: ['Yes', 'No'], anonymous: false });
      assert.equal(reply.ok, true, JSON.stringify(reply.error));
      const seen = await first.client.waitFor((m) => m.method === 'pollUpdated');
      assert.equal(seen.data.poll.createdByName, 'Second');
      // The creator, not a moderator, may close their own poll.
      assert.equal((await second.client.request('closePoll', { pollId: reply.data.poll.id })).ok, true);
    } finally {
      await open.close();
    }
  });

  it('lets a token holder with the create-polls feature create polls without moderating', async () => {
    const APP_ID = 'polls_app';
    const SECRET = 'polls-app-secret-0123456789';
    const token = (name: string, features: object) =>
      jwt.sign({ iss: APP_ID, aud: APP_ID, sub: 'meet.jitsi', room: '*', context: { user: { name }, features } }, SECRET, { algorithm: 'HS256', expiresIn: 3600 });
    const secured = await startTestServer({ ENABLE_AUTH: '1', AUTH_TYPE: 'jwt', JWT_APP_ID: APP_ID, JWT_APP_SECRET: SECRET });
    try {
      const pollster = await joinAs(secured.url, 'Tokens', 'x', { auth: { jwt: token('Pollster', { 'create-polls': true }) } });
      const plain = await joinAs(secured.url, 'Tokens', 'x', { auth: { jwt: token('Plain', { 'create-polls': false, recording: true }) } });
      clients.push(pollster.client, plain.client);
      assert.equal(pollster.meeting.self.role, 'participant', 'the token does not make them moderator');
      assert.deepEqual(pollster.meeting.features, ['create-polls']);
      assert.deepEqual(plain.meeting.features, ['recording']);
      const data = { question: 'Token poll', options: ['A', 'B'], anonymous: false };
      assert.equal((await plain.client.request('createPoll', data)).error?.code, 'FORBIDDEN');
      assert.equal((await pollster.client.request('createPoll', data)).ok, true);
    } finally {
      await secured.close();
    }
  });

  it('keeps at most maxPollsPerRoom polls', async () => {
    const room = server.registry.get('polls')!;
    const existing = room.polls.viewsFor(room.participant(ana.id)!).length;
    for (let i = existing; i < 50; i++) {
      assert.equal((await ana.client.request('createPoll', { question: `Q${i}`, options: ['A', 'B'], anonymous: true })).ok, true);
    }
    assert.equal((await ana.client.request('createPoll', { question: 'One too many', options: ['A', 'B'], anonymous: true })).error?.code, 'INVALID_REQUEST');
    assert.equal(room.polls.viewsFor(room.participant(ana.id)!).length, 50);
  });
});
