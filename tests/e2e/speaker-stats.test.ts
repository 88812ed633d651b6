import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoom, selfId, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

const rowOf = (page: Page, participantId: string) => page.locator(`[data-testid="speaker-stats-row"][data-participant-id="${participantId}"]`);
const rowOrder = (page: Page) => page.getByTestId('speaker-stats-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-participant-id')));
const sortState = (page: Page) =>
  page.locator('[data-testid="speaker-stats"] th').evaluateAll((ths) => ths.map((th) => th.getAttribute('aria-sort')));

/*
 * Two people (default config), so they talk peer to peer: the server must still hear
 * the microphones to know who speaks. Both join muted; once they are connected
 * directly Zoe unmutes (Chromium's fake microphone beeps) and Bea stays muted.
 * Bea joins first: mediasoup's observer names the only microphone dominant, heard
 * or not, so Zoe can take over only if the server hears her over the direct call.
 */
describe('speaker stats in real Chromium, two people peer to peer', () => {
  const suite = useServerAndBrowser();
  let zoe: Attendee, bea: Attendee;
  const ids: Record<string, string> = {};

  before(async () => {
    bea = await joinRoom(suite.browser, suite.server.url, 'Talk', 'Bea', '&config.startWithAudioMuted=true');
    zoe = await joinRoom(suite.browser, suite.server.url, 'Talk', 'Zoe', '&config.startWithAudioMuted=true');
    ids['Zoe'] = await selfId(zoe.page);
    ids['Bea'] = await selfId(bea.page);
  });

  it('hears who speaks while the two are connected directly, and forwards nothing between them', async () => {
    for (const a of [zoe, bea]) await a.page.waitForFunction(() => window.tertulia?.conference.state.p2p === true, null, { timeout: 20_000 });
    assert.notEqual(await zoe.page.evaluate(() => window.tertulia!.conference.state.dominantSpeakerId), ids['Zoe'], 'Zoe has not spoken yet');
    await zoe.page.getByTestId('toggle-mic').click();
    for (const a of [zoe, bea]) {
      await a.page.waitForFunction((id) => window.tertulia!.conference.state.dominantSpeakerId === id, ids['Zoe'], { timeout: 20_000 });
    }
    assert.equal(await zoe.page.evaluate(() => window.tertulia!.conference.state.p2p), true, 'still peer to peer');
    const room = suite.server.registry.get('talk')!;
    assert.deepEqual(
      room.participants().map((p) => room.media.consumerCount(p.id)),
      [0, 0],
      'the server consumes nothing for either while they are direct',
    );
  });

  it('shows talk time at both sides: Zoe’s grows, muted Bea stays at 0:00', async () => {
    await zoe.page.getByTestId('toggle-speaker-stats').click();
    // Bea opens it with the keyboard shortcut.
    await bea.page.locator('body').press('t');
    for (const a of [zoe, bea]) {
      const dialog = a.page.getByRole('dialog', { name: 'Speaker stats' });
      await dialog.waitFor();
      const zoeTime = rowOf(a.page, ids['Zoe']!).getByTestId('speaker-stats-time');
      // Refreshed every second while open: wait for a whole second of talk.
      await zoeTime.filter({ hasNotText: /^0:00$/ }).waitFor({ timeout: 15_000 });
      assert.match((await zoeTime.textContent())!, /^\d+:\d{2}$/);
      assert.equal(await rowOf(a.page, ids['Bea']!).getByTestId('speaker-stats-time').textContent(), '0:00');
      await rowOf(a.page, ids['Zoe']!).getByTestId('speaker-stats-speaking').waitFor();
      assert.equal(await rowOf(a.page, ids['Bea']!).getByTestId('speaker-stats-speaking').count(), 0);
    }
    assert.equal(await zoe.page.evaluate(() => window.tertulia!.conference.state.p2p), true, 'still peer to peer');
  });

  it('sorts by name and by time when the column headers are clicked', async () => {
    const page = zoe.page;
    assert.deepEqual(await rowOrder(page), [ids['Zoe'], ids['Bea']], 'most talk time first by default');
    assert.deepEqual(await sortState(page), ['none', 'descending']);
    await page.getByTestId('speaker-stats-sort-name').click();
    assert.deepEqual(await rowOrder(page), [ids['Bea'], ids['Zoe']], 'by name, A to Z');
    assert.deepEqual(await sortState(page), ['ascending', 'none']);
    await page.getByTestId('speaker-stats-sort-name').click();
    assert.deepEqual(await rowOrder(page), [ids['Zoe'], ids['Bea']], 'by name, Z to A');
    assert.deepEqual(await sortState(page), ['descending', 'none']);
    await page.getByTestId('speaker-stats-sort-time').click();
    assert.deepEqual(await sortState(page), ['none', 'descending']);
    await page.getByTestId('speaker-stats-sort-time').click();
    assert.deepEqual(await rowOrder(page), [ids['Bea'], ids['Zoe']], 'least talk time first');
    assert.deepEqual(await sortState(page), ['none', 'ascending']);
  });

  it('closes with Escape, and keeps someone who left listed as gone', async () => {
    await bea.page.keyboard.press('Escape');
    await bea.page.getByTestId('speaker-stats').waitFor({ state: 'detached' });
    await bea.page.getByTestId('leave').click();
    const row = rowOf(zoe.page, ids['Bea']!);
    await row.getByTestId('speaker-stats-left').waitFor({ timeout: 10_000 });
    assert.equal(await row.getAttribute('data-present'), 'false');
    assert.equal(await row.getByTestId('speaker-stats-time').textContent(), '0:00');
    await zoe.page.getByRole('button', { name: 'Close speaker stats' }).click();
    await zoe.page.getByTestId('speaker-stats').waitFor({ state: 'detached' });
    assert.equal(await zoe.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'toggle-speaker-stats', 'focus returns to the button');
  });
});
