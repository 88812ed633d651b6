import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { Limits, checkRoomName } from '@tertulia/protocol';
import Fastify, { LogController, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { SignallingConnection, type ServerContext } from '../signalling/connection.js';
import { invalidRoomPage } from './pages.js';

export interface AppOptions {
  context: ServerContext;
  logger: Logger;
  webRoot: string;
  version: string;
  healthy: () => boolean;
}

/** The HTTP side: the web client, room URLs, the signalling WebSocket and health endpoints. */
export async function buildApp({ context, logger, webRoot, version, healthy }: AppOptions) {
  const indexHtml = readIndexHtml(webRoot);
  // Per-request logs would drown the meeting events that matter; errors are still logged.
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
  });

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

  app.get('/ws', { websocket: true }, (socket) => {
    new SignallingConnection(socket, context);
  });

  app.get('/about/health', async (_request, reply) => {
    const ok = healthy() && !context.draining;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'healthy' : context.draining ? 'draining' : 'unhealthy' });
  });
  app.get('/about/version', async () => ({ name: 'tertulia', version }));

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);

  app.get('/', async (_request, reply) => sendIndex(reply));
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
