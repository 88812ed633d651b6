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

  it('refuses chat from a participant a moderator chat-muted, until allowed again', async () => {
    const beaId = server.registry.get('chatproto')!.participants().find((p) => p.displayName === 'Bea')!.id;
    assert.equal((await bea.request('setChatMuted', { participantId: beaId, muted: true })).error?.code, 'FORBIDDEN', 'not by herself');
    assert.equal((await ana.request('setChatMuted', { participantId: beaId, muted: true })).ok, true);
    const update = await ana.waitFor((m) => m.method === 'participantUpdated' && m.data.participant.id === beaId && m.data.participant.chatMuted);
    assert.equal(update.data.participant.chatMuted, true, 'everyone sees the chat mute');
    const delivered = ana.messages.filter((m) => m.method === 'chatMessage').length;
    assert.equal((await bea.request('sendChat', { text: 'let me speak' })).error?.code, 'FORBIDDEN');
    const anaId = server.registry.get('chatproto')!.participants().find((p) => p.displayName === 'Ana')!.id;
    assert.equal((await bea.request('sendChat', { text: 'psst', to: anaId })).error?.code, 'FORBIDDEN', 'private messages too');
    assert.equal(ana.messages.filter((m) => m.method === 'chatMessage').length, delivered, 'nothing was delivered');
    assert.ok(!server.registry.get('chatproto')!.chat.history().some((m) => m.text === 'let me speak'));

    assert.equal((await ana.request('setChatMuted', { participantId: beaId, muted: false })).ok, true);
    assert.equal((await bea.request('sendChat', { text: 'thanks' })).ok, true);
  });

  it('delivers script-bearing text verbatim as text, and refuses a message over the size limit without delivering it', async () => {
    const text = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const reply = await ana.request('sendChat', { text });
    assert.equal(reply.data.message.text, text, 'stored as plain text; the client renders it as text (tests/e2e/chat.test.ts)');
    await bea.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === text);
    const before = bea.messages.filter((m) => m.method === 'chatMessage').length;
    const refused = bea.nextProtocolError();
    bea.sendRaw(JSON.stringify({ type: 'request', id: 999, method: 'sendChat', data: { text: 'x'.repeat(70 * 1024) } }));
    assert.equal((await refused).data.code, 'MESSAGE_TOO_LARGE');
    await ana.request('sendChat', { text: 'after' });
    await bea.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === 'after');
    assert.equal(bea.messages.filter((m) => m.method === 'chatMessage').length, before + 1, 'only the later message arrived');
  });

  it('refuses chat from someone waiting in the lobby and from someone kicked', async () => {
    assert.equal((await ana.request('setLobby', { enabled: true })).ok, true);
    const knocker = await RawClient.connect(server.url);
    assert.equal((await knocker.request('join', { room: 'ChatProto', displayName: 'Knocker' })).data.status, 'waiting');
    assert.equal((await knocker.request('sendChat', { text: 'let me in' })).error?.code, 'NOT_JOINED');
    knocker.close();
    assert.equal((await ana.request('setLobby', { enabled: false })).ok, true);

    const carl = await RawClient.connect(server.url);
    const carlId = (await carl.request('join', { room: 'ChatProto', displayName: 'Carl' })).data.meeting.self.id;
    const closed = new Promise((resolve) => carl.socket.once('close', resolve));
    assert.equal((await ana.request('kick', { participantId: carlId })).ok, true);
    const count = bea.messages.filter((m) => m.method === 'chatMessage').length;
    // Whatever a kicked client still manages to send, the server no longer takes it from that socket.
    carl.sendRaw(JSON.stringify({ type: 'request', id: 1000, method: 'sendChat', data: { text: 'revenge' } }));
    await closed;
    await ana.request('sendChat', { text: 'marker' });
    await bea.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === 'marker');
    assert.equal(bea.messages.filter((m) => m.method === 'chatMessage').length, count + 1, 'nothing from the kicked participant');
    assert.ok(!server.registry.get('chatproto')!.chat.history().some((m) => m.text === 'revenge'));
  });

  it('rate-limits a chat flood per participant', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => ana.request('sendChat', { text: `spam ${i}` })));
    const limited = replies.filter((r) => r.error?.code === 'RATE_LIMITED').length;
    assert.ok(limited >= 5, `a burst of 20 is cut down (${limited} refused)`);
  });
});
