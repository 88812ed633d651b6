import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Limits } from '@tertulia/protocol';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { RawClient } from '../support/ws-client.js';

/** App data between participants (the iframe API's sendEndpointTextMessage) over the protocol. */
describe('endpoint messages over the protocol', () => {
  let server: RunningServer;
  let ana: RawClient, bea: RawClient, cai: RawClient, elsewhere: RawClient, outsider: RawClient;
  let anaId: string, beaId: string, elsewhereId: string;
  const delivered = (client: RawClient) => client.messages.filter((m) => m.method === 'endpointMessage');

  before(async () => {
    server = await startTestServer();
    const connect = () => RawClient.connect(server.url);
    [ana, bea, cai, elsewhere, outsider] = await Promise.all([connect(), connect(), connect(), connect(), connect()]);
    anaId = (await ana.request('join', { room: 'AppData', displayName: 'Ana' })).data.meeting.self.id;
    beaId = (await bea.request('join', { room: 'AppData', displayName: 'Bea' })).data.meeting.self.id;
    await cai.request('join', { room: 'AppData', displayName: 'Cai' });
    elsewhereId = (await elsewhere.request('join', { room: 'OtherRoom', displayName: 'Eli' })).data.meeting.self.id;
  });
  after(async () => {
    for (const c of [ana, bea, cai, elsewhere, outsider]) c.close();
    await server.close();
  });

  it('delivers to the named participant only, with the sender id set by the server', async () => {
    assert.equal((await ana.request('sendEndpointMessage', { to: beaId, text: '{"score":3}' })).ok, true);
    const received = await bea.waitFor((m) => m.method === 'endpointMessage');
    assert.deepEqual(received.data, { from: anaId, text: '{"score":3}' });
    await ana.request('sendChat', { text: 'later' });
    await cai.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === 'later');
    assert.equal(delivered(cai).length, 0, 'the third participant got nothing');
    assert.equal(delivered(ana).length, 0, 'the sender gets no copy');
  });

  it('refuses unknown targets, oneself, someone in another room, bad shapes and oversized text, delivering nothing', async () => {
    const before = [bea, cai, elsewhere].map((c) => delivered(c).length);
    assert.equal((await ana.request('sendEndpointMessage', { to: 'nobody', text: 'x' })).error?.code, 'NOT_FOUND');
    assert.equal((await ana.request('sendEndpointMessage', { to: anaId, text: 'x' })).error?.code, 'NOT_FOUND');
    assert.equal((await ana.request('sendEndpointMessage', { to: elsewhereId, text: 'x' })).error?.code, 'NOT_FOUND');
    assert.equal((await ana.request('sendEndpointMessage', { to: beaId })).error?.code, 'INVALID_REQUEST');
    assert.equal((await ana.request('sendEndpointMessage', { to: beaId, text: { a: 1 } })).error?.code, 'INVALID_REQUEST');
    assert.equal((await ana.request('sendEndpointMessage', { to: beaId, text: 'x', extra: 1 })).error?.code, 'INVALID_REQUEST');
    const oversized = 'x'.repeat(Limits.maxEndpointMessageLength + 1);
    assert.equal((await ana.request('sendEndpointMessage', { to: beaId, text: oversized })).error?.code, 'INVALID_REQUEST');
    assert.equal((await outsider.request('sendEndpointMessage', { to: beaId, text: 'x' })).error?.code, 'NOT_JOINED');
    assert.deepEqual([bea, cai, elsewhere].map((c) => delivered(c).length), before);
  });

  it('rate-limits a sender like chat, and the refused messages are not delivered', async () => {
    const before = delivered(bea).length;
    const replies = [];
    for (let i = 0; i < Limits.chatBurst + 5; i++) replies.push(await cai.request('sendEndpointMessage', { to: beaId, text: `n${i}` }));
    const refused = replies.filter((r) => r.error?.code === 'RATE_LIMITED').length;
    assert.ok(refused >= 4, `expected refusals past the burst, got ${refused}`);
    await cai.request('sendChat', { text: 'marker' });
    await bea.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === 'marker');
    assert.equal(delivered(bea).length - before, replies.length - refused);
    assert.equal((await ana.request('sendEndpointMessage', { to: beaId, text: 'others still may' })).ok, true, 'the bucket is per sender');
  });
});
