import type { IceServer, ProbeTransport, SelfTestOffer } from '@tertulia/protocol';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Device } from 'mediasoup-client';
import { createDevice } from '../conference/device.js';
import type { RtpCapabilities, Transport } from 'mediasoup-client/types';
import { SignalClient } from '../signalling/signal-client.js';

/*
 * The connectivity self-test: the same paths a meeting uses, each tried for real.
 *   websocket  the signalling WebSocket (/ws) opens and answers a request;
 *   udp / tcp  ICE and DTLS complete with the media server on its media port(s), over
 *              UDP only or TCP only (the server's probe transports accept nothing else);
 *   turn       each configured TURN server allocates a relay with credentials issued for this test;
 *   relay      media reaches the media server through that relay.
 * Then it says, in plain words, which path a meeting will take and what an
 * administrator should open or configure.
 */

export type CheckId = 'websocket' | 'udp' | 'tcp' | 'turn' | 'relay';
export type CheckStatus = 'waiting' | 'running' | 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was found, in plain words. */
  detail: string;
  /** How long it took to succeed. */
  ms?: number | undefined;
}

/** The path a meeting takes from here, best first. */
export type MediaPathVerdict = 'udp' | 'tcp' | 'relay' | 'none';

export interface SelfTestReport {
  checks: CheckResult[];
  done: boolean;
  verdict?: { path: MediaPathVerdict; summary: string; advice: string[] } | undefined;
}

/** A probe that has not connected in this time counts as blocked (browsers retry for ~30 s before giving up). */
const PROBE_TIMEOUT_MS = 10_000;
const TURN_TIMEOUT_MS = 10_000;

const TITLES: Record<CheckId, string> = {
  websocket: 'Signalling (WebSocket)',
  udp: 'Media over UDP',
  tcp: 'Media over TCP',
  turn: 'TURN server',
  relay: 'Media through TURN',
};

interface ProbeOutcome {
  probe: ProbeTransport;
  ok: boolean;
  ms: number;
}

interface TurnOutcome {
  url: string;
  ok: boolean;
  ms: number;
  /** The browser's reason when it failed (e.g. "701 TURN host lookup…", "401 Unauthorized"). */
  error: string | undefined;
}

