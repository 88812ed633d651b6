import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectRedis, Registry, RoomLeases, type Redis } from '@tertulia/cluster';
import { createLogger, type RunningServer } from '@tertulia/server';
import { clusterRestHeader, CLUSTER_REST_HEADER } from '../../packages/server/src/cluster/cluster-rest-auth.js';
import { BRIDGE_SECRET, startBridge } from '../support/media-bridge-process.js';
import type { NamespacedProcess } from '../support/netns.js';
import { startRedisIn, type TestRedis } from '../support/redis-server.js';
import { freePort } from '../support/slapd.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { joinAs } from '../support/ws-client.js';

/*
 * Two signalling nodes (in this process, media on a real `tertulia bridge`) sharing a real
 * redis-server: the REST API of either answers for the meetings of both.
 */

const API_KEY = 'cluster-rest-api-key-0123456789';
const withKey = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { authorization: `Bearer ${API_KEY}`, ...init.headers } });
const post = (body?: unknown): RequestInit =>
  withKey(body === undefined ? { method: 'POST' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

/** The meetings listed whose names start with `prefix` (earlier tests' meetings may still be ending). */
function named(listing: { rooms: Array<{ name: string }> }, prefix: string): string[] {
  const all = listing.rooms.map((room) => room.name);
  assert.equal(new Set(all).size, all.length, `no meeting listed twice: ${all.join(', ')}`);
  return all.filter((name) => name.startsWith(prefix)).sort();
}

describe('REST API across signalling nodes', { timeout: 120_000 }, () => {
  let redis: TestRedis;
  let bridge: NamespacedProcess;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  let cwd: string;
  let connection: Redis;
  let registry: Registry;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'tertulia-cluster-rest-'));
    redis = await startRedisIn(null, '127.0.0.1', await freePort());
    ({ process: bridge } = await startBridge(redis.url, cwd));
    const env = { REDIS_URL: redis.url, BRIDGE_SECRET, MEDIA_WORKERS: '0', API_KEYS: API_KEY };
    nodeA = await startTestServer(env);
    nodeB = await startTestServer(env);
    connection = await connectRedis(redis.url, createLogger('silent'));
    registry = new Registry(connection);
    await until(() => registry.list('node'), (nodes) => nodes.length === 2, 'both nodes in the registry', 10_000, 100);
  });

  after(async () => {
    connection?.disconnect();
    await nodeB?.close();
    await nodeA?.close();
    await bridge?.stop();
    await redis?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('shows a meeting held by one node through the other: the room and the listing', async () => {
    const ana = await joinAs(nodeA.url, 'Held-On-A', 'Ana');
    try {
      assert.equal(nodeB.registry.isOpen('held-on-a'), false, 'node B holds nothing');
      const atA = await getJson(`${nodeA.opsUrl}/api/v1/rooms/Held-On-A`, withKey());
      assert.equal(atA.status, 200);
      assert.deepEqual(atA.body.participants.map((p: any) => [p.id, p.displayName]), [[ana.id, 'Ana']]);
      assert.deepEqual(await getJson(`${nodeB.opsUrl}/api/v1/rooms/held-on-a`, withKey()), atA, 'node B answers as node A does');

      const listed = await getJson(`${nodeB.opsUrl}/api/v1/rooms`, withKey());
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.unreachableNodes, []);
      assert.deepEqual(listed.body.rooms.find((room: any) => room.name === 'Held-On-A'), atA.body);
    } finally {
      ana.client.close();
    }
  });

  it('lists every meeting of the deployment once, on either node', async () => {
    const ana = await joinAs(nodeA.url, 'List-A', 'Ana');
    const bea = await joinAs(nodeB.url, 'List-B', 'Bea');
    // Relayed to node A, which holds the meeting: still one meeting.
    const cai = await joinAs(nodeB.url, 'List-A', 'Cai');
    try {
      for (const node of [nodeA, nodeB]) {
        const listed = await getJson(`${node.opsUrl}/api/v1/rooms`, withKey());
        assert.equal(listed.status, 200);
        assert.deepEqual(named(listed.body, 'List-'), ['List-A', 'List-B'], node.opsUrl);
        assert.deepEqual(listed.body.unreachableNodes, []);
        const listA = listed.body.rooms.find((room: any) => room.name === 'List-A');
        assert.deepEqual(listA.participants.map((p: any) => p.displayName), ['Ana', 'Cai']);
      }
    } finally {
      for (const joined of [ana, bea, cai]) joined.client.close();
    }
  });

  it('kicks, mutes and ends through the node that does not hold the meeting', async () => {
    const ana = await joinAs(nodeA.url, 'Acted-On', 'Ana');
    const bea = await joinAs(nodeA.url, 'Acted-On', 'Bea');
    try {
      const kicked = await getJson(`${nodeB.opsUrl}/api/v1/rooms/Acted-On/participants/${bea.id}/kick`, post());
      assert.deepEqual(kicked, { status: 200, body: { kicked: bea.id } });
      assert.equal((await bea.client.closed).code, 4002, 'Bea’s socket closes with the kick code');
      assert.equal(nodeA.registry.get('acted-on')?.size, 1);

      assert.deepEqual(await getJson(`${nodeB.opsUrl}/api/v1/rooms/Acted-On/participants/${bea.id}/kick`, post()), {
        status: 404,
        body: { code: 'NOT_FOUND', message: `No participant "${bea.id}" in this meeting.` },
      }, 'the holder’s refusal is passed on as it is');
      // A body travels too: Ana sends nothing, so nothing is muted, but the request is taken.
      assert.deepEqual(await getJson(`${nodeB.opsUrl}/api/v1/rooms/Acted-On/mute-all`, post({ kind: 'audio' })), { status: 200, body: { muted: [] } });

      const ended = await getJson(`${nodeB.opsUrl}/api/v1/rooms/Acted-On/end`, post());
      assert.deepEqual(ended, { status: 200, body: { ended: 'Acted-On', participants: 1 } });
      assert.deepEqual((await ana.client.waitFor((m) => m.method === 'removed')).data, { reason: 'ended', by: null });
      assert.equal(nodeA.registry.isOpen('acted-on'), false);
    } finally {
      ana.client.close();
      bea.client.close();
    }
  });

  it('refuses bad input with 400 before forwarding anything, and an unknown meeting with 404', async () => {
    const ana = await joinAs(nodeA.url, 'Checked', 'Ana');
    try {
      const requests: Array<[string, RequestInit, number, string]> = [
        ['/api/v1/rooms/Checked/mute-all', post({ kind: 'smell' }), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/Checked/mute-all', post(), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/Checked/participants/' + 'x'.repeat(65) + '/kick', post(), 400, 'INVALID_REQUEST'],
        ['/api/v1/rooms/bad%20name/end', post(), 400, 'INVALID_ROOM_NAME'],
        ['/api/v1/rooms/Nowhere/end', post(), 404, 'NOT_FOUND'],
      ];
      for (const [path, init, status, code] of requests) {
        const reply = await getJson(`${nodeB.opsUrl}${path}`, init);
        assert.deepEqual([reply.status, reply.body.code], [status, code], path);
      }
      assert.equal(ana.client.messages.filter((m) => m.method === 'muted').length, 0);
      assert.equal(nodeA.registry.get('checked')?.size, 1);
    } finally {
      ana.client.close();
    }
  });

  it('refuses node-to-node calls that are not signed for exactly that action with BRIDGE_SECRET, and changes nothing', async () => {
    const ana = await joinAs(nodeA.url, 'Guarded', 'Ana');
    try {
      const path = `/cluster/v1/rooms/Guarded/participants/${ana.id}/kick`;
      const signed = (secret: string, method: string, signedPath: string, body?: unknown) => ({ [CLUSTER_REST_HEADER]: clusterRestHeader(secret, 'some-node', { method, path: signedPath, body }) });
      const refused: Array<[string, Record<string, string>]> = [
        ['no signature', {}],
        ['an API key instead', { authorization: `Bearer ${API_KEY}` }],
        ['another secret', signed('not-the-secret-of-this-deployment', 'POST', path)],
        ['signed for viewing the room', signed(BRIDGE_SECRET, 'GET', '/cluster/v1/rooms/Guarded')],
        ['signed for ending it', signed(BRIDGE_SECRET, 'POST', '/cluster/v1/rooms/Guarded/end')],
        ['garbage', { [CLUSTER_REST_HEADER]: 'not.a.signature' }],
      ];
      for (const [what, headers] of refused) {
        const reply = await getJson(`${nodeA.url}${path}`, { method: 'POST', headers });
        assert.deepEqual([reply.status, reply.body.code], [401, 'UNAUTHORIZED'], what);
      }
      assert.equal((await fetch(`${nodeA.url}/cluster/v1/rooms`)).status, 401, 'listing needs a signature too');
      const muteVideo = await fetch(`${nodeA.url}/cluster/v1/rooms/Guarded/mute-all`, {
        method: 'POST',
        headers: { ...signed(BRIDGE_SECRET, 'POST', '/cluster/v1/rooms/Guarded/mute-all', { kind: 'audio' }), 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'video' }),
      });
      assert.equal(muteVideo.status, 401, 'signed for muting microphones, sent to mute cameras');
      assert.equal(nodeA.registry.get('guarded')?.size, 1, 'Ana is still there');
      assert.equal(ana.client.messages.filter((m) => m.method === 'removed').length, 0);

      // The same request, signed for it: taken, without an API key.
      const viewed = await getJson(`${nodeA.url}/cluster/v1/rooms/Guarded`, { headers: signed(BRIDGE_SECRET, 'GET', '/cluster/v1/rooms/Guarded') });
      assert.equal(viewed.status, 200);
      assert.equal(viewed.body.name, 'Guarded');
    } finally {
      ana.client.close();
    }
  });

  it('says which node did not answer: 503 for its meeting, named in the listing', async () => {
    // A node that stopped without leaving the registry: listed until its record expires, holding a meeting.
    const stopped = { id: 'stopped-node', version: '0.0.0', startedAt: Date.now(), draining: false, url: 'http://127.0.0.1:9', signallingUrl: `http://127.0.0.1:${await freePort()}`, rooms: 1, participants: 1 };
    await registry.announce('node', stopped, 60_000);
    await new RoomLeases(connection, registry, stopped.id).owner('orphan');
    const ana = await joinAs(nodeA.url, 'Reachable', 'Ana');
    try {
      const unreachable = await getJson(`${nodeB.opsUrl}/api/v1/rooms/Orphan`, withKey());
      assert.equal(unreachable.status, 503);
      assert.equal(unreachable.body.code, 'SERVER_BUSY');
      assert.match(unreachable.body.message, /"stopped-node", which did not answer .*try again/);

      const listed = await getJson(`${nodeB.opsUrl}/api/v1/rooms`, withKey());
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.unreachableNodes, ['stopped-node']);
      assert.deepEqual(named(listed.body, 'Reachable'), ['Reachable'], 'the meetings of the nodes that answered are listed');
    } finally {
      ana.client.close();
      await registry.withdraw('node', stopped.id);
    }
  });
});
