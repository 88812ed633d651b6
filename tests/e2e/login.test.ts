import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { runCli } from '../support/cli.js';
import { PEOPLE, SERVICE_DN, SERVICE_PASSWORD, startSlapd, type Slapd } from '../support/slapd.js';
import { startTestServer } from '../support/server.js';

/** Opens a room and logs in through the dialog: first with a wrong password, then the right one. */
async function logIn(browser: Browser, url: string, room: string, username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${url}/${room}#config.prejoinConfig.enabled=false`);
  await page.getByTestId('login-dialog').waitFor({ timeout: 10_000 });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(`${password}-wrong`);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor({ timeout: 10_000 });
  assert.notEqual(await page.evaluate(() => window.tertulia!.conference.state.connection), 'joined');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 15_000 });
  return page;
}

const self = (page: Page) => page.evaluate(() => window.tertulia!.conference.state.self as { role: string; displayName: string });

describe('logging in from the browser', () => {
  let browser: Browser;
  before(async () => (browser = await launchBrowser()));
  after(() => browser?.close());

  it('internal accounts made with `tertulia user add` log in and host', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tertulia-login-'));
    const server = await startTestServer({ ENABLE_AUTH: '1', AUTH_TYPE: 'internal', DATA_DIR: dataDir });
    try {
      const added = await runCli(['user', 'add', 'marta', '--password-stdin'], { env: { DATA_DIR: dataDir }, cwd: dataDir, input: 'una-clave-larga\n' });
      assert.equal(added.code, 0, added.stderr);
      const page = await logIn(browser, server.url, 'Staff', 'marta', 'una-clave-larga');
      assert.equal((await self(page)).role, 'moderator', 'authenticated users host');
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('LDAP users log in over StartTLS against a real slapd, with their directory name', async () => {
    const slapd: Slapd = await startSlapd([{ uid: 'luis', password: 'directory-pass', cn: 'Luis Pérez', displayName: 'Luis Pérez' }]);
    const server = await startTestServer({
      ENABLE_AUTH: '1',
      AUTH_TYPE: 'ldap',
      LDAP_URL: slapd.url,
      LDAP_BASE: PEOPLE,
      LDAP_BINDDN: SERVICE_DN,
      LDAP_BINDPW: SERVICE_PASSWORD,
      LDAP_START_TLS: '1',
      LDAP_TLS_CHECK_PEER: '1',
      LDAP_TLS_CACERT_FILE: slapd.caFile,
    });
    try {
      const page = await logIn(browser, server.url, 'School', 'luis', 'directory-pass');
      const me = await self(page);
      assert.equal(me.role, 'moderator');
      assert.equal(me.displayName, 'Luis Pérez');
    } finally {
      await server.close();
      await slapd.stop();
    }
  });

  it('sends people without a token to TOKEN_AUTH_URL', async () => {
    const seen: string[] = [];
    const login: Server = createServer((request, response) => {
      seen.push(request.url ?? '');
      response.end('<h1>Company login</h1>');
    });
    await new Promise<void>((resolve) => login.listen(0, '127.0.0.1', resolve));
    const loginUrl = `http://127.0.0.1:${(login.address() as AddressInfo).port}/sso?room={room}`;
    const server = await startTestServer({
      ENABLE_AUTH: '1',
      AUTH_TYPE: 'jwt',
      JWT_APP_ID: 'login-tests',
      JWT_APP_SECRET: 'login-tests-secret-0123456789abcdef',
      TOKEN_AUTH_URL: loginUrl,
    });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${server.url}/Board#config.prejoinConfig.enabled=false`);
      await page.waitForURL(/\/sso\?room=Board$/, { timeout: 10_000 });
      assert.deepEqual(seen.filter((url) => url.startsWith('/sso')), ['/sso?room=Board']);
    } finally {
      await server.close();
      login.close();
    }
  });
});
