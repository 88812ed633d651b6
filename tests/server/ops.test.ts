import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig, type RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { joinAs, OPUS, type RawClient } from '../support/ws-client.js';

const API_KEY = 'test-api-key-0123456789abcdef';
const OPS_TOKEN = 'test-ops-token-0123456789abcdef';
const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
const VP8 = { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }], encodings: [{ ssrc: 1111 }] };

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const withKey = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...bearer(API_KEY), ...init.headers } });
const json = (body: unknown): RequestInit => withKey({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

/** Joins `room` over a raw signalling socket and, optionally, starts sending a mic and a camera. */
async function participant(server: RunningServer, room: string, displayName: string, send: boolean): Promise<{ client: RawClient; id: string }> {
  const { client, id } = await joinAs(server.url, room, displayName);
  if (send) {
    const transport = await client.request('createTransport', { direction: 'send' });
    for (const [kind, source, rtpParameters] of [['audio', 'mic', OPUS], ['video', 'camera', VP8]] as const) {
      const produced = await client.request('produce', { transportId: transport.data.id, kind, source, rtpParameters, paused: false });
      assert.equal(produced.ok, true, JSON.stringify(produced.error));
    }
  }
  return { client, id };
}

describe('operations endpoints and REST API', () => {
  let server: RunningServer;
  let stats: () => Promise<any>;

  before(async () => {
    server = await startTestServer({ API_KEYS: `other-key-0123456789abcdef,${API_KEY}`, OPS_TOKEN });
    stats = async () => (await getJson(`${server.opsUrl}/colibri/stats`)).body;
  });
  after(() => server.close());

  it('serves health, version, stats and metrics on the ops listener', async () => {
    assert.match(server.opsUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await getJson(`${server.opsUrl}/about/health`), { status: 200, body: { status: 'healthy' } });
    const version = await getJson(`${server.opsUrl}/about/version`);
    assert.equal(version.body.name, 'tertulia');
    assert.match(version.body.version, /^\d+\.\d+\.\d+/);

    const idle = await stats();
    assert.equal(idle.conferences, 0);
    assert.equal(idle.participants, 0);
    assert.equal(idle.healthy, true);
    assert.equal(idle.drain, false);
    assert.equal(idle.version, version.body.version);
    assert.match(idle.current_timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    for (const key of ['total_relays', 'threads', 'incoming_loss', 'p2p_conferences']) assert.equal(key in idle, false, `${key} is not made up`);
    // One server has no pipes to other bridges.
    assert.deepEqual([idle.octo_conferences, idle.octo_endpoints, idle.relayed_producers_sent], [0, 0, 0]);

    const metrics = await fetch(`${server.opsUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    const text = await metrics.text();
    assert.match(text, /^tertulia_conferences 0$/m);
    assert.match(text, /^# TYPE tertulia_conferences_created_total counter$/m);
    assert.match(text, /^process_cpu_user_seconds_total /m, 'default process metrics');
  });

  it('keeps stats and metrics behind OPS_TOKEN on the public port, health open', async () => {
    assert.equal((await fetch(`${server.url}/about/health`)).status, 200);
    for (const path of ['/colibri/stats', '/metrics', '/about/version']) {
      assert.equal((await fetch(`${server.url}${path}`)).status, 401, path);
      assert.equal((await fetch(`${server.url}${path}`, { headers: bearer('wrong-token-0123456789abcdef') })).status, 401, path);
      assert.equal((await fetch(`${server.url}${path}`, { headers: bearer(OPS_TOKEN) })).status, 200, path);
    }
    const rest = await getJson(`${server.url}/api/v1/rooms`, { headers: bearer(OPS_TOKEN) });
    assert.equal(rest.status, 401, 'the REST API wants an API key, not the ops token');
    assert.equal((await getJson(`${server.url}/api/v1/rooms`, withKey())).status, 200);
  });

  it('refuses REST calls without a valid API key', async () => {
    const none = await getJson(`${server.opsUrl}/api/v1/rooms`);
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'UNAUTHORIZED');
    const wrong = await getJson(`${server.opsUrl}/api/v1/rooms`, { headers: bearer(`${API_KEY}x`) });
    assert.equal(wrong.status, 401);
    assert.equal((await getJson(`${server.opsUrl}/api/v1/rooms`, { headers: { authorization: API_KEY } })).status, 401, 'no Bearer scheme');
    assert.deepEqual(await getJson(`${server.opsUrl}/api/v1/rooms`, withKey()), { status: 200, body: { rooms: [] } });
  });

  it('lists rooms and participants, counts them in stats, mutes, kicks and ends', async () => {
    const ana = await participant(server, 'Ops-Room', 'Ana', true);
    const bea = await participant(server, 'ops-room', 'Bea', true);
    const carl = await participant(server, 'OPS-ROOM', 'Carl', false);
    try {
      const listed = await getJson(`${server.opsUrl}/api/v1/rooms`, withKey());
      assert.equal(listed.body.rooms.length, 1);
      const room = listed.body.rooms[0];
      assert.equal(room.name, 'Ops-Room');
      assert.deepEqual(
        room.participants.map((p: any) => [p.displayName, p.role, p.audioMuted, p.videoMuted, p.connected]),
        [['Ana', 'moderator', false, false, true], ['Bea', 'participant', false, false, true], ['Carl', 'participant', true, true, true]],
      );
      assert.ok(room.participants.every((p: any) => typeof p.joinedAt === 'number' && typeof p.id === 'string'));
      assert.deepEqual((await getJson(`${server.opsUrl}/api/v1/rooms/OPS-room`, withKey())).body, room, 'names are case-insensitive');

      const live = await stats();
      assert.equal(live.conferences, 1);
      assert.equal(live.participants, 3);
      assert.equal(live.largest_conference, 3);
      assert.equal(live.conference_sizes[3], 1);
      assert.equal(live.endpoints_sending_audio, 2);
      assert.equal(live.endpoints_sending_video, 2);
      assert.equal(live.receive_only_endpoints, 1);
      assert.equal(live.inactive_conferences, 0);
      assert.equal(live.total_participants, 3);

      // Bad input: clear 4xx, nothing changes.
      const badRequests: Array<[string, RequestInit, number, string]> = [
        ['/api/v1/rooms/Ops-Room/mute-all', json({ kind: 'smell' }), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/Ops-Room/mute-all', json({ kind: 'audio', extra: 1 }), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/Ops-Room/mute-all', withKey({ method: 'POST' }), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/Ops-Room/mute-all', withKey({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' }), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/bad%20name/mute-all', json({ kind: 'audio' }), 400, 'INVALID_ROOM_NAME'],
        ['/api/v1/rooms/Nowhere/mute-all', json({ kind: 'audio' }), 404, 'NOT_FOUND'],
        ['/api/v1/rooms/Ops-Room/participants/nobody/kick', withKey({ method: 'POST' }), 404, 'NOT_FOUND'],
        ['/api/v1/rooms/Nowhere/end', withKey({ method: 'POST' }), 404, 'NOT_FOUND'],
        ['/api/v1/rooms/Ops-Room/explode', withKey({ method: 'POST' }), 404, 'NOT_FOUND'],
      ];
      for (const [path, init, status, code] of badRequests) {
        const reply = await getJson(`${server.opsUrl}${path}`, init);
        assert.deepEqual([reply.status, reply.body.code], [status, code], `${path} ${String(init.body)}`);
        assert.equal(typeof reply.body.message, 'string');
      }
      assert.deepEqual((await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room`, withKey())).body, room, 'nothing changed');
      assert.equal(ana.client.messages.filter((m) => m.method === 'muted' || m.method === 'removed').length, 0);

      // Mute all microphones.
      const muted = await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room/mute-all`, json({ kind: 'audio' }));
      assert.deepEqual(muted, { status: 200, body: { muted: [ana.id, bea.id] } });
      for (const p of [ana, bea]) {
        assert.deepEqual((await p.client.waitFor((m) => m.method === 'muted')).data, { kind: 'audio', by: null });
      }
      await carl.client.waitFor((m) => m.method === 'participantUpdated' && m.data.participant.id === bea.id && m.data.participant.audioMuted);
      assert.equal(carl.client.messages.filter((m) => m.method === 'muted').length, 0, 'Carl had nothing to mute');
      const afterMute = (await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room`, withKey())).body;
      assert.deepEqual(afterMute.participants.map((p: any) => [p.audioMuted, p.videoMuted]), [[true, false], [true, false], [true, true]]);
      assert.equal((await stats()).endpoints_sending_audio, 0);

      // Mute all cameras: closed server-side.
      assert.deepEqual((await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room/mute-all`, json({ kind: 'video' }))).body, { muted: [ana.id, bea.id] });
      await ana.client.waitFor((m) => m.method === 'muted' && m.data.kind === 'video');
      assert.equal((await stats()).endpoints_sending_video, 0);

      // Kick Bea: she is told, her socket closes, the others see her leave.
      const closed = once(bea.client.socket, 'close');
      const kicked = await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room/participants/${bea.id}/kick`, withKey({ method: 'POST' }));
      assert.deepEqual(kicked, { status: 200, body: { kicked: bea.id } });
      assert.deepEqual((await bea.client.waitFor((m) => m.method === 'removed')).data, { reason: 'kicked', by: null });
      const [code] = (await closed) as [number];
      assert.equal(code, 4002);
      assert.deepEqual((await ana.client.waitFor((m) => m.method === 'participantLeft')).data, { participantId: bea.id, reason: 'kicked', by: null });
      assert.equal(server.registry.get('ops-room')?.size, 2);

      // End the meeting for everyone.
      const closing = [once(ana.client.socket, 'close'), once(carl.client.socket, 'close')];
      const ended = await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room/end`, withKey({ method: 'POST' }));
      assert.deepEqual(ended, { status: 200, body: { ended: 'Ops-Room', participants: 2 } });
      for (const p of [ana, carl]) assert.deepEqual((await p.client.waitFor((m) => m.method === 'removed')).data, { reason: 'ended', by: null });
      await Promise.all(closing);
      assert.deepEqual(server.registry.rooms(), []);
      assert.equal((await getJson(`${server.opsUrl}/api/v1/rooms/Ops-Room`, withKey())).status, 404);

      const idle = await stats();
      assert.equal(idle.conferences, 0);
      assert.equal(idle.participants, 0);
      assert.equal(idle.total_conferences_created, 1);
      assert.equal(idle.total_conferences_completed, 1);
      assert.deepEqual(idle.conference_sizes, [0]);
    } finally {
      for (const p of [ana, bea, carl]) p.client.close();
    }
  });

  it('refuses WEBHOOK_URLS without WEBHOOK_SECRET, and short secrets, at start', () => {
    assert.throws(() => loadConfig({ WEBHOOK_URLS: 'http://127.0.0.1:9/hook' }), (error: unknown) => {
      return error instanceof ConfigError && /WEBHOOK_SECRET/.test(error.message) && /required/.test(error.message);
    });
    assert.throws(() => loadConfig({ API_KEYS: 'short' }), /API_KEYS.*at least 16 characters/);
    assert.throws(() => loadConfig({ WEBHOOK_URLS: 'ftp://127.0.0.1/hook', WEBHOOK_SECRET }), /WEBHOOK_URLS/);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  accepted: boolean;
}

/** A webhook receiver on loopback that answers 503 to its first `failures` requests. */
async function receiver(failures: number): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const accepted = received.length >= failures;
      received.push({ headers: request.headers, raw, body: JSON.parse(raw), accepted });
      response.writeHead(accepted ? 204 : 503).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

/** What a receiver does: recompute the HMAC over "<timestamp>.<raw body>" and compare in constant time. */
function signatureValid({ headers, raw }: Received): boolean {
  const timestamp = String(headers['x-tertulia-timestamp']);
  const expected = Buffer.from(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${raw}`).digest('hex')}`);
  const given = Buffer.from(String(headers['x-tertulia-signature']));
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhooks', () => {
  let server: RunningServer;
  let good: Awaited<ReturnType<typeof receiver>>;
  let flaky: Awaited<ReturnType<typeof receiver>>;

  before(async () => {
    good = await receiver(0);
    flaky = await receiver(2);
    server = await startTestServer({ WEBHOOK_URLS: `${good.url},${flaky.url}`, WEBHOOK_SECRET });
  });
  after(async () => {
    await server.close();
    good.server.close();
    flaky.server.close();
  });

  it('posts signed room and participant events in order, and retries a failing receiver', async () => {
    const ana = await participant(server, 'Hooks', 'Ana', false);
    assert.equal((await ana.client.request('leave')).ok, true);
    ana.client.close();

    const events = ['room_started', 'participant_joined', 'participant_left', 'room_finished'];
    await until(() => good.received.length, (n) => n === 4, 'four webhooks');
    assert.deepEqual(good.received.map((r) => r.body.event), events);
    for (const delivery of good.received) {
      assert.ok(signatureValid(delivery), `valid signature on ${delivery.body.event}`);
      assert.equal(delivery.headers['content-type'], 'application/json');
      assert.equal(delivery.headers['x-tertulia-event'], delivery.body.event);
      assert.equal(delivery.headers['x-tertulia-delivery'], delivery.body.id);
      assert.deepEqual(delivery.body.room, { name: 'Hooks', key: 'hooks', startedAt: delivery.body.room.startedAt });
      assert.equal(typeof delivery.body.timestamp, 'number');
    }
    assert.equal(new Set(good.received.map((r) => r.body.id)).size, 4, 'unique ids');
    const [, joined, left] = good.received;
    assert.deepEqual(joined!.body.participant, { id: ana.id, displayName: 'Ana', role: 'moderator', joinedAt: joined!.body.participant.joinedAt });
    assert.equal(left!.body.participant.id, ana.id);
    assert.equal(left!.body.reason, 'left');

    const tampered = { ...good.received[0]!, raw: good.received[0]!.raw.replace('Hooks', 'Hacks') };
    assert.equal(signatureValid(tampered), false, 'a changed body fails verification');

    // The flaky receiver refused twice; the first event came again with the same id, then all in order.
    await until(() => flaky.received.filter((r) => r.accepted).length, (n) => n === 4, 'four accepted webhooks after retries');
    const first = flaky.received.slice(0, 3);
    assert.deepEqual(first.map((r) => r.accepted), [false, false, true]);
    assert.deepEqual(new Set(first.map((r) => r.body.id)).size, 1, 'retries carry the same id');
    assert.ok(first.every(signatureValid));
    assert.deepEqual(flaky.received.filter((r) => r.accepted).map((r) => r.body.event), events);
  });
});
