import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { rootCertificates } from 'node:tls';
import { ErrorCode, ProtocolError, type DtlsParameters } from '@tertulia/protocol';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { ProbeOptions, ProbeSet } from '../connectivity-probes.js';
import type { MediaStats } from '../media-stats.js';
import { bridgeAuthHeader, requireBridgeSecret } from './bridge-auth.js';
import {
  BRIDGE_AUTH_HEADER,
  BRIDGE_MAX_PAYLOAD,
  BRIDGE_METHODS,
  BridgeServerMessage,
  describeIssues,
  parseFrame,
  type BridgeEvent,
  type BridgeMethod,
  type BridgeParams,
  type BridgeResult,
} from './bridge-wire.js';
import { RemoteMediaRoom, type BridgeChannel } from './remote-media-room.js';

export interface BridgeConnectionOptions {
  /** ws:// or wss:// address of the bridge's BridgeService. */
  url: string;
  /** BRIDGE_SECRET, the same as the bridge's (at least 16 characters). */
  secret: string;
  /** This signalling node's name, in the bridge's logs. */
  nodeId: string;
  logger: Logger;
  /** How long a request and the opening handshake may take; 10 s by default. */
  timeoutMs?: number;
  /** PEM CA certificates to trust for a wss:// bridge (BRIDGE_TLS_CA_FILE), besides the system's. */
  ca?: string | undefined;
}

export type BridgeConnectionEvents = {
  /** The socket is gone (the bridge stopped, the network failed, or close() was called); its rooms have closed. */
  closed: [reason: string];
  /** A media worker on the bridge died; its rooms have closed (the bridge replaces the worker). */
  workerDied: [workerPid: number, error: Error];
};

const DEFAULT_TIMEOUT_MS = 10_000;
/** The bridge sends stats every 2 s: after three missed, the path is gone even if TCP has not noticed. */
const SILENCE_LIMIT_MS = 6_000;

interface Pending {
  method: BridgeMethod;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A signalling node's link to one media bridge: rooms created through it are
 * RemoteMediaRooms, and the bridge's stats arrive every couple of seconds. When the
 * socket drops, every room of it emits `closed` (participants reconnect) and so does
 * the connection; it does not reconnect by itself.
 */
export class BridgeConnection extends EventEmitter<BridgeConnectionEvents> {
  readonly url: string;
  readonly #socket: WebSocket;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #rooms = new Map<string, RemoteMediaRoom>();
  readonly #channel: BridgeChannel;
  #nextId = 1;
  #stats: MediaStats | undefined;
  #bridgeHealthy = false;
  #silence: NodeJS.Timeout | undefined;
  #closedFor: string | undefined;
  /** Settles open() on the first stats. */
  #ready: (() => void) | undefined;

