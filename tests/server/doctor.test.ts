import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI } from '../support/cli.js';
import { startCoturn } from '../support/coturn.js';
import { CLIENT_IP, SERVER_IP, createTestNetwork, setHostsIn, spawnIn, startServerIn, type NamespacedServer, type TestNetwork } from '../support/netns.js';
import { TestCa } from '../support/test-certificates.js';
import { httpGetIn } from '../support/tls-probe.js';

/*
 * `tertulia doctor` on the server machine (the server namespace), against a
 * Tertulia serving HTTPS on 443 with a certificate from a test CA for
 * meet.tertulia.test, which the namespace's /etc/hosts resolves as DNS would.
 * Then one thing at a time is broken the way deployments break: a firewall
 * dropping the HTTPS port, the name pointing at another machine, a media port
 * nothing listens on.
 */
const DOMAIN = 'meet.tertulia.test';
/** The "public address" of the NAT case: the server namespace answers on it, but no interface has it. */
const NAT_IP = '10.201.0.9';

describe('tertulia doctor', { timeout: 90_000 }, () => {
  let network: TestNetwork;
  let dir: string;
  let server: NamespacedServer;
  let settings: Record<string, string>;
  let removeHosts: () => Promise<void>;

  before(async () => {
    network = await createTestNetwork();
    dir = await mkdtemp(join(tmpdir(), 'tertulia-doctor-'));
    const ca = await TestCa.create(dir);
    // Three months, like Let's Encrypt's: far from the renewal warning.
    const certificate = await ca.issue(DOMAIN, [DOMAIN], 90);
    removeHosts = await setHostsIn(network.serverNs, { [DOMAIN]: SERVER_IP });
    settings = {
      PUBLIC_URL: `https://${DOMAIN}`,
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      HTTPS_PORT: '443',
      HTTP_PORT: '80',
      RTC_PORT: '10000',
      RTC_LISTEN_IPS: SERVER_IP,
      MEDIA_WORKERS: '1',
      // The clock is compared with the server's own Date header, so nothing leaves the namespaces.
      LETSENCRYPT_ACME_SERVER: `https://${DOMAIN}/`,
      NODE_EXTRA_CA_CERTS: ca.caFile,
      DATA_DIR: join(dir, 'data'),
    };
    server = await startServerIn(network.serverNs, settings);
  });

  after(async () => {
    await server?.stop();
    await removeHosts?.();
    await network?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The built CLI's `doctor` in the server namespace with `settings` (plus `changes`): exit code and what it printed. */
  async function doctor(changes: Record<string, string> = {}): Promise<{ code: number; output: string }> {
    const run = spawnIn(network.serverNs, [process.execPath, CLI, 'doctor'], { ...settings, ...changes }, dir);
    const [code] = (await once(run.child, 'exit')) as [number];
    return { code, output: run.output() };
  }

  it('answers the instance route as Tertulia', async () => {
    const caPem = await readFile(settings['NODE_EXTRA_CA_CERTS']!, 'utf8');
    const reply = await httpGetIn(network.clientNs, `https://${SERVER_IP}/.well-known/tertulia/instance`, { servername: DOMAIN, ca: caPem });
    assert.equal(reply.status, 200);
    const answer = JSON.parse(reply.body) as { server: string; instance: string };
    assert.equal(answer.server, 'tertulia');
    assert.match(answer.instance, /^[0-9a-f-]{36}$/);
  });

  it('finds nothing wrong with a working deployment', async () => {
    const { code, output } = await doctor();
    assert.equal(code, 0, output);
    assert.doesNotMatch(output, /^[✗!]/m, output);
    assert.match(output, /^✓ DNS: meet\.tertulia\.test resolves to 10\.201\.0\.1 \(this machine\)$/m);
    assert.match(output, /^✓ Port: 443 \(HTTPS_PORT\) at 10\.201\.0\.1 is reachable$/m);
    assert.match(output, /^✓ Port: 80 \(HTTP_PORT\) at 10\.201\.0\.1 is reachable$/m);
    assert.match(output, /^✓ Certificate: for meet\.tertulia\.test from Tertulia test CA, 89 days left/m);
    assert.match(output, /^✓ Media port: 10000 at 10\.201\.0\.1: TCP accepts, UDP is not refused$/m);
    assert.match(output, /^✓ Clock: \d+ s (ahead of|behind) meet\.tertulia\.test$/m);
  });

  it('names the HTTPS port a firewall drops, with the line that opens it', async () => {
    const nft = (...args: string[]) => network.exec(network.serverNs, ['/usr/sbin/nft', ...args]);
    await nft('add', 'table', 'inet', 'tt_doctor');
    await nft('add', 'chain', 'inet', 'tt_doctor', 'input', '{ type filter hook input priority 0 ; }');
    await nft('add', 'rule', 'inet', 'tt_doctor', 'input', 'tcp', 'dport', '443', 'drop');
    try {
      const { code, output } = await doctor();
      assert.equal(code, 1, output);
      assert.match(output, /^✗ Port: 443 \(HTTPS_PORT\) at 10\.201\.0\.1 is unreachable: no answer within 3 s \(a firewall drops it\)$/m);
      assert.match(output, /→ Open TCP port 443 in this machine's firewall: `sudo ufw allow 443\/tcp`, or `sudo nft add rule inet filter input tcp dport 443 accept`/);
      assert.match(output, /^✓ Port: 80 \(HTTP_PORT\)/m);
    } finally {
      await nft('delete', 'table', 'inet', 'tt_doctor');
    }
  });

  it('says where the domain points when it is not this machine, and which record to set', async () => {
    await setHostsIn(network.serverNs, { [DOMAIN]: CLIENT_IP });
    try {
      const { code, output } = await doctor();
      assert.equal(code, 1, output);
      assert.match(
        output,
        /^✗ DNS: meet\.tertulia\.test points elsewhere: it resolves to 10\.201\.0\.2, and 10\.201\.0\.2 is not this machine \(its addresses: 10\.201\.0\.1; no Tertulia answered on port 80 there\)$/m,
      );
      assert.match(output, /→ At your DNS provider, set an A record `meet\.tertulia\.test\. A <this machine's public IPv4 address>` \(one of 10\.201\.0\.1,/);
      // The other machine's ports are none of this deployment's business.
      assert.match(output, /^- Port: the web ports are tried once the domain leads here/m);
      assert.doesNotMatch(output, /10\.201\.0\.2:443|Port: \d+ .* at 10\.201\.0\.2/);
    } finally {
      await setHostsIn(network.serverNs, { [DOMAIN]: SERVER_IP });
    }
  });

  it('accepts a domain that reaches this server through 1:1 NAT (plain HTTP on PORT)', async () => {
    // Like a cloud's 1:1 NAT: traffic to NAT_IP arrives here, yet NAT_IP is on no interface, so only the instance route can tell.
    const plainHttp = { PUBLIC_URL: `http://${DOMAIN}:8080`, PORT: '8080', RTC_PORT: '10001', TLS_CERT_FILE: '', TLS_KEY_FILE: '' };
    const plain = await startServerIn(network.serverNs, { ...settings, ...plainHttp });
    await network.exec(network.serverNs, ['/usr/sbin/ip', 'route', 'add', 'local', NAT_IP, 'dev', 'lo']);
    await setHostsIn(network.serverNs, { [DOMAIN]: NAT_IP });
    try {
      const { code, output } = await doctor(plainHttp);
      assert.equal(code, 0, output);
      assert.match(output, /^✓ DNS: meet\.tertulia\.test resolves to 10\.201\.0\.9 \(10\.201\.0\.9 through NAT: a Tertulia server answered there\)$/m);
      assert.match(output, /^✓ Port: 8080 \(PORT\) at 10\.201\.0\.9 is reachable$/m);
      assert.match(output, /^✓ Media port: 10001 at 10\.201\.0\.1/m);
      assert.doesNotMatch(output, /Certificate/, 'plain HTTP has no certificate to check');
    } finally {
      await setHostsIn(network.serverNs, { [DOMAIN]: SERVER_IP });
      await network.exec(network.serverNs, ['/usr/sbin/ip', 'route', 'del', 'local', NAT_IP, 'dev', 'lo']);
      await plain.stop();
    }
  });

  it('asks each TURN server for this machine\'s address over each transport, and says when one does not answer', async () => {
    const secret = 'doctor-test-turn-secret';
    const turn = { TURN_HOST: SERVER_IP, TURN_PORT: '3478', TURN_TRANSPORT: 'udp,tcp', TURN_CREDENTIALS: secret };
    const coturn = await startCoturn({ secret, ip: SERVER_IP, port: 3478, prefix: ['/usr/sbin/ip', 'netns', 'exec', network.serverNs] });
    try {
      const { code, output } = await doctor(turn);
      assert.equal(code, 0, output);
      assert.match(output, /^✓ TURN: 10\.201\.0\.1:3478 over UDP answers; it sees this machine as 10\.201\.0\.1:\d+$/m);
      assert.match(output, /^✓ TURN: 10\.201\.0\.1:3478 over TCP answers; it sees this machine as 10\.201\.0\.1:\d+$/m);
    } finally {
      await coturn.stop();
    }
    const { code, output } = await doctor(turn);
    assert.equal(code, 1, output);
    assert.match(output, /^✗ TURN: 10\.201\.0\.1:3478 over UDP: refused$/m);
    assert.match(output, /^✗ TURN: 10\.201\.0\.1:3478 over TCP: refused$/m);
    assert.match(output, /→ Is coturn running there \(`systemctl status coturn`\) with listening-port=3478 in turnserver\.conf\?/);
  });

  it('reports a media port nothing listens on, over TCP and UDP', async () => {
    const { code, output } = await doctor({ RTC_PORT: '10050' });
    assert.equal(code, 1, output);
    assert.match(output, /^✗ Media port: 10050 at 10\.201\.0\.1: TCP connection refused .*; UDP refused/m);
    assert.match(output, /→ Open TCP and UDP port 10050 in this machine's firewall: `sudo ufw allow 10050`/);
  });
});
