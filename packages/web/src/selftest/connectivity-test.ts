import type { IceServer, ProbeTransport, SelfTestOffer } from '@tertulia/protocol';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Device } from 'mediasoup-client';
import { createDevice } from '../conference/device.js';
import type { RtpCapabilities, Transport } from 'mediasoup-client/types';
import { SignalClient, signallingUrl } from '../signalling/signal-client.js';
import { describeError } from '../i18n/error-text.js';
import type { MessageKey, Phrase, Text } from '../i18n/i18n.js';

/*
 * The connectivity self-test: the same paths a meeting uses, each tried for real.
 *   websocket  the signalling WebSocket (/ws) opens and answers a request;
 *   udp / tcp  ICE and DTLS complete with the media server on its media port(s), over
 *              UDP only or TCP only (the server's probe transports accept nothing else);
 *   turn       each configured TURN server allocates a relay with credentials issued for this test;
 *   relay      media reaches the media server through that relay.
 * Then it says, in plain words, which path a meeting will take and what an
 * administrator should open or configure. Its words are phrases, translated
 * where the report is shown.
 */

export type CheckId = 'websocket' | 'udp' | 'tcp' | 'turn' | 'relay';
export type CheckStatus = 'waiting' | 'running' | 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** What was found, in plain words: one line per thing tried. */
  detail: Text[];
  /** How long it took to succeed. */
  ms?: number | undefined;
}

/** The path a meeting takes from here, best first. */
export type MediaPathVerdict = 'udp' | 'tcp' | 'relay' | 'none';

export interface SelfTestReport {
  checks: CheckResult[];
  done: boolean;
  verdict?: { path: MediaPathVerdict; summary: Text; advice: Text[] } | undefined;
}

/** A probe that has not connected in this time counts as blocked (browsers retry for ~30 s before giving up). */
const PROBE_TIMEOUT_MS = 10_000;
const TURN_TIMEOUT_MS = 10_000;

