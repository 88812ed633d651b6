import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '@tertulia/server';
import { joinRoomIn, launchBrowser } from '../support/browser.js';
import { httpGet } from '../support/http-get.js';
import { startNginx, type Nginx } from '../support/nginx.js';
import { startTestServer } from '../support/server.js';
import { freePort } from '../support/slapd.js';
import { RawClient } from '../support/ws-client.js';

/** The nginx configuration of the README's "Behind nginx instead" section, exactly as written there. */
function readmeNginxConfig(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Behind nginx instead'));
  const block = /```nginx\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README\'s "Behind nginx instead" section has an nginx block');
  return block;
}

/** Replaces each README value by the test's; fails when the README no longer has it, so the two cannot drift apart. */
function substitute(config: string, replacements: Array<[string, string]>): string {
  return replacements.reduce((text, [from, to]) => {
    assert.ok(text.includes(from), `the README's nginx config no longer contains "${from}"`);
    return text.replaceAll(from, to);
  }, config);
}

describe("the README's nginx reverse proxy, with Debian's nginx in front of a real server", () => {
  let server: RunningServer;
  let nginx: Nginx;
  let https: string;
  let http: string;
  const clients: RawClient[] = [];

  before(async () => {
    server = await startTestServer();
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    nginx = await startNginx(
      ({ dir, certificate, key }) =>
        substitute(readmeNginxConfig(), [
          ['listen 80;', `listen 127.0.0.1:${httpPort};`],
          ['listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`],
          ['/etc/letsencrypt/live/meet.example.org/fullchain.pem', certificate],
          ['/etc/letsencrypt/live/meet.example.org/privkey.pem', key],
          ['/var/www/letsencrypt', dir],
          ['http://127.0.0.1:8080', server.url],
        ]),
      [httpPort, httpsPort],
    );
    http = `http://127.0.0.1:${httpPort}`;
    https = `https://127.0.0.1:${httpsPort}`;
  });
  after(async () => {
    for (const client of clients) client.close();
    await nginx?.stop();
    await server?.close();
  });

  /** A signalling connection through nginx (wss://) from `localAddress`. */
  const viaNginx = async (localAddress: string, headers: Record<string, string> = {}) => {
    const client = await RawClient.connect(https, localAddress, { ca: nginx.certificate, headers });
    clients.push(client);
    return client;
  };

  it('redirects plain HTTP to HTTPS', async () => {
    const { status, headers } = await httpGet(`${http}/Team?x=1`);
    assert.equal(status, 301);
    assert.equal(headers['location'], 'https://127.0.0.1/Team?x=1');
  });

  it('serves pages with the security headers and HSTS (the request was HTTPS), compressed, and revalidates with 304', async () => {
    const page = await httpGet(`${https}/Team`, { ca: nginx.certificate, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(page.status, 200);
    assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors \*/);
    assert.equal(page.headers['content-encoding'], 'br');
    const again = await httpGet(`${https}/Team`, { ca: nginx.certificate, headers: { 'accept-encoding': 'br', 'if-none-match': String(page.headers['etag']) } });
    assert.equal(again.status, 304);

    const script = await httpGet(`${https}/external_api.js`, { ca: nginx.certificate, headers: { 'accept-encoding': 'gzip' } });
    assert.equal(script.headers['content-encoding'], 'gzip');
    assert.equal(script.headers['cache-control'], 'public, max-age=300');
  });

  it('carries the signalling WebSocket, and per-address limits follow the client, not nginx; forged X-Forwarded-For is ignored', async () => {
    const host = await viaNginx('127.0.0.1');
    assert.equal((await host.request('join', { room: 'Vault', displayName: 'Host' })).data?.status, 'joined');
    assert.equal((await host.request('setPassword', { password: 's3cret' })).ok, true);

    const guess = async (client: RawClient, attempt: string) =>
      (await client.request('join', { room: 'Vault', displayName: 'Guest', password: attempt })).error?.code;
    // Forging X-Forwarded-For through nginx changes nothing: nginx appends the real address, which the server takes.
    const seven = await viaNginx('127.0.0.7', { 'x-forwarded-for': '203.0.113.9' });
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 6; i++) codes.push(await guess(seven, `guess${i}`));
    assert.deepEqual(codes, [...Array(5).fill('PASSWORD_INCORRECT'), 'RATE_LIMITED'], 'five wrong passwords from 127.0.0.7, then it waits');

    const eight = await viaNginx('127.0.0.8');
    assert.equal(await guess(eight, 'guess'), 'PASSWORD_INCORRECT', '127.0.0.8 has its own allowance, though it came through the same nginx');
    const sevenAgain = await viaNginx('127.0.0.7', { 'x-forwarded-for': '127.0.0.8' });
    assert.equal(await guess(sevenAgain, 'guess'), 'RATE_LIMITED', 'a new connection from 127.0.0.7 is still 127.0.0.7');

    // Straight to the server from 127.0.0.9, not a trusted proxy, claiming to be nginx's 127.0.0.7: not believed.
    const direct = await RawClient.connect(server.url, '127.0.0.9', { headers: { 'x-forwarded-for': '127.0.0.7' } });
    clients.push(direct);
    assert.equal(await guess(direct, 'guess'), 'PASSWORD_INCORRECT');

    assert.equal((await host.request('join', { room: 'Vault', displayName: 'Host' })).error?.code, 'ALREADY_JOINED', 'the host connection stayed open');
  });

  it('lets Chromium open a meeting over https and wss through it', async () => {
    const browser = await launchBrowser();
    try {
      // The certificate is the test's own; what is tested is nginx's proxying, not the trust chain.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const { page } = await joinRoomIn(context, https, 'Proxied', 'Ana');
      assert.equal(await page.evaluate(() => location.protocol), 'https:');
      assert.equal(server.registry.get('proxied')?.size, 1);
    } finally {
      await browser.close();
    }
  });
});
