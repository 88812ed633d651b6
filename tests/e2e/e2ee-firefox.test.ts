import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { createFirefoxMediaAddress, launchFirefox } from '../support/firefox.js';
import type { LocalAddress } from '../support/local-address.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const ROOM = 'SealedAcrossBrowsers';
const FIRST_JOIN_MS = 90_000;

/**
 * End-to-end encryption across engines: two Chromiums (RTCRtpScriptTransform) and Firefox
 * ESR (its own RTCRtpScriptTransform) decode each other's encrypted media, through the
 * server and never peer to peer. The server's media listens on a private address, as
 * Firefox gathers no loopback candidates (see tests/support/firefox.ts).
 */
describe('an end-to-end encrypted meeting in Chromium and Firefox', () => {
  let address: LocalAddress;
  let server: RunningServer;
  let chromium: Browser;
  let firefox: Firefox;
  let ana: Attendee, bea: Attendee;
  let fay: FirefoxPage;

  before(async () => {
    address = await createFirefoxMediaAddress();
    server = await startTestServer({ P2P_ENABLED: '0', RTC_LISTEN_IPS: address.address });
    [chromium, firefox] = await Promise.all([launchBrowser(), launchFirefox()]);
  });
  after(async () => {
    await chromium?.close();
    await firefox?.close();
    await server?.close();
    await address?.close();
  });

  it('lets everyone see and hear everyone', async () => {
    ana = await joinRoom(chromium, server.url, ROOM, 'Ana');
    await ana.page.evaluate(() => window.tertulia!.conference.moderate('setE2ee', { enabled: true }));
    bea = await joinRoom(chromium, server.url, ROOM, 'Bea');
    fay = await firefox.newPage();
    // The page's Content-Security-Policy refuses puppeteer's waitForFunction (it evaluates a string): poll instead.
    await fay.goto(`${server.url}/${ROOM}#config.prejoinConfig.enabled=false&userInfo.displayName=%22Fay%22`);
    await until(() => fay.evaluate(() => window.tertulia?.conference.state.connection), (state) => state === 'joined', 'Fay (Firefox) in the meeting', FIRST_JOIN_MS, 500);
    const fayId = await fay.evaluate(() => window.tertulia!.conference.state.self!.id as string);
    const [anaId, beaId] = await Promise.all([selfId(ana.page), selfId(bea.page)]);

    await waitForMediaFrom(fay, [anaId, beaId], 30_000);
    await waitForMediaFrom(ana.page, [beaId, fayId], 30_000);
    await waitForMediaFrom(bea.page, [anaId, fayId], 30_000);
    // Decoding proves it: Chromium's senders encrypt (tests/e2e/e2ee.test.ts), and a frame a transform did not handle would not decode.
    assert.equal(await fay.evaluate(() => window.tertulia!.conference.state.room?.e2ee), true);
  });
});
