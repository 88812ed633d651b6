import { EventEmitter } from 'node:events';
import type { DtlsParameters } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { MediaBridge, MediaBridgeEvents } from './bridge.js';
import { ROOM_MEDIA_CODECS } from './codecs.js';
import { ConnectivityProbes, type ProbeOptions, type ProbeSet } from './connectivity-probes.js';
import type { MediaStats } from './media-stats.js';
import { MediasoupRoom } from './mediasoup-room.js';
import { MediaStatsCollector } from './stats-collector.js';
import { WorkerPool, type ListenAddress } from './worker-pool.js';

export interface MediasoupBridgeOptions {
  workers: number;
  listen: ListenAddress[];
  rtcPort: number;
  /** Where pipes to other bridges listen (cascade); the first listen address when not given. */
  pipeListen?: ListenAddress | undefined;
  logger: Logger;
}

/** The in-process media bridge: a pool of mediasoup workers; each room gets a router on the least-loaded one. */
export class MediasoupBridge extends EventEmitter<MediaBridgeEvents> implements MediaBridge<MediasoupRoom> {
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #rooms = new Set<MediasoupRoom>();
  readonly #stats: MediaStatsCollector;
  readonly #probes: ConnectivityProbes;
  readonly #pipeListen: ListenAddress;
  #closed = false;

  static async start(options: MediasoupBridgeOptions): Promise<MediasoupBridge> {
    const bridge = new MediasoupBridge(options);
    await bridge.#pool.start();
    return bridge;
  }

  private constructor(options: MediasoupBridgeOptions) {
    super();
    this.#logger = options.logger;
    this.#pipeListen = options.pipeListen ?? options.listen[0]!;
    this.#pool = new WorkerPool({
      ...options,
      onWorkerDied: (pid, error) => this.emit('workerDied', pid, error),
    });
    this.#stats = new MediaStatsCollector(() => this.#rooms, this.#pool, options.logger);
    this.#probes = new ConnectivityProbes(this.#pool, options.logger.child({ component: 'probes' }));
  }

  async createRoom(roomKey: string): Promise<MediasoupRoom> {
    const worker = this.#pool.leastLoaded();
    const room = await MediasoupRoom.create(roomKey, worker, ROOM_MEDIA_CODECS, this.#pipeListen, this.#stats, this.#logger.child({ room: roomKey }));
    this.#rooms.add(room);
    room.once('closed', () => this.#rooms.delete(room));
    return room;
  }

  healthy(): boolean {
    return this.#pool.healthy();
  }

  stats(): MediaStats {
    return this.#stats.snapshot();
  }

  createProbes(options: ProbeOptions): Promise<ProbeSet> {
    return this.#probes.create(options);
  }

  connectProbe(probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    return this.#probes.connect(probeId, dtlsParameters);
  }

  closeProbes(probeIds: string[]): void {
    this.#probes.close(probeIds);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#probes.closeAll();
    this.#stats.close();
    for (const room of this.#rooms) room.close();
    this.#rooms.clear();
    this.#pool.close();
  }
}
