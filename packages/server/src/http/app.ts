import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { Limits, checkRoomName } from '@tertulia/protocol';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { registerOpsSurface, type OpsSurface } from '../ops/ops-app.js';
import { SignallingConnection, type ServerContext } from '../signalling/connection.js';
import { requireBearer } from './auth.js';
import { createFastify } from './fastify.js';
import { registerHealthRoute } from './health.js';
import { registerExternalApiRoute } from './external-api-route.js';
import { invalidRoomPage } from './pages.js';
import { safeEqual } from './safe-equal.js';

export interface AppOptions {
  context: ServerContext;
  logger: Logger;
  webRoot: string;
  ops: OpsSurface;
  /** When set, the operations endpoints are served here too, to requests bearing it. */
  opsToken: string | undefined;
}

/** The public HTTP side: the web client, room URLs, the signalling WebSocket and the health check. */
export async function buildApp({ context, logger, webRoot, ops, opsToken }: AppOptions) {
  const indexHtml = readIndexHtml(webRoot);
  // Behind the TLS proxy of the deployment guide, client addresses come from X-Forwarded-For.
  const app = createFastify(logger, { trustProxy: true });

  // Hard cap well above the protocol limit so an oversized message gets a protocol error, not a dropped socket.
  await app.register(fastifyWebsocket, { options: { maxPayload: Limits.maxMessageBytes * 16 } });
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: false,
    setHeaders(res, path) {
      if (path.includes(`${join('/', 'assets', '/')}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    },
  });

  registerExternalApiRoute(app);

  app.get('/ws', { websocket: true }, (socket, request) => {
    new SignallingConnection(socket, context, request.ip);
  });

  // Load balancers probe the public port, so health stays open here; the rest of the ops surface needs the token.
  registerHealthRoute(app, ops.ops);
  if (opsToken !== undefined) {
    await registerOpsSurface(app, ops, requireBearer('OPS_TOKEN', (credential) => safeEqual(credential, opsToken)));
  }

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);

  app.get('/', async (_request, reply) => sendIndex(reply));
  // The connectivity self-test page (a reserved name, so never a room).
  app.get('/selftest', async (_request, reply) => sendIndex(reply));
  app.get<{ Params: { room: string } }>('/:room', async (request, reply) => {
    const check = checkRoomName(request.params.room);
    if (!check.ok) return reply.code(400).type('text/html; charset=utf-8').send(invalidRoomPage(request.params.room, check.reason));
    return sendIndex(reply);
  });

  return app;
}

function readIndexHtml(webRoot: string): string {
  try {
    return readFileSync(join(webRoot, 'index.html'), 'utf8');
  } catch {
    throw new Error(`The web client is not built (no index.html in ${webRoot}). Run "npm start" or "npm run build" first.`);
  }
}
