import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { inboundStats, joinRoom, joinRoomIn, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';
import { until } from '../support/wait.js';

const isP2P = (page: Page) => page.waitForFunction(() => window.tertulia?.conference.state.p2p === true, null, { timeout: 15_000 });
const consumerCounts = (server: RunningServer) => {
  const room = server.registry.get('direct')!;
  return room.participants().map((p) => room.media.consumerCount(p.id));
};

/** Samples, in the page, the frames decoded from `peerId` (any path) every 50 ms; returns the longest stretch without a new frame. */
async function startGapMeter(page: Page, peerId: string): Promise<() => Promise<number>> {
  await page.evaluate((peer) => {
    const w = window as unknown as { __gap: { last: number; at: number; longest: number; timer: number } };
    w.__gap = { last: 0, at: performance.now(), longest: 0, timer: 0 };
    w.__gap.timer = window.setInterval(async () => {
      const stats = await window.tertulia!.conference.inboundStats();
      const frames = stats.filter((s) => s.participantId === peer && s.source === 'camera').reduce((n, s) => n + s.framesDecoded, 0);
      const now = performance.now();
      if (frames !== w.__gap.last) {
        w.__gap.longest = Math.max(w.__gap.longest, now - w.__gap.at);
        w.__gap.last = frames;
        w.__gap.at = now;
      }
    }, 50);
  }, peerId);
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { __gap: { longest: number; timer: number } };
      clearInterval(w.__gap.timer);
      return Math.round(w.__gap.longest);
    });
}

describe('peer to peer for two, in real Chromium', () => {
  const suite = useServerAndBrowser({ P2P_BACK_DELAY_SECONDS: '1' });
  let ana: Attendee, bea: Attendee;
  const ids: Record<string, string> = {};

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, 'Direct', 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, 'Direct', 'Bea');
    ids['Ana'] = await selfId(ana.page);
    ids['Bea'] = await selfId(bea.page);
  });

  it('connects two people directly: host-to-host, and the server forwards nothing', async () => {
    await isP2P(ana.page);
    await isP2P(bea.page);
    await waitForMediaFrom(ana.page, [ids['Bea']!]);
    await waitForMediaFrom(bea.page, [ids['Ana']!]);
    const paths = new Set((await inboundStats(ana.page)).filter((s) => s.framesDecoded > 0 || s.totalAudioEnergy > 0).map((s) => s.path));
    assert.deepEqual([...paths], ['p2p'], 'everything Ana receives comes directly');
    assert.deepEqual(consumerCounts(suite.server), [0, 0], 'the server consumes nothing for either');
    assert.equal(await ana.page.evaluate(() => window.tertulia!.conference.p2pCandidateType()), 'host');
  });

  it('moves everyone to the server when a third joins, with a short switch', async (t) => {
    const meters = [await startGapMeter(ana.page, ids['Bea']!), await startGapMeter(bea.page, ids['Ana']!)];
    const started = Date.now();
    const carl = await joinRoom(suite.browser, suite.server.url, 'Direct', 'Carl');
    ids['Carl'] = await selfId(carl.page);
    for (const [me, others] of [
      [ana, ['Bea', 'Carl']],
      [bea, ['Ana', 'Carl']],
      [carl, ['Ana', 'Bea']],
    ] as const) {
      await waitForMediaFrom(me.page, others.map((n) => ids[n]!));
    }
    const allDecoding = Date.now() - started;
    await new Promise((r) => setTimeout(r, 4000));
    const gaps = await Promise.all(meters.map((stop) => stop()));
    t.diagnostic(`all three decoding each other ${allDecoding} ms after the third joined; longest decode gap at the original two: ${gaps.join(' ms, ')} ms`);
    assert.equal(await ana.page.evaluate(() => window.tertulia!.conference.state.p2p), false);
    const paths = new Set((await inboundStats(ana.page)).map((s) => s.path));
    assert.deepEqual([...paths], ['server'], 'the direct connection is closed after the handover');
    assert.ok(gaps.every((gap) => gap < 3000), `the switch shows no long freeze (${gaps})`);

    await carl.page.getByTestId('leave').click();
    await isP2P(ana.page);
    await isP2P(bea.page);
    await waitForMediaFrom(ana.page, [ids['Bea']!]);
    await until(() => consumerCounts(suite.server), (counts) => counts.every((n) => n === 0), 'the server to stop forwarding');
    assert.deepEqual(consumerCounts(suite.server), [0, 0], 'back to peer to peer once two remain');
  });

  it('keeps mute and camera state truthful while peer to peer', async () => {
    await bea.page.getByTestId('toggle-mic').click();
    await ana.page.locator(`[data-participant-id="${ids['Bea']}"] [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    await bea.page.getByTestId('toggle-camera').click();
    await ana.page.locator(`[data-participant-id="${ids['Bea']}"][data-source="camera"] video`).waitFor({ state: 'detached', timeout: 5000 });
    await bea.page.getByTestId('toggle-camera').click();
    await bea.page.getByTestId('toggle-mic').click();
    await waitForMediaFrom(ana.page, [ids['Bea']!]);
    assert.equal(await ana.page.evaluate(() => window.tertulia!.conference.state.p2p), true, 'still direct');
  });

  it('sends a camera and microphone that open after the direct link started', async () => {
    const cam = await joinRoom(suite.browser, suite.server.url, 'SlowDevices', 'Cam');
    // Real webcams take a second or two to open; the direct link to Cam starts before Dee's do.
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 } });
    await context.addInitScript(() => {
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => new Promise((resolve) => setTimeout(resolve, 1500)).then(() => open(constraints));
    });
    const dee = await joinRoomIn(context, suite.server.url, 'SlowDevices', 'Dee');
    const deeId = await selfId(dee.page);
    await isP2P(cam.page);
    await waitForMediaFrom(cam.page, [deeId]);
    const fromDee = (await inboundStats(cam.page)).filter((s) => s.participantId === deeId && (s.framesDecoded > 0 || s.totalAudioEnergy > 0));
    assert.deepEqual(fromDee.map((s) => `${s.source} ${s.path}`).sort(), ['camera p2p', 'mic p2p'], "Cam sees and hears Dee over the direct link");
  });
});
