import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import { INSTANCE_PATH } from '../http/instance-route.js';
import { listenOn } from '../http/listen.js';
import type { AcmeChallenges } from './acme-challenges.js';
import type { CertificatePair } from './certificate-pair.js';
import type { CertificateSource } from './certificate-source.js';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpsFrontOptions {
  host: string;
  httpsPort: number;
  httpPort: number;
  challenges: AcmeChallenges;
  /** Where plain HTTP requests are sent (ENABLE_HTTP_REDIRECT): PUBLIC_URL's origin, or undefined for "this host on HTTPS_PORT". */
  redirectTo: string | undefined;
  /** ENABLE_HTTP_REDIRECT=0: the HTTP port serves meetings too. */
  redirect: boolean;
  logger: Logger;
}

/** The protocol name a CA's TLS-ALPN-01 validation offers, as it appears in a ClientHello's ALPN list (length-prefixed). */
const ACME_TLS_ALPN = Buffer.from('\x0aacme-tls/1', 'latin1');
const HELLO_TIMEOUT_MS = 10_000;

/**
 * Tertulia's own HTTPS: the app's https.Server, fed by a TCP listener that looks
 * at each connection's first bytes. A CA validating TLS-ALPN-01 offers
 * "acme-tls/1" and gets the challenge certificate; everyone else gets the
 * current certificate, taken from the CertificateSource whenever it changed, so
 * renewals need no restart. The HTTP port answers HTTP-01 challenges and
 * redirects the rest to HTTPS.
 */
export class HttpsFront {
  readonly httpsServer: HttpsServer;
  readonly #challengeServer;
  readonly #tcp;
  readonly #http: HttpServer;
  #source: CertificateSource | undefined;
  #applied: CertificatePair | undefined;

  constructor(
    handler: RequestHandler,
    private readonly options: HttpsFrontOptions,
  ) {
    this.httpsServer = createHttpsServer({}, handler);
    this.#challengeServer = createTlsServer({
      ALPNProtocols: ['acme-tls/1'],
      SNICallback: (servername, done) => {
        const context = options.challenges.tlsAlpn01Context(servername);
        if (context) done(null, context);
        else done(new Error(`no TLS-ALPN-01 challenge for ${servername}`));
      },
    });
    // The CA only needs the handshake; the connection carries nothing after it.
    this.#challengeServer.on('secureConnection', (socket) => socket.end());
    this.#challengeServer.on('tlsClientError', () => undefined);
    this.#tcp = createNetServer((socket) => this.#route(socket));
    this.#http = createHttpServer((request, response) => this.#answerHttp(request, response, handler));
    if (!options.redirect) this.#http.on('upgrade', (...args) => this.httpsServer.emit('upgrade', ...args));
  }

  /** Binds both ports; throws with what to do when one cannot be bound. */
  async listen(): Promise<void> {
    const { host, httpsPort, httpPort } = this.options;
    await listenOn(this.#http, httpPort, host, 'HTTP_PORT');
    try {
      await listenOn(this.#tcp, httpsPort, host, 'HTTPS_PORT');
    } catch (error) {
      this.#http.close();
      throw error;
    }
  }

  /** From now on, connections are served with `source`'s certificate. */
  serve(source: CertificateSource): void {
    this.#source = source;
  }

  get httpsAddress() {
    return this.#tcp.address();
  }

  get httpAddress() {
    return this.#http.address();
  }

  async close(): Promise<void> {
    this.httpsServer.closeAllConnections();
    this.#http.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => this.#tcp.close(resolve)),
      new Promise((resolve) => this.#http.close(resolve)),
    ]);
  }

  #route(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    // A connection that never says hello would otherwise be held forever.
    socket.setTimeout(HELLO_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (hello: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(hello);
      if (hello.includes(ACME_TLS_ALPN)) {
        this.#challengeServer.emit('connection', socket);
        return;
      }
      const pair = this.#source?.current;
      if (!pair) {
        // No certificate yet (the first one is being obtained): nothing honest to present.
        socket.destroy();
        return;
      }
      if (pair !== this.#applied) {
        this.httpsServer.setSecureContext({ cert: pair.certPem, key: pair.keyPem });
        this.#applied = pair;
      }
      this.httpsServer.emit('connection', socket);
    });
  }

  #answerHttp(request: IncomingMessage, response: ServerResponse, handler: RequestHandler): void {
    const path = (request.url ?? '/').split('?')[0]!;
    const { challenges } = this.options;
    if (challenges.isHttp01Path(path)) {
      const answer = challenges.http01Response(path);
      response.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(answer ?? 'no such challenge');
      return;
    }
    // `tertulia doctor` asks each address the domain resolves to whether a Tertulia answers there, before any certificate exists.
    if (!this.options.redirect || path === INSTANCE_PATH) {
      handler(request, response);
      return;
    }
    response.writeHead(301, { location: `${this.#httpsOrigin(request)}${request.url ?? '/'}`, 'content-type': 'text/plain' }).end('This server is served over HTTPS.\n');
  }

  #httpsOrigin(request: IncomingMessage): string {
    if (this.options.redirectTo !== undefined) return new URL(this.options.redirectTo).origin;
    const host = (request.headers.host ?? this.options.host).replace(/:\d+$/, '');
    return `https://${host}${this.options.httpsPort === 443 ? '' : `:${this.options.httpsPort}`}`;
  }
}
