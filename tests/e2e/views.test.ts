import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoom, joinRoomIn, selfId, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

const tile = (id: string, source = 'camera') => `[data-testid="tile"][data-participant-id="${id}"][data-source="${source}"]`;
const MUTED = '&config.startWithAudioMuted=true';

interface Box {
  id: string;
  width: number;
  height: number;
  where: 'grid' | 'large' | 'filmstrip';
}

/** Every tile's size and place, once the layout has stopped moving (two equal measurements in a row). */
async function layoutOf(page: Page, tiles: number): Promise<Box[]> {
  const measure = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-testid="tile"]')).map((el) => {
        const rect = el.getBoundingClientRect();
        const where = el.closest('[data-testid="stage-large"]') ? 'large' : el.closest('[data-testid="filmstrip"]') ? 'filmstrip' : 'grid';
        return { id: el.dataset['participantId']!, width: Math.round(rect.width), height: Math.round(rect.height), where };
      }),
    ) as Promise<Box[]>;
  let last = JSON.stringify(await measure());
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const now = await measure();
    const json = JSON.stringify(now);
    if (json === last && now.length === tiles && now.every((b) => b.width > 0)) return now;
    last = json;
  }
  throw new Error(`layout did not settle with ${tiles} tiles: ${last}`);
}

const largeTile = (page: Page, id: string) => page.locator(`[data-testid="stage-large"] ${tile(id)}`).waitFor({ timeout: 10_000 });
const rowSelector = (id: string) => `[data-testid="participant-row"][data-participant-id="${id}"]`;
const row = (page: Page, id: string) => page.locator(rowSelector(id));
const rowNames = (page: Page) => page.getByTestId('participant-name').allTextContents();

