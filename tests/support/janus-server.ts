import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalAddress } from './local-address.js';

/**
 * Janus's ICE library (libnice) gathers no loopback candidates: its media gets an address
 * of its own on an interface made for it, so the traffic stays on this machine.
 */
const MEDIA_LINK = 'tt-janus0';
const MEDIA_IP = '10.203.0.1';

/** Debian's janus package (1.1.x); JANUS_BIN / JANUS_LIB_DIR point elsewhere for another build. */
const JANUS_BIN = process.env.JANUS_BIN ?? '/usr/bin/janus';
const JANUS_LIB_DIR = process.env.JANUS_LIB_DIR ?? '/usr/lib/x86_64-linux-gnu/janus';

export interface JanusOptions {
  /** WebSocket API port on 127.0.0.1. */
  port?: number;
  /** UDP ports for ICE/RTP, inclusive. */
  rtpPorts?: { min: number; max: number };
  /** Janus's media threads; defaults to the machine's cores, as mediasoup runs one worker per core. */
  eventLoops?: number;
}

export interface JanusServer {
  /** ws://127.0.0.1:<port>, spoken with the 'janus-protocol' subprotocol. */
  wsUrl: string;
  pid: number;
  /** SIGTERM, then SIGKILL if Janus has not exited within 5 s; removes the config directory. */
  stop(): Promise<void>;
}

/** Why Janus cannot start here (and what to do about it), or undefined when it is installed. */
export function janusMissing(): string | undefined {
  return existsSync(JANUS_BIN) ? undefined : `${JANUS_BIN} not found: install Janus with \`apt-get install janus\` (Debian 12 ships 1.1.2)`;
}

/** Starts Debian's Janus with a minimal config of its own (VideoRoom + WebSockets only, API on 127.0.0.1); see JANUS-CONFIG.md for every setting. */
export async function startJanus(options: JanusOptions = {}): Promise<JanusServer> {
  const missing = janusMissing();
  if (missing) throw new Error(missing);
  const port = options.port ?? 8188;
  const dir = await mkdtemp(join(tmpdir(), 'janus-bench-'));
  const media = await createLocalAddress(MEDIA_LINK, MEDIA_IP);
  try {
    await writeConfig(dir, port, options.rtpPorts ?? { min: 20000, max: 40000 }, options.eventLoops ?? availableParallelism());
  } catch (error) {
    await Promise.all([rm(dir, { recursive: true, force: true }), media.close()]);
    throw error;
  }
  const child = spawn(JANUS_BIN, ['-C', join(dir, 'janus.jcfg'), '-F', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepTail(child);
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await terminate(child);
    await Promise.all([rm(dir, { recursive: true, force: true }), media.close()]);
  };
  try {
    await waitForPort(child, port, output);
  } catch (error) {
    await stop();
    throw error;
  }
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`janus exited unexpectedly (${code ?? signal}); its last lines:\n${output.join('\n')}\n`);
  });
  return { wsUrl: `ws://127.0.0.1:${port}`, pid: child.pid!, stop };
}

async function writeConfig(dir: string, port: number, rtpPorts: { min: number; max: number }, eventLoops: number): Promise<void> {
  // Folders holding only the one plugin and the one transport we use, so nothing else is loaded whatever else is installed.
  const plugins = join(dir, 'plugins');
  const transports = join(dir, 'transports');
  const empty = join(dir, 'empty');
  await Promise.all([mkdir(plugins), mkdir(transports), mkdir(empty)]);
  await symlink(join(JANUS_LIB_DIR, 'plugins/libjanus_videoroom.so'), join(plugins, 'libjanus_videoroom.so'));
  await symlink(join(JANUS_LIB_DIR, 'transports/libjanus_websockets.so'), join(transports, 'libjanus_websockets.so'));
  const janus = `general: {
  configs_folder = "${dir}"
  plugins_folder = "${plugins}"
  transports_folder = "${transports}"
  events_folder = "${empty}"
  loggers_folder = "${empty}"
  debug_level = 3
  debug_colors = false
  server_name = "janus-bench"
  session_timeout = 60
  event_loops = ${eventLoops}
  protected_folders = [ "/bin", "/boot", "/dev", "/etc", "/lib", "/proc", "/sbin", "/sys", "/usr", "/var" ]
}
media: {
  ipv6 = false
  rtp_port_range = "${rtpPorts.min}-${rtpPorts.max}"
  min_nack_queue = 2000
  nack_optimizations = false
}
nat: {
  nice_debug = false
  ice_enforce_list = "${MEDIA_LINK}"
  ice_lite = true
  ignore_mdns = true
}
events: {
  broadcast = false
}
`;
  const websockets = `general: {
  json = "plain"
  ws = true
  ws_port = ${port}
  ws_ip = "127.0.0.1"
  wss = false
  ws_logging = "err"
}
admin: {
  admin_ws = false
  admin_wss = false
}
`;
  // string_ids: rooms are named by the load generator's room names; no static rooms, they are created through the API.
  const videoroom = `general: {
  string_ids = true
}
`;
  await Promise.all([
    writeFile(join(dir, 'janus.jcfg'), janus),
    writeFile(join(dir, 'janus.transport.websockets.jcfg'), websockets),
    writeFile(join(dir, 'janus.plugin.videoroom.jcfg'), videoroom),
  ]);
}

/**
 * Janus logs to stdout, under load a warning per late packet; its last lines are kept for a startup error
 * or a crash report instead of flooding the caller's output.
 */
function keepTail(child: ChildProcess): string[] {
  const lines: string[] = [];
  const onData = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return lines;
}

async function waitForPort(child: ChildProcess, port: number, output: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`janus exited (${child.exitCode ?? child.signalCode}) before listening on port ${port}:\n${output.join('\n')}`);
    }
    if (await portAnswers(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`janus did not listen on 127.0.0.1:${port} within 10 s (is the port taken?):\n${output.join('\n')}`);
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
