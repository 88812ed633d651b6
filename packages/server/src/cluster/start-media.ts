import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BridgeNode, ClusterMediaBridge, connectRedis, Registry, type Redis } from '@tertulia/cluster';
import { MediasoupBridge, type MediaBridge } from '@tertulia/media';
import type { Logger } from 'pino';
import type { AddressInfo } from 'node:net';
import { bridgeAdvertisedHost, mediaListenAddresses, pipeListenAddress, readSettingFile, type Config } from '../config.js';
import { readCertificatePair } from '../tls/file-certificates.js';
import { startBridgeOps } from './bridge-ops.js';
import { version } from '../version.js';

/** The media a signalling node uses, and what it takes to stop it. */
export interface StartedMedia {
  bridge: MediaBridge;
  /** With REDIS_URL: the deployment's registry, this node's id in it, and the Redis connection it reads through. */
  cluster?: { registry: Registry; nodeId: string; redis: Redis } | undefined;
  /** Idempotent. */
  close(): Promise<void>;
}

/**
 * Without REDIS_URL, media workers in this process, as always. With it, the rooms go to the
 * bridges listed in Redis; this process's own workers (MEDIA_WORKERS > 0) become one of
 * those bridges, registered and reached like any other.
 */
export async function startMedia(config: Config, logger: Logger): Promise<StartedMedia> {
  if (config.REDIS_URL === undefined) {
    const bridge = await startLocalBridge(config, logger);
    return { bridge, close: () => bridge.close() };
  }
  const secret = config.BRIDGE_SECRET!;
  // Before anything starts: a wrong path is the first thing to hear of.
  const ca = config.BRIDGE_TLS_CA_FILE === undefined ? undefined : readSettingFile(config.BRIDGE_TLS_CA_FILE, 'BRIDGE_TLS_CA_FILE');
  const redis = await connectRedis(config.REDIS_URL, logger.child({ component: 'redis' }));
  let own: { bridge: MediasoupBridge; node: BridgeNode } | undefined;
  try {
    if (config.MEDIA_WORKERS > 0) own = await startBridge(config, logger);
    const registry = new Registry(redis);
    const nodeId = `${hostname()}-${randomBytes(3).toString('hex')}`;
    const bridge = await ClusterMediaBridge.start({
      registry,
      secret,
      nodeId,
      ca,
      region: config.REGION,
      maxParticipantsPerBridge: config.BRIDGE_MAX_PARTICIPANTS,
      logger: logger.child({ component: 'media' }),
    });
    logger.info({ nodeId, bridges: bridge.bridges.length, ownBridge: own?.node.url ?? null }, 'using the media bridges in Redis');
    return {
      bridge,
      cluster: { registry, nodeId, redis },
      async close() {
        await bridge.close();
        await own?.node.close();
        await own?.bridge.close();
        redis.disconnect();
      },
    };
  } catch (error) {
    await own?.node.close();
    await own?.bridge.close();
    redis.disconnect();
    throw error;
  }
}

/** This machine's media workers, served to signalling nodes and registered in Redis (`tertulia bridge`). */
export async function startBridge(config: Config, logger: Logger): Promise<{ bridge: MediasoupBridge; node: BridgeNode }> {
  if (config.REDIS_URL === undefined || config.BRIDGE_SECRET === undefined) {
    throw new Error('A media bridge needs REDIS_URL (where signalling nodes find it) and BRIDGE_SECRET (the secret they share with it).');
  }
  if (config.MEDIA_WORKERS === 0) throw new Error('A media bridge needs media workers: set MEDIA_WORKERS to 1 or more (default: one per core).');
  // Before the workers start: a certificate problem is the first thing to hear of.
  const tls = config.BRIDGE_TLS_CERT_FILE
    ? await readCertificatePair(config.BRIDGE_TLS_CERT_FILE, config.BRIDGE_TLS_KEY_FILE!, { cert: 'BRIDGE_TLS_CERT_FILE', key: 'BRIDGE_TLS_KEY_FILE' })
    : undefined;
  const bridge = await startLocalBridge(config, logger);
  try {
    const node = await BridgeNode.start({
      bridge,
      host: config.BRIDGE_HOST,
      port: config.BRIDGE_PORT,
      url: config.BRIDGE_URL,
      tls,
      advertisedHost: bridgeAdvertisedHost(config),
      secret: config.BRIDGE_SECRET,
      redisUrl: config.REDIS_URL,
      region: config.REGION,
      cpuThreshold: config.CPU_LOAD_THRESHOLD,
      version,
      logger: logger.child({ component: 'bridge' }),
    });
    return { bridge, node };
  } catch (error) {
    await bridge.close();
    throw error;
  }
}

function startLocalBridge(config: Config, logger: Logger): Promise<MediasoupBridge> {
  return MediasoupBridge.start({
    workers: config.MEDIA_WORKERS,
    listen: mediaListenAddresses(config),
    rtcPort: config.RTC_PORT,
    pipeListen: config.REDIS_URL === undefined ? undefined : pipeListenAddress(config),
    logger: logger.child({ component: 'media' }),
  });
}

export interface BridgeProcess {
  readonly node: BridgeNode;
  /** http://host:port of its operations listener. */
  readonly opsUrl: string;
  /** Resolves once a drain (POST /colibri/drain/enable, or `drain()`) has emptied the bridge. */
  readonly drained: Promise<void>;
  /** Drains as BRIDGE_DRAIN_MODE says (SIGTERM). */
  drain(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** `tertulia bridge`: a media bridge, its registration, and its operations listener (health, stats, drain). */
export async function startBridgeProcess(config: Config, logger: Logger): Promise<BridgeProcess> {
  const { bridge, node } = await startBridge(config, logger);
  let resolveDrained!: () => void;
  const drained = new Promise<void>((resolve) => (resolveDrained = resolve));
  let ops;
  try {
    ops = await startBridgeOps({
      bridge,
      node,
      drainMode: config.BRIDGE_DRAIN_MODE,
      onDrained: resolveDrained,
      cpuThreshold: config.CPU_LOAD_THRESHOLD,
      version,
      logger: logger.child({ component: 'ops' }),
      host: config.OPS_HOST,
      port: config.OPS_PORT,
    });
  } catch (error) {
    await node.close();
    await bridge.close();
    throw error;
  }
  const { port } = ops.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    node,
    opsUrl: `http://${config.OPS_HOST}:${port}`,
    drained,
    drain: () =>
      node.drain(config.BRIDGE_DRAIN_MODE).then((drained) => {
        if (drained) resolveDrained();
      }),
    close() {
      closing ??= (async () => {
        await ops.close();
        await node.close();
        await bridge.close();
      })();
      return closing;
    },
  };
}
