import { createLogger, loadConfig, startServer, type RunningServer } from '@tertulia/server';

/** Starts a real Tertulia server in this process on free ports (public and ops), media on loopback only. */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    RTC_PORT: '0',
    RTC_LISTEN_IPS: '127.0.0.1',
    MEDIA_WORKERS: '1',
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    ...env,
  });
  return startServer(config, createLogger(config.LOG_LEVEL));
}
