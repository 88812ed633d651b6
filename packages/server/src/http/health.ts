import type { FastifyInstance } from 'fastify';
import type { OpsContext } from '../ops/ops-context.js';

export interface Health {
  healthy: boolean;
  status: 'healthy' | 'draining' | 'unhealthy' | 'overloaded';
}

/**
 * Unhealthy while a media worker is dead and not yet replaced; draining once shutdown began;
 * overloaded while stress_level is at 1 or more (no new meetings here, running ones go on).
 */
export function health({ bridge, server, load }: Pick<OpsContext, 'bridge' | 'server' | 'load'>): Health {
  if (server.draining) return { healthy: false, status: 'draining' };
  if (!bridge.healthy()) return { healthy: false, status: 'unhealthy' };
  return load.overloaded ? { healthy: false, status: 'overloaded' } : { healthy: true, status: 'healthy' };
}

/** `GET /about/health`: 200 or 503, for load balancers (public) and monitoring (ops listener). */
export function registerHealthRoute(app: FastifyInstance, ops: Pick<OpsContext, 'bridge' | 'server' | 'load'>): void {
  app.get('/about/health', async (_request, reply) => {
    const { healthy, status } = health(ops);
    return reply.code(healthy ? 200 : 503).send({ status });
  });
}
