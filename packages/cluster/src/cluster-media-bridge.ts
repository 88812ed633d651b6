import { EventEmitter } from 'node:events';
import { ErrorCode, ProtocolError, type DtlsParameters } from '@tertulia/protocol';
import { BridgeConnection, type MediaBridge, type RemoteMediaRoom, type MediaBridgeEvents, type MediaRoom, type MediaStats, type ProbeSet } from '@tertulia/media';
import type { Logger } from 'pino';
import { selectBridge, usable, withPlacedRooms } from './bridge-selection.js';
import { ClusterMediaRoom, type Leg, type LegPlacement } from './cluster-media-room.js';
import { HEARTBEAT_MS, RECORD_TTL_MS } from './heartbeat.js';
import { mergeMediaStats } from './merge-stats.js';
import type { BridgeRecord, Registry } from './registry.js';

export interface ClusterMediaBridgeOptions {
  registry: Registry;
  /** BRIDGE_SECRET: bridges accept only nodes that prove they know it. */
  secret: string;
  /** This signalling node's id, as bridges log and count it. */
  nodeId: string;
  /** REGION: bridges in it are preferred for new rooms. */
  region?: string | undefined;
  /**
   * BRIDGE_MAX_PARTICIPANTS (jicofo's max-bridge-participants): a bridge with this many
   * participants takes no more; a meeting on it that grows spans another bridge. Unset: no limit.
   */
  maxParticipantsPerBridge?: number | undefined;
  /** PEM CA certificates to trust for bridges at wss:// addresses (BRIDGE_TLS_CA_FILE). */
  ca?: string | undefined;
  logger: Logger;
}

/**
 * The media bridge of a signalling node whose bridges are processes of their own
 * (`tertulia bridge`, here or on other machines), found in the Redis registry. Each new
 * room goes to the bridge `selectBridge` picks, over an authenticated connection that is
 * opened on first use and shared by every room placed there; a room that outgrows a full
 * bridge spans another (ClusterMediaRoom). Running rooms need only those connections, not
 * Redis: when Redis is down meetings go on and new ones are refused.
 */