describe('tile view, stage view, pinning and the participants pane, in real Chromium', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee, jose: Attendee;
  const ids: Record<string, string> = {};

  before(async () => {
    // Only Ana speaks at first, so that stage view's automatic choice is predictable: the first of the others.
    ana = await joinRoom(suite.browser, suite.server.url, 'Views', 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, 'Views', 'Bea', MUTED);
    jose = await joinRoom(suite.browser, suite.server.url, 'Views', 'José Luis', MUTED);
    for (const a of [ana, bea, jose]) ids[a.name] = await selfId(a.page);
  });

  it('tile view shows everyone in equal tiles', async () => {
    const boxes = await layoutOf(ana.page, 3);
    assert.deepEqual(new Set(boxes.map((b) => b.where)), new Set(['grid']));
    assert.deepEqual(boxes.map((b) => b.id).sort(), Object.values(ids).sort());
    for (const b of boxes) assert.deepEqual([b.width, b.height], [boxes[0]!.width, boxes[0]!.height], `equal tiles: ${JSON.stringify(boxes)}`);
    const toggle = ana.page.getByTestId('toggle-tile-view');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await toggle.getAttribute('aria-label'), 'Tile view');
    assert.equal(await toggle.getAttribute('title'), 'Tile view (W)');
  });

  it('stage view makes one tile large and puts the others in the filmstrip, and is remembered', async () => {
    await ana.page.getByTestId('toggle-tile-view').click();
    assert.equal(await ana.page.getByTestId('toggle-tile-view').getAttribute('aria-pressed'), 'false');
    await largeTile(ana.page, ids['Bea']!);
    const boxes = await layoutOf(ana.page, 3);
    const large = boxes.filter((b) => b.where === 'large');
    const strip = boxes.filter((b) => b.where === 'filmstrip');
    assert.deepEqual(large.map((b) => b.id), [ids['Bea']], 'automatic: the first of the others while nobody else has spoken');
    assert.deepEqual(strip.map((b) => b.id).sort(), [ids['Ana'], ids['José Luis']].sort());
    for (const small of strip) assert.ok(large[0]!.width > 2 * small.width, `large ${large[0]!.width}px, filmstrip ${small.width}px`);
    assert.equal(await ana.page.evaluate(() => localStorage.getItem('tertulia.view')), 'stage');

    // Another meeting in the same browser starts in the view last chosen.
    const again = await ana.context.newPage();
    await again.goto(`${suite.server.url}/ViewsElsewhere#config.prejoinConfig.enabled=false&userInfo.displayName=%22Ana%22`);
    await again.getByTestId('stage-view').waitFor({ timeout: 45_000 });
    await again.close();
  });

  it('pinning someone keeps their tile large; unpinning returns to automatic selection', async () => {
    // Pinning from tile view switches to stage view.
    await ana.page.getByTestId('toggle-tile-view').click();
    await ana.page.getByTestId('stage-view').waitFor({ state: 'detached' });
    const pin = ana.page.locator(`${tile(ids['José Luis']!)} [data-testid="tile-pin"]`);
    assert.equal(await pin.getAttribute('aria-label'), 'Pin José Luis');
    // Keyboard-reachable: focus shows it, Enter presses it.
    await pin.focus();
    await ana.page.keyboard.press('Enter');
    await largeTile(ana.page, ids['José Luis']!);
    const boxes = await layoutOf(ana.page, 3);
    assert.deepEqual(boxes.filter((b) => b.where === 'large').map((b) => b.id), [ids['José Luis']]);
    const pinned = ana.page.locator(`${tile(ids['José Luis']!)} [data-testid="tile-pin"]`);
    assert.equal(await pinned.getAttribute('aria-pressed'), 'true');

    await pinned.click();
    await largeTile(ana.page, ids['Bea']!);
    assert.equal(await ana.page.locator(`${tile(ids['José Luis']!)} [data-testid="tile-pin"]`).getAttribute('aria-pressed'), 'false');
  });

  it('automatic selection follows the dominant speaker', async () => {
    await ana.page.getByTestId('toggle-mic').click();
    await jose.page.getByTestId('toggle-mic').click();
    // José's microphone is live for the others before the server can hear him speak.
    await ana.page.waitForFunction(
      (id) => window.tertulia!.conference.state.participants.some((p: { id: string; audioMuted: boolean }) => p.id === id && !p.audioMuted),
      ids['José Luis'],
      { timeout: 10_000 },
    );
    await ana.page.waitForFunction((id) => window.tertulia!.conference.state.dominantSpeakerId === id, ids['José Luis'], { timeout: 30_000 });
    await largeTile(ana.page, ids['José Luis']!);
    await jose.page.getByTestId('toggle-mic').click();
  });

  it('a pinned participant who leaves is unpinned', async () => {
    const carl = await joinRoom(suite.browser, suite.server.url, 'Views', 'Carl', MUTED);
    const carlId = await selfId(carl.page);
    await ana.page.locator(`${tile(carlId)} [data-testid="tile-pin"]`).click();
    await largeTile(ana.page, carlId);
    await carl.page.getByTestId('leave').click();
    await ana.page.locator(tile(carlId)).waitFor({ state: 'detached', timeout: 10_000 });
    // Stage view stays, with an automatic choice, and no pin is left pressed.
    await ana.page.locator('[data-testid="stage-large"] [data-testid="tile"]').waitFor();
    assert.equal(await ana.page.locator('[data-testid="tile-pin"][aria-pressed="true"]').count(), 0);
  });

  it('the participants pane lists everyone with role and microphone, and follows a moderator’s mute', async () => {
    assert.equal(await ana.page.getByTestId('participants-count').textContent(), '3');
    await ana.page.getByTestId('toggle-participants').click();
    const pane = ana.page.getByRole('complementary', { name: 'Participants' });
    await pane.waitFor();
    assert.equal(await ana.page.getByTestId('toggle-participants').getAttribute('aria-expanded'), 'true');
    assert.deepEqual((await rowNames(ana.page)).sort(), ['Ana (you)', 'Bea', 'José Luis']);
    assert.equal(await row(ana.page, ids['Ana']!).getAttribute('data-role'), 'moderator');
    assert.equal(await row(ana.page, ids['Ana']!).getByTestId('participant-moderator').getAttribute('aria-label'), 'Moderator');
    assert.equal(await row(ana.page, ids['Bea']!).getAttribute('data-role'), 'participant');
    assert.equal(await row(ana.page, ids['Bea']!).getByTestId('participant-moderator').count(), 0);
    assert.equal(await row(ana.page, ids['Bea']!).getByTestId('participant-mic').getAttribute('aria-label'), 'Microphone muted');

    // Bea unmutes herself; Ana, the moderator, mutes her again from the pane.
    await bea.page.getByTestId('toggle-mic').click();
    await ana.page.locator(`${rowSelector(ids['Bea']!)}[data-audio-muted="false"]`).waitFor({ timeout: 5000 });
    assert.equal(await row(ana.page, ids['Bea']!).getByTestId('participant-mic').getAttribute('aria-label'), 'Microphone on');
    await row(ana.page, ids['Bea']!).getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-mute').click();
    await ana.page.locator(`${rowSelector(ids['Bea']!)}[data-audio-muted="true"]`).waitFor({ timeout: 5000 });
    await bea.page.waitForFunction(() => window.tertulia!.conference.state.local.audioMuted === true);
    // Others see no moderator actions.
    await bea.page.getByTestId('toggle-participants').click();
    assert.equal(await bea.page.getByTestId('participant-row').count(), 3);
    assert.equal(await bea.page.getByTestId('tile-menu-button').count(), 0);
  });

  it('search filters by name, ignoring case and accents', async () => {
    const search = ana.page.getByRole('searchbox', { name: 'Search participants' });
    await search.fill('JOSE');
    assert.deepEqual(await rowNames(ana.page), ['José Luis']);
    await search.fill('zz');
    assert.equal(await ana.page.getByTestId('participant-row').count(), 0);
    assert.match((await ana.page.getByTestId('participants-no-match').textContent()) ?? '', /zz/);
    // Escape in the search empties it first, and the pane stays open.
    await search.press('Escape');
    assert.equal(await search.inputValue(), '');
    assert.equal(await ana.page.getByTestId('participant-row').count(), 3);
    assert.ok(await ana.page.getByTestId('participants-pane').isVisible());
  });

  it('raised hands come first, in the order they were raised, and a moderator lowers them', async () => {
    await jose.page.getByTestId('toggle-hand').click();
    await row(ana.page, ids['José Luis']!).getByTestId('participant-hand').waitFor({ timeout: 5000 });
    await bea.page.getByTestId('toggle-hand').click();
    await row(ana.page, ids['Bea']!).getByTestId('participant-hand').waitFor({ timeout: 5000 });
    assert.deepEqual(await rowNames(ana.page), ['José Luis', 'Bea', 'Ana (you)']);
    assert.equal(await row(ana.page, ids['José Luis']!).getAttribute('data-hand-position'), '1');
    assert.equal(await row(ana.page, ids['Bea']!).getByTestId('participant-hand').getAttribute('aria-label'), 'Hand raised, number 2 in the queue');

    await row(ana.page, ids['José Luis']!).getByRole('button', { name: 'Lower José Luis’s hand' }).click();
    await row(ana.page, ids['José Luis']!).getByTestId('participant-hand').waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await row(ana.page, ids['Bea']!).getAttribute('data-hand-position'), '1');
    assert.deepEqual(await rowNames(ana.page), ['Bea', 'Ana (you)', 'José Luis']);

    await jose.page.getByTestId('toggle-hand').click();
    await row(ana.page, ids['José Luis']!).getByTestId('participant-hand').waitFor({ timeout: 5000 });
    await ana.page.getByTestId('lower-all-hands').click();
    await ana.page.getByTestId('participant-hand').first().waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await ana.page.getByTestId('participant-hand').count(), 0);
    await jose.page.waitForFunction(() => window.tertulia!.conference.state.self.handRaisedAt === null);
  });

  it('a moderator stops and allows someone’s chat from the pane', async () => {
    await row(ana.page, ids['Bea']!).getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-stop-chat').click();
    await row(ana.page, ids['Bea']!).getByTestId('participant-chat-muted').waitFor({ timeout: 5000 });
    await bea.page.waitForFunction(() => window.tertulia!.conference.state.self.chatMuted === true);
    await row(ana.page, ids['Bea']!).getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-allow-chat').click();
    await row(ana.page, ids['Bea']!).getByTestId('participant-chat-muted').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('every button in the call has an accessible name, and panels are labelled regions', async () => {
    await ana.page.getByTestId('stage-view').waitFor();
    const unnamed = await ana.page.evaluate(() =>
      Array.from(document.querySelectorAll('button')).filter((button) => {
        const labelledBy = button.getAttribute('aria-labelledby');
        const name = button.getAttribute('aria-label') ?? (labelledBy ? document.getElementById(labelledBy)?.textContent : button.textContent);
        return !name?.trim();
      }).map((button) => button.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unnamed, []);
    assert.ok(await ana.page.locator('[data-testid="tile-pin"]').count() >= 3, 'pins on every tile were checked');
    assert.ok(await ana.page.getByRole('region', { name: 'Main video' }).isVisible());
    assert.ok(await ana.page.getByRole('region', { name: 'Other participants' }).isVisible());
  });

  it('on a phone every toolbar button is on screen and the tiles stay clear of the toolbar', async () => {
    const phone = await joinRoomIn(await suite.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }), suite.server.url, 'Views', 'Phone');
    // The moderator's toolbar is the fullest: give the phone the role too.
    await ana.page.evaluate((id) => window.tertulia!.conference.moderate('grantModerator', { participantId: id }), await selfId(phone.page));
    await phone.page.getByTestId('moderation').waitFor();
    await phone.page.waitForTimeout(300);
    const layout = await phone.page.evaluate(() => {
      const buttons = Array.from(document.querySelectorAll<HTMLElement>('.toolbar button')).map((b) => b.getBoundingClientRect());
      const toolbarTop = document.querySelector('.toolbar')!.getBoundingClientRect().top;
      // The tiles' scrolling area without the padding that lets its end scroll clear of the toolbar.
      const stage = document.querySelector<HTMLElement>('.stage')!;
      const tilesBottom = stage.getBoundingClientRect().bottom - parseFloat(getComputedStyle(stage).paddingBottom);
      return {
        count: buttons.length,
        outside: buttons.filter((r) => r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight).length,
        toolbarTop,
        tilesBottom,
      };
    });
    assert.ok(layout.count >= 10, `${layout.count} buttons`);
    assert.equal(layout.outside, 0, 'no button off screen');
    assert.ok(layout.tilesBottom <= layout.toolbarTop, `tiles end at ${layout.tilesBottom}, toolbar starts at ${layout.toolbarTop}`);
    await phone.context.close();
  });

  it('Escape closes the pane and focus returns to its button', async () => {
    await ana.page.getByTestId('participants-pane').focus();
    await ana.page.keyboard.press('Escape');
    await ana.page.getByTestId('participants-pane').waitFor({ state: 'detached' });
    assert.equal(await ana.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'toggle-participants');
  });
});
