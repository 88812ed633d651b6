import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser.js';

const run = promisify(execFile);
const IP = '/usr/sbin/ip';
const NFT = '/usr/sbin/nft';
const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/*
 * A two-host test network made of network namespaces this test creates and removes:
 * a "server" namespace and a "client" namespace joined by a veth pair, with
 * private addresses that exist only inside them (10.201.0.1 for the server,
 * 10.201.0.2 for the client; IPv6 off). Nothing is routed to or from the machine's
 * own namespace, so no test traffic leaves these two namespaces. The client's
 * firewall (nftables, in the client namespace only) can then drop UDP to the
 * server, the way an office firewall would.
 */

export const SERVER_IP = '10.201.0.1';
export const CLIENT_IP = '10.201.0.2';

export interface TestNetwork {
  readonly serverNs: string;
  readonly clientNs: string;
  /** Drops every UDP packet from the client namespace to the server (nftables in the client namespace). */
  blockClientUdp(): Promise<void>;
  /** Drops `percent` % of the UDP packets between the client namespace and the server, each way, at random: a lossy link. */
  loseClientUdp(percent: number): Promise<void>;
  /** Runs `command` inside `ns`. */
  exec(ns: string, command: string[]): Promise<string>;
  /** Removes both namespaces (and with them the veth pair and the firewall). */
  close(): Promise<void>;
}

