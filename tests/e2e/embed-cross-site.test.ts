import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { createFirefoxMediaAddress, launchFirefox } from '../support/firefox.js';
import { startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/** Generous: Firefox's first start and a join on a loaded 2-core machine take a while. */
const FIRST_JOIN_MS = 60_000;

/**
 * The integrator's setup: a product page on http://localhost:port embeds a Tertulia on
 * http://127.0.0.1:port with `new JitsiMeetExternalAPI('127.0.0.1:port', { noSSL: true, … })`.
 * Two sites, so the browser treats the meeting's storage as third-party: Chromium
 * denies it (as launched here, like incognito or with third-party cookies blocked; the
 * first test checks), Firefox partitions it.
 */
describe('A meeting embedded by another site', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let chromium: Browser;
  let hostUrl: (room: string) => string;
  let mediaAddress: { address: string; close(): Promise<void> };

  before(async () => {
    mediaAddress = await createFirefoxMediaAddress();
    // A long grace: a copy of Ana left behind by a reload would stay for the whole test.
    // Media through the server: this test is about storage and the iframe API across sites. (A Firefox page
    // in a two-person peer-to-peer call here often received nothing from Chromium: see the issue notes.)
    server = await startTestServer({ RECONNECT_GRACE_SECONDS: '120', RTC_LISTEN_IPS: mediaAddress.address, P2P_ENABLED: '0' });
    site = await startHostSite(server.url, { crossSite: true });
    hostUrl = (room) => `${site.url}/?room=${room}&name=Ana&domain=${new URL(server.url).host}&noSSL`;
    chromium = await launchBrowser();
  });
  after(async () => {
    await chromium?.close();
    site?.server.close();
    await server?.close();
    await mediaAddress?.close();
  });

  /** The meeting's iframe on the host page. */
  const meetingFrame = <F extends { url(): string }>(frames: F[]): F => frames.find((frame) => frame.url().startsWith(server.url))!;
  /** Whether the meeting's frame may open its session and local storage, or the error the browser throws. */
  const storageAccess = (frame: { evaluate(read: () => string[]): Promise<string[]> }) =>
    frame.evaluate(() =>
      (['sessionStorage', 'localStorage'] as const).map((name) => {
        try {
          window[name].getItem('probe');
          return 'allowed';
        } catch (error) {
          return (error as Error).name;
        }
      }),
    );
  /** The ids of the others Bea's meeting page shows. */
  const seenBy = (bea: Attendee) => bea.page.evaluate(() => window.tertulia!.conference.state.participants.map((p: { id: string }) => p.id) as string[]);

  describe('in Chromium, which denies it storage', () => {
    let host: Page;
    let bea: Attendee;
    let anaId: string;

    after(async () => {
      await host?.context().close();
      await bea?.context.close();
    });

    it('joins although touching sessionStorage or localStorage in the meeting frame throws', async () => {
      host = await (await chromium.newContext()).newPage();
      await host.goto(hostUrl('CrossSiteChromium'));
      anaId = (await waitForEvent(host, 'videoConferenceJoined', () => true, FIRST_JOIN_MS)).id;
      assert.deepEqual(await storageAccess(meetingFrame(host.frames())), ['SecurityError', 'SecurityError']);
    });

    it('reports participantJoined, and media flows both ways', async () => {
      bea = await joinRoom(chromium, server.url, 'CrossSiteChromium', 'Bea');
      const beaId = await selfId(bea.page);
      assert.deepEqual(await waitForEvent(host, 'participantJoined'), { id: beaId, displayName: 'Bea' });
      await waitForMediaFrom(bea.page, [anaId]);
      await waitForMediaFrom(meetingFrame(host.frames()), [beaId]);
    });

    it('toggleAudio mutes Ana for Bea and reports audioMuteStatusChanged', async () => {
      await host.evaluate(() => (window as any).api.executeCommand('toggleAudio'));
      assert.deepEqual(await waitForEvent(host, 'audioMuteStatusChanged', (d) => d.muted === true), { muted: true });
      await bea.page.locator(`[data-participant-id="${anaId}"] [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    });

    it('after a reload of the host page joins anew (nothing to resume), and the old copy leaves at once', async () => {
      await host.reload();
      const newId = (await waitForEvent(host, 'videoConferenceJoined')).id;
      assert.notEqual(newId, anaId, 'without storage there is no session to resume');
      // Well inside the 120 s grace: the old copy left when its page went away.
      await until(() => seenBy(bea), (ids) => ids.length === 1 && ids[0] === newId, 'Bea to see only the new Ana', 10_000);
      await waitForMediaFrom(bea.page, [newId]);
      await waitForMediaFrom(meetingFrame(host.frames()), [await selfId(bea.page)]);
    });
  });

  describe('in Firefox, which partitions its storage', () => {
    let firefox: Firefox;
    let host: FirefoxPage;
    let bea: Attendee;
    let anaId: string;

    before(async () => {
      firefox = await launchFirefox();
    });
    after(async () => {
      await firefox?.close();
    });

    it('joins, with storage of its own in the meeting frame', async () => {
      host = await firefox.newPage();
      await host.goto(hostUrl('CrossSiteFirefox'));
      anaId = (await waitForEvent(host, 'videoConferenceJoined', () => true, FIRST_JOIN_MS)).id;
      assert.deepEqual(await storageAccess(meetingFrame(host.frames())), ['allowed', 'allowed']);
    });

    it('reports participantJoined, and media flows both ways', async () => {
      bea = await joinRoom(chromium, server.url, 'CrossSiteFirefox', 'Bea');
      const beaId = await selfId(bea.page);
      assert.deepEqual(await waitForEvent(host, 'participantJoined'), { id: beaId, displayName: 'Bea' });
      await waitForMediaFrom(bea.page, [anaId], 30_000);
      await waitForMediaFrom(meetingFrame(host.frames()), [beaId], 30_000);
    });

    it('after a reload of the host page resumes the same participant, and Bea sees one Ana', async () => {
      await host.reload();
      assert.equal((await waitForEvent(host, 'videoConferenceJoined', () => true, FIRST_JOIN_MS)).id, anaId);
      assert.deepEqual(await seenBy(bea), [anaId]);
      assert.equal(await bea.page.locator('[data-testid="tile"]').filter({ hasText: 'Ana' }).count(), 1);
      await waitForMediaFrom(bea.page, [anaId], 30_000);
    });

    it('toggleAudio mutes Ana for Bea and reports audioMuteStatusChanged', async () => {
      await host.evaluate(() => (window as any).api.executeCommand('toggleAudio'));
      assert.deepEqual(await waitForEvent(host, 'audioMuteStatusChanged', (d) => d.muted === true), { muted: true });
      await bea.page.locator(`[data-participant-id="${anaId}"] [data-testid="muted-badge"]`).waitFor({ timeout: 5000 });
    });
  });
});
