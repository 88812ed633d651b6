import { once } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CascadeLeg, MediaBridge } from '../bridge.js';
import { requireBridgeSecret, verifyBridgeAuth } from './bridge-auth.js';
import { BridgeSession } from './bridge-session.js';
import { BRIDGE_AUTH_HEADER, BRIDGE_MAX_PAYLOAD, parseFrame } from './bridge-wire.js';

export interface BridgeServiceOptions {
  /** The local bridge to serve (in practice a MediasoupBridge). */
  bridge: MediaBridge<CascadeLeg>;
  host: string;
  /** 0: any free port. */
  port: number;
  /** BRIDGE_SECRET: signalling nodes prove they know it (at least 16 characters). */
  secret: string;
  /** The channel's own TLS (wss://): a PEM certificate chain and its key. Without it, ws://. */
  tls?: { certPem: string; keyPem: string } | undefined;
  logger: Logger;
}

/** The address of a bridge channel on `host` (an IPv6 address is bracketed): wss:// when it has TLS of its own. */
export function bridgeChannelUrl(host: string, port: number, tls: boolean): string {
  return `${tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Stats go to every node this often; a node not heard from (messages or pongs) for STALE_NODE_MS is dropped. */
const STATS_INTERVAL_MS = 2_000;
const STALE_NODE_MS = 10_000;

interface Node {
  socket: WebSocket;
  session: BridgeSession;
  lastHeard: number;
}

/**
 * Serves a local media bridge to signalling nodes on other machines over WebSocket
 * (see bridge-wire.ts). Nodes authenticate with BRIDGE_SECRET; each owns the rooms it
 * creates, and they close as soon as its connection does (there is no re-attaching:
 * a node that lost its bridge has its participants reconnect, which makes new rooms).
 *
 * Without `tls` the socket is plain ws://: the secret never crosses it, but the signalling
 * does (DTLS fingerprints included) and a captured header can be replayed within the
 * 30-s window, so outside a private network give it a certificate (or a TLS proxy).
 */
export class BridgeService {
  readonly url: string;
  readonly port: number;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #options: BridgeServiceOptions;
  readonly #nodes = new Set<Node>();
  readonly #ticker: NodeJS.Timeout;
  readonly #onWorkerDied = (workerPid: number, error: Error) => this.#broadcast(() => ({ event: 'workerDied', workerPid, message: error.message }));
  #closed = false;

  static async start(options: BridgeServiceOptions): Promise<BridgeService> {
    requireBridgeSecret(options.secret);
    const answer: RequestListener = (_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8' }).end('This is a Tertulia media bridge: signalling nodes connect to it over WebSocket.\n');
    };
    const { tls } = options;
    const http = tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, answer) : createServer(answer);
    http.listen(options.port, options.host);
    await once(http, 'listening');
    return new BridgeService(http, options);
  }

  private constructor(http: Server, options: BridgeServiceOptions) {
    this.#http = http;
    this.#options = options;
    this.port = (http.address() as AddressInfo).port;
    this.url = bridgeChannelUrl(options.host, this.port, options.tls !== undefined);
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_PAYLOAD });
    http.on('upgrade', (request, socket, head) => this.#upgrade(request, socket, head));
    options.bridge.on('workerDied', this.#onWorkerDied);
    this.#ticker = setInterval(() => this.#tick(), STATS_INTERVAL_MS);
    options.logger.info({ url: this.url }, 'media bridge service listening');
  }

  /** Drops every node (their rooms close) and stops listening. The bridge itself stays up. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ticker);
    this.#options.bridge.off('workerDied', this.#onWorkerDied);
    for (const node of this.#nodes) {
      node.session.close();
      node.socket.terminate();
    }
    this.#nodes.clear();
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.#options.logger.debug({ err }, 'bridge upgrade socket error'));
    const remoteAddress = request.socket.remoteAddress;
    const verified = verifyBridgeAuth(this.#options.secret, request.headers[BRIDGE_AUTH_HEADER] as string | undefined);
    // Nodes sign their calls to each other with the same secret, naming a client after "@": such a header opens no bridge channel.
    const auth = 'nodeId' in verified && verified.nodeId.includes('@') ? { refused: 'a header made for another purpose' } : verified;
    if (this.#closed) {
      socket.destroy();
      return;
    }
    if ('refused' in auth) {
      this.#options.logger.warn({ remoteAddress, why: auth.refused }, "refused a signalling node: its BRIDGE_SECRET does not match this bridge's");
      const body = "BRIDGE_SECRET does not match this media bridge's (or the clocks differ by more than 30 s).\n";
      socket.end(
        `HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, auth.nodeId, remoteAddress));
  }

  #accept(socket: WebSocket, nodeId: string, remoteAddress: string | undefined): void {
    const logger = this.#options.logger.child({ nodeId, remoteAddress });
    const node: Node = { socket, session: new BridgeSession(socket, this.#options.bridge, logger), lastHeard: Date.now() };
    this.#nodes.add(node);
    logger.info('signalling node connected');
    socket.on('message', (raw, isBinary) => {
      node.lastHeard = Date.now();
      node.session.receive(parseFrame(raw, isBinary));
    });
    socket.on('pong', () => (node.lastHeard = Date.now()));
    socket.on('error', (err) => logger.warn({ err }, 'signalling node connection error'));
    socket.on('close', (code, reason) => {
      this.#nodes.delete(node);
      node.session.close();
      logger.info({ code, reason: reason.toString() }, 'signalling node disconnected; its rooms closed');
    });
    node.session.send(this.#statsEvent());
  }

  #tick(): void {
    const now = Date.now();
    for (const node of this.#nodes) {
      if (now - node.lastHeard > STALE_NODE_MS) node.socket.terminate();
      else node.socket.ping();
    }
    this.#broadcast(() => this.#statsEvent());
  }

  #statsEvent() {
    return { event: 'stats' as const, stats: this.#options.bridge.stats(), healthy: this.#options.bridge.healthy() };
  }

  /** `event` is made once, and only when some node is connected. */
  #broadcast(event: () => Parameters<BridgeSession['send']>[0]): void {
    if (this.#nodes.size === 0) return;
    const message = event();
    for (const node of this.#nodes) node.session.send(message);
  }
}
