import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const tile = (id: string) => `[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`;
const api = (host: Page, command: string, ...args: unknown[]) =>
  host.evaluate(({ command, args }) => (window as any).api.executeCommand(command, ...args), { command, args });

/**
 * Layout and UI through Jitsi's iframe API, with two host pages on another site
 * (localhost) embedding a Tertulia on 127.0.0.1: Ana moderates, Bea does not.
 */
describe('iframe API: layout, follow me, notifications and notify clicks, in real Chromium', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let ana: Page, bea: Page;
  let anaFrame: Frame, beaFrame: Frame;
  let anaId: string, beaId: string;

  const open = async (name: string, config: object = {}) => {
    const page = await (await browser.newContext()).newPage();
    const query = new URLSearchParams({ room: 'EmbeddedLayout', name, domain: new URL(server.url).host, noSSL: '', config: JSON.stringify(config) });
    await page.goto(`${site.url}/?${query}`);
    const { id } = await waitForEvent(page, 'videoConferenceJoined', () => true, 60_000);
    return { page, id: id as string, frame: page.frames().find((frame) => frame.url().startsWith(server.url))! };
  };
  /** The follow-me state Bea's meeting page holds (from the server). */
  const followMeAtBea = () => beaFrame.evaluate(() => (window as any).tertulia.conference.state.room.followMe);

  before(async () => {
    server = await startTestServer();
    site = await startHostSite(server.url, { crossSite: true });
    browser = await launchBrowser();
    ({ page: ana, id: anaId, frame: anaFrame } = await open('Ana', { buttonsWithNotifyClick: ['chat'] }));
    ({ page: bea, id: beaId, frame: beaFrame } = await open('Bea'));
    await anaFrame.locator(tile(beaId)).waitFor({ timeout: 15_000 });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('setFollowMe by a non-moderator raises errorOccurred and changes nothing', async () => {
    await api(bea, 'setFollowMe', true);
    const { error } = await waitForEvent(bea, 'errorOccurred');
    assert.equal(error.name, 'FORBIDDEN');
    assert.equal(await followMeAtBea(), null);
  });

  it('setFollowMe by the moderator makes Bea’s page follow Ana’s tile view and pin, live, with her own controls locked', async () => {
    await api(ana, 'setTileView', true);
    await api(bea, 'setTileView', false);
    await beaFrame.getByTestId('stage-view').waitFor();

    await api(ana, 'setFollowMe', true);
    await beaFrame.getByTestId('follow-me-banner').waitFor();
    await beaFrame.getByTestId('stage-view').waitFor({ state: 'detached' });
    assert.deepEqual(await followMeAtBea(), { moderatorId: anaId, layout: { tileView: true, pin: null } });

    await api(ana, 'pinParticipant', anaId);
    await beaFrame.locator(`[data-testid="stage-large"] ${tile(anaId)}`).waitFor();
    await api(ana, 'pinParticipant', beaId);
    await beaFrame.locator(`[data-testid="stage-large"] ${tile(beaId)}`).waitFor();

    // Bea cannot leave it: her command and her toolbar button change nothing.
    await api(bea, 'setTileView', true);
    assert.equal(await beaFrame.getByTestId('toggle-tile-view').getAttribute('aria-disabled'), 'true');
    // aria-disabled: Playwright would wait for it to be enabled; a person's click still reaches it.
    await beaFrame.getByTestId('toggle-tile-view').click({ force: true });
    await beaFrame.getByTestId('notice').filter({ hasText: 'follow me' }).waitFor();
    assert.equal(await beaFrame.locator(`[data-testid="stage-large"] ${tile(beaId)}`).count(), 1, 'still Ana’s layout');

    await api(ana, 'setTileView', true);
    await beaFrame.getByTestId('stage-view').waitFor({ state: 'detached' });
    await api(ana, 'setFollowMe', false);
    await beaFrame.getByTestId('follow-me-banner').waitFor({ state: 'detached' });
    await api(bea, 'setTileView', false);
    await beaFrame.getByTestId('stage-view').waitFor();
  });

  it('captureLargeVideoScreenshot returns a picture of the stage video, and captureCameraPicture one of the camera', async () => {
    await api(ana, 'pinParticipant', beaId);
    await anaFrame.locator(`[data-testid="stage-large"] ${tile(beaId)}`).waitFor();
    const capture = (method: string) =>
      ana.evaluate((method) => (window as any).api[method]().then((r: { dataURL: string }) => r.dataURL, (e: Error) => `failed: ${e.message}`), method);
    // Bea's video may still be on its way: retry until a frame is there.
    const screenshot = await until(() => capture('captureLargeVideoScreenshot'), (url) => url.startsWith('data:image/png;base64,'), 'a screenshot', 20_000, 500);
    assert.ok(screenshot.length > 1_000, `a real picture (${screenshot.length} characters)`);
    const picture = await capture('captureCameraPicture');
    assert.match(picture, /^data:image\/png;base64,/);
    assert.ok(picture.length > 1_000);
  });

  it('toggleFilmStrip hides and shows stage view’s filmstrip and reports filmstripDisplayChanged', async () => {
    await anaFrame.getByTestId('filmstrip').waitFor();
    await api(ana, 'toggleFilmStrip');
    assert.deepEqual(await waitForEvent(ana, 'filmstripDisplayChanged'), { visible: false });
    await anaFrame.getByTestId('filmstrip').waitFor({ state: 'detached' });
    await api(ana, 'toggleFilmStrip');
    await waitForEvent(ana, 'filmstripDisplayChanged', (d) => d.visible === true);
    await anaFrame.getByTestId('filmstrip').waitFor();
  });

  it('showNotification shows the toast and reports notificationTriggered; hideNotification removes it', async () => {
    await api(ana, 'showNotification', { title: 'Heads up', description: 'Class starts in five minutes', uid: 'n1', type: 'warning', timeout: 'sticky' });
    assert.deepEqual(await waitForEvent(ana, 'notificationTriggered'), { title: 'Heads up', description: 'Class starts in five minutes' });
    const toast = anaFrame.getByTestId('host-notification').filter({ hasText: 'Class starts in five minutes' });
    await toast.waitFor();
    await api(ana, 'hideNotification', 'n1');
    await toast.waitFor({ state: 'detached' });
    await api(ana, 'showNotification', { uid: 'empty' });
    assert.equal((await waitForEvent(ana, 'errorOccurred')).error.name, 'CommandFailed', 'a notification with no words is refused');
  });

  it('a button in buttonsWithNotifyClick reports toolbarButtonClicked and does nothing else', async () => {
    await anaFrame.getByTestId('toggle-chat').click();
    assert.deepEqual(await waitForEvent(ana, 'toolbarButtonClicked'), { key: 'chat', preventExecution: true });
    assert.equal(await anaFrame.getByTestId('chat-panel').count(), 0, 'the chat did not open');
    // Other buttons act as usual and are not reported.
    await anaFrame.getByTestId('toggle-participants').click();
    await anaFrame.getByTestId('participants-pane').waitFor();
    assert.equal((await eventsOf(ana)).filter((e) => e.name === 'toolbarButtonClicked').length, 1);
  });
});