/** Runs every check; `onUpdate` sees the report after each step. Resolves with the final report. */
export async function runConnectivityTest(onUpdate: (report: SelfTestReport) => void, wsUrl = defaultWsUrl()): Promise<SelfTestReport> {
  const checks = new Map<CheckId, CheckResult>(
    (Object.keys(TITLES) as CheckId[]).map((id) => [id, { id, title: TITLES[id], status: 'waiting', detail: '' }]),
  );
  const report = (): SelfTestReport => ({ checks: [...checks.values()], done: false });
  const set = (id: CheckId, patch: Partial<CheckResult>) => {
    checks.set(id, { ...checks.get(id)!, ...patch });
    onUpdate(report());
  };
  const finish = (verdict: SelfTestReport['verdict']): SelfTestReport => {
    const final = { ...report(), done: true, verdict };
    onUpdate(final);
    return final;
  };

  // 1. Signalling.
  set('websocket', { status: 'running' });
  const started = performance.now();
  let signal: SignalClient;
  let offer: SelfTestOffer;
  try {
    signal = await withTimeout(SignalClient.connect(wsUrl, {}, () => undefined), PROBE_TIMEOUT_MS, 'no answer');
  } catch {
    set('websocket', { status: 'failed', detail: `Could not open ${wsUrl}.` });
    for (const id of ['udp', 'tcp', 'turn', 'relay'] as const) set(id, { status: 'skipped', detail: 'Needs the WebSocket.' });
    return finish(noSignallingVerdict());
  }
  try {
    offer = await signal.request('selfTest', {});
  } catch (error) {
    signal.close();
    const limited = error instanceof ProtocolError && error.code === ErrorCode.RateLimited;
    set('websocket', limited ? { status: 'ok', detail: 'Connected.' } : { status: 'failed', detail: `Connected, but the server did not answer: ${messageOf(error)}` });
    for (const id of ['udp', 'tcp', 'turn', 'relay'] as const) set(id, { status: 'skipped', detail: limited ? messageOf(error) : 'Needs the WebSocket.' });
    return finish(limited ? { path: 'none', summary: messageOf(error), advice: [] } : noSignallingVerdict());
  }
  set('websocket', { status: 'ok', detail: 'Connected, and the server answers.', ms: Math.round(performance.now() - started) });

  try {
    const device = await createDevice(offer.rtpCapabilities as RtpCapabilities);
    const turn = offer.iceServers[0];
    const turnUrls = turn ? urlsOf(turn) : [];

    // 2. Direct UDP and TCP to every media port, and TURN allocations, all at once.
    set('udp', { status: 'running' });
    set('tcp', { status: 'running' });
    set('turn', turn ? { status: 'running' } : { status: 'skipped', detail: 'No TURN server is configured on this server.' });
    const byCheck = (check: ProbeTransport['check']) => offer.probes.filter((p) => p.check === check);
    const [udp, tcp, turns] = await Promise.all([
      Promise.all(byCheck('udp').map((probe) => connectProbe(device, signal, probe, [], 'all'))).then((outcomes) => {
        set('udp', probeResult('UDP', outcomes));
        return outcomes;
      }),
      Promise.all(byCheck('tcp').map((probe) => connectProbe(device, signal, probe, [], 'all'))).then((outcomes) => {
        set('tcp', probeResult('TCP', outcomes));
        return outcomes;
      }),
      Promise.all(turnUrls.map((url) => allocate(url, turn!))).then((outcomes) => {
        if (turn) set('turn', turnResult(outcomes));
        return outcomes;
      }),
    ]);

    // 3. Media through the relay, with the TURN URLs that worked.
    const working = turns.filter((t) => t.ok).map((t) => t.url);
    const relayProbe = byCheck('relay')[0];
    let relay: ProbeOutcome | undefined;
    if (!turn) set('relay', { status: 'skipped', detail: 'No TURN server is configured on this server.' });
    else if (working.length === 0 || !relayProbe) set('relay', { status: 'skipped', detail: 'No TURN server could be used.' });
    else {
      set('relay', { status: 'running' });
      relay = await connectProbe(device, signal, relayProbe, [{ ...turn, urls: working }], 'relay');
      set(
        'relay',
        relay.ok
          ? { status: 'ok', detail: `Reached the media server through ${working[0]}.`, ms: relay.ms }
          : { status: 'failed', detail: 'The TURN server accepted us but could not reach the media server.' },
      );
    }
    return finish(verdictFor({ udp, tcp, turns, relay, turnConfigured: turn !== undefined, stunServers: offer.stunServers }));
  } finally {
    signal.close();
  }
}

export function defaultWsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

// ── the checks ──────────────────────────────────────────────────────────────

/** Connects one probe transport (ICE + DTLS, driven by a data channel); ok if it gets to "connected" in time. */
async function connectProbe(device: Device, signal: SignalClient, probe: ProbeTransport, iceServers: IceServer[], policy: RTCIceTransportPolicy): Promise<ProbeOutcome> {
  const started = performance.now();
  let transport: Transport | undefined;
  try {
    transport = device.createSendTransport({
      id: probe.id,
      iceParameters: probe.iceParameters as never,
      iceCandidates: probe.iceCandidates as never,
      dtlsParameters: probe.dtlsParameters as never,
      sctpParameters: probe.sctpParameters as never,
      iceServers: iceServers as RTCIceServer[],
      iceTransportPolicy: policy,
    });
    const t = transport;
    t.on('connect', ({ dtlsParameters }, callback, errback) => {
      signal.request('selfTestConnect', { probeId: probe.id, dtlsParameters: dtlsParameters as never }).then(callback, errback);
    });
    // The data channel only makes the browser negotiate; the server needs no data producer for it.
    t.on('producedata', (_parameters, callback) => callback({ id: `probe-${probe.id}` }));
    const connected = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
      t.on('connectionstatechange', (state) => {
        if (state === 'connected' || state === 'failed') {
          clearTimeout(timer);
          resolve(state === 'connected');
        }
      });
    });
    await t.produceData({ ordered: false, label: 'selftest' });
    const ok = await connected;
    return { probe, ok, ms: Math.round(performance.now() - started) };
  } catch {
    return { probe, ok: false, ms: Math.round(performance.now() - started) };
  } finally {
    transport?.close();
  }
}

