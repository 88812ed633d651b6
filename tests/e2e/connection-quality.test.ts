import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoom, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { createTestNetwork, launchBrowserIn, startServerIn, type NamespacedServer, type TestNetwork } from '../support/netns.js';
import { until } from '../support/wait.js';

/*
 * Ana's Chromium runs beside the server; Bea's in a namespace whose link to it
 * (tests/support/netns.ts) first works cleanly, then loses a fifth of its UDP
 * packets each way. Direct connections are off so both go through the server.
 */

const indicator = (page: Page, participantId: string, self: boolean) =>
  page.locator(`[data-testid="tile"][data-participant-id="${participantId}"][data-source="camera"][data-self="${self}"] [data-testid="connection-indicator"]`);

const level = (page: Page, participantId: string, self: boolean) => indicator(page, participantId, self).getAttribute('data-level');

/** The popover's figures, by name. */
async function shownFigures(page: Page): Promise<Record<string, string>> {
  const rows = page.locator('[data-testid="connection-stats"] [data-testid="connection-stat"]');
  const entries = await rows.evaluateAll((elements) => elements.map((element) => [element.getAttribute('data-stat')!, element.textContent ?? '']));
  return Object.fromEntries(entries);
}

describe('connection-quality indicator', () => {
  let net: TestNetwork;
  let server: NamespacedServer;
  const browsers: Array<{ close(): Promise<void> }> = [];
  let ana: Attendee, bea: Attendee;
  let anaId: string, beaId: string;

  before(async () => {
    net = await createTestNetwork();
    server = await startServerIn(net.serverNs, { P2P_ENABLED: '0' });
    const beside = await launchBrowserIn(net.serverNs, server.url);
    const remote = await launchBrowserIn(net.clientNs, server.url);
    browsers.push(beside, remote);
    ana = await joinRoom(beside.browser, server.url, 'Quality', 'Ana');
    bea = await joinRoom(remote.browser, server.url, 'Quality', 'Bea');
    [anaId, beaId] = [await selfId(ana.page), await selfId(bea.page)];
    await waitForMediaFrom(bea.page, [anaId], 30_000);
    await waitForMediaFrom(ana.page, [beaId], 30_000);
  });
  after(async () => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await server?.stop();
    await net?.close();
  });

  it('shows good on a clean link, for the others and yourself, with the figures in a keyboard-reachable popover', async (t) => {
    const tiles = [[bea.page, anaId, false], [bea.page, beaId, true], [ana.page, beaId, false], [ana.page, anaId, true]] as const;
    await Promise.all(tiles.map(([page, id, self]) => until(() => level(page, id, self), (value) => value === 'good', `good on ${self ? 'own' : 'remote'} tile ${id}`, 30_000, 500)));
    const button = indicator(bea.page, anaId, false);
    // Read again rather than once: the level follows each stats poll, and one poll on a busy machine can dip to fair.
    await until(() => button.getAttribute('aria-label'), (label) => label === 'Connection statistics for Ana: Good connection', 'the label to say good', 15_000, 250);

    await button.focus();
    await bea.page.keyboard.press('Enter');
    const popover = bea.page.locator('[data-testid="connection-stats"]');
    await popover.waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    // Figures follow the polls while the popover is open: wait for a poll with video moving.
    // A clean link, but a busy 2-core machine drops a packet now and then from a full socket buffer: one poll
    // may show 2 % or so; wait for one in the good band, as the level did.
    const figures = await until(
      () => shownFigures(bea.page),
      (f) => /×/.test(f['resolution'] ?? '') && parseFloat(f['loss'] ?? '') < 2,
      'video figures with little loss in the popover',
      15_000,
      500,
    );
    t.diagnostic(`Ana's camera at Bea: ${JSON.stringify(figures)}`);
    assert.match(figures['resolution']!, /^\d+×\d+$/);
    assert.match(figures['frameRate']!, /^\d+ fps$/);
    assert.match(figures['bitrate']!, /^[\d,]+ kb\/s$/);
    assert.match(figures['loss']!, /^\d+(\.\d)?%$/);
    assert.match(figures['roundTrip']!, /^\d+ ms$/);
    assert.equal(figures['codec'], 'VP8');
    assert.equal(figures['path'], 'Through the server');

    await bea.page.keyboard.press('Escape');
    await popover.waitFor({ state: 'detached' });
    assert.equal(await bea.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'connection-indicator', 'focus back on the button');

    // Your own tile tells what you send.
    await indicator(bea.page, beaId, true).click();
    const own = await until(() => shownFigures(bea.page), (f) => /×/.test(f['resolution'] ?? ''), 'own video figures', 15_000, 500);
    t.diagnostic(`Bea's own camera: ${JSON.stringify(own)}`);
    assert.match(own['resolution']!, /^\d+×\d+$/);
    assert.equal(own['path'], 'Through the server');
    await bea.page.keyboard.press('Escape');
  });

  it('shows poor when a fifth of the packets are lost', async (t) => {
    await net.loseClientUdp(20);
    const started = Date.now();
    const reaches = async (page: Page, id: string, self: boolean, levels: string[], what: string) => {
      await until(() => level(page, id, self), (value) => levels.includes(value ?? ''), `${levels.join(' or ')} on ${what}`, 30_000, 500);
      t.diagnostic(`${await level(page, id, self)} on ${what} ${Date.now() - started} ms after the loss began`);
    };
    await Promise.all([
      // What Bea receives, and what she sends (the server reports the loss back).
      reaches(bea.page, anaId, false, ['poor'], "Ana's tile at Bea"),
      reaches(bea.page, beaId, true, ['poor'], "Bea's own tile"),
      // Ana gets Bea's media after the server had most of the lost packets sent again (NACK),
      // so about 4 % (a fifth of a fifth) are still missing there: worse than good, not always poor.
      reaches(ana.page, beaId, false, ['fair', 'poor'], "Bea's tile at Ana"),
    ]);

    await indicator(bea.page, anaId, false).click();
    const figures = await until(() => shownFigures(bea.page), (f) => parseFloat(f['loss'] ?? '') >= 10, 'a loss of 10 % or more shown');
    t.diagnostic(`Ana's camera at Bea under loss: ${JSON.stringify(figures)}`);
  });
});
