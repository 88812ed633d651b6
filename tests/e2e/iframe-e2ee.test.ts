import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Server } from 'node:http';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { inboundStats, launchBrowser, waitForMediaFrom } from '../support/browser.js';
import { startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';

const ROOM = 'SealedByTheApp';
const PASSPHRASE = 'correct horse battery staple';
const OTHER_KEY = 'f0'.repeat(16);
const NEW_KEY = Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

interface Embedded {
  host: Page;
  frame: Frame;
  id: string;
}

/**
 * End-to-end encryption with keys the embedding application manages, through Jitsi's
 * iframe API: the e2eeKey option, toggleE2EE and setMediaEncryptionKey. Peer to peer is
 * off, so every frame goes through the server.
 */
describe('iframe API: end-to-end encryption with the application’s keys', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let ana: Embedded, bea: Embedded, cai: Embedded;

  /** Opens the embedding page for `name`, with the e2eeKey option and configOverwrite keys when given. */
  const open = async (name: string, { e2eeKey, config }: { e2eeKey?: string; config?: object }): Promise<Embedded> => {
    const host = await (await browser.newContext({ viewport: { width: 1000, height: 700 } })).newPage();
    const options = `${e2eeKey ? `&e2eeKey=${encodeURIComponent(e2eeKey)}` : ''}${config ? `&config=${encodeURIComponent(JSON.stringify(config))}` : ''}`;
    await host.goto(`${site.url}/?room=${ROOM}&name=${name}&domain=${new URL(server.url).host}&noSSL${options}`);
    const { id } = await waitForEvent(host, 'videoConferenceJoined', () => true, 60_000);
    const frame = host.frames().find((f) => f.url().startsWith(server.url))!;
    return { host, frame, id };
  };
  const giveNewKey = (at: Embedded) =>
    at.host.evaluate(async (bytes) => {
      const key = await crypto.subtle.importKey('raw', new Uint8Array(bytes), 'AES-GCM', true, ['encrypt', 'decrypt']);
      await (window as any).api.setMediaEncryptionKey({ key, index: 1 });
    }, NEW_KEY);
  const cameraFrames = (at: Embedded, from: Embedded) =>
    inboundStats(at.frame).then((stats) => stats.find((s) => s.participantId === from.id && s.source === 'camera')?.framesDecoded ?? 0);

  before(async () => {
    server = await startTestServer({ P2P_ENABLED: '0' });
    site = await startHostSite(server.url);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('two participants given the same passphrase (e2eeKey) decode each other once a moderator turns E2EE on (toggleE2EE)', async () => {
    ana = await open('Ana', { e2eeKey: PASSPHRASE });
    await ana.host.evaluate(() => (window as any).api.toggleE2EE(true));
    await ana.frame.waitForFunction(() => window.tertulia!.conference.state.room?.e2ee === true);
    bea = await open('Bea', { e2eeKey: PASSPHRASE });
    await waitForMediaFrom(ana.frame, [bea.id]);
    await waitForMediaFrom(bea.frame, [ana.id]);
  });

  it('a third participant with another key decodes neither of them, and decrypt failures are counted', async () => {
    cai = await open('Cai', { e2eeKey: OTHER_KEY });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const before = await Promise.all([cameraFrames(cai, ana), cameraFrames(cai, bea)]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.deepEqual(await Promise.all([cameraFrames(cai, ana), cameraFrames(cai, bea)]), before, 'no frames decoded with the wrong key');
    const failures = await cai.frame.evaluate(() => window.tertulia!.conference.e2eeDecryptFailures());
    for (const from of [ana, bea]) assert.ok((failures[from.id] ?? 0) > 10, `failures counted: ${JSON.stringify(failures)}`);
    await waitForMediaFrom(ana.frame, [bea.id]);
  });

  it('everyone decodes everyone after each is given a new key at a new index (setMediaEncryptionKey)', async () => {
    for (const each of [ana, bea, cai]) await giveNewKey(each);
    await waitForMediaFrom(cai.frame, [ana.id, bea.id]);
    await waitForMediaFrom(ana.frame, [bea.id, cai.id]);
    await waitForMediaFrom(bea.frame, [ana.id, cai.id]);
  });

  it('with e2ee.externallyManagedKey, a newcomer sends nothing until the application gives it the key', async () => {
    const dan = await open('Dan', { config: { e2ee: { externallyManagedKey: true } } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(await cameraFrames(ana, dan), 0);
    const failures = await ana.frame.evaluate(() => window.tertulia!.conference.e2eeDecryptFailures());
    assert.equal(failures[dan.id] ?? 0, 0, 'no frame under a key of its own made: nothing reached Ana');
    await giveNewKey(dan);
    await waitForMediaFrom(ana.frame, [dan.id]);
    await waitForMediaFrom(dan.frame, [ana.id, bea.id, cai.id]);
    await dan.host.context().close();
  });

  it('refuses toggleE2EE from someone who is not a moderator, with errorOccurred', async () => {
    await bea.host.evaluate(() => (window as any).api.toggleE2EE(false));
    const error = await waitForEvent(bea.host, 'errorOccurred', (data) => data.error?.name === 'FORBIDDEN');
    assert.match(error.error.message, /toggleE2EE/);
    assert.equal(await ana.frame.evaluate(() => window.tertulia!.conference.state.room?.e2ee), true);
  });
});
