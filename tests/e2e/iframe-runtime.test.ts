import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

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
});
