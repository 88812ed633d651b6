import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const toolbar = (meeting: Frame) => meeting.locator('.toolbar [data-testid]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
const command = (host: Page, name: string, ...args: unknown[]) => host.evaluate(([n, a]) => (window as any).api.executeCommand(n, ...a), [name, args] as const);
const count = async (host: Page, name: string) => (await eventsOf(host)).filter((e) => e.name === name).length;
const audioMuted = (meeting: Frame) => meeting.evaluate(() => window.tertulia!.conference.state.local.audioMuted);

/**
 * What an embedding page changes while the meeting runs, and what the meeting tells it
 * back, driven by a host page on another site (localhost) than the meeting (127.0.0.1).
 */
describe('Jitsi runtime commands and UI events through the iframe API', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let host: Page;
  let meeting: Frame;

  before(async () => {
    server = await startTestServer();
    site = await startHostSite(server.url, { crossSite: true });
    browser = await launchBrowser();
    const config = { toolbarButtons: ['microphone', 'camera', 'hangup'], participantsPane: { enabled: false } };
    host = await (await browser.newContext()).newPage();
    await host.goto(`${site.url}/?room=RuntimeRoom&name=Ana&domain=${new URL(server.url).host}&noSSL&config=${encodeURIComponent(JSON.stringify(config))}`);
    await waitForEvent(host, 'videoConferenceJoined');
    meeting = host.frames().find((frame) => frame.url().startsWith(server.url))!;
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('a button hidden by toolbarButtons or participantsPane.enabled loses its shortcut; a shown one keeps it', async () => {
    // Keys go to the focused frame: a click inside the meeting gives it the focus, as a person's click would.
    // (Pressing on the frame's <body> locator does not: a body cannot take focus, so the key stays with the host page.)
    await meeting.getByTestId('meeting-title').click();
    const tileViewEvents = async () => (await eventsOf(host)).filter((e) => e.name === 'tileViewChanged').length;
    const tileViewBefore = await tileViewEvents();
    /** Presses `key`, then M (the microphone button shows): once M has acted, `key` was handled before it. */
    const pressThenM = async (key: string) => {
      const muted = await audioMuted(meeting);
      await host.keyboard.press(key);
      await host.keyboard.press('m');
      await until(() => audioMuted(meeting), (now) => now !== muted, `M after ${key} toggles the microphone`);
    };
    await pressThenM('c');
    assert.equal(await meeting.getByTestId('chat-panel').count(), 0, 'C does not open the hidden chat');
    await pressThenM('p');
    assert.equal(await meeting.getByTestId('participants-pane').count(), 0, 'P does not open the disabled participants pane');
    await pressThenM('w');
    assert.equal(await tileViewEvents(), tileViewBefore, 'W does not switch the view (tileview button hidden)');
    assert.equal(await audioMuted(meeting), true);
    await host.keyboard.press('m');
    await until(() => audioMuted(meeting), (muted) => !muted, 'unmuted again');
    await host.keyboard.press('?');
    const help = meeting.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    assert.deepEqual(await help.locator('kbd').allTextContents(), ['M', 'V', '?'], 'the help lists only the keys left on');
    await host.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });
  it('overwriteConfig applies whitelisted keys at once: buttons (with their keys), the timer, readOnlyName', async () => {
    assert.equal(await meeting.getByTestId('elapsed').count(), 1);
    await command(host, 'overwriteConfig', { toolbarButtons: ['microphone', 'camera', 'chat', 'hangup'], hideConferenceTimer: true, readOnlyName: true });
    await until(() => toolbar(meeting), (ids) => ids.join() === 'toggle-mic,toggle-camera,toggle-chat,toggle-polls,leave', 'the chat (and polls, in Jitsi\'s chat) buttons back');
    assert.equal(await meeting.getByTestId('elapsed').count(), 0, 'hideConferenceTimer');
    await meeting.getByTestId('meeting-title').click();
    await host.keyboard.press('c');
    await meeting.getByTestId('chat-panel').waitFor();
    await host.keyboard.press('Escape');
    await meeting.getByTestId('meeting-title').click();
    await host.keyboard.press('c');
    await meeting.getByTestId('chat-panel').waitFor({ state: 'detached' });
    await command(host, 'displayName', 'Mallory');
    await waitForEvent(host, 'errorOccurred', (data) => /read-only/.test(data.error?.message));
  });

  it('overwriteConfig refuses a security key with errorOccurred, applies nothing and shows the person no error', async () => {
    const errorsBefore = await count(host, 'errorOccurred');
    await command(host, 'overwriteConfig', { lobby: { enabled: false }, toolbarButtons: ['hangup'] });
    const error = await waitForEvent(host, 'errorOccurred', (data) => /config\.lobby\.enabled/.test(data.error?.message));
    assert.equal(error.error.name, 'CommandFailed');
    assert.equal(await count(host, 'errorOccurred'), errorsBefore + 1);
    assert.deepEqual(await toolbar(meeting), ['toggle-mic', 'toggle-camera', 'toggle-chat', 'toggle-polls', 'leave'], 'toolbarButtons of the refused call not taken');
    // The page's mistake is the page's to hear of, not the person's.
    assert.equal(await meeting.locator('[data-testid="notice"][data-kind="error"]').count(), 0);
  });

  it('overwriteNames shows Bea under the page’s name on this page only', async () => {
    const bea = await joinRoom(browser, server.url, 'RuntimeRoom', 'Bea');
    const beaId = await selfId(bea.page);
    const beaTile = meeting.locator(`[data-testid="tile"][data-participant-id="${beaId}"][data-source="camera"] [data-testid="tile-name"]`);
    await until(() => beaTile.textContent(), (name) => name === 'Bea', 'Bea’s tile at Ana’s');
    await command(host, 'overwriteNames', [{ id: beaId, name: 'Student 1' }]);
    await until(() => beaTile.textContent(), (name) => name === 'Student 1', 'Bea shown as Student 1');
    assert.equal(await meeting.evaluate((id) => window.tertulia!.conference.state.participants.find((p: { id: string }) => p.id === id)?.displayName, beaId), 'Bea', 'nobody renamed');
    assert.equal(await bea.page.evaluate(() => window.tertulia!.conference.state.self!.displayName), 'Bea');
    await command(host, 'overwriteNames', { id: beaId, name: 'not a list' });
    await waitForEvent(host, 'errorOccurred', (data) => data.error?.message.startsWith('overwriteNames'));
    await command(host, 'overwriteNames', [{ id: beaId, name: '' }]);
    await until(() => beaTile.textContent(), (name) => name === 'Bea', 'an empty name gives Bea hers back');
    await bea.context.close();
  });

  it('showNotification customActions: a click on one raises customNotificationActionTriggered with its uuid', async () => {
    await command(host, 'showNotification', { title: 'Reminder', description: 'Five minutes left', uid: 'r1', timeout: 'sticky', customActions: [{ label: 'Extend', uuid: 'extend-1' }] });
    await meeting.getByTestId('notification-action').click();
    assert.deepEqual(await waitForEvent(host, 'customNotificationActionTriggered'), { data: { id: 'extend-1' } });
    await meeting.getByTestId('host-notification').waitFor({ state: 'detached' });
    await command(host, 'showNotification', { title: 'Bad', customActions: [{ label: 'No uuid' }] });
    await waitForEvent(host, 'errorOccurred', (data) => /customActions|uuid/.test(data.error?.message));
  });

  it('mouseEnter, mouseMove (at most one a second) and mouseLeave as the pointer comes in, moves and goes out', async () => {
    // The first test's click brought the pointer in from the host page.
    const enter = (await eventsOf(host)).find((e) => e.name === 'mouseEnter');
    assert.equal(typeof enter?.data.event.clientX, 'number', 'mouseEnter when the pointer first came into the frame');
    const box = (await host.locator('#meet iframe').boundingBox())!;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const moves = await count(host, 'mouseMove');
    await host.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const events = await until(() => eventsOf(host), (all) => all.filter((e) => e.name === 'mouseMove').length > moves, 'a mouseMove');
    const move = events.filter((e) => e.name === 'mouseMove').at(-1)!;
    assert.deepEqual(Object.keys(move.data.event).sort(), ['clientX', 'clientY', 'movementX', 'movementY', 'offsetX', 'offsetY', 'pageX', 'pageY', 'screenX', 'screenY', 'x', 'y']);
    // Twenty moves within well under a second: at most one more event.
    const before = await count(host, 'mouseMove');
    for (let i = 0; i < 20; i++) await host.mouse.move(box.x + box.width / 2 + i, box.y + box.height / 2);
    assert.ok((await count(host, 'mouseMove')) - before <= 1, 'mouseMove is throttled');
    // Headless Chromium gives a cross-site frame no event when a synthetic pointer leaves it, so the leaving is
    // dispatched as a browser reports it: a mouseout with nothing on the other side.
    await meeting.evaluate(() => document.body.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: null, clientX: 3, clientY: 4 })));
    const leave = await waitForEvent(host, 'mouseLeave');
    assert.deepEqual([leave.event.clientX, leave.event.clientY], [3, 4]);
  });

  it('prejoinVideoChanged as the prejoin camera preview appears and is turned off', async () => {
    const page = await (await browser.newContext()).newPage();
    const config = { prejoinConfig: { enabled: true } };
    await page.goto(`${site.url}/?room=RuntimeRoom&name=Cleo&domain=${new URL(server.url).host}&noSSL&config=${encodeURIComponent(JSON.stringify(config))}`);
    await waitForEvent(page, 'prejoinScreenLoaded');
    await waitForEvent(page, 'prejoinVideoChanged');
    const frame = page.frames().find((f) => f.url().startsWith(server.url))!;
    await frame.getByTestId('prejoin-preview').waitFor();
    await frame.getByTestId('prejoin-camera-toggle').click();
    await until(() => count(page, 'prejoinVideoChanged'), (n) => n === 2, 'a second prejoinVideoChanged');
    assert.equal(await frame.getByTestId('prejoin-preview').count(), 0);
    await page.context().close();
  });
});
