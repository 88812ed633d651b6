import { createLogger, loadConfig, startBridgeProcess } from '@tertulia/server';

export const BRIDGE_USAGE = `tertulia bridge
  Run a media bridge for a deployment of several machines: media workers that
  signalling nodes (tertulia serve with the same REDIS_URL) place rooms on.
  Needs REDIS_URL and BRIDGE_SECRET; listens on BRIDGE_HOST:BRIDGE_PORT
  (default 0.0.0.0:8090) and is reached at BRIDGE_URL (default ws://<this
  machine's first address>:BRIDGE_PORT; wss:// with BRIDGE_TLS_CERT_FILE and
  BRIDGE_TLS_KEY_FILE, whose CA nodes trust, or BRIDGE_TLS_CA_FILE on them).
  Media settings as for serve
  (MEDIA_WORKERS, RTC_PORT, PUBLIC_IP, RTC_LISTEN_IPS). SIGTERM or
  POST /colibri/drain/enable on OPS_HOST:OPS_PORT drains it (BRIDGE_DRAIN_MODE:
  move its rooms to other bridges, or wait for them to end), then it exits;
  SIGINT stops it at once. README "Scaling out".`;

/** `tertulia bridge`: serve media to signalling nodes until drained or stopped. */
export async function bridge(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const running = await startBridgeProcess(config, logger);
  process.stderr.write(`\n  Tertulia media bridge ${running.node.id} is serving signalling nodes at ${running.node.url} (operations: ${running.opsUrl})\n\n`);
  await new Promise<void>((resolve) => {
    void running.drained.then(resolve);
    process.once('SIGTERM', () => {
      logger.info({ mode: config.BRIDGE_DRAIN_MODE }, 'SIGTERM: draining, then exiting');
      void running.drain();
    });
    process.once('SIGINT', () => {
      logger.info('SIGINT: stopping now');
      resolve();
    });
  });
  await running.close();
  return 0;
}
