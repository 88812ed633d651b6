import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { JITSI_COMMANDS } from '../../packages/iframe-api/src/jitsi-coverage.js';
import { joinRoom, launchBrowser } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/** A 1×1 PNG: an avatar the page's CSP allows without any network. */
const PICTURE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/**
 * configOverwrite keys and the profile commands, driven by a host page on another
 * site (localhost) than the meeting (127.0.0.1), as an integrator's product would.
 */
describe('Jitsi config keys and profile commands through the iframe API', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let host: Page;
  let meeting: Frame;

  before(async () => {
    server = await startTestServer();
    site = await startHostSite(server.url, { crossSite: true });
    browser = await launchBrowser();
    const config = {
      toolbarButtons: ['microphone', 'camera', 'hangup'],
      readOnlyName: true,
      hideConferenceTimer: true,
      disableModeratorIndicator: true,
      startWithVideoMuted: true,
      startSilent: true,
      participantsPane: { enabled: false },
      // Of Jitsi's notifications, only raised hands show.
      notifications: ['notify.raisedHand'],
    };
    host = await (await browser.newContext()).newPage();
    await host.goto(`${site.url}/?room=ConfigKeysRoom&name=Ana&domain=${new URL(server.url).host}&noSSL&config=${encodeURIComponent(JSON.stringify(config))}`);
    await waitForEvent(host, 'videoConferenceJoined');
    meeting = host.frames().find((frame) => frame.url().startsWith(server.url))!;
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('toolbarButtons shows exactly the microphone, camera and hang-up buttons; the timer and moderator star are hidden', async () => {
    const buttons = await meeting.locator('.toolbar [data-testid]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    assert.deepEqual(buttons, ['toggle-mic', 'toggle-camera', 'leave']);
    assert.equal(await meeting.getByTestId('meeting-title').count(), 1);
    assert.equal(await meeting.getByTestId('elapsed').count(), 0);
    await until(() => meeting.locator('[data-testid="tile"][data-self="true"]').getAttribute('data-role'), (role) => role === 'moderator', 'Ana a moderator');
    assert.equal(await meeting.getByTestId('moderator-badge').count(), 0);
  });

  it('readOnlyName refuses the displayName command and leaves the name as it was', async () => {
    await host.evaluate(() => (window as any).api.executeCommand('displayName', 'Mallory'));
    const error = await waitForEvent(host, 'errorOccurred', (data) => /read-only/.test(data.error?.message));
    assert.equal(error.error.name, 'CommandFailed');
    assert.equal(await meeting.evaluate(() => window.tertulia!.conference.state.self!.displayName), 'Ana');
    assert.ok(!(await eventsOf(host)).some((e) => e.name === 'displayNameChange'));
  });

  it('readOnlyName makes the prejoin name field read-only', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/ConfigKeysRoom#config.readOnlyName=true&userInfo.displayName="Bea"`);
    const input = page.getByTestId('display-name-input');
    await input.press('End');
    await page.keyboard.type('trix');
    assert.equal(await input.inputValue(), 'Bea');
    assert.equal(await input.getAttribute('readonly'), '');
    await page.context().close();
  });

  it('requireDisplayName keeps the prejoin, even when the config skips it, until there is a name', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/ConfigKeysRoom#config.prejoinConfig.enabled=false&config.requireDisplayName=true`);
    const join = page.getByTestId('join-button');
    assert.equal(await join.isDisabled(), true);
    await page.getByTestId('display-name-input').fill('Cleo');
    assert.equal(await join.isEnabled(), true);
    await page.context().close();
  });

  it('avatarUrl shows the picture on the tile and raises avatarChanged; email raises emailChange; getSessionId names the meeting', async () => {
    const selfId = await meeting.evaluate(() => window.tertulia!.conference.state.self!.id);
    await host.evaluate((url) => (window as any).api.executeCommand('avatarUrl', url), PICTURE);
    assert.deepEqual(await waitForEvent(host, 'avatarChanged'), { id: selfId, avatarURL: PICTURE });
    assert.equal(await host.evaluate((id) => (window as any).api.getAvatarURL(id), selfId), PICTURE);
    await until(() => meeting.getByTestId('avatar-picture').getAttribute('src'), (src) => src === PICTURE, 'the avatar picture on the tile');
    // Not an https or image URL: refused, the picture stays.
    await host.evaluate(() => (window as any).api.executeCommand('avatarUrl', 'javascript:alert(1)'));
    await waitForEvent(host, 'errorOccurred', (data) => data.error?.message.startsWith('avatarUrl'));
    assert.equal(await meeting.getByTestId('avatar-picture').getAttribute('src'), PICTURE);

    assert.equal(await host.evaluate((id) => (window as any).api.getEmail(id), selfId), 'ana@example.org', 'userInfo.email at first');
    await host.evaluate(() => (window as any).api.executeCommand('email', 'ana@school.example'));
    assert.deepEqual(await waitForEvent(host, 'emailChange'), { id: selfId, email: 'ana@school.example' });
    assert.equal(await host.evaluate((id) => (window as any).api.getEmail(id), selfId), 'ana@school.example');
    const sessionId = await host.evaluate(() => (window as any).api.getSessionId());
    assert.match(sessionId, /^ConfigKeysRoom@\d+$/);
    assert.deepEqual(await waitForEvent(host, 'browserSupport'), { supported: true });
  });

  it('notifications lets through only the listed kinds: a raised hand shows, a newcomer does not; the others see the avatar', async () => {
    const bea = await joinRoom(browser, server.url, 'ConfigKeysRoom', 'Bea');
    await until(() => meeting.locator('[data-testid="tile"][data-self="false"]').count(), (n) => n === 1, 'Bea on Ana’s screen');
    // The picture Ana's page set (earlier test) reaches the others through the server.
    await until(() => bea.page.getByTestId('avatar-picture').first().getAttribute('src'), (src) => src === PICTURE, 'Ana’s picture on Bea’s screen');
    await bea.page.getByTestId('toggle-hand').click();
    await until(() => meeting.getByTestId('notice').allTextContents(), (texts) => texts.some((t) => t.includes('Bea')), 'the raised-hand notice');
    // Errors always show (an earlier test's refused command may still have one up); the filter is about the rest.
    const kinds = await meeting.getByTestId('notice').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')).filter((kind) => kind !== 'error'));
    assert.deepEqual(kinds, ['info'], 'no "joined" notice for Bea, only her raised hand');
    await bea.context.close();
  });

  it('startSilent and the device questions answer as Jitsi does; a disabled participants pane stays shut for toggleParticipantsPane', async () => {
    const answers = await host.evaluate(async () => {
      const api = (window as any).api;
      return [await api.isStartSilent(), await api.isAudioDisabled(), await api.isDeviceChangeAvailable('input'), await api.isDeviceListAvailable(), await api.isMultipleAudioInputSupported()];
    });
    assert.deepEqual(answers, [true, true, true, true, true]);
    await host.evaluate(() => (window as any).api.executeCommand('toggleParticipantsPane', true));
    await waitForEvent(host, 'errorOccurred', (data) => /participants pane is disabled/.test(data.error?.message));
    assert.equal(await host.evaluate(() => (window as any).api.isParticipantsPaneOpen()), false);
    assert.ok(!(await eventsOf(host)).some((e) => e.name === 'participantsPaneToggled' && e.data.open));
  });

  it('every Jitsi command Tertulia does not implement raises errorOccurred (UnsupportedCommand)', async () => {
    const unsupported = await host.evaluate((all) => {
      const supported: string[] = (window as any).api.getSupportedCommands();
      const missing = all.filter((name) => !supported.includes(name));
      for (const name of missing) (window as any).api.executeCommand(name);
      return missing;
    }, [...JITSI_COMMANDS]);
    assert.ok(unsupported.length > 0);
    const events = await until(
      () => eventsOf(host),
      (events) => events.filter((e) => e.name === 'errorOccurred' && e.data.error?.name === 'UnsupportedCommand').length >= unsupported.length,
      'an UnsupportedCommand error per unsupported command',
    );
    const named = events.filter((e) => e.name === 'errorOccurred' && e.data.error?.name === 'UnsupportedCommand').map((e) => /"(\w+)"/.exec(e.data.error.message)?.[1]);
    assert.deepEqual(named.sort(), [...unsupported].sort());
  });
});