export async function createTestNetwork(): Promise<TestNetwork> {
  const serverNs = `tt${process.pid}s`;
  const clientNs = `tt${process.pid}c`;
  const ip = (...args: string[]) => run(IP, args);
  const inNs = async (ns: string, command: string[]) => (await run(IP, ['netns', 'exec', ns, ...command])).stdout;
  await removeLeftovers();

  await ip('netns', 'add', serverNs);
  await ip('netns', 'add', clientNs);
  try {
    for (const ns of [serverNs, clientNs]) {
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      // IPv6 off (no link-local chatter on the veth); /proc/sys/net inside `ip netns exec` is the namespace's own.
      await inNs(ns, ['/bin/sh', '-c', 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 && echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6']);
    }
    // Made inside the server namespace, the peer end moved straight into the client namespace.
    await ip('-n', serverNs, 'link', 'add', 'veth-s', 'type', 'veth', 'peer', 'name', 'veth-c', 'netns', clientNs);
    await ip('-n', serverNs, 'addr', 'add', `${SERVER_IP}/30`, 'dev', 'veth-s');
    await ip('-n', clientNs, 'addr', 'add', `${CLIENT_IP}/30`, 'dev', 'veth-c');
    await ip('-n', serverNs, 'link', 'set', 'veth-s', 'up');
    await ip('-n', clientNs, 'link', 'set', 'veth-c', 'up');
  } catch (error) {
    for (const ns of [serverNs, clientNs]) await ip('netns', 'del', ns).catch(() => undefined);
    throw error;
  }

  return {
    serverNs,
    clientNs,
    exec: inNs,
    async blockClientUdp() {
      await loadRules(
        clientNs,
        `table inet tertulia_test {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr ${SERVER_IP} meta l4proto udp counter drop
  }
}
`,
      );
    },
    // The kernel here has no netem qdisc; nftables' random numbers drop just as well.
    async loseClientUdp(percent) {
      const drop = `meta l4proto udp numgen random mod 100 < ${Math.round(percent)} counter drop`;
      await loadRules(
        clientNs,
        `table inet tertulia_loss {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr ${SERVER_IP} ${drop}
  }
  chain input {
    type filter hook input priority 0; policy accept;
    ip saddr ${SERVER_IP} ${drop}
  }
}
`,
      );
    },
    async close() {
      for (const ns of [clientNs, serverNs]) {
        await ip('netns', 'del', ns).catch(() => undefined);
        await rm(join('/etc/netns', ns), { recursive: true, force: true });
      }
    },
  };
}

export interface TestLan {
  /** Each host's namespace and address, by the name it was asked for. */
  readonly hosts: Record<string, { ns: string; ip: string }>;
  close(): Promise<void>;
}

/**
 * Several hosts on one private Ethernet segment, as machines of a deployment would be:
 * a namespace per host, each with a veth pair whose other end is plugged into a Linux
 * bridge in a hub namespace. Addresses 10.202.0.<10 + i>/24 exist only in there.
 */
export async function createTestLan(names: string[]): Promise<TestLan> {
  const prefix = `tt${process.pid}`;
  const hub = `${prefix}hub`;
  const ip = (...args: string[]) => run(IP, args);
  await removeLeftovers();
  const created: string[] = [];
  const hosts: Record<string, { ns: string; ip: string }> = {};
  try {
    await ip('netns', 'add', hub);
    created.push(hub);
    await ip('-n', hub, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', hub, 'link', 'set', 'br0', 'up');
    for (const [index, name] of names.entries()) {
      const ns = `${prefix}h${index}`;
      const address = `10.202.0.${10 + index}`;
      await ip('netns', 'add', ns);
      created.push(ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await run(IP, ['netns', 'exec', ns, '/bin/sh', '-c', 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 && echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6']);
      await ip('-n', hub, 'link', 'add', `p${index}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', hub, 'link', 'set', `p${index}`, 'master', 'br0');
      await ip('-n', hub, 'link', 'set', `p${index}`, 'up');
      await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      hosts[name] = { ns, ip: address };
    }
  } catch (error) {
    for (const ns of created) await ip('netns', 'del', ns).catch(() => undefined);
    throw error;
  }
  return {
    hosts,
    async close() {
      for (const ns of created.reverse()) {
        const { stdout: pids } = await run(IP, ['netns', 'pids', ns]).catch(() => ({ stdout: '' }));
        for (const inside of pids.split(/\s+/).filter(Boolean)) {
          try {
            process.kill(Number(inside), 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        await ip('netns', 'del', ns).catch(() => undefined);
      }
    },
  };
}

/** Loads an nftables ruleset into `ns`. */
async function loadRules(ns: string, rules: string): Promise<void> {
  const child = spawn(IP, ['netns', 'exec', ns, NFT, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin!.end(rules);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`nft failed (${code}): ${stderr}`);
}

/** Namespaces of earlier test runs that were killed before they could clean up: their processes, then the namespaces. */
async function removeLeftovers(): Promise<void> {
  const { stdout } = await run(IP, ['netns', 'list']).catch(() => ({ stdout: '' }));
  for (const [, name, pid] of stdout.matchAll(/^(tt(\d+)[a-z][a-z0-9]*)\b/gm)) {
    if (Number(pid) !== process.pid && processAlive(Number(pid))) continue;
    const { stdout: pids } = await run(IP, ['netns', 'pids', name!]).catch(() => ({ stdout: '' }));
    for (const inside of pids.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(inside), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await run(IP, ['netns', 'del', name!]).catch(() => undefined);
    await rm(join('/etc/netns', name!), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface NamespacedServer {
  /** http://10.201.0.1:<port>, reachable from both namespaces. */
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

/** Runs `tertulia serve` (the built CLI) inside `ns` with only `env` as its settings; resolves once it is ready. */
export async function startServerIn(ns: string, env: Record<string, string>): Promise<NamespacedServer> {
  const settings = {
    PORT: '8080',
    HOST: '0.0.0.0',
    RTC_PORT: '10000',
    RTC_LISTEN_IPS: SERVER_IP,
    MEDIA_WORKERS: '1',
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    LOG_LEVEL: 'info',
    ...env,
  };
  const cwd = await mkdtemp(join(tmpdir(), 'tertulia-netns-'));
  const server = spawnIn(ns, [process.execPath, CLI, 'serve'], settings, cwd);
  try {
    await server.waitForOutput('Tertulia is ready', 'tertulia serve');
  } catch (error) {
    await rm(cwd, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://${SERVER_IP}:${settings.PORT}`,
    log: server.output,
    async stop() {
      await server.stop();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

export interface NamespacedProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves once `text` appears in its output; rejects if it exits first or takes over `timeoutMs`. */
  waitForOutput(text: string | RegExp, name: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** Starts `argv` inside `ns` (null: this machine's own namespace) with only `env` (and PATH) as its environment. */
export function spawnIn(ns: string | null, argv: string[], env: Record<string, string>, cwd?: string): NamespacedProcess {
  const [command, ...args] = ns === null ? argv : [IP, 'netns', 'exec', ns, ...argv];
  const child = spawn(command!, args, {
    ...(cwd ? { cwd } : {}),
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const seen = (text: string | RegExp) => (typeof text === 'string' ? output.includes(text) : text.test(output));
  return {
    child,
    output: () => output,
    waitForOutput: (text, name, timeoutMs) => waitFor(child, () => seen(text), () => output, name, timeoutMs),
    stop: () => stop(child),
  };
}

/**
 * Gives `ns` its own /etc/hosts: `ip netns exec` bind-mounts /etc/netns/<ns>/hosts
 * over /etc/hosts for what it runs, so names resolve there as a DNS record would
 * make them resolve on a real server. Returns the function that removes it.
 */
export async function setHostsIn(ns: string, entries: Record<string, string>): Promise<() => Promise<void>> {
  const folder = join('/etc/netns', ns);
  await mkdir(folder, { recursive: true });
  const lines = ['127.0.0.1 localhost', ...Object.entries(entries).map(([name, address]) => `${address} ${name}`)];
  await writeFile(join(folder, 'hosts'), `${lines.join('\n')}\n`);
  return () => rm(folder, { recursive: true, force: true });
}

/**
 * Debian's Chromium inside `ns`, driven over its debugging pipe as usual. Either
 * pages on `secureOrigin` (plain http on a private address) count as secure, so
 * they may use camera and microphone as they would over HTTPS; or the browser
 * trusts `trustedRoot` (a PEM CA) the way a desktop does, through the NSS
 * database in its home folder, and `hosts` maps names to addresses as DNS would.
 */
export async function launchBrowserIn(
  ns: string,
  secureOrigin: string | { trustedRoot: string; hosts: Record<string, string> },
): Promise<{ browser: Browser; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tertulia-chromium-'));
  const wrapper = join(dir, 'chromium-in-netns');
  await writeFile(wrapper, `#!/bin/sh\nexec ${IP} netns exec ${ns} ${process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'} "$@"\n`);
  await chmod(wrapper, 0o755);
  let args: string[];
  let env: Record<string, string> | undefined;
  if (typeof secureOrigin === 'string') {
    args = [`--unsafely-treat-insecure-origin-as-secure=${secureOrigin}`];
  } else {
    const nssdb = join(dir, '.pki', 'nssdb');
    await mkdir(nssdb, { recursive: true });
    await writeFile(join(dir, 'root.pem'), secureOrigin.trustedRoot);
    await run('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
    await run('certutil', ['-A', '-d', `sql:${nssdb}`, '-n', 'test root', '-t', 'C,,', '-i', join(dir, 'root.pem')]);
    const rules = Object.entries(secureOrigin.hosts).map(([name, address]) => `MAP ${name} ${address}`);
    args = [`--host-resolver-rules=${rules.join(',')}`];
    env = { ...(process.env as Record<string, string>), HOME: dir };
  }
  const browser = await chromium.launch({ executablePath: wrapper, args: [...CHROMIUM_ARGS, ...args], ...(env ? { env } : {}) });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitFor(child: ChildProcess, ready: () => boolean, output: () => string, name: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = once(child, 'exit');
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
  if ((await Promise.race([exited.then(() => true), timeout])) !== true) {
    child.kill('SIGKILL');
    await exited;
  }
}
