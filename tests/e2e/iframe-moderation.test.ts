import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { createFirefoxMediaAddress, launchFirefox } from '../support/firefox.js';
import { eventsOf, startHostSite, waitForEvent, type HostEvent, type HostPage } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/** Generous: a browser start plus a join on a loaded 2-core machine take a while (Firefox's first start longer). */
const FIRST_JOIN_MS = 60_000;

/**
 * Moderation driven the way an integrator does it: product pages on another site
 * (localhost) embed a Tertulia on 127.0.0.1 with Jitsi's iframe API and call its
 * commands. Ana's page joins first and is the moderator; Bea's page comes in through a
 * password, Cai's (in Firefox) through the lobby. One room, one flow after another.
 */
describe('Moderation through the iframe API, embedded by another site', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let mediaAddress: { address: string; close(): Promise<void> };
  let chromium: Browser;
  let firefox: Firefox | undefined;
  let ana: Page;
  let bea: Page;
  let cai: FirefoxPage;
  let anaId: string;
  let beaId: string;
  const ROOM = 'ModeratedClass';

  const hostUrl = (name: string) => `${site.url}/?room=${ROOM}&name=${name}&domain=${new URL(server.url).host}&noSSL`;
  const openHost = async (name: string): Promise<Page> => {
    const page = await (await chromium.newContext()).newPage();
    await page.goto(hostUrl(name));
    return page;
  };
  /** Runs a command on a host page, as the product's own code would. */
  const command = (host: Page | FirefoxPage, ...args: unknown[]) =>
    (host as Page).evaluate((a: unknown[]) => (window as any).api.executeCommand(...a), args);
  const count = async (host: HostPage, name: string, match: (data: any) => boolean = () => true) =>
    (await eventsOf(host)).filter((e: HostEvent) => e.name === name && match(e.data)).length;
  /** The meeting's own page inside a host page's iframe. */
  const meeting = (host: Page): Frame => host.frames().find((frame) => frame.url().startsWith(server.url))!;
  const roomOf = (host: Page) => meeting(host).evaluate(() => window.tertulia!.conference.state.room!);
  const participantsSeenBy = (host: Page) => meeting(host).evaluate(() => window.tertulia!.conference.state.participants);

  before(async () => {
    mediaAddress = await createFirefoxMediaAddress();
    server = await startTestServer({ RTC_LISTEN_IPS: mediaAddress.address });
    site = await startHostSite(server.url, { crossSite: true });
    chromium = await launchBrowser();
    ana = await openHost('Ana');
    anaId = (await waitForEvent(ana, 'videoConferenceJoined', () => true, FIRST_JOIN_MS)).id;
  });
  after(async () => {
    await firefox?.close();
    await chromium?.close();
    site?.server.close();
    await server?.close();
    await mediaAddress?.close();
  });

  it('password: set by the moderator, a newcomer gets passwordRequired, a wrong one stays out, the right one joins', async () => {
    await command(ana, 'password', 'blue-whale');
    await until(() => roomOf(ana), (room) => room.locked, 'the room to be locked');

    bea = await openHost('Bea');
    await waitForEvent(bea, 'passwordRequired', () => true, FIRST_JOIN_MS);
    await command(bea, 'password', 'red-whale');
    await until(() => count(bea, 'passwordRequired'), (n) => n === 2, 'passwordRequired again after a wrong password');
    assert.equal(await count(bea, 'videoConferenceJoined'), 0);
    assert.equal(await count(ana, 'participantJoined'), 0);

    await command(bea, 'password', 'blue-whale');
    beaId = (await waitForEvent(bea, 'videoConferenceJoined')).id;
    assert.deepEqual(await waitForEvent(ana, 'participantJoined'), { id: beaId, displayName: 'Bea' });

    await command(ana, 'password', '');
    await until(() => roomOf(ana), (room) => !room.locked, 'the password to be removed');
  });

  it("a participant's moderation commands change nothing and raise errorOccurred (FORBIDDEN)", async () => {
    await command(bea, 'kickParticipant', anaId);
    await command(bea, 'toggleLobby', true);
    await command(bea, 'muteEveryone', 'audio');
    const refusals = await until(
      async () => (await eventsOf(bea)).filter((e) => e.name === 'errorOccurred').map((e) => e.data.error),
      (errors) => errors.length === 3,
      'three refusals',
    );
    assert.deepEqual(refusals.map((e) => e.name), ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    assert.match(refusals[0].message, /^kickParticipant: /);
    assert.equal((await roomOf(ana)).lobbyEnabled, false);
    assert.deepEqual((await participantsSeenBy(bea)).map((p: { id: string }) => p.id), [anaId]);
    assert.equal(await count(ana, 'audioMuteStatusChanged', (d) => d.muted === true), 0);
    assert.equal(await count(ana, 'videoConferenceLeft'), 0);
  });

  it('muteRemoteParticipant and muteEveryone mute Bea and report participantMuted', async () => {
    await command(ana, 'muteRemoteParticipant', beaId, 'audio');
    assert.deepEqual(await waitForEvent(ana, 'participantMuted', (d) => d.mediaType === 'audio' && d.isMuted), { id: beaId, isMuted: true, mediaType: 'audio' });
    await waitForEvent(bea, 'audioMuteStatusChanged', (d) => d.muted === true);

    await command(ana, 'muteEveryone', 'video');
    assert.deepEqual(await waitForEvent(ana, 'participantMuted', (d) => d.mediaType === 'video' && d.isMuted), { id: beaId, isMuted: true, mediaType: 'video' });
    await waitForEvent(bea, 'videoMuteStatusChanged', (d) => d.muted === true);
    // Jitsi's muteEveryone leaves the moderator who asked alone.
    assert.equal(await count(ana, 'videoMuteStatusChanged', (d) => d.muted === true), 0);
  });

  it('video moderation: Bea cannot turn her camera on until approveVideo', async () => {
    await command(ana, 'toggleModeration', true, 'video');
    assert.deepEqual(await waitForEvent(bea, 'moderationStatusChanged'), { mediaType: 'video', enabled: true });
    await waitForEvent(ana, 'moderationStatusChanged', (d) => d.enabled === true);
    assert.equal(await ana.evaluate(() => (window as any).api.isModerationOn('video')), true);
    assert.equal(await ana.evaluate(() => (window as any).api.isModerationOn()), false);
    assert.equal(await ana.evaluate((id) => (window as any).api.isParticipantForceMuted(id, 'video'), beaId), true);
    assert.equal(await ana.evaluate((id) => (window as any).api.isParticipantForceMuted(id, 'video'), anaId), false);

    const errorsBefore = await meeting(bea).locator('[data-testid="notice"][data-kind="error"]').count();
    await command(bea, 'toggleVideo');
    await until(() => meeting(bea).locator('[data-testid="notice"][data-kind="error"]').count(), (n) => n > errorsBefore, 'the refusal shown to Bea');
    await until(() => bea.evaluate(() => (window as any).api.isVideoMuted()), (muted) => muted === true, 'Bea still muted');
    assert.ok((await participantsSeenBy(ana)).find((p: { id: string }) => p.id === beaId).videoMuted);

    await command(ana, 'approveVideo', beaId);
    assert.deepEqual(await waitForEvent(ana, 'moderationParticipantApproved'), { id: beaId, mediaType: 'video' });
    assert.deepEqual(await waitForEvent(bea, 'moderationParticipantApproved'), { id: beaId, mediaType: 'video' });
    assert.equal(await ana.evaluate((id) => (window as any).api.isParticipantForceMuted(id, 'video'), beaId), false);
    await command(bea, 'toggleVideo');
    assert.deepEqual(await waitForEvent(ana, 'participantMuted', (d) => d.mediaType === 'video' && d.isMuted === false), { id: beaId, isMuted: false, mediaType: 'video' });

    await command(ana, 'rejectParticipant', beaId, 'video');
    assert.deepEqual(await waitForEvent(ana, 'moderationParticipantRejected'), { id: beaId, mediaType: 'video' });
    await command(ana, 'toggleModeration', false, 'video');
    await waitForEvent(bea, 'moderationStatusChanged', (d) => d.enabled === false);
  });

  it('subject reaches everyone with subjectChange; localSubject retitles only its own page', async () => {
    await command(ana, 'subject', 'Algebra 101');
    assert.deepEqual(await waitForEvent(bea, 'subjectChange'), { subject: 'Algebra 101' });
    await command(bea, 'localSubject', 'My algebra class');
    await meeting(bea).getByTestId('meeting-title').getByText('My algebra class').waitFor({ timeout: 5000 });
    assert.equal(await meeting(ana).getByTestId('meeting-title').textContent(), 'Algebra 101');
    assert.equal((await roomOf(ana)).subject, 'Algebra 101');
  });

  it('lobby in Firefox: toggleLobby, knockingParticipant at the moderator, answerKnockingParticipant admits', async () => {
    await command(ana, 'toggleLobby', true);
    await until(() => roomOf(ana), (room) => room.lobbyEnabled, 'the lobby to be on');
    firefox = await launchFirefox();
    cai = await firefox.newPage();
    await cai.goto(hostUrl('Cai'));
    const knock = await waitForEvent(ana, 'knockingParticipant', () => true, FIRST_JOIN_MS);
    assert.equal(knock.participant.name, 'Cai');
    assert.equal(await count(cai, 'videoConferenceJoined'), 0);
    await command(ana, 'answerKnockingParticipant', knock.participant.id, true);
    const joined = await waitForEvent(cai, 'videoConferenceJoined', () => true, FIRST_JOIN_MS);
    await waitForEvent(ana, 'participantJoined', (d) => d.id === joined.id);
  });

  it('grantModerator makes Bea a moderator: participantRoleChanged everywhere', async () => {
    await command(ana, 'grantModerator', beaId);
    assert.deepEqual(await waitForEvent(ana, 'participantRoleChanged'), { id: beaId, role: 'moderator' });
    assert.deepEqual(await waitForEvent(bea, 'participantRoleChanged'), { id: beaId, role: 'moderator' });
    await waitForEvent(cai, 'participantRoleChanged', (d) => d.id === beaId && d.role === 'moderator');
  });

  it('kickParticipant: participantKickedOut on every page, participantLeft at the others', async () => {
    await command(ana, 'kickParticipant', beaId);
    assert.deepEqual(await waitForEvent(bea, 'participantKickedOut'), { kicked: { id: beaId, local: true }, kicker: { id: anaId } });
    await waitForEvent(bea, 'videoConferenceLeft');
    assert.deepEqual(await waitForEvent(ana, 'participantLeft', (d) => d.id === beaId), { id: beaId });
    assert.deepEqual(await waitForEvent(ana, 'participantKickedOut'), { kicked: { id: beaId, local: false }, kicker: { id: anaId } });
    // A bystander learns of the kick too, and who did it, as on Jitsi.
    assert.deepEqual(await waitForEvent(cai, 'participantKickedOut'), { kicked: { id: beaId, local: false }, kicker: { id: anaId } });
    await waitForEvent(cai, 'participantLeft', (d) => d.id === beaId);
  });
});
