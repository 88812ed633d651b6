import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectRedis, Registry } from '@tertulia/cluster';
import { createLogger, type RunningServer } from '@tertulia/server';
import { CLI, runCli } from '../support/cli.js';
import { BRIDGE_SECRET as SECRET, startBridge } from '../support/media-bridge-process.js';
import { spawnIn, type NamespacedProcess } from '../support/netns.js';
import { startRedisIn, type TestRedis } from '../support/redis-server.js';
import { freePort } from '../support/slapd.js';
import { startTestServer } from '../support/server.js';
import { TestCa } from '../support/test-certificates.js';
import { until } from '../support/wait.js';
import { OPUS, RawClient, joinAs } from '../support/ws-client.js';

/*
 * A signalling node without media of its own (MEDIA_WORKERS=0) in this process, a real
 * `tertulia bridge` process and a real redis-server, all on loopback. The browser version,
 * with every machine in its own network namespace, is tests/e2e/scale-out.test.ts.
 */

const silent = createLogger('silent');

describe('signalling node and media bridge through Redis', { timeout: 120_000 }, () => {
  let redis: TestRedis;
  let redisPort: number;
  let bridge: NamespacedProcess;
  let bridgeOps: string;
  let node: RunningServer;
  let cwd: string;
  /** Reads the registry as `tertulia status` does. */
  let registry: Registry;
  let closeRegistry: () => void;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'tertulia-cluster-'));
    redisPort = await freePort();
    redis = await startRedisIn(null, '127.0.0.1', redisPort);
    ({ process: bridge, ops: bridgeOps } = await startBridge(redis.url, cwd, { BRIDGE_DRAIN_MODE: 'wait' }));
    node = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0' });
    const connection = await connectRedis(redis.url, silent);
    registry = new Registry(connection);
    closeRegistry = () => connection.disconnect();
  });

  after(async () => {
    closeRegistry?.();
    await node?.close();
    await bridge?.stop();
    await redis?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('puts a meeting’s media on the bridge: joins, produces, and the bridge counts the room', async () => {
    const ana = await joinAs(node.url, 'Remote', 'Ana');
    assert.ok(ana.meeting.routerRtpCapabilities.codecs.length > 0, 'the bridge router’s capabilities reach the browser');
    const transport = await ana.client.request('createTransport', { direction: 'send' });
    assert.equal(transport.ok, true, JSON.stringify(transport.error));
    assert.match(transport.data.iceCandidates[0].address, /^127\.0\.0\.1$/);
    const produced = await ana.client.request('produce', { transportId: transport.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS, paused: false });
    assert.equal(produced.ok, true, JSON.stringify(produced.error));

    const listed = await until(() => registry.list('bridge'), (bridges) => bridges[0]?.rooms === 1 && bridges[0].endpoints === 1, 'the bridge to report the room', 10_000, 250);
    assert.equal(listed.length, 1);
    const nodes = await until(() => registry.list('node'), (found) => found[0]?.participants === 1, 'the node listed with its participant', 10_000, 250);
    assert.equal(nodes[0]!.rooms, 1);
    const printed = await runCli(['status'], { env: { REDIS_URL: redis.url }, cwd });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /Signalling nodes: 1/);
    assert.match(printed.stdout, /Media bridges: 1\n.*stress.*\n.*ws:\/\/127\.0\.0\.1:\d+ +- +up +\d\.\d\d +1 +1 /);
    const unset = await runCli(['status'], { env: {}, cwd });
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /set REDIS_URL/);
    ana.client.close();
  });

  it('refuses new meetings while Redis is down and keeps the running one; takes new ones once Redis is back', async () => {
    const ana = await joinAs(node.url, 'Running', 'Ana');
    await redis.stop();
    const refused = await RawClient.connect(node.url);
    const reply = await refused.request('join', { room: 'NewWhileDown', displayName: 'Bea' });
    assert.equal(reply.ok, false);
    assert.equal(reply.error?.code, 'SERVER_BUSY');
    assert.match(reply.error!.message, /registry \(Redis\) cannot be reached/);
    // The running meeting still answers media requests: they go to the bridge directly.
    const transport = await ana.client.request('createTransport', { direction: 'recv' });
    assert.equal(transport.ok, true, JSON.stringify(transport.error));

    redis = await startRedisIn(null, '127.0.0.1', redisPort, new URL(redis.url).password);
    // The bridge lists itself again within a heartbeat or two; then new meetings start.
    const joined = await until(
      async () => (await (await RawClient.connect(node.url)).request('join', { room: 'NewAfter', displayName: 'Cai' })).ok,
      (ok) => ok === true,
      'a new meeting once Redis is back',
      15_000,
      500,
    );
    assert.equal(joined, true);
    refused.close();
    ana.client.close();
  });

  it('a node with the wrong BRIDGE_SECRET is refused by the bridge, and says so to whoever opens a meeting', async () => {
    const stranger = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: 'not-the-secret-the-bridges-have', MEDIA_WORKERS: '0' });
    try {
      const client = await RawClient.connect(stranger.url);
      const reply = await client.request('join', { room: 'Stranger', displayName: 'Eve' }, 15_000);
      assert.equal(reply.ok, false);
      assert.equal(reply.error?.code, 'SERVER_BUSY');
      assert.match(reply.error!.message, /No media bridge could be reached/);
      await until(async () => bridge.output(), (output) => /BRIDGE_SECRET/.test(output), 'the bridge to log the refusal', 5_000, 100);
      client.close();
    } finally {
      await stranger.close();
    }
  });

  it('serves JVB-style stats on the bridge’s ops port, and drains: no new meetings there, running ones go on, until drain is disabled', async () => {
    const ana = await joinAs(node.url, 'BeforeDrain', 'Ana');
    const stats = (await (await fetch(`${bridgeOps}/colibri/stats`)).json()) as Record<string, unknown>;
    assert.equal(stats['drain'], false);
    assert.ok((stats['conferences'] as number) >= 1);
    assert.equal(typeof stats['stress_level'], 'number');

    assert.deepEqual(await (await fetch(`${bridgeOps}/colibri/drain/enable`, { method: 'POST' })).json(), { drain: true, mode: 'wait' });
    assert.equal((await fetch(`${bridgeOps}/about/health`)).status, 503);
    await until(() => registry.list('bridge'), (bridges) => bridges[0]?.draining === true, 'the registry to say draining', 5_000, 100);
    // The node re-reads the registry for each new meeting: the only bridge is draining, so none can start.
    const refused = await (await RawClient.connect(node.url)).request('join', { room: 'DuringDrain', displayName: 'Bea' });
    assert.equal(refused.error?.code, 'SERVER_BUSY');
    assert.match(refused.error!.message, /No media bridge is available/);
    const transport = await ana.client.request('createTransport', { direction: 'send' });
    assert.equal(transport.ok, true, 'the running meeting still has its bridge');

    assert.deepEqual(await (await fetch(`${bridgeOps}/colibri/drain/disable`, { method: 'POST' })).json(), { drain: false });
    await until(() => registry.list('bridge'), (bridges) => bridges[0]?.draining === false, 'the registry to say taking rooms', 5_000, 100);
    const accepted = await (await RawClient.connect(node.url)).request('join', { room: 'AfterDrain', displayName: 'Cai' });
    assert.equal(accepted.ok, true, JSON.stringify(accepted.error));
    ana.client.close();
  });

  it('serves Prometheus metrics on the bridge’s ops port with the figures /colibri/stats gives', async () => {
    const ana = await joinAs(node.url, 'Metered', 'Ana');
    const transport = await ana.client.request('createTransport', { direction: 'send' });
    assert.equal(transport.ok, true, JSON.stringify(transport.error));
    const endpoints = async () => ((await (await fetch(`${bridgeOps}/colibri/stats`)).json()) as { endpoints: number }).endpoints;
    // Earlier tests' participants may still be leaving: take a reading between two equal stats readings.
    const reading = await until(async () => {
      const before = await endpoints();
      const response = await fetch(`${bridgeOps}/metrics`);
      return { before, response, text: await response.text(), after: await endpoints() };
    }, ({ before, after }) => before >= 1 && before === after, 'the bridge’s endpoint count to hold still', 10_000, 250);

    assert.equal(reading.response.status, 200);
    assert.match(reading.response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(reading.text, /^tertulia_conferences [1-9]\d*$/m);
    assert.match(reading.text, new RegExp(`^tertulia_endpoints ${reading.before}$`, 'm'));
    assert.match(reading.text, /^tertulia_stress_level \d/m);
    assert.match(reading.text, /^tertulia_draining 0$/m);
    assert.match(reading.text, /^tertulia_healthy 1$/m);
    assert.match(reading.text, /^# TYPE tertulia_bytes_received_total counter$/m);
    // Conference totals are the signalling node's: a bridge leaves them out rather than report 0.
    assert.doesNotMatch(reading.text, /tertulia_conferences_created_total|tertulia_shutting_down/);
    ana.client.close();
  });

  it('a second signalling node relays its participants to the node that holds their meeting: they meet, chat and moderate across nodes', async () => {
    const other = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0' });
    try {
      const ana = await joinAs(node.url, 'Across', 'Ana');
      const bea = await joinAs(other.url, 'Across', 'Bea');
      assert.deepEqual(bea.meeting.participants.map((p: { displayName: string }) => p.displayName), ['Ana'], 'Bea, on the other node, is in Ana’s meeting');
      assert.equal(bea.role, 'participant');
      await ana.client.waitFor((m) => m.method === 'participantJoined' && m.data.participant.displayName === 'Bea');
      // One meeting, held by the first node: the second has no room of its own.
      assert.equal(node.registry.rooms().length >= 1, true);
      assert.equal(other.registry.isOpen('across'), false);

      const sent = await bea.client.request('sendChat', { text: 'hello across nodes' });
      assert.equal(sent.ok, true, JSON.stringify(sent.error));
      await ana.client.waitFor((m) => m.method === 'chatMessage' && m.data.message.text === 'hello across nodes');
      const kicked = await ana.client.request('kick', { participantId: bea.id });
      assert.equal(kicked.ok, true, JSON.stringify(kicked.error));
      const closed = await bea.client.closed;
      assert.equal(closed.code, 4002, 'the holding node’s close code reaches the browser through the relay');
      ana.client.close();
    } finally {
      await other.close();
    }
  });

  it('spreads meetings opened at the same moment over the bridges', async () => {
    // Two fresh bridges of the node's own region: equally loaded, and preferred to the older one.
    const fresh = await Promise.all([1, 2].map(() => startBridge(redis.url, cwd, { REGION: 'burst' })));
    const burst = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0', REGION: 'burst' });
    try {
      const people = await Promise.all(['Burst1', 'Burst2', 'Burst3', 'Burst4'].map((room) => joinAs(burst.url, room, 'Ana')));
      const conferences = await Promise.all(fresh.map(async ({ ops }) => ((await (await fetch(`${ops}/colibri/stats`)).json()) as { conferences: number }).conferences));
      assert.deepEqual(conferences, [2, 2], 'the four meetings are spread over both bridges');
      for (const person of people) person.client.close();
    } finally {
      await burst.close();
      for (const { process: bridgeProcess } of fresh) await bridgeProcess.stop();
    }
  });

  it('with REGION on nodes and bridges, a participant from another region has its media on a bridge there: the meeting spans both', async () => {
    const regional = await Promise.all(['eu', 'us'].map((region) => startBridge(redis.url, cwd, { REGION: region })));
    const eu = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0', REGION: 'eu' });
    const us = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0', REGION: 'us' });
    try {
      const ana = await joinAs(eu.url, 'Atlantic', 'Ana');
      const bea = await joinAs(us.url, 'Atlantic', 'Bea');
      const send = await ana.client.request('createTransport', { direction: 'send' });
      const produced = await ana.client.request('produce', { transportId: send.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS, paused: false });
      assert.equal(produced.ok, true, JSON.stringify(produced.error));
      assert.equal((await bea.client.request('setRtpCapabilities', { rtpCapabilities: bea.meeting.routerRtpCapabilities })).ok, true);
      assert.equal((await bea.client.request('createTransport', { direction: 'recv' })).ok, true);
      const consumer = await bea.client.waitFor((m) => m.method === 'newConsumer');
      assert.equal(consumer.data.participantId, ana.id, 'Bea, on the us bridge, receives Ana from the eu bridge');

      type Stats = { endpoints: number; octo_endpoints: number; relayed_producers_sent: number; relayed_producers_received: number };
      const [inEu, inUs] = (await Promise.all(regional.map(async ({ ops }) => (await fetch(`${ops}/colibri/stats`)).json()))) as [Stats, Stats];
      assert.deepEqual({ endpoints: inEu.endpoints, sent: inEu.relayed_producers_sent }, { endpoints: 1, sent: 1 });
      assert.deepEqual({ endpoints: inUs.endpoints, relayed: inUs.octo_endpoints, received: inUs.relayed_producers_received }, { endpoints: 1, relayed: 1, received: 1 });
      ana.client.close();
      bea.client.close();
    } finally {
      await eu.close();
      await us.close();
      for (const { process: regionalBridge } of regional) await regionalBridge.stop();
    }
  });

  it('a bridge with a certificate of its own is listed at wss:// and a node that trusts its CA puts meetings there', async () => {
    await assert.rejects(
      startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0', BRIDGE_TLS_CA_FILE: join(cwd, 'missing-ca.pem') }),
      /BRIDGE_TLS_CA_FILE: cannot read .*missing-ca\.pem/,
      'a CA file that cannot be read stops the node, naming the setting',
    );
    const ca = await TestCa.create(await mkdtemp(join(cwd, 'ca-')));
    const certificate = await ca.issue('bridge', ['127.0.0.1']);
    // A region of its own, so this node's meetings go to this bridge and no other test's do.
    const secure = await startBridge(redis.url, cwd, { REGION: 'tls', BRIDGE_TLS_CERT_FILE: certificate.certFile, BRIDGE_TLS_KEY_FILE: certificate.keyFile });
    const trusting = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0', REGION: 'tls', BRIDGE_TLS_CA_FILE: ca.caFile });
    try {
      const bridges = await until(() => registry.list('bridge'), (found) => found.some((b) => b.region === 'tls'), 'the TLS bridge listed', 10_000, 250);
      assert.match(bridges.find((b) => b.region === 'tls')!.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
      const ana = await joinAs(trusting.url, 'OverTls', 'Ana');
      const send = await ana.client.request('createTransport', { direction: 'send' });
      const produced = await ana.client.request('produce', { transportId: send.data.id, kind: 'audio', source: 'mic', rtpParameters: OPUS, paused: false });
      assert.equal(produced.ok, true, JSON.stringify(produced.error));
      const stats = (await (await fetch(`${secure.ops}/colibri/stats`)).json()) as { conferences: number; endpoints: number };
      assert.deepEqual({ conferences: stats.conferences, endpoints: stats.endpoints }, { conferences: 1, endpoints: 1 }, 'the meeting runs on the TLS bridge');
      ana.client.close();
    } finally {
      await trusting.close();
      await secure.process.stop();
    }
  });

  it('a drained signalling node hands its meeting to another: its people resume their sessions there with roles, chat, subject and polls', async () => {
    const first = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0' });
    const second = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET: SECRET, MEDIA_WORKERS: '0' });
    try {
      const ana = await joinAs(first.url, 'Handed', 'Ana');
      const bea = await joinAs(first.url, 'Handed', 'Bea');
      assert.equal((await ana.client.request('sendChat', { text: 'before the drain' })).ok, true);
      assert.equal((await ana.client.request('setSubject', { subject: 'Weekly' })).ok, true);
      const poll = await ana.client.request('createPoll', { question: 'Lunch?', options: ['Yes', 'No'], anonymous: false });
      assert.equal(poll.ok, true, JSON.stringify(poll.error));
      assert.equal((await bea.client.request('votePoll', { pollId: poll.data.poll.id, option: 0 })).ok, true);
      // The second node must be listed before the first drains: it is where the meeting can go.
      await until(() => registry.list('node'), (nodes) => nodes.length >= 3, 'both new nodes listed', 10_000, 100);

      assert.deepEqual(await first.drain!(), { handedOver: 1, kept: 0 });
      assert.equal((await ana.client.closed).code, 1012, 'the browser is told to reconnect');
      assert.equal((await fetch(`${first.opsUrl}/about/health`)).status, 503);
      await until(() => registry.list('node'), (nodes) => nodes.some((n) => n.draining), 'the registry to say the first node drains', 10_000, 100);

      // Ana's browser comes back through the other node, Bea's through the drained one, which relays it.
      const anaAgain = await joinAs(second.url, 'Handed', 'Ana', { rejoin: { participantId: ana.id, token: ana.meeting.sessionToken } });
      const beaAgain = await joinAs(first.url, 'Handed', 'Bea', { rejoin: { participantId: bea.id, token: bea.meeting.sessionToken } });
      assert.deepEqual([anaAgain.id, anaAgain.role, anaAgain.meeting.resumed], [ana.id, 'moderator', true]);
      assert.deepEqual([beaAgain.id, beaAgain.role, beaAgain.meeting.resumed], [bea.id, 'participant', true]);
      assert.deepEqual(anaAgain.meeting.chatHistory.map((m: { text: string }) => m.text), ['before the drain']);
      assert.equal(anaAgain.meeting.room.subject, 'Weekly');
      assert.deepEqual(beaAgain.meeting.polls[0].options.map((o: { votes: number }) => o.votes), [1, 0]);
      assert.equal(beaAgain.meeting.polls[0].myVote, 0);
      assert.equal(first.registry.isOpen('handed'), false);
      assert.equal([node, second].filter((server) => server.registry.isOpen('handed')).length, 1, 'one other node holds the meeting now');

      // The drained node opens no meeting: a new one goes to another node.
      await joinAs(first.url, 'Fresh', 'Cai');
      assert.equal(first.registry.isOpen('fresh'), false);
      anaAgain.client.close();
      beaAgain.client.close();
    } finally {
      await first.close();
      await second.close();
    }
  });
  it('a signalling node that dies: its meeting goes on at the node its people reconnect to, with their sessions and chat', async () => {
    const port = await freePort();
    const doomed = spawnIn(null, [process.execPath, CLI, 'serve'], {
      REDIS_URL: redis.url,
      BRIDGE_SECRET: SECRET,
      MEDIA_WORKERS: '0',
      HOST: '127.0.0.1',
      PORT: String(port),
      OPS_PORT: '0',
    }, cwd);
    await doomed.waitForOutput('Tertulia is ready', 'tertulia serve');
    const doomedUrl = `http://127.0.0.1:${port}`;
    const ana = await joinAs(doomedUrl, 'Phoenix', 'Ana');
    const bea = await joinAs(doomedUrl, 'Phoenix', 'Bea');
    assert.equal((await ana.client.request('sendChat', { text: 'before the crash' })).ok, true);
    // The holder writes the meeting's state with each lease renewal (every 5 s).
    const redisClient = await connectRedis(redis.url, silent);
    try {
      await until(() => redisClient.get('tertulia:checkpoint:phoenix'), (state) => state?.includes('before the crash') === true, 'the meeting’s state in Redis', 10_000, 250);
    } finally {
      redisClient.disconnect();
    }
    doomed.child.kill('SIGKILL');
    await ana.client.closed;

    // Ana's browser reconnects through the other node: refused while the dead node is still listed (up to 6 s), then it takes the meeting over.
    const rejoin = async () => {
      const client = await RawClient.connect(node.url);
      const reply = await client.request('join', { room: 'Phoenix', displayName: 'Ana', rejoin: { participantId: ana.id, token: ana.meeting.sessionToken } });
      if (!reply.ok) client.close();
      return { client, reply };
    };
    const again = await until(rejoin, ({ reply }) => reply.ok === true, 'Ana to resume her session on the other node', 20_000, 500);
    const meeting = again.reply.data.meeting;
    assert.deepEqual([meeting.self.id, meeting.self.role, meeting.resumed], [ana.id, 'moderator', true]);
    assert.deepEqual(meeting.chatHistory.map((m: { text: string }) => m.text), ['before the crash']);
    assert.deepEqual(meeting.participants.map((p: { id: string }) => p.id), [bea.id], 'Bea is still in the meeting, waiting for her browser');
    again.client.close();
    bea.client.close();
  });
});