/** Asks one TURN server for a relay allocation: a relay candidate means it answered and took the credentials. */
async function allocate(url: string, server: IceServer): Promise<TurnOutcome> {
  const started = performance.now();
  const pc = new RTCPeerConnection({ iceServers: [{ urls: url, username: server.username, credential: server.credential } as RTCIceServer], iceTransportPolicy: 'relay' });
  try {
    let error: string | undefined;
    const result = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), TURN_TIMEOUT_MS);
      pc.addEventListener('icecandidate', (event) => {
        if (event.candidate?.type === 'relay') {
          clearTimeout(timer);
          resolve(true);
        } else if (!event.candidate) {
          clearTimeout(timer);
          resolve(false);
        }
      });
      pc.addEventListener('icecandidateerror', (event) => {
        const e = event as RTCPeerConnectionIceErrorEvent;
        error = `${e.errorCode}${e.errorText ? ` ${e.errorText}` : ''}`;
      });
    });
    pc.createDataChannel('selftest');
    await pc.setLocalDescription(await pc.createOffer());
    const ok = await result;
    return { url, ok, ms: Math.round(performance.now() - started), error: ok ? undefined : error };
  } catch (e) {
    return { url, ok: false, ms: Math.round(performance.now() - started), error: messageOf(e) };
  } finally {
    pc.close();
  }
}

// ── what the results mean ───────────────────────────────────────────────────

function probeResult(protocol: 'UDP' | 'TCP', outcomes: ProbeOutcome[]): Partial<CheckResult> {
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  if (outcomes.length === 0) return { status: 'skipped', detail: 'The server offered no probe.' };
  if (failed.length === 0) {
    return { status: 'ok', detail: `${protocol} ${portList(ok)} reachable.`, ms: Math.max(...ok.map((o) => o.ms)) };
  }
  if (ok.length === 0) return { status: 'failed', detail: `${protocol} ${portList(failed)} blocked (no answer within ${PROBE_TIMEOUT_MS / 1000} s).` };
  return { status: 'failed', detail: `${protocol} ${portList(ok)} reachable, but ${portList(failed)} blocked.` };
}

function turnResult(outcomes: TurnOutcome[]): Partial<CheckResult> {
  const lines = outcomes.map((o) => (o.ok ? `${o.url}: relay allocated` : `${o.url}: ${describeTurnError(o.error)}`));
  const ok = outcomes.filter((o) => o.ok);
  if (ok.length === 0) return { status: 'failed', detail: lines.join('; ') };
  return { status: 'ok', detail: lines.join('; '), ms: Math.min(...ok.map((o) => o.ms)) };
}

function describeTurnError(error: string | undefined): string {
  if (!error) return 'no answer';
  if (error.startsWith('401')) return 'credentials refused (401)';
  if (error.startsWith('701')) return `unreachable (${error})`;
  return error;
}

interface Findings {
  udp: ProbeOutcome[];
  tcp: ProbeOutcome[];
  turns: TurnOutcome[];
  relay: ProbeOutcome | undefined;
  turnConfigured: boolean;
  stunServers: string[];
}

