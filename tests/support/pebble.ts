import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnIn, type NamespacedProcess } from './netns.js';
import { TestCa } from './test-certificates.js';
import { httpGetIn } from './tls-probe.js';

export interface PebbleCa {
  /** The ACME directory URL to give Tertulia (LETSENCRYPT_ACME_SERVER). */
  readonly directoryUrl: string;
  /** Trust this for the ACME API's own HTTPS (NODE_EXTRA_CA_CERTS). */
  readonly apiCaFile: string;
  /** The root pebble signs certificates with (made anew each start). */
  issuingRoot(): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

export interface PebbleOptions {
  /** The namespace pebble runs in and its address there. */
  ns: string;
  address: string;
  /** What every A query answers: where the validating CA finds the server. */
  serverAddress: string;
  /** Lifetime of issued certificates (Let's Encrypt: 90 days). */
  validitySeconds: number;
  dir: string;
}

/**
 * Let's Encrypt's test CA (Debian's pebble) with its mock DNS server
 * (pebble-challtestsrv) answering every name with the server's address. Validation
 * is real: pebble connects to port 80 (HTTP-01) or 443 (TLS-ALPN-01) of that address.
 */
export async function startPebble({ ns, address, serverAddress, validitySeconds, dir }: PebbleOptions): Promise<PebbleCa> {
  const ca = await TestCa.create(dir);
  const listener = await ca.issue('pebble', [address]);
  const config = join(dir, 'pebble-config.json');
  await writeFile(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `${address}:14000`,
        managementListenAddress: `${address}:15000`,
        certificate: listener.certFile,
        privateKey: listener.keyFile,
        httpPort: 80,
        tlsPort: 443,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
        certificateValidityPeriod: validitySeconds,
      },
    }),
  );
  const processes: NamespacedProcess[] = [];
  const stopAll = async () => {
    for (const started of processes.reverse()) await started.stop();
  };
  try {
    const dns = spawnIn(ns, ['pebble-challtestsrv', '-defaultIPv4', serverAddress, '-defaultIPv6', '', '-dns01', '127.0.0.1:8053', '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', '127.0.0.1:8055'], {});
    processes.push(dns);
    await dns.waitForOutput('Starting management server', 'pebble-challtestsrv');
    // No artificial validation delays, no rejected nonces and a fresh validation each order, so renewals really validate.
    const pebble = spawnIn(ns, ['pebble', '-config', config, '-dnsserver', '127.0.0.1:8053'], { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' });
    processes.push(pebble);
    await pebble.waitForOutput('ACME directory available', 'pebble');
    return {
      directoryUrl: `https://${address}:14000/dir`,
      apiCaFile: ca.caFile,
      output: () => pebble.output(),
      async issuingRoot() {
        return (await httpGetIn(ns, `https://${address}:15000/roots/0`, { ca: await readFile(ca.caFile, 'utf8') })).body;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
