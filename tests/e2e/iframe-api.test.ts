import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';

describe('Jitsi-compatible iframe API, in real Chromium', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let host: Page;
  let bea: Attendee;
  let anaId: string;

  before(async () => {
    server = await startTestServer();
    site = await startHostSite(server.url);
    browser = await launchBrowser();
    const context = await browser.newContext();
    host = await context.newPage();
    const domain = new URL(server.url).host;
    await host.goto(`${site.url}/?room=Embedded&name=Ana&domain=${domain}`);
    anaId = (await waitForEvent(host, 'videoConferenceJoined')).id;
    bea = await joinRoom(browser, server.url, 'Embedded', 'Bea');
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('fires onload, videoConferenceJoined and participantJoined, and keeps getParticipantsInfo', async () => {
    const events = await eventsOf(host);
    assert.ok(events.some((e) => e.name === 'onload'));
    const joined = events.find((e) => e.name === 'videoConferenceJoined')!.data;
    assert.equal(joined.roomName, 'Embedded');
    assert.equal(joined.displayName, 'Ana');
    const beaId = await selfId(bea.page);
    assert.deepEqual(await waitForEvent(host, 'participantJoined'), { id: beaId, displayName: 'Bea' });
    const info = await host.evaluate(() => (window as any).api.getParticipantsInfo());
    assert.deepEqual(info.map((p: any) => p.displayName).sort(), ['Ana', 'Bea']);
    assert.equal(await host.evaluate(() => (window as any).api.getNumberOfParticipants()), 2);
    await waitForMediaFrom(bea.page, [anaId]);
  });

  it('displayName changes the name the others see', async () => {
    await host.evaluate(() => (window as any).api.executeCommand('displayName', 'Ana María'));
    await bea.page.locator(`[data-participant-id="${anaId}"] [data-testid="tile-name"]`).getByText('Ana María').waitFor({ timeout: 5000 });
  });

  it('toggleAudio and toggleVideo mute for everyone and report audio/videoMuteStatusChanged', async () => {
    await host.evaluate(() => (window as any).api.executeCommand('toggleAudio'));
    assert.deepEqual(await waitForEvent(host, 'audioMuteStatusChanged', (d) => d.muted === true), { muted: true });
    await bea.page.locator(`[data-participant-id="${anaId}"] [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    assert.equal(await host.evaluate(() => (window as any).api.isAudioMuted()), true);

    await host.evaluate(() => (window as any).api.executeCommand('toggleVideo'));
    assert.deepEqual(await waitForEvent(host, 'videoMuteStatusChanged', (d) => d.muted === true), { muted: true });
    await bea.page.locator(`[data-participant-id="${anaId}"] video`).waitFor({ state: 'detached', timeout: 5000 });
  });

  it('sendChatMessage reaches the others, and their messages arrive as incomingMessage', async () => {
    await host.evaluate(() => (window as any).api.executeCommand('sendChatMessage', 'hola desde el producto'));
    await waitForEvent(host, 'outgoingMessage', (d) => d.message === 'hola desde el producto');
    await bea.page.waitForFunction(() => window.tertulia!.conference.state.chat.some((m: any) => m.text === 'hola desde el producto'));

    await bea.page.evaluate(() => window.tertulia!.conference.sendChat('hola Ana'));
    const incoming = await waitForEvent(host, 'incomingMessage');
    assert.equal(incoming.message, 'hola Ana');
    assert.equal(incoming.nick, 'Bea');
    assert.equal(incoming.from, await selfId(bea.page));
    assert.equal(incoming.privateMessage, false);
  });

  it('ignores messages from other windows and origins', async () => {
    await host.evaluate(() => (document.querySelector('#other-widget') as HTMLIFrameElement).contentWindow!.postMessage('attack', '*'));
    await bea.page.waitForTimeout(1500);
    assert.equal(await bea.page.locator(`[data-participant-id="${anaId}"]`).count() > 0, true, 'Ana is still in the meeting');
    const texts = await bea.page.evaluate(() => window.tertulia!.conference.state.chat.map((m: any) => m.text));
    assert.ok(!texts.includes('forged'), 'the forged chat message was ignored');
  });

  it('answers getSupportedCommands truthfully and reports unsupported commands with errorOccurred', async () => {
    const commands: string[] = await host.evaluate(() => (window as any).api.getSupportedCommands());
    assert.ok(commands.includes('toggleAudio') && commands.includes('sendChatMessage'));
    assert.ok(!commands.includes('toggleWhiteboard'));
    await host.evaluate(() => (window as any).api.executeCommand('toggleWhiteboard'));
    const error = await waitForEvent(host, 'errorOccurred', (d) => /toggleWhiteboard/.test(d.error.message));
    assert.equal(error.error.name, 'UnsupportedCommand');
    const events: string[] = await host.evaluate(() => (window as any).api.getSupportedEvents());
    assert.ok(events.includes('readyToClose') && events.includes('incomingMessage'));
  });

  it('toggleRaiseHand raises and lowers the hand for everyone; raiseHandUpdated reports every hand', async () => {
    await host.evaluate(() => (window as any).api.executeCommand('toggleRaiseHand'));
    const up = await waitForEvent(host, 'raiseHandUpdated', (d) => d.handRaised > 0);
    assert.equal(up.id, anaId);
    await bea.page.locator(`[data-participant-id="${anaId}"] [data-testid="hand-badge"]`).waitFor({ timeout: 10_000 });
    await host.evaluate(() => (window as any).api.executeCommand('toggleRaiseHand'));
    assert.deepEqual(await waitForEvent(host, 'raiseHandUpdated', (d) => d.handRaised === 0), { id: anaId, handRaised: 0 });
    await bea.page.locator(`[data-participant-id="${anaId}"] [data-testid="hand-badge"]`).waitFor({ state: 'detached', timeout: 10_000 });

    const beaId = await selfId(bea.page);
    await bea.page.getByTestId('toggle-hand').click();
    // The others' hands too (waitForEvent's matcher runs in the page, so it cannot see beaId).
    await host.waitForFunction(
      (id) => (window as any).events.some((e: any) => e.name === 'raiseHandUpdated' && e.data.id === id && e.data.handRaised > 0),
      beaId,
      { timeout: 15_000 },
    );
  });

  it('reports participantLeft, then hangup ends with videoConferenceLeft and readyToClose', async () => {
    const beaId = await selfId(bea.page);
    await bea.page.getByTestId('leave').click();
    assert.deepEqual(await waitForEvent(host, 'participantLeft'), { id: beaId });
    await host.evaluate(() => (window as any).api.executeCommand('hangup'));
    await waitForEvent(host, 'videoConferenceLeft');
    await waitForEvent(host, 'readyToClose');
    assert.equal(server.registry.rooms().length, 0);
    await host.evaluate(() => (window as any).api.dispose());
    assert.equal(await host.locator('iframe[name^="jitsiConferenceFrame"]').count(), 0);
  });
});
