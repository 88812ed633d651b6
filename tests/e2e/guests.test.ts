import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser, selfId, waitForMediaFrom } from '../support/browser.js';
import { startTestServer } from '../support/server.js';

const APP_ID = 'tertulia-tests';
const SECRET = 'a-long-random-secret-for-the-guest-tests';

/** A Jitsi-format token signed by an independent library, as an integrator's backend would. */
function token(room: string, name: string, moderator: boolean): string {
  return jwt.sign({ iss: APP_ID, aud: APP_ID, sub: '*', room, context: { user: { id: name.toLowerCase(), name, moderator } } }, SECRET, {
    algorithm: 'HS256',
    expiresIn: '10m',
  });
}

describe('guests wait for the host (JWT + ENABLE_GUESTS), in real Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({
      ENABLE_AUTH: '1',
      ENABLE_GUESTS: '1',
      AUTH_TYPE: 'jwt',
      JWT_APP_ID: APP_ID,
      JWT_APP_SECRET: SECRET,
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('holds a guest on "waiting for the host" and lets them in by itself when the host arrives', async () => {
    const guestContext = await browser.newContext();
    const guest = await guestContext.newPage();
    await guest.goto(`${server.url}/Classroom#config.prejoinConfig.enabled=false&userInfo.displayName="Pupil"`);
    await guest.getByTestId('waiting-host').waitFor({ timeout: 10_000 });
    assert.equal(server.registry.get('classroom')?.size ?? 0, 0, 'a waiting guest is not in the meeting');

    const hostContext = await browser.newContext();
    const host = await hostContext.newPage();
    await host.goto(`${server.url}/Classroom?jwt=${token('classroom', 'Teacher', true)}#config.prejoinConfig.enabled=false`);
    await host.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 15_000 });
    const hostState = await host.evaluate(() => window.tertulia!.conference.state.self);
    assert.equal(hostState.role, 'moderator', 'the token says moderator');
    assert.equal(hostState.displayName, 'Teacher', 'the name comes from the token');

    await guest.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 10_000 });
    assert.equal(await guest.evaluate(() => window.tertulia!.conference.state.self.role), 'guest');
    await waitForMediaFrom(guest, [await selfId(host)]);
    await waitForMediaFrom(host, [await selfId(guest)]);
  });

  it('refuses a forged token and asks to log in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const forged = jwt.sign({ iss: APP_ID, aud: APP_ID, room: '*', context: { user: { name: 'Mallory', moderator: true } } }, 'not-the-secret-at-all-no', {
      algorithm: 'HS256',
    });
    await page.goto(`${server.url}/Classroom?jwt=${forged}#config.prejoinConfig.enabled=false`);
    await page.getByTestId('login-dialog').waitFor({ timeout: 10_000 });
    assert.notEqual(await page.evaluate(() => window.tertulia!.conference.state.connection), 'joined');
    assert.ok(!(server.registry.get('classroom')?.participants() ?? []).some((p) => p.displayName === 'Mallory'));
  });
});
