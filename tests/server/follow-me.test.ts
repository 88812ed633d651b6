import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, type JoinedClient } from '../support/ws-client.js';

describe('follow me over the protocol', () => {
  let server: RunningServer;
  let ana: JoinedClient, bea: JoinedClient;

  before(async () => {
    server = await startTestServer();
    ana = await joinAs(server.url, 'FollowProto', 'Ana');
    bea = await joinAs(server.url, 'FollowProto', 'Bea');
  });
  after(async () => {
    for (const c of [ana, bea]) c?.client.close();
    await server.close();
  });

  const room = () => server.registry.get('followproto')!;

  it('refuses it to a non-moderator (FORBIDDEN) and changes nothing', async () => {
    const reply = await bea.client.request('setFollowMe', { layout: { tileView: true, pin: null } });
    assert.equal(reply.error?.code, 'FORBIDDEN');
    assert.equal(room().followMe, null);
    assert.ok(!ana.client.messages.some((m) => m.method === 'roomUpdated'), 'nobody was told of a change');
  });

  it('refuses a pin of someone not in the meeting (NOT_FOUND) and a malformed layout (INVALID_REQUEST)', async () => {
    assert.equal((await ana.client.request('setFollowMe', { layout: { tileView: false, pin: { participantId: 'nobody', source: 'camera' } } })).error?.code, 'NOT_FOUND');
    assert.equal((await ana.client.request('setFollowMe', { layout: { tileView: 'yes', pin: null } })).error?.code, 'INVALID_REQUEST');
    assert.equal(room().followMe, null);
  });

  it('sends the moderator’s layout to everyone, gives it to late joiners, and ends when that moderator leaves', async () => {
    const layout = { tileView: false, pin: { participantId: bea.id, source: 'camera' } };
    assert.equal((await ana.client.request('setFollowMe', { layout })).ok, true);
    const update = await bea.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.followMe !== null);
    assert.deepEqual(update.data.room.followMe, { moderatorId: ana.id, layout });

    const carl = await joinAs(server.url, 'FollowProto', 'Carl');
    assert.deepEqual(carl.meeting.room.followMe, { moderatorId: ana.id, layout }, 'the join answer carries it');

    assert.equal((await ana.client.request('leave', {})).ok, true);
    await bea.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.followMe === null);
    assert.equal(room().followMe, null);
    carl.client.close();
  });
});
