import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { joinRoom, selfId, waitForMediaFrom } from '../support/browser.js';
import { CLI } from '../support/cli.js';
import { CLIENT_IP, SERVER_IP, createTestNetwork, launchBrowserIn, setHostsIn, spawnIn, startServerIn, type TestNetwork } from '../support/netns.js';
import { startPebble, type PebbleCa } from '../support/pebble.js';
import { httpGetIn, probeTls } from '../support/tls-probe.js';

/*
 * HTTPS from a real ACME CA. Two network namespaces: the server's (Tertulia on the
 * real ports 80 and 443, meet.tertulia.test in its /etc/hosts as a DNS record
 * would put it) and the "internet" (pebble, Let's Encrypt's test CA, whose mock
 * DNS answers every name with the server's address, and the TLS clients).
 * Certificates live 36 s, so renewal comes 24 s after issuance (a third left).
 */
const DOMAIN = 'meet.tertulia.test';
const VALIDITY_SECONDS = 36;

describe('ENABLE_LETSENCRYPT: certificates from a real ACME CA (pebble)', { timeout: 240_000 }, () => {
  let network: TestNetwork;
  let pebble: PebbleCa;
  let root: string;
  let dir: string;
  let removeHosts: () => Promise<void>;

  before(async () => {
    network = await createTestNetwork();
    dir = await mkdtemp(join(tmpdir(), 'tertulia-acme-'));
    removeHosts = await setHostsIn(network.serverNs, { [DOMAIN]: SERVER_IP });
    pebble = await startPebble({ ns: network.clientNs, address: CLIENT_IP, serverAddress: SERVER_IP, validitySeconds: VALIDITY_SECONDS, dir });
    root = await pebble.issuingRoot();
  });

  after(async () => {
    await pebble?.stop();
    await removeHosts?.();
    await network?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const settings = (dataDir: string) => ({
    ENABLE_LETSENCRYPT: '1',
    LETSENCRYPT_DOMAIN: DOMAIN,
    LETSENCRYPT_EMAIL: 'admin@tertulia.test',
    LETSENCRYPT_ACME_SERVER: pebble.directoryUrl,
    // The test CA's API has a certificate of its own CA; Let's Encrypt's is publicly trusted.
    NODE_EXTRA_CA_CERTS: pebble.apiCaFile,
    DATA_DIR: dataDir,
  });
  const target = () => ({ host: SERVER_IP, port: 443, servername: DOMAIN, ca: root });

  it('stops at start with what to do when the domain does not resolve, before asking the CA', async () => {
    const server = spawnIn(network.serverNs, [process.execPath, CLI, 'serve'], {
      ...settings(join(dir, 'data-nodns')),
      LETSENCRYPT_DOMAIN: 'nowhere.tertulia.test',
      MEDIA_WORKERS: '1',
      RTC_PORT: '10000',
      OPS_PORT: '0',
    });
    const [code] = await once(server.child, 'exit');
    assert.equal(code, 1);
    assert.match(server.output(), /LETSENCRYPT_DOMAIN nowhere\.tertulia\.test does not resolve/);
    assert.match(server.output(), /Create a DNS A record for nowhere\.tertulia\.test pointing at this machine's public address \(this machine has 10\.201\.0\.1\)/);
    assert.doesNotMatch(pebble.output(), /nowhere\.tertulia\.test/, 'the CA was never asked');
  });

  it('falls back to TLS-ALPN-01 on the HTTPS port when the CA cannot reach port 80', async (t) => {
    const nft = (...args: string[]) => network.exec(network.serverNs, ['/usr/sbin/nft', ...args]);
    await nft('add', 'table', 'inet', 'tt_close80');
    await nft('add', 'chain', 'inet', 'tt_close80', 'input', '{ type filter hook input priority 0 ; }');
    await nft('add', 'rule', 'inet', 'tt_close80', 'input', 'tcp', 'dport', '80', 'reject', 'with', 'tcp', 'reset');
    try {
      const server = await startServerIn(network.serverNs, { ...settings(join(dir, 'data-alpn')), P2P_ENABLED: '0' });
      try {
        assert.match(server.log(), /the CA could not validate over HTTP \(port 80 closed\?\); trying TLS-ALPN-01/);
        assert.match(server.log(), /"challenge":"tls-alpn-01".*certificate obtained/);
        const [probe] = await probeTls(network.clientNs, target());
        assert.equal(probe!.authorized, true, JSON.stringify(probe));
        t.diagnostic(`obtained over TLS-ALPN-01; serial ${probe!.serial}`);

        // Two people meet at https://meet.tertulia.test/… in a browser that trusts the CA's root as a desktop would.
        const chromium = await launchBrowserIn(network.clientNs, { trustedRoot: root, hosts: { [DOMAIN]: SERVER_IP } });
        try {
          const ana = await joinRoom(chromium.browser, `https://${DOMAIN}`, 'OverHttps', 'Ana');
          const bea = await joinRoom(chromium.browser, `https://${DOMAIN}`, 'OverHttps', 'Bea');
          assert.equal(await ana.page.evaluate(() => window.isSecureContext && location.protocol), 'https:');
          await waitForMediaFrom(ana.page, [await selfId(bea.page)], 30_000);
          await waitForMediaFrom(bea.page, [await selfId(ana.page)], 30_000);
        } finally {
          await chromium.close();
        }
      } finally {
        await server.stop();
      }
    } finally {
      await nft('delete', 'table', 'inet', 'tt_close80');
    }
  });

  it('obtains a certificate over HTTP-01, serves HTTPS with it, redirects HTTP, renews it without a restart and keeps serving when the CA is gone', async (t) => {
    const dataDir = join(dir, 'data-http01');
    const started = Date.now();
    const server = await startServerIn(network.serverNs, settings(dataDir));
    try {
      const readyMs = Date.now() - started;
      t.diagnostic(`start to HTTPS with a certificate from pebble: ${readyMs} ms`);
      assert.match(server.log(), /"challenge":"http-01".*certificate obtained/);
      assert.match(server.log(), /Tertulia is serving meetings at https:\/\/meet\.tertulia\.test\/<room>/);

      const [first] = await probeTls(network.clientNs, target());
      assert.equal(first!.authorized, true, `the served chain verifies against pebble's root: ${JSON.stringify(first)}`);

      const page = await httpGetIn(network.clientNs, `https://${SERVER_IP}/some-room`, { host: DOMAIN, servername: DOMAIN, ca: root });
      assert.equal(page.status, 200);
      assert.match(page.body, /<html/i);
      assert.equal(page.headers['strict-transport-security'], 'max-age=31536000');
      const plain = await httpGetIn(network.clientNs, `http://${SERVER_IP}/some-room?x=1`, { host: DOMAIN });
      assert.equal(plain.status, 301);
      assert.equal(plain.headers['location'], `https://${DOMAIN}/some-room?x=1`);

      // Stored private to the server's user.
      const folder = join(dataDir, 'acme', `${CLIENT_IP}_14000`, DOMAIN);
      for (const file of ['cert.pem', 'key.pem']) assert.equal((await stat(join(folder, file))).mode & 0o777, 0o600, file);
      assert.equal((await stat(folder)).mode & 0o777, 0o700);

      // Handshakes every 200 ms across the renewal: every one succeeds, and the serial changes once.
      const renewalDue = new Date(first!.notAfter!).getTime() - (VALIDITY_SECONDS / 3) * 1000;
      const probes = await probeTls(network.clientNs, target(), Math.max(1, (renewalDue - Date.now()) / 1000 + 6));
      const failed = probes.filter((probe) => !probe.authorized);
      assert.deepEqual(failed, [], 'no handshake fails while the certificate is renewed');
      const serials = [...new Set(probes.map((probe) => probe.serial))];
      assert.equal(serials[0], first!.serial);
      assert.equal(serials.length, 2, `one renewal within the window: ${serials.join(', ')}`);
      assert.match(server.log(), /renewing the certificate/);
      t.diagnostic(`${probes.length} handshakes across the renewal, none failed; serial ${serials[0]} → ${serials[1]}`);

      // The CA goes away: the next renewal fails, is logged, and the current certificate keeps serving.
      await pebble.stop();
      const renewed = probes.at(-1)!;
      const nextDue = new Date(renewed.notAfter!).getTime() - (VALIDITY_SECONDS / 3) * 1000;
      await waitUntil(() => /certificate renewal failed, still serving the current certificate/.test(server.log()), nextDue - Date.now() + 10_000);
      assert.match(server.log(), /the ACME CA is unreachable \(ECONNREFUSED\)/);
      const [during] = await probeTls(network.clientNs, target());
      assert.equal(during!.authorized, true, JSON.stringify(during));
      assert.equal(during!.serial, renewed.serial);
    } finally {
      await server.stop();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
