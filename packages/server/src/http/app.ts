import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { Limits, checkRoomName } from '@tertulia/protocol';
import { CLUSTER_REST_PREFIX } from '../cluster/cluster-rest-auth.js';
import { clusterRestEndpoint } from '../cluster/cluster-rest-endpoint.js';
import { RELAY_HEADER } from '../cluster/relay.js';
import type { FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import { registerOpsSurface, type OpsSurface } from '../ops/ops-app.js';
import { acceptSignalling, type ServerContext } from '../signalling/connection.js';
import { requireBearer } from './auth.js';
import { createFastify } from './fastify.js';
import { registerHealthRoute } from './health.js';
import { registerExternalApiRoute } from './external-api-route.js';
import { registerRecordingDownloadRoute, type RecordingDownloads } from './recording-download-route.js';
import { indexPage } from './index-page.js';
import { registerInstanceRoute } from './instance-route.js';
import { registerRoomNoticeRoute } from './room-notice-route.js';
import { MemoryFile } from './memory-file.js';
import { invalidRoomPage } from './pages.js';
import { safeEqual } from './safe-equal.js';
import { registerSecurityHeaders } from './security-headers.js';

export interface AppOptions {
  context: ServerContext;
  logger: Logger;
  webRoot: string;
  ops: OpsSurface;
  /** When set, the operations endpoints are served here too, to requests bearing it. */
  opsToken: string | undefined;
  /** Proxies whose X-Forwarded-For/-Proto are believed (TRUSTED_PROXIES); none when empty. */
  trustedProxies: readonly string[];
  /** Origins allowed to embed meetings (ALLOWED_EMBEDDERS), or ['*']. */
  allowedEmbedders: readonly string[];
  /** ENABLE_HSTS: Strict-Transport-Security on responses over HTTPS. */
  hsts: boolean;
  /** Where finished recordings are downloaded from with a signed link (ENABLE_RECORDING). */
  recordingDownloads: RecordingDownloads | undefined;
  /** Makes the node server the app is served by (Tertulia's own HTTPS); default: a plain HTTP server. */
  serverFactory?: FastifyServerFactory | undefined;
}

/** Built assets whose names carry a content hash: they never change under the same URL. */
const HASHED_ASSET = join('/', 'assets', '/');
/** What @fastify/static has a precompressed .br/.gz of (see precompress in scripts/setup/steps.mjs). */
const COMPRESSIBLE = /\.(?:js|css|svg|json|map|txt)$/;

/** The public HTTP side: the web client, room URLs, the signalling WebSocket and the health check. */
export async function buildApp({ context, logger, webRoot, ops, opsToken, trustedProxies, allowedEmbedders, hsts, serverFactory, recordingDownloads }: AppOptions) {
  const index = new MemoryFile(indexPage(webRoot, allowedEmbedders), { type: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
  // request.ip and request.protocol come from X-Forwarded-For/-Proto only when the peer is a trusted proxy.
  const app = createFastify(logger, { trustProxy: [...trustedProxies], serverFactory });
  registerSecurityHeaders(app, { allowedEmbedders, hsts });

  // Hard cap well above the protocol limit so an oversized message gets a protocol error, not a dropped socket.
  await app.register(fastifyWebsocket, { options: { maxPayload: Limits.maxMessageBytes * 16 } });
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: false,
    preCompressed: true,
    // index.html is served from memory with the embedders meta; never the raw file.
    allowedPath: (pathname) => pathname !== '/index.html',
    // Set below instead: send's own Cache-Control would override it.
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', path.includes(HASHED_ASSET) ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (COMPRESSIBLE.test(path.replace(/\.(?:br|gz)$/, ''))) res.setHeader('vary', 'Accept-Encoding');
    },
  });

  registerExternalApiRoute(app);
  registerInstanceRoute(app);
  registerRoomNoticeRoute(app, context);

  app.get('/ws', { websocket: true }, (socket, request) => {
    // Another signalling node relaying a participant (REDIS_URL) says, signed, whose connection it is.
    acceptSignalling(socket, context, context.router?.relayedClient(request.headers[RELAY_HEADER]) ?? { address: request.ip, region: context.router?.region });
  });

  // Load balancers probe the public port, so health stays open here; the rest of the ops surface needs the token.
  registerHealthRoute(app, ops.ops);
  if (opsToken !== undefined) {
    await registerOpsSurface(app, ops, requireBearer('OPS_TOKEN', (credential) => safeEqual(credential, opsToken)));
  }
  // Other signalling nodes reach the meetings held here through this, wherever the integrator called.
  if (ops.forwarding) await app.register(clusterRestEndpoint, { prefix: CLUSTER_REST_PREFIX, registry: ops.ops.registry, forwarding: ops.forwarding });

  if (recordingDownloads) registerRecordingDownloadRoute(app, recordingDownloads);

  app.get('/', async (request, reply) => index.send(request, reply));
  // The connectivity self-test page (a reserved name, so never a room).
  app.get('/selftest', async (request, reply) => index.send(request, reply));
  app.get<{ Params: { room: string } }>('/:room', async (request, reply) => {
    const check = checkRoomName(request.params.room);
    if (!check.ok) return reply.code(400).type('text/html; charset=utf-8').send(invalidRoomPage(request.params.room, check.reason));
    return index.send(request, reply);
  });

  return app;
}
