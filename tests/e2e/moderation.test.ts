import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';

const tile = (id: string) => `[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`;

/** Opens a room like joinRoom, but without waiting to be in: for lobby and password screens. */
async function arrive(browser: Browser, url: string, room: string, name: string): Promise<Attendee> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/${room}#config.prejoinConfig.enabled=false&userInfo.displayName=${encodeURIComponent(JSON.stringify(name))}`);
  return { context, page, name };
}

const connectionOf = (page: Page) => page.evaluate(() => window.tertulia?.conference.state.connection);
const inMeeting = (page: Page) => page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 15_000 });

async function openModeration(page: Page): Promise<void> {
  if (!(await page.getByTestId('moderation-panel').isVisible())) await page.getByTestId('moderation').click();
  await page.getByTestId('moderation-panel').waitFor();
}

describe('moderation in real Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startTestServer({ RECONNECT_GRACE_SECONDS: '2' });
    browser = await launchBrowser();
    ana = await joinRoom(browser, server.url, 'Moderated', 'Ana');
    bea = await joinRoom(browser, server.url, 'Moderated', 'Bea');
    ids['Ana'] = await selfId(ana.page);
    ids['Bea'] = await selfId(bea.page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lobby: a knocker waits, is admitted without reloading, and another is turned away', async () => {
    await openModeration(ana.page);
    await ana.page.getByTestId('lobby-toggle').check();
    await ana.page.waitForFunction(() => window.tertulia!.conference.state.room?.lobbyEnabled === true);

    const carl = await arrive(browser, server.url, 'Moderated', 'Carl');
    await carl.page.getByTestId('waiting-lobby').waitFor({ timeout: 10_000 });
    const entry = ana.page.getByTestId('knock-entry').filter({ hasText: 'Carl' });
    await entry.waitFor({ timeout: 5000 });
    await entry.getByTestId('knock-admit').click();
    await inMeeting(carl.page);
    ids['Carl'] = await selfId(carl.page);
    await waitForMediaFrom(carl.page, [ids['Ana']!]);
    assert.equal(await carl.page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload');

    const dan = await arrive(browser, server.url, 'Moderated', 'Dan');
    const danEntry = ana.page.getByTestId('knock-entry').filter({ hasText: 'Dan' });
    await danEntry.waitFor({ timeout: 10_000 });
    await danEntry.getByTestId('knock-deny').click();
    await dan.page.getByTestId('conference-error').waitFor({ timeout: 5000 });
    assert.match((await dan.page.getByTestId('conference-error').textContent()) ?? '', /declined/);
    assert.equal(await ana.page.locator(`[data-testid="tile"]:has-text("Dan")`).count(), 0, 'Dan never appeared');
    await dan.context.close();
    await ana.page.getByTestId('lobby-toggle').uncheck();
  });

  it('password: asked for, a wrong one is refused, the right one lets in', async () => {
    await openModeration(ana.page);
    await ana.page.getByTestId('password-input').fill('tortilla');
    await ana.page.getByTestId('password-set').click();
    await bea.page.waitForFunction(() => window.tertulia!.conference.state.room?.locked === true);

    const eve = await arrive(browser, server.url, 'Moderated', 'Eve');
    await eve.page.getByTestId('password-dialog').waitFor({ timeout: 10_000 });
    await eve.page.getByTestId('room-password-input').fill('paella');
    await eve.page.getByTestId('room-password-submit').click();
    await eve.page.getByTestId('password-error').waitFor({ timeout: 5000 });
    assert.notEqual(await connectionOf(eve.page), 'joined');
    await eve.page.getByTestId('room-password-input').fill('tortilla');
    await eve.page.getByTestId('room-password-submit').click();
    await inMeeting(eve.page);
    ids['Eve'] = await selfId(eve.page);
    await eve.page.getByTestId('leave').click();
    await ana.page.getByTestId('password-remove').click();
  });

  it('mute everyone mutes the others, not the moderator', async () => {
    await openModeration(ana.page);
    await ana.page.getByTestId('mute-all-audio').click();
    await bea.page.locator(`${tile(ids['Bea']!)} [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    await ana.page.locator(`${tile(ids['Bea']!)} [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    assert.equal(await bea.page.getByTestId('toggle-mic').getAttribute('aria-pressed'), 'true', "Bea's own button shows muted");
    assert.equal(await ana.page.evaluate(() => window.tertulia!.conference.state.local.audioMuted), false, 'Ana stays unmuted');
  });

  it('kick removes a participant for everyone and tells them', async () => {
    await ana.page.locator(tile(ids['Bea']!)).getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-kick').click();
    await ana.page.getByTestId('tile-kick-confirm').click();
    await bea.page.getByTestId('left-page').waitFor({ timeout: 5000 });
    assert.match((await bea.page.getByTestId('left-page').textContent()) ?? '', /removed/);
    await ana.page.locator(tile(ids['Bea']!)).waitFor({ state: 'detached', timeout: 3000 });
    const carl = ana.page.locator(tile(ids['Carl']!));
    assert.equal(await carl.count(), 1);
  });

  it('hands moderation over when the moderator leaves', async () => {
    const carlPage = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes('Carl'))!;
    assert.equal(await carlPage.getByTestId('moderation').count(), 0, 'Carl is not a moderator yet');
    await ana.page.getByTestId('leave').click();
    await carlPage.getByTestId('moderation').waitFor({ timeout: 5000 });
    assert.equal(await carlPage.evaluate(() => window.tertulia!.conference.state.self.role), 'moderator');
  });
});