export const CHECK_TITLES: Record<CheckId, MessageKey> = {
  websocket: 'selftest.checkWebsocket',
  udp: 'selftest.checkUdp',
  tcp: 'selftest.checkTcp',
  turn: 'selftest.checkTurn',
  relay: 'selftest.checkRelay',
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
export async function runConnectivityTest(onUpdate: (report: SelfTestReport) => void): Promise<SelfTestReport> {
  const wsUrl = signallingUrl();
  const checks = new Map<CheckId, CheckResult>(
    (Object.keys(CHECK_TITLES) as CheckId[]).map((id) => [id, { id, status: 'waiting', detail: [] }]),
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
    set('websocket', { status: 'failed', detail: [{ key: 'selftest.cannotOpen', params: { url: wsUrl } }] });
    for (const id of ['udp', 'tcp', 'turn', 'relay'] as const) set(id, { status: 'skipped', detail: [{ key: 'selftest.needsWebSocket' }] });
    return finish(noSignallingVerdict());
  }
  try {
    offer = await signal.request('selfTest', {});
  } catch (error) {
    signal.close();
    const limited = error instanceof ProtocolError && error.code === ErrorCode.RateLimited;
    const reason = describeError(error);
    set('websocket', limited ? { status: 'ok', detail: [{ key: 'selftest.connected' }] } : { status: 'failed', detail: [{ key: 'selftest.noAnswer', params: { detail: reason } }] });
    for (const id of ['udp', 'tcp', 'turn', 'relay'] as const) set(id, { status: 'skipped', detail: [limited ? reason : { key: 'selftest.needsWebSocket' }] });
    return finish(limited ? { path: 'none', summary: reason, advice: [] } : noSignallingVerdict());
  }
  set('websocket', { status: 'ok', detail: [{ key: 'selftest.answers' }], ms: Math.round(performance.now() - started) });

  try {
    const device = await createDevice(offer.rtpCapabilities as RtpCapabilities);
    const turn = offer.iceServers[0];
    const turnUrls = turn ? urlsOf(turn) : [];

    // 2. Direct UDP and TCP to every media port, and TURN allocations, all at once.
    set('udp', { status: 'running' });
    set('tcp', { status: 'running' });
    set('turn', turn ? { status: 'running' } : { status: 'skipped', detail: [{ key: 'selftest.noTurn' }] });
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
    if (!turn) set('relay', { status: 'skipped', detail: [{ key: 'selftest.noTurn' }] });
    else if (working.length === 0 || !relayProbe) set('relay', { status: 'skipped', detail: [{ key: 'selftest.noUsableTurn' }] });
    else {
      set('relay', { status: 'running' });
      relay = await connectProbe(device, signal, relayProbe, [{ ...turn, urls: working }], 'relay');
      set(
        'relay',
        relay.ok
          ? { status: 'ok', detail: [{ key: 'selftest.relayReached', params: { url: working[0]! } }], ms: relay.ms }
          : { status: 'failed', detail: [{ key: 'selftest.relayFailed' }] },
      );
    }
    return finish(verdictFor({ udp, tcp, turns, relay, turnConfigured: turn !== undefined }));
  } finally {
    signal.close();
  }
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
  if (outcomes.length === 0) return { status: 'skipped', detail: [{ key: 'selftest.noProbe' }] };
  if (failed.length === 0) {
    return { status: 'ok', detail: [{ key: 'selftest.reachable', params: { protocol, ports: portList(ok) } }], ms: Math.max(...ok.map((o) => o.ms)) };
  }
  if (ok.length === 0) {
    return { status: 'failed', detail: [{ key: 'selftest.blocked', params: { protocol, ports: portList(failed), seconds: PROBE_TIMEOUT_MS / 1000 } }] };
  }
  return { status: 'failed', detail: [{ key: 'selftest.partlyReachable', params: { protocol, reachable: portList(ok), blocked: portList(failed) } }] };
}

function turnResult(outcomes: TurnOutcome[]): Partial<CheckResult> {
  const lines = outcomes.map((o): Text => (o.ok ? { key: 'selftest.relayAllocated', params: { url: o.url } } : turnProblem(o)));
  const ok = outcomes.filter((o) => o.ok);
  if (ok.length === 0) return { status: 'failed', detail: lines };
  return { status: 'ok', detail: lines, ms: Math.min(...ok.map((o) => o.ms)) };
}

function turnProblem({ url, error }: TurnOutcome): Text {
  if (!error) return { key: 'selftest.turnNoAnswer', params: { url } };
  if (error.startsWith('401')) return { key: 'selftest.turnRefused', params: { url } };
  if (error.startsWith('701')) return { key: 'selftest.turnUnreachable', params: { url, error } };
  // The browser's own words for anything else.
  return `${url}: ${error}`;
}

interface Findings {
  udp: ProbeOutcome[];
  tcp: ProbeOutcome[];
  turns: TurnOutcome[];
  relay: ProbeOutcome | undefined;
  turnConfigured: boolean;
}

/** Which path a meeting takes from this network, and what an administrator can do about the rest. */
function verdictFor({ udp, tcp, turns, relay, turnConfigured }: Findings): NonNullable<SelfTestReport['verdict']> {
  const udpOk = udp.length > 0 && udp.every((o) => o.ok);
  const udpSome = udp.some((o) => o.ok);
  const tcpOk = tcp.length > 0 && tcp.every((o) => o.ok);
  const tcpSome = tcp.some((o) => o.ok);
  const udpPorts = portList(udp);
  const tcpPorts = portList(tcp);
  const advice: Phrase[] = [];

  let path: MediaPathVerdict;
  let summary: Phrase;
  if (udpOk) {
    path = 'udp';
    summary = { key: 'selftest.summaryUdp' };
  } else if (udpSome) {
    path = 'udp';
    summary = { key: 'selftest.summaryUdpSome', params: { reachable: portList(udp.filter((o) => o.ok)), blocked: portList(udp.filter((o) => !o.ok)) } };
    advice.push({ key: 'selftest.adviceUdpSome', params: { ports: udpPorts } });
  } else if (tcpOk || tcpSome) {
    path = 'tcp';
    summary = { key: 'selftest.summaryTcp', params: { ports: tcpPorts } };
    advice.push({ key: 'selftest.adviceTcp', params: { ports: udpPorts } });
  } else if (relay?.ok) {
    path = 'relay';
    summary = { key: 'selftest.summaryRelay' };
    advice.push({ key: 'selftest.adviceRelay', params: { udp: udpPorts, tcp: tcpPorts } });
  } else {
    path = 'none';
    summary = { key: 'selftest.summaryNone' };
    advice.push({ key: 'selftest.adviceNone', params: { udp: udpPorts, tcp: tcpPorts } });
    if (!turnConfigured) advice.push({ key: 'selftest.adviceTurnTls' });
  }

  if (!tcpOk && (udpOk || udpSome)) advice.push({ key: 'selftest.adviceTcpClosed', params: { ports: tcpPorts } });
  if (!turnConfigured) {
    if (path !== 'none') advice.push({ key: 'selftest.adviceNoTurn' });
  } else if (turns.length > 0 && turns.every((t) => !t.ok)) {
    const refused = turns.some((t) => t.error?.startsWith('401'));
    advice.push(refused ? { key: 'selftest.adviceTurnRefused' } : { key: 'selftest.adviceTurnSilent', params: { urls: turns.map((t) => t.url).join(', ') } });
  } else if (turns.some((t) => !t.ok)) {
    // Why each one failed is in the TURN check's lines.
    advice.push({ key: 'selftest.adviceSomeTurn', params: { urls: turns.filter((t) => !t.ok).map((t) => t.url).join(', ') } });
  }
  if (turnConfigured && turns.some((t) => t.ok) && relay && !relay.ok) advice.push({ key: 'selftest.adviceRelayBlocked' });
  return { path, summary, advice };
}

function noSignallingVerdict(): NonNullable<SelfTestReport['verdict']> {
  return { path: 'none', summary: { key: 'selftest.summaryNoSignalling' }, advice: [{ key: 'selftest.adviceProxy' }] };
}

// ── helpers ─────────────────────────────────────────────────────────────────

/** "port 10000" or "ports 10000 and 10001", from the probes' ports. */
function portList(outcomes: ProbeOutcome[]): Phrase {
  const ports = [...new Set(outcomes.map((o) => o.probe.port))].sort((a, b) => a - b);
  if (ports.length <= 1) return { key: 'selftest.port', params: { port: ports[0] ?? '?' } };
  return { key: 'selftest.ports', params: { list: ports.slice(0, -1).join(', '), last: ports.at(-1)! } };
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
