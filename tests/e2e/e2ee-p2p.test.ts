import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const ROOM = 'SealedPair';

/** Two people talking directly (peer to peer) when a moderator turns E2EE on: the direct link is encrypted too. */
describe('end-to-end encryption peer to peer, in real Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;

  before(async () => {
    server = await startTestServer({ P2P_ENABLED: '1' });
    browser = await launchBrowser();
    ana = await joinRoom(browser, server.url, ROOM, 'Ana');
    bea = await joinRoom(browser, server.url, ROOM, 'Bea');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('turned on mid-call, the direct link comes back encrypted: both decode each other, and each sees the lock on the other', async () => {
    const [anaId, beaId] = await Promise.all([selfId(ana.page), selfId(bea.page)]);
    const direct = () => Promise.all([ana, bea].map((a) => a.page.evaluate(() => window.tertulia!.conference.state.p2p as boolean)));
    await until(direct, (both) => both.every(Boolean), 'Ana and Bea peer to peer', 20_000);
    await ana.page.evaluate(() => window.tertulia!.conference.moderate('setE2ee', { enabled: true }));
    // The lock shows only for frames that arrived encrypted and decrypted.
    await bea.page.locator(`[data-testid="tile"][data-participant-id="${anaId}"] [data-testid="e2ee-badge"]`).waitFor({ timeout: 20_000 });
    await ana.page.locator(`[data-testid="tile"][data-participant-id="${beaId}"] [data-testid="e2ee-badge"]`).waitFor({ timeout: 20_000 });
    await until(direct, (both) => both.every(Boolean), 'Ana and Bea peer to peer again', 20_000);
    await waitForMediaFrom(bea.page, [anaId]);
    await waitForMediaFrom(ana.page, [beaId]);
    // Direct for a while now, the server forwards nothing between them: the locks stay for frames decrypted off the direct link.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const [page, id] of [[bea.page, anaId], [ana.page, beaId]] as const) {
      await page.locator(`[data-testid="tile"][data-participant-id="${id}"] [data-testid="e2ee-badge"]`).waitFor({ timeout: 1_000 });
    }
    const stats = await bea.page.evaluate(() => window.tertulia!.conference.inboundStats());
    assert.ok(stats.some((s) => s.participantId === anaId && s.path === 'p2p' && s.source === 'camera' && s.framesDecoded > 0), JSON.stringify(stats));
  });
});
