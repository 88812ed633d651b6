import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoom, selfId, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

const camera = (id: string) => `[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`;

/** Waits until the hand badges on `page`'s camera tiles show exactly `expected` (participant id → place in the queue). */
async function waitForHands(page: Page, expected: Record<string, number>): Promise<void> {
  const want = JSON.stringify(Object.entries(expected).sort());
  try {
    await page.waitForFunction(
      (want) => {
        const badges = document.querySelectorAll<HTMLElement>('[data-testid="tile"][data-source="camera"] [data-testid="hand-badge"]');
        const shown = Array.from(badges, (badge) => [(badge.closest('[data-testid="tile"]') as HTMLElement).dataset['participantId'], Number(badge.dataset['position'])]);
        return JSON.stringify(shown.sort()) === want;
      },
      want,
      { timeout: 10_000 },
    );
  } catch (error) {
    const shown = await page.locator('[data-testid="hand-badge"]').evaluateAll((badges) =>
      badges.map((b) => `${b.closest<HTMLElement>('[data-testid="tile"]')?.dataset['participantId']}=${(b as HTMLElement).dataset['position']}`),
    );
    throw new Error(`hand badges ${JSON.stringify(shown)} never became ${want}`, { cause: error });
  }
}

describe('raised hands and reactions in real Chromium', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee, carl: Attendee;
  let everyone: Page[];
  const ids: Record<string, string> = {};

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, 'Hands', 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, 'Hands', 'Bea');
    carl = await joinRoom(suite.browser, suite.server.url, 'Hands', 'Carl');
    everyone = [ana.page, bea.page, carl.page];
    for (const { page, name } of [ana, bea, carl]) ids[name] = await selfId(page);
    assert.equal(await ana.page.evaluate(() => window.tertulia!.conference.state.self.role), 'moderator');
  });

  it('shows raised hands on every page with their place in the queue', async () => {
    const toggle = bea.page.getByTestId('toggle-hand');
    assert.equal(await toggle.getAttribute('aria-label'), 'Raise hand');
    await toggle.click();
    await bea.page.getByRole('button', { name: 'Lower hand', pressed: true }).waitFor({ timeout: 10_000 });
    await ana.page.getByTestId('notice').filter({ hasText: 'Bea raised a hand' }).waitFor({ timeout: 10_000 });
    for (const page of everyone) await waitForHands(page, { [ids['Bea']!]: 1 });

    await carl.page.getByRole('button', { name: 'Raise hand' }).click();
    for (const page of everyone) await waitForHands(page, { [ids['Bea']!]: 1, [ids['Carl']!]: 2 });
    assert.equal(
      await bea.page.getByTestId('notice').filter({ hasText: 'Bea raised a hand' }).count(),
      0,
      'nobody is told about their own hand',
    );
  });

  it('moves the queue up when a hand goes down', async () => {
    await bea.page.getByRole('button', { name: 'Lower hand' }).click();
    for (const page of everyone) await waitForHands(page, { [ids['Carl']!]: 1 });
    const toggle = bea.page.getByTestId('toggle-hand');
    assert.equal(await toggle.getAttribute('aria-label'), 'Raise hand');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  });

  it('lets a moderator lower someone’s hand from the tile menu, and nobody else', async () => {
    const carlOnBea = bea.page.locator(camera(ids['Carl']!));
    await carlOnBea.getByTestId('hand-badge').waitFor();
    assert.equal(await carlOnBea.getByTestId('tile-menu-button').count(), 0, 'a participant has no moderator menu');
    assert.equal(await bea.page.getByTestId('tile-lower-hand').count(), 0);

    await ana.page.locator(camera(ids['Bea']!)).getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-menu').waitFor();
    assert.equal(await ana.page.getByTestId('tile-lower-hand').count(), 0, 'no "Lower hand" for a hand that is down');
    await ana.page.keyboard.press('Escape');
    await ana.page.getByTestId('tile-menu').waitFor({ state: 'detached' });

    await ana.page.locator(camera(ids['Carl']!)).getByTestId('tile-menu-button').click();
    await ana.page.getByRole('menuitem', { name: 'Lower hand' }).click();
    for (const page of everyone) await waitForHands(page, {});
    await carl.page.getByRole('button', { name: 'Raise hand', pressed: false }).waitFor({ timeout: 10_000 });
  });

  it('floats a reaction over the sender’s tile on every page, then removes it', async () => {
    const menuButton = bea.page.getByTestId('reactions');
    await menuButton.click();
    const menu = bea.page.getByRole('menu', { name: 'Reactions' });
    await menu.waitFor();
    assert.equal(await menu.getByRole('menuitem').count(), 6);
    // Keyboard: focus starts on the first emoji; the arrows move along the row.
    await bea.page.getByRole('menuitem', { name: 'Thumbs up' }).and(bea.page.locator(':focus')).waitFor();
    await bea.page.keyboard.press('ArrowRight');
    await bea.page.keyboard.press('ArrowRight');
    await bea.page.getByRole('menuitem', { name: 'Applause' }).and(bea.page.locator(':focus')).waitFor();
    await bea.page.keyboard.press('Enter');

    const floats = everyone.map((page) => page.locator(`${camera(ids['Bea']!)} [data-testid="reaction"][data-reaction="clap"]`));
    for (const float of floats) {
      await float.waitFor({ timeout: 10_000 });
      assert.equal(await float.textContent(), '👏');
    }
    assert.equal(await ana.page.locator('[data-testid="reaction"]').count(), 1, 'only over Bea’s tile');

    await bea.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await menuButton.evaluate((b) => b === document.activeElement), true, 'Escape gives focus back to the button');
    for (const float of floats) await float.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows several reactions at once, and a short notice instead of the ones over the limit', async () => {
    await carl.page.getByTestId('reactions').click();
    const love = carl.page.getByRole('menuitem', { name: 'Heart' });
    await love.waitFor();
    // Ten clicks at once, well over the burst allowance (one click at a time is too slow on a loaded machine to hit it).
    await love.evaluate((button: HTMLElement) => {
      for (let i = 0; i < 10; i++) button.click();
    });
    const tooMany = carl.page.getByTestId('notice').filter({ hasText: 'Too many reactions at once' });
    await tooMany.waitFor({ timeout: 10_000 });
    assert.equal(await tooMany.count(), 1, 'one notice for the whole burst');
    await ana.page.waitForFunction(
      (tile) => document.querySelectorAll(`${tile} [data-testid="reaction"][data-reaction="love"]`).length >= 2,
      camera(ids['Carl']!),
      { timeout: 10_000 },
    );
    assert.equal(await carl.page.evaluate(() => window.tertulia!.conference.state.connection), 'joined', 'still in the meeting');
    await carl.page.keyboard.press('Escape');
  });
});
