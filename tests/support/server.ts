import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startServer, type RunningServer } from '@tertulia/server';

/**
 * Starts a real Tertulia server in this process on free ports (public and ops), media on
 * loopback only, and its files (accounts, recordings) in a fresh temporary folder.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tertulia-test-data-')),
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
