import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { RawClient } from '../support/ws-client.js';

describe('chat over the protocol', () => {
  let server: RunningServer;
  let ana: RawClient, bea: RawClient, outsider: RawClient;

  before(async () => {
    server = await startTestServer();
    ana = await RawClient.connect(server.url);
    bea = await RawClient.connect(server.url);
    outsider = await RawClient.connect(server.url);
    await ana.request('join', { room: 'ChatProto', displayName: 'Ana' });
    await bea.request('join', { room: 'ChatProto', displayName: 'Bea' });
  });
  after(async () => {
    for (const c of [ana, bea, outsider]) c.close();
    await server.close();
  });

  it('refuses chat from someone who has not joined', async () => {
    assert.equal((await outsider.request('sendChat', { text: 'hi' })).error?.code, 'NOT_JOINED');
  });

  it('refuses empty, oversized and wrongly addressed messages, and keeps no trace of them', async () => {
    assert.equal((await ana.request('sendChat', { text: '   ' })).error?.code, 'INVALID_REQUEST');
    assert.equal((await ana.request('sendChat', { text: 'x'.repeat(2001) })).error?.code, 'INVALID_REQUEST');
    assert.equal((await ana.request('sendChat', { text: 'hi', to: 'nobody' })).error?.code, 'NOT_FOUND');
    assert.equal((await ana.request('sendChat', { text: 'hi', html: '<b>' })).error?.code, 'INVALID_REQUEST');
    assert.deepEqual(server.registry.rooms()[0]!.chat.history(), []);
    assert.equal(bea.messages.filter((m) => m.method === 'chatMessage').length, 0);
  });

  it('delivers a message with the sender’s id and name set by the server', async () => {
    const reply = await ana.request('sendChat', { text: 'hello' });
    assert.equal(reply.ok, true);
    const received = await bea.waitFor((m) => m.method === 'chatMessage');
    assert.equal(received.data.message.fromName, 'Ana');
    assert.equal(received.data.message.from, reply.data.message.from);
  });

  it('rate-limits a chat flood per participant', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => ana.request('sendChat', { text: `spam ${i}` })));
    const limited = replies.filter((r) => r.error?.code === 'RATE_LIMITED').length;
    assert.ok(limited >= 5, `a burst of 20 is cut down (${limited} refused)`);
  });
});