  /** Connects and waits for the bridge's first stats, so `healthy()` and `latestStats()` answer from the start. */
  static async open(options: BridgeConnectionOptions): Promise<BridgeConnection> {
    requireBridgeSecret(options.secret);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const socket = new WebSocket(options.url, {
      headers: { [BRIDGE_AUTH_HEADER]: bridgeAuthHeader(options.secret, options.nodeId) },
      maxPayload: BRIDGE_MAX_PAYLOAD,
      handshakeTimeout: timeoutMs,
      // Node's `ca` replaces the bundled roots; a private CA is trusted beside them.
      ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }),
    });
    const connection = new BridgeConnection(socket, options.url, timeoutMs, options.logger.child({ bridge: options.url }));
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        socket.off('unexpected-response', refused);
        socket.off('error', unreachable);
        connection.off('closed', closed);
        connection.#ready = undefined;
        if (!error) return resolve();
        socket.terminate();
        reject(error);
      };
      const refused = (_request: unknown, response: IncomingMessage) =>
        settle(
          response.statusCode === 401
            ? new Error(`The media bridge at ${options.url} refused this node: BRIDGE_SECRET does not match the bridge's (or this machine's clock is off by more than 30 s).`)
            : new Error(`${options.url} answered HTTP ${response.statusCode}: is it a Tertulia media bridge?`),
        );
      const unreachable = (error: Error & { code?: string }) =>
        settle(
          /CERT|SIGNATURE|ISSUER|ERR_TLS/.test(error.code ?? '')
            ? new Error(`The media bridge at ${options.url} presented a certificate this node does not accept (${error.message}): set BRIDGE_TLS_CA_FILE to the CA that signed it, and make sure the certificate names the URL's host.`)
            : new Error(`No media bridge answers at ${options.url} (${error.message}); check the address and that the bridge is running.`),
        );
      const closed = (reason: string) => settle(new Error(`The media bridge at ${options.url} closed the connection while opening: ${reason}`));
      socket.once('unexpected-response', refused);
      socket.once('error', unreachable);
      connection.once('closed', closed);
      connection.#ready = () => settle();
    });
    return connection;
  }

  private constructor(socket: WebSocket, url: string, timeoutMs: number, logger: Logger) {
    super();
    this.url = url;
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
    this.#channel = { url, request: (method, params) => this.#request(method, params) };
    // Logged only: open() turns a failure to connect into its error, and 'close' follows any later one.
    socket.on('error', (error) => this.#logger.debug({ err: error }, 'media bridge socket error'));
    socket.on('open', () => this.#heardFrom());
    socket.on('message', (raw, isBinary) => this.#receive(parseFrame(raw, isBinary)));
    socket.on('close', (code, reason) => this.#lost(`the media bridge at ${url} went away (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
  }

  async createRoom(roomKey: string): Promise<RemoteMediaRoom> {
    const { roomId, rtpCapabilities } = await this.#request('createRoom', { roomKey }).result;
    // Closed while the request was out: the bridge closes the rooms of a lost connection itself.
    if (this.#closedFor) throw this.#gone();
    const room = new RemoteMediaRoom(roomId, roomKey, rtpCapabilities, this.#channel, this.#logger.child({ room: roomKey }));
    this.#rooms.set(roomId, room);
    room.once('closed', () => this.#rooms.delete(roomId));
    return room;
  }

  /** The bridge's latest stats (every 2 s); undefined before the first. */
  latestStats(): MediaStats | undefined {
    return this.#stats;
  }

  /** Connected, and the bridge has every media worker running. */
  healthy(): boolean {
    return this.#closedFor === undefined && this.#bridgeHealthy;
  }

  createProbes(options: ProbeOptions): Promise<ProbeSet> {
    return this.#request('createProbes', { relay: options.relay }).result;
  }

  async connectProbe(probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    await this.#request('connectProbe', { probeId, dtlsParameters }).result;
  }

  closeProbes(probeIds: string[]): void {
    this.#request('closeProbes', { probeIds }).result.catch((err: unknown) => this.#logger.warn({ err }, 'could not close connectivity probes'));
  }

  /** Idempotent. The bridge closes this connection's rooms. */
  close(): void {
    if (this.#closedFor) return;
    this.#socket.close(1000, 'closed by the signalling node');
    this.#lost(`the connection to the media bridge at ${this.url} was closed`);
  }

  #request<M extends BridgeMethod>(method: M, params: BridgeParams<M>): { id: number; result: Promise<BridgeResult<M>> } {
    const id = this.#nextId++;
    if (this.#closedFor || this.#socket.readyState !== WebSocket.OPEN) return { id, result: Promise.reject(this.#gone()) };
    const result = new Promise<BridgeResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ProtocolError(ErrorCode.MediaError, `The media bridge at ${this.url} did not answer "${method}" within ${this.#timeoutMs / 1000} s.`));
      }, this.#timeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
    });
    this.#socket.send(JSON.stringify({ id, method, params }));
    return { id, result };
  }

  #receive(json: unknown): void {
    this.#heardFrom();
    const parsed = BridgeServerMessage.safeParse(json);
    if (!parsed.success) {
      this.#logger.warn({ issues: json === undefined ? 'not JSON text' : describeIssues(parsed.error) }, 'ignored a malformed message from the media bridge');
      return;
    }
    const message = parsed.data;
    if ('event' in message) this.#event(message);
    else if ('error' in message) {
      if (message.id === null) this.#logger.warn({ error: message.error }, 'the media bridge could not read a message of ours');
      else this.#settle(message.id, (pending) => pending.reject(new ProtocolError(message.error.code, message.error.message)));
    } else {
      this.#settle(message.id, (pending) => {
        const result = BRIDGE_METHODS[pending.method].result.safeParse(message.result);
        if (result.success) pending.resolve(result.data);
        else pending.reject(new ProtocolError(ErrorCode.MediaError, `The media bridge at ${this.url} answered "${pending.method}" with something unexpected: ${describeIssues(result.error)}`));
      });
    }
  }

  #settle(id: number, settle: (pending: Pending) => void): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    settle(pending);
  }

  #event(event: BridgeEvent): void {
    switch (event.event) {
      case 'stats': {
        const first = this.#stats === undefined;
        this.#stats = event.stats;
        this.#bridgeHealthy = event.healthy;
        if (first) this.#ready?.();
        return;
      }
      case 'workerDied':
        this.emit('workerDied', event.workerPid, new Error(event.message));
        return;
      default:
        this.#rooms.get(event.roomId)?.receive(event);
    }
  }

  /** Restarts the wait for the bridge's next message (see SILENCE_LIMIT_MS). */
  #heardFrom(): void {
    if (this.#silence) {
      this.#silence.refresh();
      return;
    }
    this.#silence = setTimeout(() => {
      this.#logger.warn({ silentMs: SILENCE_LIMIT_MS }, 'the media bridge stopped talking; dropping the connection');
      this.#lost(`the media bridge at ${this.url} went silent for ${SILENCE_LIMIT_MS / 1000} s`);
      this.#socket.terminate();
    }, SILENCE_LIMIT_MS);
    this.#silence.unref();
  }

  #lost(reason: string): void {
    if (this.#closedFor) return;
    this.#closedFor = reason;
    clearTimeout(this.#silence);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(this.#gone());
    }
    this.#pending.clear();
    for (const room of [...this.#rooms.values()]) room.lost(`the media bridge at ${this.url} went away`);
    this.#rooms.clear();
    this.emit('closed', reason);
  }

  #gone(): ProtocolError {
    return new ProtocolError(ErrorCode.MediaError, `The media bridge at ${this.url} is not connected (${this.#closedFor ?? 'not open'}).`);
  }
}
