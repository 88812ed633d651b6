import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { joinRoom, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { CLI } from '../support/cli.js';
import { createTestLan, launchBrowserIn, spawnIn, type NamespacedProcess, type TestLan } from '../support/netns.js';
import { startRedisIn, type TestRedis } from '../support/redis-server.js';
import { until } from '../support/wait.js';

/*
 * A deployment of six machines on one private segment (network namespaces joined by a
 * Linux bridge): Redis, two media bridges (`tertulia bridge`), two signalling nodes with
 * no media of their own (`tertulia serve`, MEDIA_WORKERS=0; the second lets one participant
 * per bridge, so its meetings span bridges), and the people's browsers.
 */

const run = promisify(execFile);
const SECRET = 'a-long-shared-bridge-secret-for-tests';

interface Status {
  nodes: Array<{ id: string; signallingUrl: string; rooms: number; participants: number; draining: boolean }>;
  bridges: Array<{ id: string; url: string; rooms: number; endpoints: number; healthy: boolean }>;
}

describe('scale-out: media bridges and signalling nodes found through Redis', { timeout: 300_000 }, () => {
  let lan: TestLan;
  let redis: TestRedis;
  let cwd: string;
  const bridges = new Map<string, NamespacedProcess>();
  const nodes = new Map<string, NamespacedProcess>();
  let nodeUrl: string;
  let node2Url: string;
  let people: { browser: import('playwright-core').Browser; close(): Promise<void> };

  const startBridge = async (name: string) => {
    const host = lan.hosts[name]!;
    const bridge = spawnIn(host.ns, [process.execPath, CLI, 'bridge'], {
      REDIS_URL: redis.url,
      BRIDGE_SECRET: SECRET,
      BRIDGE_HOST: host.ip,
      MEDIA_WORKERS: '1',
      RTC_LISTEN_IPS: host.ip,
      OPS_PORT: '8888',
      LOG_LEVEL: 'info',
    }, cwd);
    await bridge.waitForOutput('media bridge registered', `tertulia bridge on ${name}`);
    bridges.set(name, bridge);
  };

  /** Runs `script` with Node inside `name`'s namespace (the test itself is outside the LAN). */
  const nodeIn = async (name: string, script: string): Promise<string> =>
    (await run('/usr/sbin/ip', ['netns', 'exec', lan.hosts[name]!.ns, process.execPath, '-e', script])).stdout;

  const status = async (): Promise<Status> => {
    const { stdout } = await run('/usr/sbin/ip', ['netns', 'exec', lan.hosts['redis']!.ns, process.execPath, CLI, 'status', '--json'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', REDIS_URL: redis.url },
    });
    return JSON.parse(stdout) as Status;
  };

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'tertulia-scale-'));
    lan = await createTestLan(['redis', 'bridge1', 'bridge2', 'node', 'node2', 'people']);
    redis = await startRedisIn(lan.hosts['redis']!.ns, lan.hosts['redis']!.ip);
    await startBridge('bridge1');
    await startBridge('bridge2');
    for (const name of ['node', 'node2']) {
      const host = lan.hosts[name]!;
      const node = spawnIn(host.ns, [process.execPath, CLI, 'serve'], {
        PORT: '8080',
        HOST: host.ip,
        MEDIA_WORKERS: '0',
        REDIS_URL: redis.url,
        BRIDGE_SECRET: SECRET,
        // Through the bridges even for two people.
        P2P_ENABLED: '0',
        // Meetings the second node holds span bridges as soon as a bridge has one participant.
        ...(name === 'node2' ? { BRIDGE_MAX_PARTICIPANTS: '1' } : {}),
        OPS_PORT: '8888',
        LOG_LEVEL: 'info',
      }, cwd);
      await node.waitForOutput('Tertulia is ready', `tertulia serve on ${name}`);
      nodes.set(name, node);
    }
    nodeUrl = `http://${lan.hosts['node']!.ip}:8080`;
    node2Url = `http://${lan.hosts['node2']!.ip}:8080`;
    people = await launchBrowserIn(lan.hosts['people']!.ns, `${nodeUrl},${node2Url}`);
  });

  after(async () => {
    await people?.close().catch(() => undefined);
    for (const node of nodes.values()) await node.stop();
    for (const bridge of bridges.values()) await bridge.stop();
    await redis?.stop();
    await lan?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('lists both signalling nodes and both bridges in `tertulia status`', async () => {
    const found = await status();
    assert.equal(found.nodes.length, 2);
    assert.deepEqual(found.bridges.map((bridge) => new URL(bridge.url).hostname).sort(), [lan.hosts['bridge1']!.ip, lan.hosts['bridge2']!.ip]);
    assert.ok(found.bridges.every((bridge) => bridge.healthy));
  });

  let ana: Attendee, bea: Attendee, eli: Attendee;
  /** Each person's participant id, and the frames each decoded from the others. */
  type Decoding = { ids: Map<Attendee, string>; frames: Map<Attendee, Map<string, number>> };
  /**
   * Waits until each of the meeting's three decodes the other two (checked every 250 ms: the times
   * printed are within 0.5 s). With `cut` (what an earlier call saw), only streams that started
   * again since count: media back after a move.
   */
  const everyoneDecodesEveryone = async (cut?: Decoding): Promise<Decoding> => {
    const ids = new Map<Attendee, string>();
    for (const person of [ana, bea, eli]) ids.set(person, await selfId(person.page));
    const frames = new Map<Attendee, Map<string, number>>();
    await Promise.all(
      [ana, bea, eli].map(async (person) => {
        const others = [...ids].filter(([other]) => other !== person).map(([, id]) => id);
        frames.set(person, await waitForMediaFrom(person.page, others, 30_000, 250, cut?.frames.get(person)));
      }),
    );
    return { ids, frames };
  };
  /** Media back at all three after a move begun at `since`, timed from the browsers alone (status polls run beside it). */
  const mediaBack = (cut: Decoding, since: number) => {
    const back = everyoneDecodesEveryone(cut).then((after) => ({ after, ms: Date.now() - since }));
    // Awaited after the status checks; a failure of those must not leave this rejection unhandled.
    back.catch(() => undefined);
    return back;
  };
  let meetingBridge: string;

  it('people on different signalling nodes meet in one meeting on one bridge and decode each other; the next meeting goes to the less loaded bridge', async () => {
    ana = await joinRoom(people.browser, nodeUrl, 'Spread', 'Ana');
    bea = await joinRoom(people.browser, node2Url, 'Spread', 'Bea');
    eli = await joinRoom(people.browser, node2Url, 'Spread', 'Eli');
    await everyoneDecodesEveryone();
    const loaded = await until(status, (s) => s.bridges.some((bridge) => bridge.endpoints === 3), 'a bridge with the three endpoints', 15_000, 500);
    const busy = loaded.bridges.find((bridge) => bridge.endpoints === 3)!;
    meetingBridge = new URL(busy.url).hostname === lan.hosts['bridge1']!.ip ? 'bridge1' : 'bridge2';
    // The first node holds the meeting; the second relays Bea and Eli to it.
    assert.deepEqual(loaded.nodes.map((n) => n.participants).sort(), [0, 3]);

    const cai = await joinRoom(people.browser, nodeUrl, 'Other', 'Cai');
    const spread = await until(status, (s) => s.bridges.every((bridge) => bridge.rooms === 1), 'one room on each bridge', 15_000, 500);
    assert.deepEqual(spread.bridges.map((bridge) => bridge.endpoints).sort(), [1, 3]);
    // Leaving (not just closing the tab, which waits out the reconnect grace) ends that meeting at once.
    await cai.page.getByTestId('leave').click();
    await until(status, (s) => s.bridges.every((bridge) => bridge.endpoints !== 1), 'Cai’s meeting gone', 15_000, 250);
    await cai.context.close();
  });

  it('moderation and chat cross the nodes', async () => {
    const beaId = await selfId(bea.page);
    await bea.page.evaluate(() => window.tertulia!.conference.sendChat('from the second node'));
    await until(() => ana.page.evaluate(() => window.tertulia!.conference.state.chat.map((m: { text: string }) => m.text)), (texts) => texts.includes('from the second node'), 'Bea’s message at Ana');
    assert.equal(await bea.page.evaluate(() => window.tertulia!.conference.state.local.audioMuted), false);
    await ana.page.evaluate((id) => window.tertulia!.conference.moderate('muteParticipant', { participantId: id, kind: 'audio' }), beaId);
    await until(() => bea.page.evaluate(() => window.tertulia!.conference.state.local.audioMuted), (muted) => muted === true, 'Bea muted by Ana');
    await bea.page.evaluate(() => window.tertulia!.conference.setAudioMuted(false));
  });

  it('when a bridge is killed, its meeting moves to the other bridge: same people, same chat, media back', async (t) => {
    const before = await everyoneDecodesEveryone();
    await ana.page.evaluate(() => window.tertulia!.conference.sendChat('said before the bridge died'));
    await until(() => bea.page.evaluate(() => window.tertulia!.conference.state.chat.length), (n) => n === 2, 'the chat message at Bea');
    const killedAt = Date.now();
    bridges.get(meetingBridge)!.child.kill('SIGKILL');
    bridges.delete(meetingBridge);
    const back = mediaBack(before, killedAt);

    // The browsers reconnect by themselves and resume their sessions; the media comes back on the other bridge.
    const survivor = lan.hosts[meetingBridge === 'bridge1' ? 'bridge2' : 'bridge1']!.ip;
    await until(status, (s) => s.bridges.some((bridge) => new URL(bridge.url).hostname === survivor && bridge.endpoints === 3), 'all three on the other bridge', 30_000, 250);
    t.diagnostic(`all three connected to the other bridge ${Date.now() - killedAt} ms after the SIGKILL`);
    const { after, ms } = await back;
    t.diagnostic(`media back at all three ${ms} ms after the SIGKILL`);
    for (const person of [ana, bea, eli]) {
      assert.equal(after.ids.get(person), before.ids.get(person), `${person.name} is the same participant`);
      const chat = await person.page.evaluate(() => window.tertulia!.conference.state.chat.map((message: { text: string }) => message.text));
      assert.deepEqual(chat, ['from the second node', 'said before the bridge died'], `${person.name} keeps the chat`);
    }
    const left = await until(status, (s) => s.bridges.length === 1, 'the killed bridge gone from the registry', 15_000, 500);
    t.diagnostic(`registry lists one bridge ${Date.now() - killedAt} ms after the SIGKILL`);
    assert.equal(left.bridges[0]!.endpoints, 3);
    assert.deepEqual(left.nodes.map((n) => n.participants).sort(), [0, 3]);
  });

  it('a drained bridge hands its meeting to another bridge and exits', async (t) => {
    const holder = [...bridges.keys()][0]!;
    await startBridge(meetingBridge);
    await until(status, (s) => s.bridges.length === 2, 'the new bridge listed', 15_000, 500);
    const before = await everyoneDecodesEveryone();
    const drainedAt = Date.now();
    const back = mediaBack(before, drainedAt);
    const answer = await nodeIn(holder, "fetch('http://127.0.0.1:8888/colibri/drain/enable', { method: 'POST' }).then((r) => r.text()).then((t) => process.stdout.write(t))");
    assert.deepEqual(JSON.parse(answer), { drain: true, mode: 'move' });
    const newcomer = lan.hosts[meetingBridge]!.ip;
    await until(status, (s) => s.bridges.some((bridge) => new URL(bridge.url).hostname === newcomer && bridge.endpoints === 3), 'all three on the new bridge', 30_000, 250);
    const { after, ms } = await back;
    t.diagnostic(`media back at all three ${ms} ms after the drain began`);
    for (const person of [ana, bea, eli]) assert.equal(after.ids.get(person), before.ids.get(person), `${person.name} is the same participant`);
    const drained = bridges.get(holder)!;
    await until(async () => drained.child.exitCode, (code) => code === 0, 'the drained bridge to exit by itself', 15_000, 250);
    bridges.delete(holder);
    await until(status, (s) => s.bridges.length === 1, 'the drained bridge gone from the registry', 10_000, 250);
    await startBridge(holder);
  });

  it('a drained signalling node hands its meeting to the other node; the browsers resume there without reloading', async (t) => {
    // The first node holds the meeting: Ana's browser talks to it, Bea's and Eli's to the second node, which relays them.
    const before = await everyoneDecodesEveryone();
    const drainedAt = Date.now();
    const back = mediaBack(before, drainedAt);
    const post = "fetch('http://127.0.0.1:8888/colibri/drain/enable', { method: 'POST' }).then((r) => r.text()).then((t) => process.stdout.write(t))";
    assert.deepEqual(JSON.parse(await nodeIn('node', post)), { drain: true, handedOver: 1, kept: 0 });
    const second = new URL(node2Url).hostname;
    const moved = await until(
      status,
      (s) => s.nodes.some((n) => new URL(n.signallingUrl).hostname === second && n.participants === 3),
      'the meeting held by the second node with its three people',
      30_000,
      250,
    );
    const first = moved.nodes.find((n) => new URL(n.signallingUrl).hostname !== second)!;
    assert.deepEqual({ draining: first.draining, rooms: first.rooms }, { draining: true, rooms: 0 });
    const { after, ms } = await back;
    t.diagnostic(`media back at all three ${ms} ms after the node's drain began`);
    for (const person of [ana, bea, eli]) {
      assert.equal(after.ids.get(person), before.ids.get(person), `${person.name} is the same participant`);
      const chat = await person.page.evaluate(() => window.tertulia!.conference.state.chat.map((message: { text: string }) => message.text));
      assert.deepEqual(chat, ['from the second node', 'said before the bridge died'], `${person.name} keeps the chat`);
    }
    // Ana moderates there as here (she opened the meeting): moderation still reaches Bea.
    await ana.page.evaluate((id) => window.tertulia!.conference.moderate('muteParticipant', { participantId: id, kind: 'audio' }), after.ids.get(bea)!);
    await until(() => bea.page.evaluate(() => window.tertulia!.conference.state.local.audioMuted), (muted) => muted === true, 'Bea muted by Ana on the new node');
  });

  it('a meeting spans both bridges when they are full: everyone decodes everyone, each producer crosses once', async () => {
    for (const person of [ana, bea, eli]) {
      await person.page.getByTestId('leave').click();
      await person.context.close();
    }
    await until(status, (s) => s.bridges.length === 2 && s.bridges.every((bridge) => bridge.endpoints === 0), 'two empty bridges', 30_000, 500);
    // The second node holds this meeting and lets one participant per bridge, so Ana and Bea are on different bridges and Eli joins one of them.
    ana = await joinRoom(people.browser, node2Url, 'Spanning', 'Ana');
    bea = await joinRoom(people.browser, node2Url, 'Spanning', 'Bea');
    eli = await joinRoom(people.browser, nodeUrl, 'Spanning', 'Eli');
    await everyoneDecodesEveryone();

    type BridgeStats = { endpoints: number; octo_conferences: number; octo_endpoints: number; relayed_producers_sent: number; relayed_producers_received: number };
    const stats = async (name: string) =>
      JSON.parse(await nodeIn(name, "fetch('http://127.0.0.1:8888/colibri/stats').then((r) => r.text()).then((t) => process.stdout.write(t))")) as BridgeStats;
    const [one, two] = await Promise.all([stats('bridge1'), stats('bridge2')]);
    const [pair, single] = one.endpoints === 2 ? [one, two] : [two, one];
    assert.deepEqual([pair.endpoints, single.endpoints], [2, 1], 'two participants on one bridge, one on the other');
    assert.deepEqual([pair.octo_conferences, single.octo_conferences], [1, 1]);
    // Participants of the other bridge, as each bridge sees them.
    assert.deepEqual([pair.octo_endpoints, single.octo_endpoints], [1, 2]);
    // Each participant's microphone and camera cross once: the lone participant's two go once to the bridge where two receive them.
    assert.deepEqual([pair.relayed_producers_sent, pair.relayed_producers_received], [4, 2]);
    assert.deepEqual([single.relayed_producers_sent, single.relayed_producers_received], [2, 4]);
  });
});
