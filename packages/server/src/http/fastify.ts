import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';

/**
 * A fastify instance that logs through the server's pino logger. Per-request logs
 * would drown the meeting events that matter; errors are still logged.
 */
export function createFastify(
  logger: Logger,
  { trustProxy, serverFactory }: { trustProxy: boolean | string[]; serverFactory?: FastifyServerFactory | undefined },
): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = logger;
  return Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy,
    ...(serverFactory ? { serverFactory } : {}),
  }) as unknown as FastifyInstance;
}
