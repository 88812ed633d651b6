import { mediaStress, type MediaBridge } from '@tertulia/media';

/** JVB's recovery threshold over its load threshold (0.72 / 0.9): load must fall this far before new meetings are taken again. */
const RECOVERY_STRESS = 0.8;

/**
 * The media workers' load as Jitsi Videobridge reports it: stress 1.0 means the workers
 * average CPU_LOAD_THRESHOLD of a core each. From there the server is overloaded: it
 * opens no new rooms and its health check steers load balancers elsewhere, while the
 * meetings already running go on. It stays overloaded until stress falls below
 * RECOVERY_STRESS, so health does not flip with every CPU sample near the threshold.
 */
export class ServerLoad {
  #overloaded = false;

  constructor(
    private readonly bridge: MediaBridge,
    /** CPU_LOAD_THRESHOLD: a fraction of one core. */
    private readonly cpuThreshold: number,
  ) {}

  /** Mean worker CPU over the threshold, from the last stats sample (every few seconds); 0 before the first. */
  stress(): number {
    return mediaStress(this.bridge.stats(), this.cpuThreshold);
  }

  get overloaded(): boolean {
    const stress = this.stress();
    this.#overloaded = stress >= 1 || (this.#overloaded && stress >= RECOVERY_STRESS);
    return this.#overloaded;
  }
}
