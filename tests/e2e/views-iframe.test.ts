import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, type Attendee } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';

const tile = (id: string) => `[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`;
const api = (host: Page, command: string, ...args: unknown[]) =>
  host.evaluate(({ command, args }) => (window as any).api.executeCommand(command, ...args), { command, args });

describe('iframe API: views, pinning and the participants pane, in real Chromium', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let host: Page;
  let meeting: FrameLocator;
  let bea: Attendee, carl: Attendee;
  let beaId: string, carlId: string;

  before(async () => {
    server = await startTestServer();
    site = await startHostSite(server.url);
    browser = await launchBrowser();
    host = await (await browser.newContext()).newPage();
    await host.goto(`${site.url}/?room=EmbeddedViews&name=Ana&domain=${new URL(server.url).host}`);
    await waitForEvent(host, 'videoConferenceJoined');
    meeting = host.frameLocator('iframe[name^="jitsiConferenceFrame"]');
    bea = await joinRoom(browser, server.url, 'EmbeddedViews', 'Bea', '&config.startWithAudioMuted=true');
    carl = await joinRoom(browser, server.url, 'EmbeddedViews', 'Carl', '&config.startWithAudioMuted=true');
    beaId = await selfId(bea.page);
    carlId = await selfId(carl.page);
    await meeting.locator(tile(carlId)).waitFor({ timeout: 10_000 });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('lists the commands and events as supported', async () => {
    const commands: string[] = await host.evaluate(() => (window as any).api.getSupportedCommands());
    for (const name of ['toggleTileView', 'setTileView', 'pinParticipant', 'setLargeVideoParticipant', 'toggleParticipantsPane']) {
      assert.ok(commands.includes(name), name);
    }
    const events: string[] = await host.evaluate(() => (window as any).api.getSupportedEvents());
    assert.ok(events.includes('tileViewChanged') && events.includes('participantsPaneToggled'));
  });

  it('toggleTileView and setTileView switch the view and report tileViewChanged', async () => {
    await api(host, 'toggleTileView');
    assert.deepEqual(await waitForEvent(host, 'tileViewChanged', (d) => d.enabled === false), { enabled: false });
    await meeting.getByTestId('stage-view').waitFor();
    await api(host, 'setTileView', true);
    assert.deepEqual(await waitForEvent(host, 'tileViewChanged', (d) => d.enabled === true), { enabled: true });
    await meeting.getByTestId('stage-view').waitFor({ state: 'detached' });
    await api(host, 'setTileView', true);
    await api(host, 'setTileView', 'yes');
    await waitForEvent(host, 'errorOccurred', (d) => /setTileView/.test(d.error.message));
    const changes = (await eventsOf(host)).filter((e) => e.name === 'tileViewChanged');
    assert.equal(changes.length, 2, 'an unchanged view and a refused argument report nothing');
  });

  it('pinParticipant puts that person large in stage view; without an id it goes back to automatic', async () => {
    await host.evaluate((id) => (window as any).api.pinParticipant(id), carlId);
    await meeting.locator(`[data-testid="stage-large"] ${tile(carlId)}`).waitFor({ timeout: 10_000 });
    assert.equal(await meeting.locator(`${tile(carlId)} [data-testid="tile-pin"]`).getAttribute('aria-pressed'), 'true');
    await api(host, 'setLargeVideoParticipant');
    // Automatic: nobody but Ana has spoken, so the first of the others.
    await meeting.locator(`[data-testid="stage-large"] ${tile(beaId)}`).waitFor({ timeout: 10_000 });
    await api(host, 'pinParticipant', 'nobody');
    await waitForEvent(host, 'errorOccurred', (d) => /nobody/.test(d.error.message));
    assert.equal(await meeting.locator(`[data-testid="stage-large"] ${tile(beaId)}`).count(), 1, 'a refused pin changes nothing');
  });

  it('toggleParticipantsPane opens and closes the pane, reports participantsPaneToggled and answers isParticipantsPaneOpen', async () => {
    await api(host, 'toggleParticipantsPane', true);
    assert.deepEqual(await waitForEvent(host, 'participantsPaneToggled', (d) => d.open === true), { open: true });
    assert.equal(await meeting.getByTestId('participant-row').count(), 3);
    assert.equal(await host.evaluate(() => (window as any).api.isParticipantsPaneOpen()), true);
    await api(host, 'toggleParticipantsPane', false);
    assert.deepEqual(await waitForEvent(host, 'participantsPaneToggled', (d) => d.open === false), { open: false });
    await meeting.getByTestId('participants-pane').waitFor({ state: 'detached' });
    assert.equal(await host.evaluate(() => (window as any).api.isParticipantsPaneOpen()), false);
  });
});
