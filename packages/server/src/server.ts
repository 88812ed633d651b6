import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MediasoupBridge } from '@tertulia/media';
import type { Logger } from 'pino';
import { mediaListenAddresses, type Config } from './config.js';
import { buildApp } from './http/app.js';
import { RoomRegistry } from './rooms/room-registry.js';
import type { ServerContext } from './signalling/connection.js';

export interface RunningServer {
  /** http://host:port the server listens on. */
  readonly url: string;
  readonly registry: RoomRegistry;
  /** Stops taking joins, closes rooms and media, and stops listening. Idempotent. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Starts media workers and the HTTP/WebSocket server from a validated config. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const listen = mediaListenAddresses(config);
  const bridge = await MediasoupBridge.start({
    workers: config.MEDIA_WORKERS,
    listen,
    rtcPort: config.RTC_PORT,
    logger: logger.child({ component: 'media' }),
  });
  const registry = new RoomRegistry(bridge, logger.child({ component: 'rooms' }));
  const context: ServerContext = {
    registry,
    logger: logger.child({ component: 'signalling' }),
    reconnectGraceMs: config.RECONNECT_GRACE_SECONDS * 1000,
    draining: false,
  };
  const version = (require('../package.json') as { version: string }).version;
  const app = await buildApp({
    context,
    logger,
    webRoot: config.WEB_ROOT ?? defaultWebRoot(),
    version,
    healthy: () => bridge.healthy(),
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  const { port } = app.server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, mediaPorts: `${config.RTC_PORT}-${config.RTC_PORT + config.MEDIA_WORKERS - 1}`, listen }, 'Tertulia is ready');

  let closing: Promise<void> | undefined;
  return {
    url,
    registry,
    close() {
      closing ??= (async () => {
        context.draining = true;
        registry.closeAll();
        await app.close();
        await bridge.close();
      })();
      return closing;
    },
  };
}

function defaultWebRoot(): string {
  return join(dirname(require.resolve('@tertulia/web/package.json')), 'dist');
}
