import { createLogger, loadConfig, startServer } from '@tertulia/server';

/** `tertulia serve`: run the meeting server until SIGINT/SIGTERM (SIGTERM with REDIS_URL: its meetings go to the other nodes first). */
export async function serve(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const server = await startServer(config, logger);
  process.stderr.write(`\n  Tertulia is serving meetings at ${server.url}/<room>\n\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      const handOver = signal === 'SIGTERM' && server.drain ? server.drain() : Promise.resolve();
      handOver
        .catch((err: unknown) => logger.error({ err }, 'could not hand the meetings over; they end here'))
        .then(() => server.close())
        .then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
