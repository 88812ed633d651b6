import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/**
 * Chat, app messages and media through Jitsi's iframe API: three host pages on
 * another site (localhost) embedding a meeting on 127.0.0.1, in real Chromium.
 */
describe('iframe API: messages, chat and media, embedded by another site', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  const hosts: Record<'ana' | 'bea' | 'cai', Page> = {} as never;
  const ids: Record<'ana' | 'bea' | 'cai', string> = {} as never;

  const api = <T>(host: Page, call: string, ...args: unknown[]): Promise<T> =>
    host.evaluate(([name, rest]) => (window as any).api[name as string](...(rest as unknown[])), [call, args] as const);
  const command = (host: Page, name: string, ...args: unknown[]) =>
    host.evaluate(([n, rest]) => (window as any).api.executeCommand(n, ...(rest as unknown[])), [name, args] as const);
  const meetingFrame = (host: Page): Frame => host.frames().find((frame) => frame.url().startsWith(server.url))!;
  const embed = async (name: 'ana' | 'bea' | 'cai', display: string) => {
    const host = await (await browser.newContext()).newPage();
    await host.goto(`${site.url}/?room=AppData&name=${display}&domain=${new URL(server.url).host}&noSSL`);
    hosts[name] = host;
    ids[name] = (await waitForEvent(host, 'videoConferenceJoined', () => true, 30_000)).id;
  };

  before(async () => {
    server = await startTestServer();
    site = await startHostSite(server.url, { crossSite: true });
    browser = await launchBrowser();
    await embed('ana', 'Ana');
    await embed('bea', 'Bea');
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('two people go peer to peer (p2pStatusChanged, isP2pActive), with connection stats', async (t) => {
    assert.deepEqual(await waitForEvent(hosts.ana, 'p2pStatusChanged', (d) => d.isP2p === true, 30_000), { isP2p: true });
    assert.equal(await api(hosts.ana, 'isP2pActive'), true);
    const stats = await until(
      () => api<any>(hosts.ana, 'getConnectionStats'),
      (s) => s.bytesReceived > 0 && s.tracks.some((t: any) => t.participantId === ids.bea && t.path === 'p2p'),
      'figures of media received directly from Bea',
      20_000,
    );
    assert.equal(stats.isP2p, true);
    assert.equal(stats.transport[0].p2p, true);
    t.diagnostic(`getConnectionStats (p2p): ${stats.bytesReceived} bytes received over ${stats.tracks.length} tracks, local candidate ${stats.transport[0].localCandidateType}`);
  });

  it('a third person brings the meeting back through the server (p2pStatusChanged false), and the stats say so', async (t) => {
    await embed('cai', 'Cai');
    await waitForEvent(hosts.ana, 'p2pStatusChanged', (d) => d.isP2p === false, 20_000);
    assert.equal(await api(hosts.ana, 'isP2pActive'), false);
    const stats = await until(
      () => api<any>(hosts.ana, 'getConnectionStats'),
      (s) => s.tracks.some((t: any) => t.participantId === ids.cai && t.path === 'server' && t.bytesReceived > 0),
      'figures of media received from Cai through the server',
      20_000,
    );
    assert.equal(stats.isP2p, false);
    assert.ok(stats.transport.some((t: any) => t.p2p === false && t.state === 'connected'), JSON.stringify(stats.transport));
    t.diagnostic(`getConnectionStats (server): ${stats.bytesReceived} bytes received, jvbRTT ${stats.jvbRTT} ms, ${stats.transport.length} transports`);
  });

  it('sendEndpointTextMessage reaches only its target, as endpointTextMessageReceived', async () => {
    await command(hosts.ana, 'sendEndpointTextMessage', ids.bea, '{"quiz":"q1"}');
    const received = await waitForEvent(hosts.bea, 'endpointTextMessageReceived');
    assert.deepEqual(received, { senderInfo: { jid: ids.ana, id: ids.ana }, eventData: { name: 'endpoint-text-message', text: '{"quiz":"q1"}' } });
    // A chat message sent after it has reached Cai, so the app message would have too.
    await command(hosts.ana, 'sendChatMessage', 'after the app message');
    await waitForEvent(hosts.cai, 'incomingMessage', (d) => d.message === 'after the app message');
    for (const host of [hosts.ana, hosts.cai]) assert.ok(!(await eventsOf(host)).some((e) => e.name === 'endpointTextMessageReceived'));

    await command(hosts.ana, 'sendEndpointTextMessage', 'nobody', 'lost');
    const error = await waitForEvent(hosts.ana, 'errorOccurred', (d) => d.error?.message?.includes('sendEndpointTextMessage'));
    assert.equal(error.error.name, 'NOT_FOUND');
  });

  it('initiatePrivateChat opens the chat to one person, cancelPrivateChat goes back to everyone; chatUpdated follows open and unread', async () => {
    const frame = meetingFrame(hosts.ana);
    await command(hosts.ana, 'initiatePrivateChat', ids.bea);
    await frame.getByTestId('chat-panel').waitFor({ timeout: 5000 });
    await until(() => frame.getByTestId('chat-recipient').inputValue(), (to) => to === ids.bea, 'Bea chosen as recipient', 5000);
    assert.deepEqual(await waitForEvent(hosts.ana, 'chatUpdated', (d) => d.isOpen === true), { isOpen: true, unreadCount: 0 });
    await command(hosts.ana, 'cancelPrivateChat');
    await until(() => frame.getByTestId('chat-recipient').inputValue(), (to) => to === '', 'back to everyone', 5000);

    await command(hosts.ana, 'toggleChat');
    await waitForEvent(hosts.ana, 'chatUpdated', (d) => d.isOpen === false);
    await command(hosts.bea, 'sendChatMessage', 'are you there?');
    assert.deepEqual(await waitForEvent(hosts.ana, 'chatUpdated', (d) => d.unreadCount === 1), { isOpen: false, unreadCount: 1 });
  });

  it('setParticipantVolume sets the volume of that person’s audio element only', async () => {
    const frame = meetingFrame(hosts.ana);
    const volumes = () => frame.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLAudioElement>('audio[data-participant-id]')].map((a) => [a.dataset['participantId'], a.volume])));
    await until(volumes, (v) => ids.bea in v && ids.cai in v, 'audio elements for Bea and Cai', 10_000);
    await command(hosts.ana, 'setParticipantVolume', ids.bea, 0.25);
    const after = await until(volumes, (v) => v[ids.bea] === 0.25, 'Bea at a quarter volume', 5000);
    assert.equal(after[ids.cai], 1);
    await command(hosts.ana, 'setParticipantVolume', ids.bea, 7);
    await waitForEvent(hosts.ana, 'errorOccurred', (d) => d.error?.message?.includes('setParticipantVolume'));
    assert.equal((await volumes())[ids.bea], 0.25, 'a bad volume changes nothing');
  });

  it('a screen share fires contentSharingParticipantsChanged and shows in getContentSharingParticipants', async () => {
    assert.deepEqual(await api(hosts.bea, 'getContentSharingParticipants'), { sharingParticipantIds: [] });
    await command(hosts.ana, 'toggleShareScreen');
    assert.deepEqual(await waitForEvent(hosts.bea, 'contentSharingParticipantsChanged', (d) => d.data.length > 0), { data: [ids.ana] });
    assert.deepEqual(await api(hosts.bea, 'getContentSharingParticipants'), { sharingParticipantIds: [ids.ana] });
    assert.deepEqual(await waitForEvent(hosts.ana, 'contentSharingParticipantsChanged', (d) => d.data.length > 0), { data: [ids.ana] });
    await command(hosts.ana, 'toggleShareScreen');
    await waitForEvent(hosts.bea, 'contentSharingParticipantsChanged', (d) => d.data.length === 0);
  });

  it('toggleCameraMirror flips the self view, and the fake devices are available', async () => {
    const frame = meetingFrame(hosts.ana);
    const selfVideo = frame.locator(`[data-participant-id="${ids.ana}"][data-source="camera"] video`);
    assert.match((await selfVideo.getAttribute('class')) ?? '', /video--mirrored/);
    await command(hosts.ana, 'toggleCameraMirror');
    await until(() => selfVideo.getAttribute('class'), (c) => !c?.includes('video--mirrored'), 'an unmirrored self view', 5000);
    assert.equal(await api(hosts.ana, 'isAudioAvailable'), true);
    assert.equal(await api(hosts.ana, 'isVideoAvailable'), true);
  });

  it('setAudioOutputDevice plays the meeting on that speaker and getCurrentDevices reports it', async () => {
    const frame = meetingFrame(hosts.ana);
    assert.equal((await api<any>(hosts.ana, 'getCurrentDevices')).audioOutput.deviceId, 'default');
    assert.equal(await api(hosts.ana, 'setAudioOutputDevice', 'Fake Audio Output 1'), true);
    const speaker = (await api<any>(hosts.ana, 'getCurrentDevices')).audioOutput;
    assert.equal(speaker.label, 'Fake Audio Output 1');
    const sinks = () => frame.evaluate(() => [...document.querySelectorAll<HTMLAudioElement & { sinkId: string }>('audio[data-participant-id]')].map((a) => a.sinkId));
    await until(sinks, (ids) => ids.length === 2 && ids.every((id) => id === speaker.deviceId), 'every remote audio on the chosen speaker', 5000);
    await assert.rejects(api(hosts.ana, 'setAudioOutputDevice', 'No such speaker'), /No speaker named/);
  });

  it('toggleCamera asks for a facing mode the fake camera lacks: cameraError with Jitsi’s type, and the camera stays on', async () => {
    await command(hosts.ana, 'toggleCamera', 'environment');
    const error = await waitForEvent(hosts.ana, 'cameraError');
    assert.equal(error.type, 'gum.constraint_failed');
    assert.equal(typeof error.message, 'string');
    assert.equal(await api(hosts.ana, 'isVideoMuted'), false);
    await meetingFrame(hosts.ana).locator(`[data-participant-id="${ids.ana}"][data-source="camera"] video`).waitFor({ timeout: 5000 });
  });
});
