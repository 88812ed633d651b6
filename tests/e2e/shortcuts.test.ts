import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoom, selfId, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

const tile = (id: string, source = 'camera') => `[data-testid="tile"][data-participant-id="${id}"][data-source="${source}"]`;
const local = (page: Page) => page.evaluate(() => window.tertulia!.conference.state.local as { audioMuted: boolean; videoMuted: boolean });

/** Presses a key with nothing focused, as someone would after clicking on the video. */
async function press(page: Page, key: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
}

describe('keyboard shortcuts in real Chromium', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee;
  let anaId: string, beaId: string;

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, 'Keys', 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, 'Keys', 'Bea');
    anaId = await selfId(ana.page);
    beaId = await selfId(bea.page);
  });

  it('M mutes and unmutes the microphone, and the other person sees it', async () => {
    await press(ana.page, 'm');
    await bea.page.locator(`${tile(anaId)} [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    assert.equal((await local(ana.page)).audioMuted, true);
    assert.equal(await ana.page.getByTestId('toggle-mic').getAttribute('aria-pressed'), 'true');
    await press(ana.page, 'M');
    await bea.page.locator(`${tile(anaId)} [data-testid="muted-badge"]`).waitFor({ state: 'detached', timeout: 5000 });
    assert.equal((await local(ana.page)).audioMuted, false);
  });

  it('V turns the camera off and on again', async () => {
    await press(ana.page, 'v');
    await bea.page.locator(`${tile(anaId)} video`).waitFor({ state: 'detached', timeout: 5000 });
    assert.equal((await local(ana.page)).videoMuted, true);
    await press(ana.page, 'v');
    await bea.page.locator(`${tile(anaId)} video`).waitFor({ timeout: 10_000 });
    assert.equal((await local(ana.page)).videoMuted, false);
  });

  it('W switches between tile view and stage view', async () => {
    await press(ana.page, 'w');
    await ana.page.locator(`[data-testid="stage-large"] ${tile(beaId)}`).waitFor();
    assert.equal(await ana.page.getByTestId('toggle-tile-view').getAttribute('aria-pressed'), 'false');
    await press(ana.page, 'w');
    await ana.page.getByTestId('stage-view').waitFor({ state: 'detached' });
    assert.equal(await ana.page.getByTestId('toggle-tile-view').getAttribute('aria-pressed'), 'true');
  });

  it('D shares the screen, and the others switch to stage view with it large', async () => {
    await press(ana.page, 'd');
    await bea.page.locator(`[data-testid="stage-large"] ${tile(anaId, 'screen')}`).waitFor({ timeout: 15_000 });
    // Pressed again once Ana's page itself counts the share as started (on a loaded machine Bea can see it first).
    await ana.page.waitForFunction(() => window.tertulia!.conference.state.local.screenTrack !== undefined, null, { timeout: 10_000 });
    await press(ana.page, 'd');
    await bea.page.locator(tile(anaId, 'screen')).waitFor({ state: 'detached', timeout: 10_000 });
    // Bea never chose a view: without a shared screen it is tile view again.
    await bea.page.getByTestId('stage-view').waitFor({ state: 'detached' });
  });

  it('R raises and lowers the hand', async () => {
    await press(bea.page, 'r');
    await ana.page.locator(`${tile(beaId)} [data-testid="hand-badge"]`).waitFor({ timeout: 5000 });
    // R toggles what Bea's own page knows, which may hear of the raised hand after Ana's does.
    await bea.page.locator('[data-testid="toggle-hand"][aria-pressed="true"]').waitFor({ timeout: 5000 });
    await press(bea.page, 'r');
    await ana.page.locator(`${tile(beaId)} [data-testid="hand-badge"]`).waitFor({ state: 'detached', timeout: 5000 });
  });

  it('C opens the chat; typing "m" there writes it and does not mute', async () => {
    await press(ana.page, 'c');
    const input = ana.page.getByTestId('chat-input');
    await input.waitFor();
    await input.click();
    await ana.page.keyboard.type('mvc');
    assert.equal(await input.inputValue(), 'mvc');
    assert.deepEqual(await local(ana.page).then(({ audioMuted, videoMuted }) => ({ audioMuted, videoMuted })), { audioMuted: false, videoMuted: false });
    assert.ok(await ana.page.getByTestId('chat-panel').isVisible(), 'C typed into the chat did not close it');
    await press(ana.page, 'c');
    await ana.page.getByTestId('chat-panel').waitFor({ state: 'detached' });
  });

  it('T opens the speaker statistics', async () => {
    await press(ana.page, 't');
    await ana.page.getByRole('dialog').and(ana.page.getByTestId('speaker-stats')).waitFor();
    await ana.page.keyboard.press('Escape');
    await ana.page.getByTestId('speaker-stats').waitFor({ state: 'detached' });
  });

  it('ignores keys pressed with Ctrl, Alt or Meta', async () => {
    for (const key of ['Control+m', 'Alt+m', 'Meta+m']) await press(ana.page, key);
    // A plain key afterwards is handled, so the ones before were seen and ignored, not lost.
    await press(ana.page, 'p');
    await ana.page.getByTestId('participants-pane').waitFor();
    assert.equal((await local(ana.page)).audioMuted, false);
  });

  it('P opens and closes the participants pane', async () => {
    await press(ana.page, 'p');
    await ana.page.getByTestId('participants-pane').waitFor({ state: 'detached' });
    await press(ana.page, 'p');
    await ana.page.getByTestId('participants-pane').waitFor();
    // Typing a name in its search is typing, not shortcuts.
    await ana.page.getByTestId('participants-search').fill('');
    await ana.page.getByTestId('participants-search').pressSequentially('mp');
    assert.ok(await ana.page.getByTestId('participants-pane').isVisible());
    assert.equal((await local(ana.page)).audioMuted, false);
    await press(ana.page, 'p');
    await ana.page.getByTestId('participants-pane').waitFor({ state: 'detached' });
  });

  it('? opens a help dialog listing every shortcut; keys there do nothing else; Escape closes it', async () => {
    await press(ana.page, '?');
    const dialog = ana.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    assert.deepEqual(await dialog.locator('kbd').allTextContents(), ['M', 'V', 'D', 'R', 'C', 'T', 'W', 'P', '?']);
    assert.match((await dialog.getByTestId('shortcut').first().textContent()) ?? '', /microphone/);
    await ana.page.keyboard.press('m');
    assert.equal((await local(ana.page)).audioMuted, false, 'M inside the dialog does not mute');
    await ana.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows each shortcut in its button’s tooltip', async () => {
    for (const [testId, key] of [
      ['toggle-mic', 'M'],
      ['toggle-camera', 'V'],
      ['toggle-screen', 'D'],
      ['toggle-hand', 'R'],
      ['toggle-chat', 'C'],
      ['toggle-speaker-stats', 'T'],
      ['toggle-tile-view', 'W'],
      ['toggle-participants', 'P'],
    ]) {
      const button = ana.page.getByTestId(testId!);
      assert.ok((await button.getAttribute('title'))?.endsWith(`(${key})`), `${testId} tooltip names ${key}`);
      assert.equal(await button.getAttribute('aria-keyshortcuts'), key);
    }
  });
});
