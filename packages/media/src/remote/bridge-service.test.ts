import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '@tertulia/protocol';
import pino from 'pino';
import { TestCa } from '../../../../tests/support/test-certificates.js';
import { until } from '../../../../tests/support/wait.js';
import WebSocket from 'ws';
import { MediasoupBridge } from '../mediasoup-bridge.js';
import { bridgeAuthHeader } from './bridge-auth.js';
import { BridgeConnection } from './bridge-connection.js';
import { BridgeService } from './bridge-service.js';
import { BRIDGE_AUTH_HEADER, BRIDGE_MAX_PAYLOAD } from './bridge-wire.js';

const SECRET = 'a-test-secret-of-enough-length';
const logger = pino({ level: 'silent' });

describe('BridgeService and BridgeConnection (real mediasoup, real WebSocket)', () => {
  let bridge: MediasoupBridge;
  let service: BridgeService;

  before(async () => {
    bridge = await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger });
    service = await BridgeService.start({ bridge, host: '127.0.0.1', port: 0, secret: SECRET, logger });
  });

  after(async () => {
    await service.close();
    await bridge.close();
  });

  /** A raw socket with a header signed at `signedAt`: what a node (or an impostor) sends. */
  function rawSocket(secret = SECRET, signedAt = Date.now(), nodeId = 'raw-node'): WebSocket {
    return new WebSocket(service.url, { headers: { [BRIDGE_AUTH_HEADER]: bridgeAuthHeader(secret, nodeId, signedAt) } });
  }

  async function refusal(socket: WebSocket): Promise<{ status: number; body: string }> {
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, IncomingMessage];
    let body = '';
    for await (const chunk of response) body += String(chunk);
    socket.once('error', () => undefined); // ws reports ending a refused handshake as an error
    socket.terminate();
    return { status: response.statusCode ?? 0, body };
  }

  it('connects with the secret, reports the bridge healthy with its stats, and serves rooms', async () => {
    const connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'node-1', logger });
    assert.equal(connection.healthy(), true);
    assert.equal(connection.latestStats()?.workers.length, 1);
    const room = await connection.createRoom('hello');
    assert.ok(bridge.stats().rooms.some((r) => r.roomKey === 'hello'));
    room.close();
    connection.close();
    connection.close();
    assert.equal(connection.healthy(), false);
    await until(() => bridge.stats().rooms.length, (n) => n === 0, 'the bridge closes the room', 5_000, 20);
  });

  it('refuses a wrong secret and a stale signature with 401, and creates nothing', async () => {
    await assert.rejects(
      BridgeConnection.open({ url: service.url, secret: 'another-secret-of-enough-length', nodeId: 'node-x', logger }),
      /BRIDGE_SECRET does not match the bridge's/,
    );
    const stale = await refusal(rawSocket(SECRET, Date.now() - 60_000));
    assert.equal(stale.status, 401);
    assert.match(stale.body, /BRIDGE_SECRET does not match/);
    const unsigned = await refusal(new WebSocket(service.url));
    assert.equal(unsigned.status, 401);
    // What a node signs to relay a participant to another node (same secret) is no pass to a bridge.
    const relayHeader = await refusal(rawSocket(SECRET, Date.now(), 'node-a@203.0.113.9@eu'));
    assert.equal(relayHeader.status, 401);
    assert.equal(bridge.stats().rooms.length, 0);
  });

  it('says when no bridge answers, and refuses a short secret before connecting', async () => {
    await assert.rejects(BridgeConnection.open({ url: 'ws://127.0.0.1:1', secret: SECRET, nodeId: 'node-1', logger }), /No media bridge answers at ws:\/\/127\.0\.0\.1:1/);
    await assert.rejects(BridgeConnection.open({ url: service.url, secret: 'short', nodeId: 'node-1', logger }), /at least 16 characters/);
  });

  it('answers malformed messages with errors, drops an oversized one, and keeps serving other nodes', async () => {
    const connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'steady-node', logger });
    const room = await connection.createRoom('steady');
    room.addPeer('ana');

    const raw = rawSocket();
    await once(raw, 'open');
    const replies: any[] = [];
    raw.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (!('event' in message)) replies.push(message);
    });
    raw.send('this is not JSON');
    raw.send(JSON.stringify({ id: 5, method: 'launchRockets', params: {} }));
    raw.send(JSON.stringify({ id: 6, method: 'createRoom', params: { roomKey: 42 } }));
    raw.send(JSON.stringify({ id: 7, method: 'addPeer', params: { roomId: 'not-a-room-of-yours', peerId: 'mallory' } }));
    await until(() => replies.length === 4, Boolean, 'four error replies', 5_000, 20);
    assert.deepEqual(
      replies.map((r) => [r.id, r.error?.code]),
      [
        [null, ErrorCode.MalformedMessage],
        [5, ErrorCode.UnknownMethod],
        [6, ErrorCode.InvalidRequest],
        [7, ErrorCode.NotFound],
      ],
    );

    raw.send('x'.repeat(BRIDGE_MAX_PAYLOAD + 1));
    const [code] = await once(raw, 'close');
    assert.equal(code, 1009, 'closed as too big');

    assert.deepEqual(
      bridge.stats().rooms.map((r) => r.roomKey),
      ['steady'],
      'nothing the bad messages asked for happened',
    );
    const send = await room.createTransport('ana', 'send');
    assert.ok(send.id, 'the other node is still served');
    connection.close();
  });

  it("closes a node's rooms on the bridge when its connection closes", async () => {
    const connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'leaving-node', logger });
    await connection.createRoom('left-behind');
    assert.ok(bridge.stats().rooms.some((r) => r.roomKey === 'left-behind'));
    connection.close();
    await until(() => !bridge.stats().rooms.some((r) => r.roomKey === 'left-behind'), Boolean, 'the room closes on the bridge', 5_000, 20);
  });

  it('fails a request the bridge does not answer in time, and drops a bridge gone silent', async () => {
    // A path that stops carrying anything, as a cut network does long before TCP notices.
    let stalled = false;
    const path = createServer((near) => {
      const far = connect(service.port, '127.0.0.1');
      near.on('data', (data) => stalled || far.write(data));
      far.on('data', (data) => stalled || near.write(data));
      for (const [socket, other] of [[near, far], [far, near]] as const) {
        socket.on('error', () => socket.destroy());
        socket.on('close', () => other.destroy());
      }
    });
    path.listen(0, '127.0.0.1');
    await once(path, 'listening');
    const url = `ws://127.0.0.1:${(path.address() as AddressInfo).port}`;
    const connection = await BridgeConnection.open({ url, secret: SECRET, nodeId: 'far-node', logger, timeoutMs: 500 });
    const room = await connection.createRoom('far');
    stalled = true;
    await assert.rejects(room.createTransport('ana', 'send'), { code: ErrorCode.MediaError, message: `The media bridge at ${url} did not answer "createTransport" within 0.5 s.` });
    const [[reason], [roomReason]] = await Promise.all([once(connection, 'closed'), once(room, 'closed')]);
    assert.equal(reason, `the media bridge at ${url} went silent for 6 s`);
    assert.equal(roomReason, `the media bridge at ${url} went away`);
    path.close();
  });

  it('closes every remote room with a reason when the bridge goes away, and fails requests after', async () => {
    const other = await BridgeService.start({ bridge, host: '127.0.0.1', port: 0, secret: SECRET, logger });
    const connection = await BridgeConnection.open({ url: other.url, secret: SECRET, nodeId: 'node-2', logger });
    const rooms = await Promise.all([connection.createRoom('one'), connection.createRoom('two')]);
    const reasons = Promise.all(rooms.map(async (room) => (await once(room, 'closed'))[0] as string));
    const closed = once(connection, 'closed');
    await other.close();
    for (const reason of await reasons) assert.equal(reason, `the media bridge at ${other.url} went away`);
    assert.match(String((await closed)[0]), /went away/);
    assert.equal(connection.healthy(), false);
    assert.ok(rooms.every((room) => room.closed));
    await assert.rejects(connection.createRoom('three'), { code: ErrorCode.MediaError, message: new RegExp(`${other.url} is not connected`) });
    await until(() => bridge.stats().rooms.length === 0, Boolean, 'the bridge closes the rooms of the dropped node', 5_000, 20);
  });

  it("tells the node when a media worker dies, and closes the rooms it carried with the bridge's reason", async () => {
    const connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'node-3', logger });
    const room = await connection.createRoom('on-a-dying-worker');
    const pid = bridge.stats().workers[0]!.pid!;
    const died = once(connection, 'workerDied');
    const closed = once(room, 'closed');
    process.kill(pid, 'SIGKILL');
    assert.equal((await died)[0], pid);
    assert.equal((await closed)[0], 'the media worker stopped');
    connection.close();
    // Closing the bridge while it replaces the worker would leave the new one running.
    await until(() => bridge.healthy(), Boolean, 'the bridge has replaced the worker', 10_000, 20);
  });
});

