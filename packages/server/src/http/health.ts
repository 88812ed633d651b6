import type { FastifyInstance } from 'fastify';
import type { OpsContext } from '../ops/ops-context.js';

export interface Health {
  healthy: boolean;
  status: 'healthy' | 'draining' | 'unhealthy';
}

/** Unhealthy while a media worker is dead and not yet replaced; draining once shutdown began. */
export function health({ bridge, server }: Pick<OpsContext, 'bridge' | 'server'>): Health {
  if (server.draining) return { healthy: false, status: 'draining' };
  return bridge.healthy() ? { healthy: true, status: 'healthy' } : { healthy: false, status: 'unhealthy' };
}

/** `GET /about/health`: 200 or 503, for load balancers (public) and monitoring (ops listener). */
export function registerHealthRoute(app: FastifyInstance, ops: Pick<OpsContext, 'bridge' | 'server'>): void {
  app.get('/about/health', async (_request, reply) => {
    const { healthy, status } = health(ops);
    return reply.code(healthy ? 200 : 503).send({ status });
  });
}
