import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { createFirefoxMediaAddress, launchFirefox } from '../support/firefox.js';
import type { LocalAddress } from '../support/local-address.js';
import { BRIDGE_SECRET, startBridge } from '../support/media-bridge-process.js';
import type { NamespacedProcess } from '../support/netns.js';
import { startRedisIn, type TestRedis } from '../support/redis-server.js';
import { freePort } from '../support/slapd.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const ROOM = 'FailoverAcrossBrowsers';
const FIRST_JOIN_MS = 90_000;

/**
 * A media bridge killed under a meeting of Chromium and Firefox ESR: the signalling node
 * moves the meeting to the other bridge and both browsers build their media there on the
 * same connection (the `mediaRestarted` notification). Redis, two `tertulia bridge`
 * processes and the node all run on this machine; the bridges' media listens on a private
 * address, as Firefox gathers no loopback candidates (see tests/support/firefox.ts).
 */
describe('a bridge failover in Chromium and Firefox', { timeout: 240_000 }, () => {
  let address: LocalAddress;
  let redis: TestRedis;
  let cwd: string;
  const bridges: Array<{ process: NamespacedProcess; ops: string }> = [];
  let node: RunningServer;
  let chromium: Browser;
  let firefox: Firefox;

  before(async () => {
    address = await createFirefoxMediaAddress();
    cwd = await mkdtemp(join(tmpdir(), 'tertulia-failover-'));
    redis = await startRedisIn(null, '127.0.0.1', await freePort());
    for (let i = 0; i < 2; i++) bridges.push(await startBridge(redis.url, cwd, { RTC_LISTEN_IPS: address.address }));
    node = await startTestServer({ REDIS_URL: redis.url, BRIDGE_SECRET, MEDIA_WORKERS: '0', P2P_ENABLED: '0' });
    [chromium, firefox] = await Promise.all([launchBrowser(), launchFirefox()]);
  });
  after(async () => {
    await chromium?.close();
    await firefox?.close();
    await node?.close();
    for (const bridge of bridges) await bridge.process.stop();
    await redis?.stop();
    await address?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('both browsers decode each other again on the other bridge, as the same participants, without reconnecting', async (t) => {
    const ana: Attendee = await joinRoom(chromium, node.url, ROOM, 'Ana');
    const fay: FirefoxPage = await firefox.newPage();
    // The page's Content-Security-Policy refuses puppeteer's waitForFunction (it evaluates a string): poll instead.
    await fay.goto(`${node.url}/${ROOM}#config.prejoinConfig.enabled=false&userInfo.displayName=%22Fay%22`);
    await until(() => fay.evaluate(() => window.tertulia?.conference.state.connection), (state) => state === 'joined', 'Fay (Firefox) in the meeting', FIRST_JOIN_MS, 500);
    const fayId = await fay.evaluate(() => window.tertulia!.conference.state.self!.id as string);
    const anaId = await selfId(ana.page);
    const [fayHad, anaHad] = await Promise.all([waitForMediaFrom(fay, [anaId], 30_000), waitForMediaFrom(ana.page, [fayId], 30_000)]);

    const conferences = async (ops: string) => ((await (await fetch(`${ops}/colibri/stats`)).json()) as { conferences: number }).conferences;
    const holder = (await Promise.all(bridges.map(({ ops }) => conferences(ops)))).findIndex((count) => count === 1);
    assert.ok(holder >= 0, 'one bridge holds the meeting');
    // Counted from here: a browser that reconnected would go through 'reconnecting'.
    const states: string[] = [];
    const watch = setInterval(() => {
      void fay.evaluate(() => window.tertulia!.conference.state.connection as string).then((state) => states.push(state), () => undefined);
    }, 100);
    const killedAt = Date.now();
    bridges[holder]!.process.child.kill('SIGKILL');
    try {
      await Promise.all([waitForMediaFrom(fay, [anaId], 30_000, 250, fayHad), waitForMediaFrom(ana.page, [fayId], 30_000, 250, anaHad)]);
    } finally {
      clearInterval(watch);
    }
    t.diagnostic(`Chromium and Firefox decoding each other again ${Date.now() - killedAt} ms after the SIGKILL`);
    assert.equal(await conferences(bridges[1 - holder]!.ops), 1, 'the meeting is on the other bridge');
    assert.deepEqual([await selfId(ana.page), await fay.evaluate(() => window.tertulia!.conference.state.self!.id as string)], [anaId, fayId]);
    assert.ok(!states.includes('reconnecting'), `Firefox stayed connected (${[...new Set(states)].join(', ')})`);
  });
});