export class ClusterMediaBridge extends EventEmitter<MediaBridgeEvents> implements MediaBridge {
  readonly #options: ClusterMediaBridgeOptions;
  readonly #connections = new Map<string, Promise<BridgeConnection>>();
  /** Connections that are open, for what must be answered synchronously (stats). */
  readonly #ready = new Set<BridgeConnection>();
  readonly #probeOwners = new Map<string, BridgeConnection>();
  readonly #rooms = new Set<ClusterMediaRoom>();
  #bridges: BridgeRecord[] = [];
  #listedAt = 0;
  /** Rooms this node placed in the last heartbeat period: the bridges' records may not show them yet. */
  #recentPlacements: Array<{ bridgeId: string; at: number }> = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  static async start(options: ClusterMediaBridgeOptions): Promise<ClusterMediaBridge> {
    const bridge = new ClusterMediaBridge(options);
    await bridge.#refresh();
    return bridge;
  }

  private constructor(options: ClusterMediaBridgeOptions) {
    super();
    this.#options = options;
  }

  /** The bridges as last read from the registry. */
  get bridges(): readonly BridgeRecord[] {
    return this.#bridges;
  }

  async createRoom(roomKey: string): Promise<MediaRoom> {
    const placement: LegPlacement = {
      place: (avoid, region) => this.#place(roomKey, avoid, region),
      hasCapacity: (bridgeId) => this.hasCapacity(bridgeId),
      regionOf: (bridgeId) => this.#bridges.find((bridge) => bridge.id === bridgeId)?.region,
      hasRoomIn: (region, avoid) => this.#bridges.some((bridge) => bridge.region === region && !avoid.has(bridge.id) && usable(bridge) && this.hasCapacity(bridge.id)),
    };
    const room = new ClusterMediaRoom(await placement.place(new Set()), placement, this.#options.logger.child({ room: roomKey }));
    this.#rooms.add(room);
    room.once('closed', () => this.#rooms.delete(room));
    return room;
  }

  /**
   * Whether a bridge may take one more participant: below full stress and, with
   * BRIDGE_MAX_PARTICIPANTS, below that many participants, counting those this node just
   * placed there, which the bridge's record (2 s old at most) may not show yet.
   */
  hasCapacity(bridgeId: string): boolean {
    const record = this.#bridges.find((bridge) => bridge.id === bridgeId);
    if (record && record.stress >= 1) return false;
    const max = this.#options.maxParticipantsPerBridge;
    if (max === undefined) return true;
    let placedHere = 0;
    for (const room of this.#rooms) placedHere += room.peersOn(bridgeId);
    return Math.max(record?.endpoints ?? 0, placedHere) < max;
  }

  /**
   * The room's media on the bridge `selectBridge` picks among those reachable and not in
   * `avoid`, preferring bridges with capacity and those of `region` (default: this node's REGION).
   */
  async #place(roomKey: string, avoid: ReadonlySet<string>, region = this.#options.region): Promise<Leg> {
    const since = Date.now() - HEARTBEAT_MS;
    this.#recentPlacements = this.#recentPlacements.filter((placement) => placement.at > since);
    const bridges = (await this.#list()).map((bridge) => withPlacedRooms(bridge, this.#recentPlacements.filter((placement) => placement.bridgeId === bridge.id).length));
    const tried = new Set(avoid);
    for (;;) {
      const untried = bridges.filter((bridge) => !tried.has(bridge.id));
      const chosen = selectBridge(untried.filter((bridge) => this.hasCapacity(bridge.id)), { region }) ?? selectBridge(untried, { region });
      if (!chosen) {
        throw new ProtocolError(
          ErrorCode.ServerBusy,
          tried.size > 0
            ? 'No media bridge could be reached for this meeting; try again in a moment.'
            : 'No media bridge is available for new meetings (none registered, or all draining or unhealthy); try again in a moment.',
        );
      }
      tried.add(chosen.id);
      // Counted before the first await: meetings opened at the same moment must see each other's choice.
      const placement = { bridgeId: chosen.id, at: Date.now() };
      this.#recentPlacements.push(placement);
      let room: RemoteMediaRoom;
      try {
        room = await (await this.#connect(chosen)).createRoom(roomKey);
      } catch (error) {
        this.#recentPlacements = this.#recentPlacements.filter((recent) => recent !== placement);
        this.#options.logger.warn({ err: error, bridge: chosen.id, url: chosen.url }, 'media bridge unreachable, or it could not make the room; trying another');
        continue;
      }
      this.#options.logger.info({ room: roomKey, bridge: chosen.id, stress: chosen.stress }, 'room placed on a media bridge');
      return { room, bridgeId: chosen.id };
    }
  }

  /** A bridge was listed in the registry less than a record's lifetime ago, and can take rooms. */
  healthy(): boolean {
    return Date.now() - this.#listedAt <= RECORD_TTL_MS && selectBridge(this.#bridges) !== undefined;
  }

  stats(): MediaStats {
    const samples: MediaStats[] = [];
    for (const connection of this.#ready) {
      const latest = connection.latestStats();
      if (latest) samples.push(latest);
    }
    return mergeMediaStats(samples, samples[0]?.intervalMs ?? HEARTBEAT_MS);
  }

  async createProbes(options: { relay: boolean }): Promise<ProbeSet> {
    const chosen = selectBridge(await this.#list(), { region: this.#options.region });
    if (!chosen) throw new ProtocolError(ErrorCode.ServerBusy, 'No media bridge is available to test against; try again in a moment.');
    const connection = await this.#connect(chosen);
    const set = await connection.createProbes(options);
    for (const probe of set.probes) this.#probeOwners.set(probe.id, connection);
    return set;
  }

  connectProbe(probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const owner = this.#probeOwners.get(probeId);
    if (!owner) return Promise.reject(new ProtocolError(ErrorCode.NotFound, `No connectivity probe "${probeId}".`));
    return owner.connectProbe(probeId, dtlsParameters);
  }

  closeProbes(probeIds: string[]): void {
    for (const probeId of probeIds) {
      this.#probeOwners.get(probeId)?.closeProbes([probeId]);
      this.#probeOwners.delete(probeId);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    const connections = await Promise.allSettled(this.#connections.values());
    for (const result of connections) if (result.status === 'fulfilled') result.value.close();
    this.#connections.clear();
    this.#ready.clear();
  }

  /** Fresh from Redis: a new room must not go to a bridge that left. */
  async #list(): Promise<BridgeRecord[]> {
    try {
      await this.#refresh();
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'registry (Redis) unreachable: new meetings are refused until it is back');
      throw new ProtocolError(
        ErrorCode.ServerBusy,
        'The deployment’s registry (Redis) cannot be reached, so no new meeting can start; meetings already running go on. Try again in a moment.',
      );
    }
    return this.#bridges;
  }

  async #refresh(): Promise<void> {
    clearTimeout(this.#timer);
    try {
      this.#bridges = await this.#options.registry.list('bridge');
      this.#listedAt = Date.now();
    } finally {
      if (!this.#closed) {
        this.#timer = setTimeout(() => void this.#refresh().catch(() => undefined), HEARTBEAT_MS);
        this.#timer.unref();
      }
    }
  }

  #connect(record: BridgeRecord): Promise<BridgeConnection> {
    const existing = this.#connections.get(record.id);
    if (existing) return existing;
    const { secret, nodeId, ca, logger } = this.#options;
    const opening = BridgeConnection.open({ url: record.url, secret, nodeId, ca, logger: logger.child({ bridge: record.id }) });
    this.#connections.set(record.id, opening);
    opening.then(
      (connection) => {
        this.#ready.add(connection);
        connection.once('closed', (reason) => {
          logger.warn({ bridge: record.id, reason }, 'connection to a media bridge lost; its rooms reconnect elsewhere');
          this.#ready.delete(connection);
          if (this.#connections.get(record.id) === opening) this.#connections.delete(record.id);
        });
      },
      () => {
        if (this.#connections.get(record.id) === opening) this.#connections.delete(record.id);
      },
    );
    return opening;
  }
}
