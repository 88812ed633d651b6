import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * A fastify instance that logs through the server's pino logger. Per-request logs
 * would drown the meeting events that matter; errors are still logged.
 */
export function createFastify(logger: Logger, { trustProxy }: { trustProxy: boolean | string[] }): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = logger;
  return Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }), trustProxy });
}
