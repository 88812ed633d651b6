import { ErrorCode, ProtocolError, type DtlsParameters, type ProbeCheck, type ProbeTransport, type RtpCapabilities } from '@tertulia/protocol';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { ROOM_MEDIA_CODECS } from './codecs.js';
import type { PooledWorker, WorkerPool } from './worker-pool.js';

/** What the connectivity self-test gets: transports to connect to, and what the probe router speaks. */
export interface ProbeSet {
  rtpCapabilities: RtpCapabilities;
  probes: ProbeTransport[];
}

export interface ProbeOptions {
  /** Also a UDP transport for the browser to reach through a TURN relay. */
  relay: boolean;
}

/** A probe that is not connected within this time is closed; a connected one too (the test is over by then). */
const PROBE_LIFETIME_MS = 30_000;
/** Probes open at once, server-wide: a ceiling on what self-tests can cost, whatever the rate limits let through. */
const MAX_OPEN_PROBES = 120;

/**
 * Transports for the connectivity self-test. Each one is a WebRtcTransport on the
 * worker's WebRtcServer (so on the very media port participants use) that accepts
 * only UDP or only TCP: if the browser's ICE and DTLS complete on it, that protocol
 * reaches the media port. The transports live on a small router per worker that
 * carries no media, and close by themselves after half a minute.
 */
export class ConnectivityProbes {
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #routers = new WeakMap<types.Worker, Promise<types.Router>>();
  readonly #open = new Map<string, types.WebRtcTransport>();

  constructor(pool: WorkerPool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  async create({ relay }: ProbeOptions): Promise<ProbeSet> {
    const workers = this.#pool.workers().filter((slot): slot is PooledWorker => slot !== undefined);
    if (workers.length === 0) throw new ProtocolError(ErrorCode.Internal, 'No media worker is running.');
    const wanted = workers.length * 2 + (relay ? 1 : 0);
    if (this.#open.size + wanted > MAX_OPEN_PROBES) {
      throw new ProtocolError(ErrorCode.RateLimited, 'Many connectivity tests are running right now; try again in half a minute.');
    }
    const plan: Array<{ slot: PooledWorker; check: ProbeCheck }> = workers.flatMap((slot) => [
      { slot, check: 'udp' as const },
      { slot, check: 'tcp' as const },
    ]);
    if (relay) plan.push({ slot: workers[0]!, check: 'relay' as const });
    const created = await Promise.all(plan.map(({ slot, check }) => this.#probe(slot, check)));
    const router = await this.#router(workers[0]!);
    return { rtpCapabilities: router.rtpCapabilities as RtpCapabilities, probes: created };
  }

  async connect(probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const transport = this.#open.get(probeId);
    if (!transport) throw new ProtocolError(ErrorCode.NotFound, 'That connectivity probe has expired; run the test again.');
    try {
      await transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
    } catch (error) {
      throw new ProtocolError(ErrorCode.MediaError, error instanceof Error ? error.message : String(error));
    }
  }

  close(probeIds: Iterable<string>): void {
    for (const id of probeIds) this.#open.get(id)?.close();
  }

  closeAll(): void {
    this.close([...this.#open.keys()]);
  }

  async #probe(slot: PooledWorker, check: ProbeCheck): Promise<ProbeTransport> {
    const router = await this.#router(slot);
    const transport = await router.createWebRtcTransport({
      webRtcServer: slot.webRtcServer,
      enableUdp: check !== 'tcp',
      enableTcp: check === 'tcp',
      enableSctp: true,
      appData: { probe: check },
    });
    this.#open.set(transport.id, transport);
    const timer = setTimeout(() => transport.close(), PROBE_LIFETIME_MS);
    timer.unref();
    transport.observer.once('close', () => {
      clearTimeout(timer);
      this.#open.delete(transport.id);
    });
    const candidate = transport.iceCandidates.find((c) => c.protocol === (check === 'tcp' ? 'tcp' : 'udp'));
    return {
      id: transport.id,
      check,
      port: candidate?.port ?? 0,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters as DtlsParameters,
      sctpParameters: transport.sctpParameters!,
    };
  }

  /** One router per worker for probes, made on first use; a replaced worker gets a new one. */
  #router(slot: PooledWorker): Promise<types.Router> {
    let router = this.#routers.get(slot.worker);
    if (!router) {
      router = slot.worker.createRouter({ mediaCodecs: ROOM_MEDIA_CODECS });
      router.catch((err: unknown) => {
        this.#logger.warn({ err }, 'could not create the connectivity probe router');
        this.#routers.delete(slot.worker);
      });
      this.#routers.set(slot.worker, router);
    }
    return router;
  }
}
