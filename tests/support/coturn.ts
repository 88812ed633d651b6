import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './slapd.js';

const run = promisify(execFile);

export const COTURN_REALM = 'tertulia.test';

export interface CoturnOptions {
  /** coturn's static-auth-secret. */
  secret: string;
  /** Address to listen and relay on; default 127.0.0.1. */
  ip?: string;
  /** TURN port (UDP and TCP); default a free loopback port. */
  port?: number;
  /** Runs coturn through this command (e.g. `ip netns exec <ns>`). */
  prefix?: string[];
  /** Also TURN over TLS on this port, with a throw-away self-signed certificate. */
  tlsPort?: number;
}

export interface Coturn {
  readonly ip: string;
  readonly port: number;
  /** The TLS port, when started with one. */
  readonly tlsPort: number | undefined;
  readonly secret: string;
  /** Everything coturn logged so far (verbose: one line per refused or accepted request). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real coturn (Debian's `turnserver`) in the foreground with its own config file,
 * configured the way the README's deployment is (seed 002): use-auth-secret with a
 * static-auth-secret, a realm, fingerprints, a relay port range. For a test it
 * listens on one address and a free port, relays only on that address, allows
 * loopback peers (the media server is on 127.0.0.1 here), has no CLI, no TLS/DTLS,
 * and keeps its pid file, database and log in a temporary folder.
 */
export async function startCoturn(options: CoturnOptions): Promise<Coturn> {
  const dir = await mkdtemp(join(tmpdir(), 'tertulia-coturn-'));
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  // A relay range of its own per run, away from the ports the kernel hands out for ephemeral use.
  const minPort = 20000 + Math.floor(Math.random() * 100) * 200;
  const config = [
    `listening-ip=${ip}`,
    `relay-ip=${ip}`,
    `listening-port=${port}`,
    `min-port=${minPort}`,
    `max-port=${minPort + 199}`,
    `realm=${COTURN_REALM}`,
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    'fingerprint',
    ...(options.tlsPort
      ? [`tls-listening-port=${options.tlsPort}`, `cert=${join(dir, 'cert.pem')}`, `pkey=${join(dir, 'key.pem')}`, 'no-dtls', 'no-tlsv1', 'no-tlsv1_1']
      : ['no-tls', 'no-dtls']),
    'allow-loopback-peers',
    'no-multicast-peers',
    'no-cli',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
    'log-file=stdout',
    'simple-log',
    'verbose',
  ];
  if (options.tlsPort) {
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=turn.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  }
  const file = join(dir, 'turnserver.conf');
  await writeFile(file, `${config.join('\n')}\n`);
  const [command, ...args] = [...(options.prefix ?? []), '/usr/bin/turnserver', '-c', file];
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const ready = `TCP listener opened on : ${ip}:${port}`;
  const deadline = Date.now() + 15_000;
  while (!output.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`turnserver exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`turnserver did not listen on ${ip}:${port} within 15 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    ip,
    port,
    tlsPort: options.tlsPort,
    secret: options.secret,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface AllocationResult {
  ok: boolean;
  /** turnutils_uclient's output and what coturn logged meanwhile. */
  output: string;
}

/**
 * Tries one TURN allocation with coturn's own test client, `turnutils_uclient`
 * (client-to-client mode, so it needs no peer). Success is read from coturn's log
 * ("ALLOCATE processed, success" for this username): over TLS the client keeps
 * going after the allocation, so its exit says little.
 */
export async function tryAllocation(coturn: Coturn, username: string, password: string, transport: 'udp' | 'tcp' | 'tls' = 'udp'): Promise<AllocationResult> {
  // Now and then a TLS handshake between turnutils_uclient and coturn 4.6.1 stalls before any
  // TURN message (seen with valid credentials too); a stalled try proves nothing, so try again.
  let result = await allocateOnce(coturn, username, password, transport);
  for (let retry = 0; transport === 'tls' && !result.ok && !result.output.includes(`user <${username}>: incoming packet message processed, error 401`) && retry < 5; retry++) {
    result = await allocateOnce(coturn, username, password, transport);
  }
  return result;
}

async function allocateOnce(coturn: Coturn, username: string, password: string, transport: 'udp' | 'tcp' | 'tls'): Promise<AllocationResult> {
  const port = transport === 'tls' ? coturn.tlsPort! : coturn.port;
  const how = transport === 'tcp' ? ['-t'] : transport === 'tls' ? ['-t', '-S'] : [];
  const args = ['-u', username, '-w', password, '-p', String(port), '-y', '-n', '1', '-m', '1', '-l', '100', ...how, coturn.ip];
  const logBefore = coturn.log().length;
  let output: string;
  try {
    const { stdout, stderr } = await run('/usr/bin/turnutils_uclient', args, { timeout: 8_000 });
    output = stdout + stderr;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    output = `${failure.stdout ?? ''}${failure.stderr ?? ''}${failure.message}`;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const logged = coturn.log().slice(logBefore);
  return { ok: logged.includes(`user <${username}>: incoming packet ALLOCATE processed, success`), output: `${output}\n--- coturn:\n${logged}` };
}
