import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { RawClient } from '../support/ws-client.js';

const VP8_PARAMS = { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }], encodings: [{ ssrc: 1111 }] };

describe('signalling: bad input gets a clear error and changes nothing', () => {
  let server: RunningServer;
  let client: RawClient;

  before(async () => {
    server = await startTestServer();
    client = await RawClient.connect(server.url);
  });
  after(async () => {
    client.close();
    await server.close();
  });

  const roomCount = () => server.registry.rooms().length;

  it('answers malformed JSON with MALFORMED_MESSAGE and keeps the connection', async () => {
    const error = client.nextProtocolError();
    client.sendRaw('{"type":"request", nope');
    assert.equal((await error).data.code, 'MALFORMED_MESSAGE');
    const error2 = client.nextProtocolError();
    client.sendRaw(Buffer.from([0, 1, 2]));
    assert.equal((await error2).data.code, 'MALFORMED_MESSAGE');
  });

  it('answers a bad envelope with MALFORMED_MESSAGE against its id', async () => {
    client.sendRaw(JSON.stringify({ type: 'request', id: 900, method: 'join' , data: {}, sneaky: true }));
    const reply = await client.waitFor((m) => m.id === 900);
    assert.equal(reply.error?.code, 'MALFORMED_MESSAGE');
  });

  it('refuses an oversized message without acting on it', async () => {
    const error = client.nextProtocolError();
    client.sendRaw(JSON.stringify({ type: 'request', id: 901, method: 'join', data: { room: 'Big', displayName: 'x'.repeat(70_000) } }));
    assert.equal((await error).data.code, 'MESSAGE_TOO_LARGE');
    assert.equal(roomCount(), 0);
  });

  it('answers unknown methods and invalid data with their own codes', async () => {
    assert.equal((await client.request('becomeAdmin')).error?.code, 'UNKNOWN_METHOD');
    assert.equal((await client.request('__proto__')).error?.code, 'UNKNOWN_METHOD');
    const invalid = await client.request('join', { room: 5, displayName: 'Ana' });
    assert.equal(invalid.error?.code, 'INVALID_REQUEST');
    assert.match(invalid.error!.message, /room/);
    assert.equal(roomCount(), 0);
  });

  it('refuses invalid room names without creating a room', async () => {
    for (const room of ['', 'has space', 'a'.repeat(65), 'metrics', '../../etc']) {
      assert.equal((await client.request('join', { room, displayName: 'Ana' })).error?.code, 'INVALID_ROOM_NAME', room);
    }
    assert.equal(roomCount(), 0);
  });

  it('refuses media requests before joining', async () => {
    assert.equal((await client.request('createTransport', { direction: 'send' })).error?.code, 'NOT_JOINED');
    assert.equal((await client.request('leave')).error?.code, 'NOT_JOINED');
  });

  it('scopes ids to their owner: another participant’s transport is NOT_FOUND', async () => {
    const ana = await RawClient.connect(server.url);
    const bea = await RawClient.connect(server.url);
    try {
      assert.equal((await ana.request('join', { room: 'Scope', displayName: 'Ana' })).ok, true);
      assert.equal((await bea.request('join', { room: 'scope', displayName: 'Bea' })).ok, true);
      assert.equal(server.registry.rooms().length, 1, 'room names are case-insensitive');
      assert.equal((await ana.request('join', { room: 'Scope', displayName: 'Ana' })).error?.code, 'ALREADY_JOINED');

      const transport = await ana.request('createTransport', { direction: 'send' });
      assert.equal(transport.ok, true);
      const produce = { transportId: transport.data.id, kind: 'video', source: 'camera', rtpParameters: VP8_PARAMS, paused: false };
      assert.equal((await bea.request('produce', produce)).error?.code, 'NOT_FOUND');
      assert.equal((await bea.request('closeProducer', { producerId: 'nope' })).error?.code, 'NOT_FOUND');
      assert.equal((await ana.request('produce', { ...produce, kind: 'audio', source: 'camera' })).error?.code, 'INVALID_REQUEST');

      const produced = await ana.request('produce', produce);
      assert.equal(produced.ok, true, JSON.stringify(produced.error));
      assert.equal((await ana.request('produce', produce)).error?.code, 'INVALID_REQUEST', 'one camera per participant');
      const update = await bea.waitFor((m) => m.method === 'participantUpdated' && m.data.participant.videoMuted === false);
      assert.equal(update.data.participant.displayName, 'Ana');
    } finally {
      ana.close();
      bea.close();
    }
  });

  it('gives a participant one transport each way: another is INVALID_REQUEST and the first still works', async () => {
    const ana = await RawClient.connect(server.url);
    try {
      assert.equal((await ana.request('join', { room: 'Transports', displayName: 'Ana' })).ok, true);
      const send = await ana.request('createTransport', { direction: 'send' });
      assert.equal(send.ok, true);
      assert.equal((await ana.request('createTransport', { direction: 'send' })).error?.code, 'INVALID_REQUEST');
      assert.equal((await ana.request('createTransport', { direction: 'recv' })).ok, true);
      assert.equal((await ana.request('createTransport', { direction: 'recv' })).error?.code, 'INVALID_REQUEST');
      const produce = { transportId: send.data.id, kind: 'video', source: 'camera', rtpParameters: VP8_PARAMS, paused: false };
      assert.equal((await ana.request('produce', produce)).ok, true);
    } finally {
      ana.close();
    }
  });

  it('rate-limits a flood, then serves the client again', async () => {
    const flood = await RawClient.connect(server.url);
    try {
      const replies = await Promise.all(Array.from({ length: 150 }, () => flood.request('leave')));
      const limited = replies.filter((r) => r.error?.code === 'RATE_LIMITED').length;
      assert.ok(limited > 0 && limited < 150, `some but not all were rate-limited (${limited})`);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await flood.request('leave')).error?.code, 'NOT_JOINED', 'served again after slowing down');
    } finally {
      flood.close();
    }
  });

  it('disconnects a client that keeps flooding after being told to slow down', async () => {
    const flood = await RawClient.connect(server.url);
    const closed = new Promise<number>((resolve) => flood.socket.once('close', resolve));
    for (let i = 0; i < 400; i++) flood.sendRaw(JSON.stringify({ type: 'request', id: i, method: 'leave', data: {} }));
    assert.equal(await closed, 1008);
  });

  it('is still healthy after all of that', async () => {
    const response = await fetch(`${server.url}/about/health`);
    assert.equal(response.status, 200);
  });
});

describe('signalling: a socket that closes during its join', () => {
  let server: RunningServer;
  before(async () => (server = await startTestServer({ RECONNECT_GRACE_SECONDS: '0.2' })));
  after(() => server.close());

  // Found by the protocol fuzzer: a join still opening its room when the socket closed went on to
  // seat a participant tied to the dead socket, listed as connected forever, its meeting never closing.
  it('leaves no participant behind once the reconnect grace is over', async () => {
    for (let i = 0; i < 5; i++) {
      const client = await RawClient.connect(server.url);
      client.sendRaw(JSON.stringify({ type: 'request', id: 1, method: 'join', data: { room: `Closing${i}`, displayName: 'Gone' } }));
      client.socket.terminate();
    }
    await until(() => server.registry.rooms().map((room) => room.size), (sizes) => sizes.length === 0, 'the meetings of the closed sockets to end', 5000);
  });
});

describe('HTTP room URLs', () => {
  let server: RunningServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it('serves the client for a valid room and a clear error page for an invalid one', async () => {
    const ok = await fetch(`${server.url}/ReuniónMañana`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<div id="app">/);
    const bad = await fetch(`${server.url}/bad%20name`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /only letters, digits/);
  });
});
