import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import type { HttpsMode } from '../config.js';
import { ok, problem, warning, type CheckResult } from './check-result.js';
import { PROBE_TIMEOUT_MS } from './tcp-probe.js';

const CHECK = 'Certificate';
/** Let's Encrypt renews with 30 days left; under 14 renewal has been failing for two weeks. */
const WARN_DAYS = 14;
const DAY_MS = 86_400_000;

type Handshake = { cert: PeerCertificate; authorizationError: string | undefined } | { error: string };

/** The certificate served at address:port for `domain`: trusted (Node's CAs and NODE_EXTRA_CA_CERTS), for that name, and not about to expire. */
export async function certificateCheck(address: string, port: number, domain: string, mode: HttpsMode): Promise<CheckResult> {
  const handshake = await tlsHandshake(address, port, domain);
  if ('error' in handshake) {
    return problem(CHECK, `no TLS handshake with ${address}:${port} as ${domain}: ${handshake.error}`, [
      'Check the port line above and the `tertulia serve` log (a certificate that could not be obtained or read is logged there).',
    ]);
  }
  const { cert, authorizationError } = handshake;
  const issuer = cert.issuer.O ?? cert.issuer.CN ?? 'an unnamed issuer';
  const daysLeft = Math.floor((Date.parse(cert.valid_to) - Date.now()) / DAY_MS);
  const renew =
    mode.kind === 'acme'
      ? 'Let\'s Encrypt renewal is failing: the `tertulia serve` log says why (often DNS, or port 80 blocked).'
      : `Renew the certificate and replace TLS_CERT_FILE and TLS_KEY_FILE${mode.kind === 'files' ? ` (${mode.certFile})` : ''}; Tertulia picks the new files up by itself.`;
  if (authorizationError === 'CERT_HAS_EXPIRED') return problem(CHECK, `expired on ${cert.valid_to} (issuer ${issuer})`, [renew]);
  if (authorizationError !== undefined) {
    return problem(CHECK, `not trusted: ${authorizationError} (issuer ${issuer})`, [
      mode.kind === 'acme'
        ? 'A staging certificate (LETSENCRYPT_USE_STAGING=1) is never trusted; turn staging off once the setup works.'
        : 'TLS_CERT_FILE must hold the full chain: the certificate first, then the intermediate certificates (fullchain.pem, not cert.pem).',
      'A private CA must be trusted by every browser; a public one (Let\'s Encrypt: ENABLE_LETSENCRYPT=1) needs no such step.',
    ]);
  }
  const identity = checkServerIdentity(domain, cert);
  if (identity !== undefined) {
    return problem(CHECK, `is not for ${domain}: ${identity.message}`, [
      `Get a certificate whose names include ${domain}, or set PUBLIC_URL to the name the certificate is for.`,
    ]);
  }
  const summary = `for ${domain} from ${issuer}, ${daysLeft} day${daysLeft === 1 ? '' : 's'} left (until ${cert.valid_to})`;
  return daysLeft < WARN_DAYS ? warning(CHECK, `${summary}: renewal is due`, [renew]) : ok(CHECK, summary);
}

function tlsHandshake(host: string, port: number, servername: string): Promise<Handshake> {
  return new Promise((resolve) => {
    // Not rejected here, so an untrusted certificate can still be described.
    const socket = connect({ host, port, servername, rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve({ cert, authorizationError: socket.authorized ? undefined : String(socket.authorizationError) });
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve({ error: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}
