import { createLogger, loadConfig, startServer } from '@tertulia/server';

/** `tertulia serve`: run the meeting server until SIGINT/SIGTERM. */
export async function serve(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const server = await startServer(config, logger);
  process.stderr.write(`\n  Tertulia is serving meetings at ${server.url}/<room>\n\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      server.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
