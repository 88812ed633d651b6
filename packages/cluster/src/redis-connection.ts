import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection, once it is up. Later it fails commands at once while Redis is down
 * (instead of queueing them, which would hold a new meeting's start for as long as the
 * outage lasts) and reconnects by itself.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Cannot reach Redis at ${redactUrl(url)} (REDIS_URL): ${(error as Error).message}. Is redis-server running there?`);
  }
  let down = false;
  redis.on('error', (error) => {
    if (!down) logger.warn({ err: error, redis: redactUrl(url) }, 'Redis unreachable; reconnecting');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ redis: redactUrl(url) }, 'Redis reachable again');
    down = false;
  });
  return redis;
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
