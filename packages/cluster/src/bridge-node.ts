import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BridgeService, bridgeChannelUrl, mediaStress, type CascadeLeg, type MediaBridge } from '@tertulia/media';
import type { Logger } from 'pino';
import { Heartbeat } from './heartbeat.js';
import { connectRedis, redactUrl } from './redis-connection.js';
import { Registry } from './registry.js';

export interface BridgeNodeOptions {
  /** The media bridge to serve (a MediasoupBridge, its workers started). */
  bridge: MediaBridge<CascadeLeg>;
  /** Address and port the bridge channel listens on. */
  host: string;
  port: number;
  /** How signalling nodes reach the channel (BRIDGE_URL); default ws://<advertisedHost>:<port> (wss:// with `tls`). */
  url?: string | undefined;
  /** The channel's own TLS: a PEM certificate chain and its key (BRIDGE_TLS_CERT_FILE, BRIDGE_TLS_KEY_FILE). */
  tls?: { certPem: string; keyPem: string } | undefined;
  /** The address in the default URL: one that other machines reach this one at. */
  advertisedHost: string;
  secret: string;
  redisUrl: string;
  region?: string | undefined;
  /** CPU_LOAD_THRESHOLD, for the stress it reports. */
  cpuThreshold: number;
  version: string;
  logger: Logger;
}

/** How a draining bridge lets its rooms go: moved to other bridges now, or left to end by themselves. */
export type DrainMode = 'move' | 'wait';

/** How often a draining bridge looks whether its last room has gone. */
const DRAIN_POLL_MS = 500;

/**
 * A media bridge as a member of a deployment: its MediaBridge served to signalling nodes
 * over the authenticated bridge channel, and its record (address, health, stress, load,
 * draining) kept fresh in the Redis registry for them to place rooms by.
 */
export class BridgeNode {
  #draining = false;
  /** A 'move' drain closed the channel: nothing to take rooms with any more. */
  #channelClosed = false;
  #closed = false;
  #drained: Promise<boolean> | undefined;

  private constructor(
    readonly id: string,
    /** Where signalling nodes connect. */
    readonly url: string,
    private readonly bridge: MediaBridge<CascadeLeg>,
    private readonly service: BridgeService,
    private readonly heartbeat: Heartbeat<'bridge'>,
    private readonly redis: { disconnect(): void },
    private readonly logger: Logger,
  ) {}

  static async start(options: BridgeNodeOptions): Promise<BridgeNode> {
    const { bridge, logger } = options;
    const id = `${hostname()}-${randomBytes(3).toString('hex')}`;
    const service = await BridgeService.start({
      bridge,
      host: options.host,
      port: options.port,
      secret: options.secret,
      tls: options.tls,
      logger: logger.child({ component: 'bridge-channel' }),
    });
    const url = options.url ?? bridgeChannelUrl(options.advertisedHost, service.port, options.tls !== undefined);
    const redis = await connectRedis(options.redisUrl, logger).catch(async (error: Error) => {
      await service.close();
      throw error;
    });
    const startedAt = Date.now();
    let node: BridgeNode | undefined;
    const heartbeat = new Heartbeat(
      new Registry(redis),
      'bridge',
      () => {
        const stats = bridge.stats();
        return {
          id,
          url,
          region: options.region,
          version: options.version,
          startedAt,
          draining: node?.draining ?? false,
          healthy: bridge.healthy(),
          stress: mediaStress(stats, options.cpuThreshold),
          workers: stats.workers.length,
          rooms: stats.rooms.length,
          endpoints: stats.rooms.reduce((total, room) => total + room.endpoints, 0),
          packetsPerSecond: stats.rates.packetsReceivedPerSecond + stats.rates.packetsSentPerSecond,
        };
      },
      logger.child({ component: 'registry' }),
    );
    try {
      await heartbeat.start();
    } catch (error) {
      await service.close();
      redis.disconnect();
      throw new Error(`Cannot register this bridge in Redis at ${redactUrl(options.redisUrl)}: ${(error as Error).message}`);
    }
    node = new BridgeNode(id, url, bridge, service, heartbeat, redis, logger);
    logger.info({ id, url, region: options.region ?? null }, 'media bridge registered');
    return node;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Takes no new rooms (the registry says so at once). With 'move' the signalling nodes are
   * let go now, so each moves its rooms to another bridge and their browsers reconnect; with
   * 'wait' the rooms run until they end. Resolves true once the bridge holds no room, or
   * false when the drain was cancelled first (undrain).
   */
  drain(mode: DrainMode): Promise<boolean> {
    if (this.#drained) return this.#drained;
    this.#draining = true;
    this.logger.info({ mode, rooms: this.bridge.stats().rooms.length }, 'draining: no new rooms');
    this.#drained = (async () => {
      await this.heartbeat.beat();
      if (mode === 'move') {
        this.#channelClosed = true;
        await this.service.close();
      }
      while (this.#draining && this.bridge.stats().rooms.length > 0) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      if (this.#draining) this.logger.info('drained: no rooms left');
      return this.#draining;
    })();
    return this.#drained;
  }

  /** Takes rooms again; only while a 'wait' drain still has rooms (a 'move' drain has let its nodes go). */
  undrain(): boolean {
    if (!this.#draining || this.#channelClosed) return false;
    this.#draining = false;
    this.#drained = undefined;
    void this.heartbeat.beat();
    this.logger.info('drain cancelled: taking new rooms again');
    return true;
  }

  /** Leaves the registry, closes the channel (the rooms on it end) and the Redis connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.heartbeat.stop();
    await this.service.close();
    this.redis.disconnect();
  }
}
