import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { RunningServer } from '@tertulia/server';
import { refusal } from '../support/config.js';
import { httpGet } from '../support/http-get.js';
import { startTestServer } from '../support/server.js';

const LISTED = 'https://lms.example.org';

/** The hashed main script of the built client, as index.html names it. */
async function mainScript(serverUrl: string): Promise<string> {
  const html = (await httpGet(`${serverUrl}/`)).body.toString();
  const path = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(path, `no hashed script in index.html: ${html}`);
  return path;
}

const decode = (encoding: unknown, body: Buffer) =>
  encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;

describe('the web client is served like a production web app', () => {
  let server: RunningServer;
  let script: string;

  before(async () => {
    server = await startTestServer({ ALLOWED_EMBEDDERS: `${LISTED}, https://intranet.example.org:8443` });
    script = await mainScript(server.url);
  });
  after(() => server.close());

  it('puts the security headers on pages, assets, the iframe API script, error pages and the health check', async () => {
    for (const path of ['/', '/Team', '/selftest', script, '/external_api.js', '/favicon.svg', '/health', '/no%20such%20room', '/assets/missing.js']) {
      const { status, headers } = await httpGet(`${server.url}${path}`);
      assert.ok(status < 500, `${path}: ${status}`);
      assert.equal(headers['referrer-policy'], 'no-referrer', path);
      assert.equal(headers['x-content-type-options'], 'nosniff', path);
      assert.match(String(headers['content-security-policy']), /^default-src 'none'; script-src 'self';/, path);
      assert.match(String(headers['permissions-policy']), /camera=\(self\), microphone=\(self\), display-capture=\(self\)/, path);
      assert.equal(headers['strict-transport-security'], undefined, `${path}: no HSTS over plain HTTP`);
    }
  });

  it('lets only ALLOWED_EMBEDDERS frame the pages, and tells the page that list', async () => {
    const { headers, body } = await httpGet(`${server.url}/Team`);
    const csp = String(headers['content-security-policy']);
    assert.match(csp, /frame-ancestors https:\/\/lms\.example\.org https:\/\/intranet\.example\.org:8443(;|$)/);
    assert.match(csp, /base-uri 'none'; object-src 'none'; form-action 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(body.toString(), /<meta name="tertulia-allowed-embedders" content="https:\/\/lms\.example\.org https:\/\/intranet\.example\.org:8443" \/>/);
    assert.equal((await httpGet(`${server.url}/index.html`)).status, 404, 'the raw index.html, without the list, is not served');
  });

  it('allows the invalid-room page its inline style by hash, not by unsafe-inline', async () => {
    const { status, headers, body } = await httpGet(`${server.url}/no%20such%20room`);
    assert.equal(status, 400);
    const style = /<style>([\s\S]*?)<\/style>/.exec(body.toString())![1]!;
    const { createHash } = await import('node:crypto');
    const hash = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
    assert.ok(String(headers['content-security-policy']).includes(`style-src 'self' ${hash}`), String(headers['content-security-policy']));
  });

  it('sends the script Brotli- or gzip-compressed from files prepared at build time, plain to clients that take neither', async () => {
    const plain = await httpGet(`${server.url}${script}`);
    assert.equal(plain.headers['content-encoding'], undefined);
    const sizes: Record<string, number> = { identity: plain.body.length };
    for (const [accept, encoding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip;q=0.5', 'gzip'], ['*', 'gzip']] as const) {
      const { headers, body } = await httpGet(`${server.url}${script}`, { headers: { 'accept-encoding': accept } });
      assert.equal(headers['content-encoding'], encoding, accept);
      assert.match(String(headers['content-type']), /javascript/, accept);
      assert.match(String(headers['vary']), /accept-encoding/i, accept);
      assert.ok(decode(encoding, body).equals(plain.body), `${accept}: decodes to the same script`);
      sizes[encoding] = body.length;
    }
    assert.ok(sizes['br']! < sizes['gzip']! && sizes['gzip']! < sizes['identity']! / 2, JSON.stringify(sizes));
    console.log(`main script: ${sizes['identity']} bytes plain, ${sizes['gzip']} gzip, ${sizes['br']} Brotli`);
  });

  it('compresses index.html and external_api.js from memory, by the same negotiation', async () => {
    for (const path of ['/Team', '/external_api.js']) {
      const plain = await httpGet(`${server.url}${path}`);
      assert.equal(plain.headers['content-encoding'], undefined, path);
      for (const encoding of ['br', 'gzip']) {
        const { headers, body } = await httpGet(`${server.url}${path}`, { headers: { 'accept-encoding': encoding } });
        assert.equal(headers['content-encoding'], encoding, path);
        assert.equal(headers['vary'], 'Accept-Encoding', path);
        assert.ok(decode(encoding, body).equals(plain.body), `${path} ${encoding}`);
        assert.notEqual(headers['etag'], plain.headers['etag'], `${path}: each encoding has its own ETag`);
      }
    }
  });

  it('caches hashed assets for a year; pages and external_api.js revalidate with ETag or Last-Modified and get 304', async () => {
    assert.equal((await httpGet(`${server.url}${script}`)).headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await httpGet(`${server.url}/favicon.svg`)).headers['cache-control'], 'no-cache', 'a file without a hash revalidates');
    for (const [path, cacheControl] of [['/', 'no-cache'], ['/Team', 'no-cache'], ['/external_api.js', 'public, max-age=300']] as const) {
      const first = await httpGet(`${server.url}${path}`, { headers: { 'accept-encoding': 'br' } });
      assert.equal(first.status, 200);
      assert.equal(first.headers['cache-control'], cacheControl, path);
      const etag = String(first.headers['etag']);
      const lastModified = String(first.headers['last-modified']);

      const byTag = await httpGet(`${server.url}${path}`, { headers: { 'accept-encoding': 'br', 'if-none-match': `"other", ${etag}` } });
      assert.equal(byTag.status, 304, `${path} If-None-Match`);
      assert.equal(byTag.body.length, 0);
      assert.equal(byTag.headers['etag'], etag);
      const byDate = await httpGet(`${server.url}${path}`, { headers: { 'accept-encoding': 'br', 'if-modified-since': lastModified } });
      assert.equal(byDate.status, 304, `${path} If-Modified-Since`);

      const stale = await httpGet(`${server.url}${path}`, { headers: { 'accept-encoding': 'br', 'if-none-match': '"stale"', 'if-modified-since': lastModified } });
      assert.equal(stale.status, 200, `${path}: a different ETag wins over the date`);
      const otherEncoding = await httpGet(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
      assert.equal(otherEncoding.status, 200, `${path}: the Brotli ETag does not validate a gzip body`);
    }
    const asset = await httpGet(`${server.url}${script}`, { headers: { 'accept-encoding': 'br' } });
    const revalidated = await httpGet(`${server.url}${script}`, { headers: { 'accept-encoding': 'br', 'if-none-match': String(asset.headers['etag']) } });
    assert.equal(revalidated.status, 304, 'static files revalidate too');
  });

  it('believes X-Forwarded-Proto for HSTS only from a trusted proxy (loopback 127.0.0.1 by default)', async () => {
    const viaProxy = await httpGet(`${server.url}/Team`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(viaProxy.headers['strict-transport-security'], 'max-age=31536000');
    const forged = await httpGet(`${server.url}/Team`, { headers: { 'x-forwarded-proto': 'https' }, localAddress: '127.0.0.5' });
    assert.equal(forged.status, 200);
    assert.equal(forged.headers['strict-transport-security'], undefined, '127.0.0.5 is not a trusted proxy');
  });
});

describe('TRUSTED_PROXIES and ALLOWED_EMBEDDERS settings', () => {
  it('default to loopback proxies and any embedder, and take none, addresses, CIDR blocks and origins', async () => {
    const { loadConfig } = await import('@tertulia/server');
    assert.deepEqual(loadConfig({}).TRUSTED_PROXIES, ['127.0.0.1', '::1']);
    assert.deepEqual(loadConfig({}).ALLOWED_EMBEDDERS, ['*']);
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: 'none' }).TRUSTED_PROXIES, []);
    assert.deepEqual(loadConfig({ TRUSTED_PROXIES: '10.0.0.5, 192.168.0.0/16,fd00::/8' }).TRUSTED_PROXIES, ['10.0.0.5', '192.168.0.0/16', 'fd00::/8']);
    assert.deepEqual(loadConfig({ ALLOWED_EMBEDDERS: 'https://a.example, http://localhost:3000' }).ALLOWED_EMBEDDERS, ['https://a.example', 'http://localhost:3000']);
  });

  it('refuse what is not an address, a CIDR block or an origin, with a message saying what is expected', () => {
    assert.match(refusal({ TRUSTED_PROXIES: 'nginx.local' }), /TRUSTED_PROXIES\.0: must be an IP address or a CIDR block/);
    assert.match(refusal({ TRUSTED_PROXIES: '10.0.0.0/33' }), /TRUSTED_PROXIES\.0: must be an IP address or a CIDR block/);
    assert.match(refusal({ ALLOWED_EMBEDDERS: 'https://lms.example.org/' }), /ALLOWED_EMBEDDERS\.0: must be \* or origins such as https:\/\/lms\.example\.org/);
    assert.match(refusal({ ALLOWED_EMBEDDERS: 'lms.example.org' }), /ALLOWED_EMBEDDERS\.0: must be \* or origins/);
    assert.match(refusal({ ALLOWED_EMBEDDERS: 'https://a.example/path' }), /ALLOWED_EMBEDDERS\.0/);
    assert.match(refusal({ ALLOWED_EMBEDDERS: '*, https://a.example' }), /ALLOWED_EMBEDDERS: \* \(anyone\) cannot be combined/);
  });
});