/** Which path a meeting takes from this network, and what an administrator can do about the rest. */
export function verdictFor({ udp, tcp, turns, relay, turnConfigured }: Findings): NonNullable<SelfTestReport['verdict']> {
  const udpOk = udp.length > 0 && udp.every((o) => o.ok);
  const udpSome = udp.some((o) => o.ok);
  const tcpOk = tcp.length > 0 && tcp.every((o) => o.ok);
  const tcpSome = tcp.some((o) => o.ok);
  const udpPorts = portList(udp);
  const tcpPorts = portList(tcp);
  const advice: string[] = [];

  let path: MediaPathVerdict;
  let summary: string;
  if (udpOk) {
    path = 'udp';
    summary = 'From this network, audio and video go over UDP straight to the media server: the best path.';
  } else if (udpSome) {
    path = 'udp';
    summary = `UDP reaches ${portList(udp.filter((o) => o.ok))} but not ${portList(udp.filter((o) => !o.ok))}: meetings on the other ports fall back to TCP or TURN.`;
    advice.push(`Open UDP ${udpPorts} on the server's firewall: each media worker has its own port, and every one of them must be reachable.`);
  } else if (tcpOk || tcpSome) {
    path = 'tcp';
    summary = `UDP to the media server is blocked from this network, so meetings use TCP ${tcpPorts} instead. That works; audio and video may lag a little more when the network is busy.`;
    advice.push(
      `Open UDP ${udpPorts} inbound on the server (host firewall and any cloud security group or router port forwarding). If it is already open there, this network (an office or guest firewall) blocks outgoing UDP.`,
    );
  } else if (relay?.ok) {
    path = 'relay';
    summary = 'Direct connections to the media server are blocked from this network; meetings work through the TURN relay, which adds a hop.';
    advice.push(`For a direct path, open UDP ${udpPorts} and TCP ${tcpPorts} inbound on the media server.`);
  } else {
    path = 'none';
    summary = 'No audio or video path works from this network: people would see each other join, but not hear or see them.';
    advice.push(`Open UDP ${udpPorts} and TCP ${tcpPorts} inbound on the media server (host firewall, cloud security group, router port forwarding). If Tertulia is behind NAT, set PUBLIC_IP to the address browsers reach.`);
    if (!turnConfigured) advice.push('For networks that allow only web traffic, run coturn with TLS on port 443 and set TURNS_HOST and TURN_CREDENTIALS (see the README).');
  }

  if (!tcpOk && (udpOk || udpSome)) {
    advice.push(`TCP ${tcpPorts} (the fallback for networks that block UDP) is not reachable: open it too.`);
  }
  if (!turnConfigured) {
    if (path !== 'none') advice.push('No TURN server is configured: people on networks stricter than this one (only web traffic allowed) cannot get audio or video. Set TURN_HOST / TURNS_HOST and TURN_CREDENTIALS for a coturn server (see the README).');
  } else if (turns.length > 0 && turns.every((t) => !t.ok)) {
    const refused = turns.some((t) => t.error?.startsWith('401'));
    advice.push(
      refused
        ? "The TURN server refused the credentials: TURN_CREDENTIALS must equal coturn's static-auth-secret (with use-auth-secret), and both machines' clocks must be right."
        : `The TURN server does not answer (${turns.map((t) => t.url).join(', ')}): check that coturn is running and that its ports are open (3478 UDP/TCP, 5349 or 443 TCP for TLS, and the relay port range).`,
    );
  } else if (turns.some((t) => !t.ok)) {
    advice.push(`Some TURN addresses do not work: ${turns.filter((t) => !t.ok).map((t) => `${t.url} (${describeTurnError(t.error)})`).join(', ')}.`);
  }
  if (turnConfigured && turns.some((t) => t.ok) && relay && !relay.ok) {
    advice.push(
      "TURN allocates a relay but it cannot reach the media server: coturn may refuse that peer address (denied-peer-ip, or a private address without allowed-peer-ip), or the media server's UDP port is closed to the TURN server.",
    );
  }
  return { path, summary, advice };
}

function noSignallingVerdict(): NonNullable<SelfTestReport['verdict']> {
  return {
    path: 'none',
    summary: 'The meeting server cannot be reached for signalling from this browser, so no meeting can start.',
    advice: [
      'If Tertulia runs behind a reverse proxy, it must pass WebSocket upgrades on /ws (proxy_http_version 1.1 and the Upgrade and Connection headers) and allow long-lived connections (see "Deploying behind TLS" in the README).',
    ],
  };
}

// ── helpers ─────────────────────────────────────────────────────────────────

/** "10000" or "10000 and 10001", from the probes' ports. */
function portList(outcomes: ProbeOutcome[]): string {
  const ports = [...new Set(outcomes.map((o) => o.probe.port))].sort((a, b) => a - b);
  if (ports.length <= 1) return `port ${ports[0] ?? '?'}`;
  return `ports ${ports.slice(0, -1).join(', ')} and ${ports.at(-1)}`;
}

function urlsOf(server: IceServer): string[] {
  return Array.isArray(server.urls) ? server.urls : [server.urls];
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(message)), ms))]);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
