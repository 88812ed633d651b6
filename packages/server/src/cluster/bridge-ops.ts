import type { BridgeNode, DrainMode } from '@tertulia/cluster';
import type { MediaBridge } from '@tertulia/media';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { jsonErrors, jsonNotFound } from '../http/error-reply.js';
import { createFastify } from '../http/fastify.js';
import { health, registerHealthRoute } from '../http/health.js';
import { jvbTimestamp, mediaColibriStats } from '../ops/colibri-stats.js';
import { Metrics } from '../ops/metrics.js';
import { ServerLoad } from '../ops/server-load.js';

export interface BridgeOpsOptions {
  bridge: MediaBridge;
  node: BridgeNode;
  /** BRIDGE_DRAIN_MODE: what POST /colibri/drain/enable does with the rooms. */
  drainMode: DrainMode;
  /** Called once a drain has emptied the bridge: the process then exits, as a draining JVB does. */
  onDrained(): void;
  cpuThreshold: number;
  version: string;
  logger: Logger;
  host: string;
  port: number;
}

/**
 * A media bridge's operations listener, JVB's where they overlap: `/about/health`,
 * `/colibri/stats` (the bridge's own rooms and traffic), `/metrics` (the same figures for
 * Prometheus) and `/colibri/drain/enable|disable`.
 */
export async function startBridgeOps(options: BridgeOpsOptions): Promise<FastifyInstance> {
  const { bridge, node } = options;
  const load = new ServerLoad(bridge, options.cpuThreshold);
  const state = { bridge, load, server: { get draining() { return node.draining; } } };
  const app = createFastify(options.logger, { trustProxy: false });
  jsonErrors(app);
  jsonNotFound(app);
  registerHealthRoute(app, state);
  // Both read one function, so /metrics and /colibri/stats cannot drift apart.
  const stats = () => bridgeColibriStats(options, load, health(state).healthy);
  const metrics = new Metrics(stats);
  app.get('/colibri/stats', async () => stats());
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));
  app.post('/colibri/drain/enable', async () => {
    // A drain cancelled by /colibri/drain/disable ends with false: the bridge stays.
    void node.drain(options.drainMode).then((drained) => drained && options.onDrained());
    return { drain: true, mode: options.drainMode };
  });
  app.post('/colibri/drain/disable', async (_request, reply) => {
    if (node.undrain() || !node.draining) return { drain: false };
    return reply.code(409).send({ error: 'This bridge has already let its rooms move away (BRIDGE_DRAIN_MODE=move); it is shutting down.' });
  });
  await app.listen({ host: options.host, port: options.port });
  return app;
}

/** The bridge's own `/colibri/stats`: its rooms and traffic, with no signalling-side figures. */
function bridgeColibriStats(options: BridgeOpsOptions, load: ServerLoad, healthy: boolean) {
  const { bridge, node } = options;
  const media = bridge.stats();
  const endpoints = media.rooms.reduce((total, room) => total + room.endpoints, 0);
  return {
    conferences: media.rooms.length,
    participants: endpoints,
    endpoints,
    local_endpoints: endpoints,
    largest_conference: Math.max(0, ...media.rooms.map((room) => room.endpoints)),
    ...mediaColibriStats(media),
    stress_level: load.stress(),
    graceful_shutdown: node.draining,
    drain: node.draining,
    healthy,
    current_timestamp: jvbTimestamp(new Date()),
    version: options.version,
    relay_id: node.id,
  };
}
