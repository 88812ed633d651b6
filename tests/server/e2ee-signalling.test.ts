import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Limits } from '@tertulia/protocol';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, type JoinedClient } from '../support/ws-client.js';

/** End-to-end encryption's signalling: the room's switch, and key-exchange messages the server only relays. */
describe('E2EE over the protocol', () => {
  let server: RunningServer;
  let ana: JoinedClient, bea: JoinedClient, cai: JoinedClient, eli: JoinedClient;
  const relayed = (who: JoinedClient) => who.client.messages.filter((m) => m.method === 'e2eeMessage');

  before(async () => {
    server = await startTestServer();
    ana = await joinAs(server.url, 'Sealed', 'Ana');
    bea = await joinAs(server.url, 'Sealed', 'Bea');
    cai = await joinAs(server.url, 'Sealed', 'Cai');
    eli = await joinAs(server.url, 'Elsewhere', 'Eli');
  });
  after(async () => {
    for (const who of [ana, bea, cai, eli]) who.client.close();
    await server.close();
  });

  it('starts off; a moderator turns it on for everyone and late joiners see it on', async () => {
    assert.equal(ana.meeting.room.e2ee, false);
    assert.equal(ana.meeting.room.e2eeControl, 'moderators');
    assert.equal((await bea.client.request('setE2ee', { enabled: true })).error?.code, 'FORBIDDEN', 'not a moderator');
    assert.equal((await ana.client.request('setE2ee', { enabled: true })).ok, true);
    for (const who of [ana, bea, cai]) await who.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.e2ee === true);
    const dan = await joinAs(server.url, 'Sealed', 'Dan');
    assert.equal(dan.meeting.room.e2ee, true);
    dan.client.close();
    assert.equal(eli.client.messages.some((m) => m.method === 'roomUpdated' && m.data.room.e2ee), false, 'another room is not touched');
  });

  it('relays a key-exchange message to the one participant named, as it is, with the sender set by the server', async () => {
    const message = Buffer.from(new Uint8Array(61).fill(7)).toString('base64');
    assert.equal((await ana.client.request('sendE2eeMessage', { to: bea.id, message })).ok, true);
    const received = await bea.client.waitFor((m) => m.method === 'e2eeMessage');
    assert.deepEqual(received.data, { from: ana.id, message });
    await ana.client.request('sendChat', { text: 'after the key' });
    await cai.client.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === 'after the key');
    assert.equal(relayed(cai).length + relayed(ana).length, 0, 'nobody else gets it');
  });

  it('refuses other rooms, oneself, oversized and non-base64 messages, delivering nothing', async () => {
    const before = [bea, cai, eli].map((who) => relayed(who).length);
    const send = (to: string, message: unknown) => ana.client.request('sendE2eeMessage', { to, message });
    assert.equal((await send(eli.id, 'AAAA')).error?.code, 'NOT_FOUND');
    assert.equal((await send(ana.id, 'AAAA')).error?.code, 'NOT_FOUND');
    assert.equal((await send(bea.id, 'A'.repeat(Limits.maxE2eeMessageLength + 1))).error?.code, 'INVALID_REQUEST');
    assert.equal((await send(bea.id, '<not base64>')).error?.code, 'INVALID_REQUEST');
    assert.equal((await send(bea.id, '')).error?.code, 'INVALID_REQUEST');
    assert.deepEqual([bea, cai, eli].map((who) => relayed(who).length), before);
  });
});

describe('E2EE_CONTROL=everyone', () => {
  let server: RunningServer;

  before(async () => {
    server = await startTestServer({ E2EE_CONTROL: 'everyone' });
  });
  after(async () => {
    await server.close();
  });

  it('lets a participant who is not a moderator turn it on and off, and says so in the room', async () => {
    const ana = await joinAs(server.url, 'Open', 'Ana');
    const bea = await joinAs(server.url, 'Open', 'Bea');
    assert.equal(bea.role, 'participant');
    assert.equal(bea.meeting.room.e2eeControl, 'everyone');
    assert.equal((await bea.client.request('setE2ee', { enabled: true })).ok, true);
    await ana.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.e2ee === true);
    assert.equal((await bea.client.request('setE2ee', { enabled: false })).ok, true);
    await ana.client.waitFor((m) => m.method === 'roomUpdated' && m.data.room.e2ee === false);
    for (const who of [ana, bea]) who.client.close();
  });
});