describe('the bridge channel over TLS of its own (real mediasoup, real openssl certificates)', () => {
  let bridge: MediasoupBridge;
  let service: BridgeService;
  let dir: string;
  let caPem: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-bridge-tls-'));
    const ca = await TestCa.create(dir);
    const { certFile, keyFile } = await ca.issue('bridge', ['127.0.0.1']);
    caPem = await readFile(ca.caFile, 'utf8');
    bridge = await MediasoupBridge.start({ workers: 1, listen: [{ ip: '127.0.0.1' }], rtcPort: 0, logger });
    const tls = { certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
    service = await BridgeService.start({ bridge, host: '127.0.0.1', port: 0, secret: SECRET, tls, logger });
  });

  after(async () => {
    await service.close();
    await bridge.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves wss:// to a node that trusts the certificate’s CA', async () => {
    assert.match(service.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
    const connection = await BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'node-tls', ca: caPem, logger });
    assert.equal(connection.healthy(), true);
    const room = await connection.createRoom('over-tls');
    assert.ok(bridge.stats().rooms.some((r) => r.roomKey === 'over-tls'));
    room.close();
    connection.close();
  });

  it('a node without the CA is told which setting it lacks; plain ws:// gets no channel', async () => {
    await assert.rejects(BridgeConnection.open({ url: service.url, secret: SECRET, nodeId: 'node-x', logger }), /does not accept .*BRIDGE_TLS_CA_FILE/);
    await assert.rejects(BridgeConnection.open({ url: service.url.replace('wss:', 'ws:'), secret: SECRET, nodeId: 'node-x', ca: caPem, logger }), /No media bridge answers|closed the connection/);
    assert.equal(bridge.stats().rooms.length, 0);
  });
});
