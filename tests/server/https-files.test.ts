import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:https';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { runCli } from '../support/cli.js';
import { refusal } from '../support/config.js';
import { startTestServer } from '../support/server.js';
import { TestCa, type TestCertificate } from '../support/test-certificates.js';

/** One handshake with `url`'s host, trusting only the test CA: the serial it was served (or the error). */
function servedSerial(url: string, ca: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), servername: 'localhost', ca: [ca] }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('TLS_CERT_FILE/TLS_KEY_FILE: certificates from elsewhere', { timeout: 60_000 }, () => {
  let dir: string;
  let ca: TestCa;
  let caPem: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-tls-files-'));
    ca = await TestCa.create(dir);
    caPem = await readFile(ca.caFile, 'utf8');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Replaces the served files the way certbot and friends do: new file, then rename over the old. */
  async function install(live: TestCertificate, from: TestCertificate, only?: 'cert'): Promise<void> {
    await writeFile(`${live.certFile}.new`, await readFile(from.certFile));
    await rename(`${live.certFile}.new`, live.certFile);
    if (only === 'cert') return;
    await writeFile(`${live.keyFile}.new`, await readFile(from.keyFile));
    await rename(`${live.keyFile}.new`, live.keyFile);
  }

  async function serialWithin(url: string, expected: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    let served = '';
    while (Date.now() < deadline) {
      served = await servedSerial(url, caPem);
      if (served === expected) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(served, expected, `the new certificate is served within ${ms} ms`);
  }

  it('serves HTTPS and WebSockets with the files and swaps to new files without a restart, skipping a half-written pair', async () => {
    const first = await ca.issue('first', ['localhost']);
    const second = await ca.issue('second', ['localhost']);
    const third = await ca.issue('third', ['localhost']);
    const live = { certFile: join(dir, 'live-cert.pem'), keyFile: join(dir, 'live-key.pem') };
    await install(live, first);
    const serialOf = async (certificate: TestCertificate) => new X509Certificate(await readFile(certificate.certFile)).serialNumber;

    const server = await startTestServer({ TLS_CERT_FILE: live.certFile, TLS_KEY_FILE: live.keyFile, HTTPS_PORT: '0', HTTP_PORT: '0' });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await servedSerial(server.url, caPem), await serialOf(first));
      const page = await fetchPage(server.url, caPem);
      assert.equal(page.status, 200);
      assert.equal(page.hsts, 'max-age=31536000');

      const socket = new WebSocket(`${server.url.replace('https', 'wss')}/ws`, { ca: caPem, servername: 'localhost' } as WebSocket.ClientOptions);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.close();

      await install(live, second);
      await serialWithin(server.url, await serialOf(second), 3000);

      // The certificate arrives before its key: the mismatched pair is not served, the previous one is.
      await install(live, third, 'cert');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await servedSerial(server.url, caPem), await serialOf(second));
      await install(live, third);
      await serialWithin(server.url, await serialOf(third), 3000);
    } finally {
      await server.close();
    }
  });

  it('refuses to start with files that are not a usable pair, saying which', async () => {
    const one = await ca.issue('one', ['localhost']);
    const other = await ca.issue('other', ['localhost']);
    await assert.rejects(startTestServer({ TLS_CERT_FILE: one.certFile, TLS_KEY_FILE: other.keyFile, HTTPS_PORT: '0', HTTP_PORT: '0' }), /the private key does not belong to the certificate/);
    await assert.rejects(startTestServer({ TLS_CERT_FILE: join(dir, 'missing.pem'), TLS_KEY_FILE: one.keyFile, HTTPS_PORT: '0', HTTP_PORT: '0' }), /cannot read TLS_CERT_FILE .*missing\.pem/);
    assert.match(refusal({ TLS_CERT_FILE: one.certFile }), /set both TLS_CERT_FILE .* and TLS_KEY_FILE/);
    assert.match(refusal({ ENABLE_LETSENCRYPT: '1' }), /ENABLE_LETSENCRYPT=1 needs LETSENCRYPT_DOMAIN/);
    assert.match(refusal({ DISABLE_HTTPS: '1', TLS_CERT_FILE: one.certFile, TLS_KEY_FILE: one.keyFile }), /DISABLE_HTTPS=1 contradicts/);
  });

  it('says how to bind ports below 1024 without root when it cannot', async () => {
    const pair = await ca.issue('unprivileged', ['localhost']);
    await chmod(dir, 0o755);
    for (const file of [pair.certFile, pair.keyFile]) await chmod(file, 0o644);
    const result = await runCli(['serve'], {
      cwd: dir,
      asUser: 'nobody',
      env: { TLS_CERT_FILE: pair.certFile, TLS_KEY_FILE: pair.keyFile, HTTPS_PORT: '443', HTTP_PORT: '80', HOST: '127.0.0.1', MEDIA_WORKERS: '1', RTC_PORT: '0', OPS_PORT: '0', DATA_DIR: join(dir, 'data') },
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /cannot bind port 80 \(HTTP_PORT\): ports below 1024 need root or the CAP_NET_BIND_SERVICE capability/);
    assert.match(result.stderr, /sudo npx tertulia install-service|setcap cap_net_bind_service=\+ep/);
  });
});

async function fetchPage(url: string, ca: string): Promise<{ status: number; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(`${url}/a-room`, { ca: [ca], servername: 'localhost' }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, hsts: response.headers['strict-transport-security'] });
    }).on('error', reject);
  });
}
