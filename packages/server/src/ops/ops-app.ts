import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { restApi } from '../api/rest-api.js';
import type { RestForwarding } from '../cluster/rest-forwarding.js';
import type { ApiAuthenticator } from '../http/auth.js';
import { jsonErrors, jsonNotFound } from '../http/error-reply.js';
import { createFastify } from '../http/fastify.js';
import { registerHealthRoute } from '../http/health.js';
import { colibriStats } from './colibri-stats.js';
import type { Metrics } from './metrics.js';
import type { OpsContext } from './ops-context.js';

/** Everything the operations endpoints need; one per server. */
export interface OpsSurface {
  ops: OpsContext;
  metrics: Metrics;
  auth: ApiAuthenticator;
  /** With several signalling nodes (REDIS_URL): the REST API answers for the meetings of every node. */
  forwarding?: RestForwarding | undefined;
}

/**
 * `/colibri/stats`, `/metrics` and `/about/version` (behind `guard` when given), and the
 * REST API under `/api/v1`, which always asks for an API key.
 */
export async function registerOpsSurface(app: FastifyInstance, surface: OpsSurface, guard?: onRequestHookHandler): Promise<void> {
  await app.register(async (scope) => {
    jsonErrors(scope);
    if (guard) scope.addHook('onRequest', guard);
    scope.get('/colibri/stats', async () => colibriStats(surface.ops));
    scope.get('/metrics', async (_request, reply) => reply.type(surface.metrics.contentType).send(await surface.metrics.render()));
    scope.get('/about/version', async () => ({ name: 'tertulia', version: surface.ops.version }));
  });
  await app.register(restApi, { prefix: '/api/v1', registry: surface.ops.registry, auth: surface.auth, forwarding: surface.forwarding });
}

export interface OpsAppOptions {
  surface: OpsSurface;
  /** A signalling node of several (REDIS_URL): `/colibri/drain/enable|disable` hand its meetings to the others, as a bridge drains. */
  drain?: { drain(): Promise<{ handedOver: number; kept: number }>; undrain(): void } | undefined;
  logger: Logger;
  host: string;
  port: number;
}

/**
 * The operations listener: a separate HTTP server meant for a private address.
 * Nothing here sits behind a proxy, so forwarded headers are not trusted.
 */
export async function startOpsApp({ surface, drain, logger, host, port }: OpsAppOptions): Promise<FastifyInstance> {
  const app = createFastify(logger, { trustProxy: false });
  jsonErrors(app);
  jsonNotFound(app);
  registerHealthRoute(app, surface.ops);
  if (drain) {
    app.post('/colibri/drain/enable', async () => ({ drain: true, ...(await drain.drain()) }));
    app.post('/colibri/drain/disable', async () => (drain.undrain(), { drain: false }));
  }
  await registerOpsSurface(app, surface);
  await app.listen({ host, port });
  return app;
}
