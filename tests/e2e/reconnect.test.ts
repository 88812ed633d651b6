import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';
import { TcpProxy } from '../support/tcp-proxy.js';

describe('recovery from a dropped connection, in real Chromium', () => {
  let server: RunningServer;
  let proxy: TcpProxy;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;

  before(async () => {
    server = await startTestServer({ RECONNECT_GRACE_SECONDS: '10' });
    proxy = await TcpProxy.start(server.url);
    browser = await launchBrowser();
    ana = await joinRoom(browser, proxy.url, 'Drop', 'Ana');
    bea = await joinRoom(browser, server.url, 'Drop', 'Bea');
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
  });

  it('reconnects by itself after the WebSocket drops, keeping its identity and media', async () => {
    const [anaId, beaId] = [await selfId(ana.page), await selfId(bea.page)];
    await waitForMediaFrom(bea.page, [anaId]);

    proxy.dropAll();
    await ana.page.getByTestId('reconnecting').waitFor({ timeout: 5000 });
    await ana.page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 15_000 });

    assert.equal(await selfId(ana.page), anaId, 'the same session resumed');
    assert.equal(await ana.page.evaluate(() => location.href.includes('Drop')), true, 'no page reload happened');
    await waitForMediaFrom(ana.page, [beaId]);
    await waitForMediaFrom(bea.page, [anaId]);
    const tiles = await bea.page.locator(`[data-testid="tile"][data-participant-id="${anaId}"]`).count();
    assert.equal(tiles, 1, 'Bea still sees exactly one tile for Ana');
  });

  it('survives a media worker crash: everyone reconnects onto a new worker by themselves', async () => {
    const workers = childPids(process.pid).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('mediasoup-worker'));
    assert.equal(workers.length, 1, 'one media worker runs');
    process.kill(workers[0]!, 'SIGKILL');
    await ana.page.waitForFunction(() => window.tertulia?.conference.state.connection === 'reconnecting', null, { timeout: 5000 });
    for (const a of [ana, bea]) {
      await a.page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 20_000 });
    }
    await waitForMediaFrom(ana.page, [await selfId(bea.page)]);
    await waitForMediaFrom(bea.page, [await selfId(ana.page)]);
    assert.equal((await fetch(`${server.url}/about/health`)).status, 200, 'healthy again with the replacement worker');
  });

  it('drops a participant whose connection does not come back within the grace period', async () => {
    const anaId = await selfId(ana.page);
    await ana.context.close();
    await bea.page.locator(`[data-testid="tile"][data-participant-id="${anaId}"]`).waitFor({ state: 'detached', timeout: 15_000 });
  });
});

/** Direct children of a process, from /proc. */
function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}
