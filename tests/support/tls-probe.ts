import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsProbe {
  /** The chain verified against the given roots and the name matched. */
  authorized: boolean;
  authorizationError?: string;
  serial?: string;
  notAfter?: string;
  /** The handshake itself failed (refused, reset, no certificate). */
  error?: string;
}

export interface TlsProbeTarget {
  host: string;
  port: number;
  servername: string;
  /** PEM roots to verify against (instead of the public ones). */
  ca: string;
}

/*
 * Runs in the probing namespace (`ip netns exec`), where the test process itself
 * cannot open sockets: one TLS handshake per interval for `seconds`, one JSON line each.
 */
const PROBE_SCRIPT = `
const tls = require('node:tls');
const { host, port, servername, ca, seconds, intervalMs } = JSON.parse(process.argv[1]);
const once = () => new Promise((resolve) => {
  const socket = tls.connect({ host, port, servername, ca: [ca], rejectUnauthorized: false, timeout: 5000 }, () => {
    const cert = socket.getPeerCertificate();
    resolve({ authorized: socket.authorized, authorizationError: socket.authorizationError?.toString(), serial: cert.serialNumber, notAfter: cert.valid_to });
    socket.end();
  });
  socket.on('error', (error) => resolve({ authorized: false, error: error.code ?? error.message }));
  socket.on('timeout', () => { socket.destroy(); resolve({ authorized: false, error: 'timeout' }); });
});
(async () => {
  const until = Date.now() + seconds * 1000;
  do {
    process.stdout.write(JSON.stringify(await once()) + '\\n');
    if (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  } while (Date.now() < until);
})();
`;

/** TLS handshakes from inside `ns` to `target` for `seconds` (one when 0), every `intervalMs`. */
export async function probeTls(ns: string, target: TlsProbeTarget, seconds = 0, intervalMs = 200): Promise<TlsProbe[]> {
  const { stdout } = await run('/usr/sbin/ip', ['netns', 'exec', ns, process.execPath, '-e', PROBE_SCRIPT, JSON.stringify({ ...target, seconds, intervalMs })], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TlsProbe);
}

/** An HTTP(S) GET from inside `ns`: status, headers and body (redirects not followed). */
export async function httpGetIn(
  ns: string,
  url: string,
  options: { host?: string; ca?: string; servername?: string } = {},
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const script = `
const { url, host, ca, servername } = JSON.parse(process.argv[1]);
const client = url.startsWith('https:') ? require('node:https') : require('node:http');
const request = client.get(url, { headers: host ? { host } : {}, ...(ca ? { ca: [ca] } : {}), ...(servername ? { servername } : {}) }, (response) => {
  let body = '';
  response.on('data', (chunk) => (body += chunk));
  response.on('end', () => process.stdout.write(JSON.stringify({ status: response.statusCode, headers: response.headers, body })));
});
request.on('error', (error) => { process.stderr.write(String(error)); process.exit(1); });
`;
  const { stdout } = await run('/usr/sbin/ip', ['netns', 'exec', ns, process.execPath, '-e', script, JSON.stringify({ url, ...options })]);
  return JSON.parse(stdout) as { status: number; headers: Record<string, string>; body: string };
}
