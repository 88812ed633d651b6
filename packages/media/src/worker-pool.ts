import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';

export interface ListenAddress {
  /** Local address to bind (e.g. 0.0.0.0 or 127.0.0.1). */
  ip: string;
  /** Address put in ICE candidates when it differs from `ip` (NAT, 0.0.0.0). */
  announcedAddress?: string;
}

export interface WorkerPoolOptions {
  workers: number;
  listen: ListenAddress[];
  /** Worker i listens on rtcPort + i, UDP and TCP: one media port per worker for all its participants. 0 = any free ports (tests). */
  rtcPort: number;
  logger: Logger;
  onWorkerDied: (pid: number, error: Error) => void;
}

/** A live worker and the WebRtcServer every transport on it shares. */
export interface PooledWorker {
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  /** Participants currently placed on this worker; the pool balances on it. */
  load: number;
}

/**
 * Runs one mediasoup worker per slot, each with its own WebRtcServer, and
 * replaces a worker that dies so the slot (and its port) comes back.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #slots: Array<PooledWorker | undefined>;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#slots = new Array<PooledWorker | undefined>(options.workers).fill(undefined);
  }

  async start(): Promise<void> {
    await Promise.all(this.#slots.map((_, index) => this.#spawn(index)));
  }

  /** The live worker with the fewest participants. */
  leastLoaded(): PooledWorker {
    let best: PooledWorker | undefined;
    for (const slot of this.#slots) {
      if (slot && (!best || slot.load < best.load)) best = slot;
    }
    if (!best) throw new Error('No media worker is running.');
    return best;
  }

  /** Every slot in order; undefined where the worker is dead and not yet replaced. */
  workers(): ReadonlyArray<PooledWorker | undefined> {
    return this.#slots;
  }

  healthy(): boolean {
    return !this.#closed && this.#slots.every((slot) => slot !== undefined);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) slot?.worker.close();
    this.#slots.fill(undefined);
  }

  async #spawn(index: number): Promise<void> {
    const { listen, rtcPort, logger } = this.#options;
    const port = rtcPort === 0 ? undefined : rtcPort + index;
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: listen.flatMap(({ ip, announcedAddress }) =>
        (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip, announcedAddress, port })),
      ),
    });
    // The pool closed while this worker started (a replacement under way at shutdown): it would outlive the pool.
    if (this.#closed) {
      worker.close();
      return;
    }
    this.#slots[index] = { worker, webRtcServer, load: 0 };
    logger.info({ pid: worker.pid, port, listen }, 'media worker ready');

    worker.on('died', (error) => {
      this.#slots[index] = undefined;
      logger.error({ pid: worker.pid, err: error }, 'media worker died');
      this.#options.onWorkerDied(worker.pid, error);
      if (this.#closed) return;
      // The dead worker's port is free again; retry until a replacement starts.
      const respawn = (): void => {
        if (this.#closed) return;
        this.#spawn(index).catch((err: unknown) => {
          logger.error({ err }, 'could not replace media worker; retrying in 2 s');
          setTimeout(respawn, 2000).unref();
        });
      };
      respawn();
    });
  }
}
