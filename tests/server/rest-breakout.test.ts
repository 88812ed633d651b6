import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { RawClient } from '../support/ws-client.js';

const API_KEY = 'test-api-key-0123456789abcdef';
const post = { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` } };

async function join(server: RunningServer, displayName: string): Promise<{ client: RawClient; id: string }> {
  const client = await RawClient.connect(server.url);
  const reply = await client.request('join', { room: 'Rest-Breakout', displayName });
  assert.equal(reply.ok, true, JSON.stringify(reply.error));
  return { client, id: reply.data.meeting.self.id };
}

describe('REST API and breakout rooms', () => {
  let server: RunningServer;
  let ana: { client: RawClient; id: string }, bea: { client: RawClient; id: string }, carl: { client: RawClient; id: string };

  before(async () => {
    server = await startTestServer({ API_KEYS: API_KEY });
    ana = await join(server, 'Ana');
    bea = await join(server, 'Bea');
    carl = await join(server, 'Carl');
    const created = await ana.client.request('createBreakoutRoom', { name: 'Corner' });
    for (const who of [bea, carl]) {
      assert.equal((await ana.client.request('sendToBreakoutRoom', { participantId: who.id, roomId: created.data.room.id })).ok, true);
      await who.client.waitFor((m) => m.method === 'moved');
    }
  });
  after(async () => {
    for (const c of [ana, bea, carl]) c?.client.close();
    await server.close();
  });

  it('shows the breakout rooms and who is in them in the meeting’s view', async () => {
    const response = await fetch(`${server.opsUrl}/api/v1/rooms/Rest-Breakout`, { headers: post.headers });
    const view = await response.json();
    assert.deepEqual(view.participants.map((p: { id: string }) => p.id), [ana.id]);
    assert.deepEqual(view.breakoutRooms.map((r: { name: string; participants: Array<{ id: string }> }) => [r.name, r.participants.map((p) => p.id).sort()]), [['Corner', [bea.id, carl.id].sort()]]);
  });

  it('kicks a participant who is in a breakout room, and ends the meeting for everyone in it', async () => {
    const kickedClosed = once(bea.client.socket, 'close');
    const kicked = await fetch(`${server.opsUrl}/api/v1/rooms/Rest-Breakout/participants/${bea.id}/kick`, post);
    assert.equal(kicked.status, 200);
    assert.deepEqual((await bea.client.waitFor((m) => m.method === 'removed')).data, { reason: 'kicked', by: null });
    await kickedClosed;

    const closing = [once(ana.client.socket, 'close'), once(carl.client.socket, 'close')];
    const ended = await fetch(`${server.opsUrl}/api/v1/rooms/Rest-Breakout/end`, post);
    assert.deepEqual(await ended.json(), { ended: 'Rest-Breakout', participants: 2 });
    assert.deepEqual((await carl.client.waitFor((m) => m.method === 'removed')).data, { reason: 'ended', by: null });
    await Promise.all(closing);
    assert.deepEqual(server.registry.rooms(), []);
  });
});
