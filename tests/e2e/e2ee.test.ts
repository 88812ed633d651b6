import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { inboundStats, joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const ROOM = 'Sealed-Room';

/** Gives a page an integrator's media key (the raw bytes of an AES key), as setMediaEncryptionKey does. */
function giveKey(page: Page, key: number[], index: number): Promise<void> {
  return page.evaluate(([bytes, slot]) => window.tertulia!.conference.setMediaEncryptionKey(new Uint8Array(bytes), slot), [key, index] as const);
}

async function cameraFramesFrom(page: Page, id: string): Promise<number> {
  return (await inboundStats(page)).find((s) => s.participantId === id && s.source === 'camera')?.framesDecoded ?? 0;
}

/** The height `page` decodes `id`'s camera at, if its frame count moves within a second (0 otherwise). */
async function liveHeight(page: Page, id: string): Promise<number> {
  const camera = async () => (await inboundStats(page)).find((s) => s.participantId === id && s.source === 'camera') as { framesDecoded: number; frameHeight?: number } | undefined;
  const before = (await camera())?.framesDecoded ?? 0;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await camera();
  return after && after.framesDecoded > before ? (after.frameHeight ?? 0) : 0;
}

/** End-to-end encrypted media through the server (peer to peer is off, so the SFU routes every frame). */
describe('an end-to-end encrypted meeting in real Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startTestServer({ P2P_ENABLED: '0' });
    browser = await launchBrowser();
    ana = await joinRoom(browser, server.url, ROOM, 'Ana');
    // The moderator's switch, in the moderation panel.
    await ana.page.getByTestId('moderation').click();
    await ana.page.getByTestId('e2ee-toggle').check();
    await ana.page.getByTestId('e2ee-indicator').waitFor();
    bea = await joinRoom(browser, server.url, ROOM, 'Bea');
    for (const a of [ana, bea]) ids[a.name] = await selfId(a.page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets two participants with exchanged keys see and hear each other', async () => {
    await bea.page.getByTestId('e2ee-indicator').waitFor({ timeout: 5_000 });
    await waitForMediaFrom(ana.page, [ids['Bea']!]);
    await waitForMediaFrom(bea.page, [ids['Ana']!]);
    // Each tile says the person's media arrives encrypted.
    await bea.page.locator(`[data-testid="tile"][data-participant-id="${ids['Ana']}"] [data-testid="e2ee-badge"]`).waitFor({ timeout: 5_000 });
    await ana.page.locator(`[data-testid="tile"][data-participant-id="${ids['Bea']}"] [data-testid="e2ee-badge"]`).waitFor({ timeout: 5_000 });
    // The lock tells each the same security code for the other, to compare.
    const codeAt = (page: Page, id: string) => page.locator(`[data-testid="tile"][data-participant-id="${id}"] [data-testid="e2ee-badge"]`).getAttribute('data-code');
    const [anaSees, beaSees] = await Promise.all([codeAt(ana.page, ids['Bea']!), codeAt(bea.page, ids['Ana']!)]);
    assert.match(anaSees ?? '', /^\d{4} \d{4} \d{4}$/);
    assert.equal(anaSees, beaSees);
    assert.match((await bea.page.locator(`[data-testid="tile"][data-participant-id="${ids['Ana']}"] [data-testid="e2ee-badge"]`).getAttribute('title')) ?? '', new RegExp(anaSees!));
  });

  it('keeps decoding when the server switches simulcast layers (it reads the clear VP8 header)', async () => {
    const setQuality = (height: number) => bea.page.evaluate((h) => (window.tertulia!.conference as any).setVideoQuality(h), height);
    await setQuality(180);
    await until(() => liveHeight(bea.page, ids['Ana']!), (height) => height > 0 && height <= 180, "Bea decoding Ana's smallest layer", 25_000);
    await setQuality(720);
    await until(() => liveHeight(bea.page, ids['Ana']!), (height) => height > 180, "Bea decoding a larger layer of Ana's again", 25_000);
  });

  it('after someone leaves, the others send under a new key index and keep decoding each other', async () => {
    const cai = await joinRoom(browser, server.url, ROOM, 'Cai');
    const caiId = await selfId(cai.page);
    await waitForMediaFrom(cai.page, [ids['Ana']!, ids['Bea']!]);
    await waitForMediaFrom(ana.page, [caiId]);
    const indexes = () => Promise.all([ana, bea].map((a) => a.page.evaluate(() => window.tertulia!.conference.e2eeKeyIndex())));
    const before = await indexes();
    await cai.page.evaluate(() => (window.tertulia!.conference as any).leave());
    await until(indexes, (now) => now.every((index, i) => index !== undefined && index !== before[i]), 'new key indexes at Ana and Bea');
    // Past the second the new keys wait before use.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await waitForMediaFrom(ana.page, [ids['Bea']!]);
    await waitForMediaFrom(bea.page, [ids['Ana']!]);
    await cai.context.close();
  });

  it('keeps out a browser that cannot encrypt, saying why, and the others do not keep it in the meeting', async () => {
    const context = await browser.newContext();
    // A browser with neither RTCRtpScriptTransform nor encoded insertable streams.
    await context.addInitScript(() => {
      delete (globalThis as any).RTCRtpScriptTransform;
      delete (RTCRtpSender.prototype as any).createEncodedStreams;
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/${ROOM}#config.prejoinConfig.enabled=false&userInfo.displayName=%22Old%22`);
    await page.waitForFunction(() => window.tertulia?.conference.state.connection === 'failed', null, { timeout: 30_000 });
    await page.getByText('this browser cannot encrypt media').waitFor({ timeout: 5_000 });
    await until(
      () => ana.page.evaluate(() => window.tertulia!.conference.state.participants.map((p: { displayName: string }) => p.displayName)),
      (names) => !names.includes('Old'),
      'Ana not listing the browser that left',
    );
    await context.close();
  });

  it('leaves someone with another key unable to decode anyone, until given the right key', async () => {
    const key = Array.from({ length: 16 }, (_, i) => i + 1);
    const otherKey = key.map((byte) => byte ^ 0xff);
    await Promise.all([giveKey(ana.page, key, 1), giveKey(bea.page, key, 1)]);
    const cai = await joinRoom(browser, server.url, ROOM, 'Cai');
    await giveKey(cai.page, otherKey, 1);
    await waitForMediaFrom(ana.page, [ids['Bea']!]);

    // Cai receives Ana's and Bea's frames but opens none of them.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const before = await Promise.all([ids['Ana']!, ids['Bea']!].map((id) => cameraFramesFrom(cai.page, id)));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = await Promise.all([ids['Ana']!, ids['Bea']!].map((id) => cameraFramesFrom(cai.page, id)));
    assert.deepEqual(after, before, 'no frames decoded with the wrong key');
    const failures = await cai.page.evaluate(() => window.tertulia!.conference.e2eeDecryptFailures());
    for (const name of ['Ana', 'Bea']) assert.ok((failures[ids[name]!] ?? 0) > 10, `decrypt failures counted for ${name}: ${JSON.stringify(failures)}`);

    await giveKey(cai.page, key, 1);
    await waitForMediaFrom(cai.page, [ids['Ana']!, ids['Bea']!]);
    const caiId = await selfId(cai.page);
    await waitForMediaFrom(ana.page, [caiId]);
  });
});

describe('E2EE_CONTROL=everyone: someone who is not a moderator turns it on', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ P2P_ENABLED: '0', E2EE_CONTROL: 'everyone' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('gets the security panel with the encryption switch alone, and the meeting is encrypted for everyone', async () => {
    const ana = await joinRoom(browser, server.url, 'Open-Sealed', 'Ana');
    const bea = await joinRoom(browser, server.url, 'Open-Sealed', 'Bea');
    assert.equal(await bea.page.evaluate(() => window.tertulia!.conference.state.self!.role), 'participant');
    const button = bea.page.getByTestId('moderation');
    assert.equal(await button.getAttribute('aria-label'), 'End-to-end encryption');
    await button.click();
    await bea.page.getByTestId('e2ee-toggle').waitFor();
    assert.equal(await bea.page.getByTestId('lobby-toggle').count(), 0, 'no moderator controls');
    assert.equal(await bea.page.getByTestId('mute-all-audio').count(), 0, 'no moderator controls');
    await bea.page.getByTestId('e2ee-toggle').check();
    for (const attendee of [ana, bea]) await attendee.page.getByTestId('e2ee-indicator').waitFor({ timeout: 10_000 });
  });
});
