import type { MediaBridge } from '@tertulia/media';

/**
 * The media workers' load as Jitsi Videobridge reports it: stress 1.0 means the workers
 * average CPU_LOAD_THRESHOLD of a core each. From there the server is overloaded: it
 * opens no new rooms and its health check steers load balancers elsewhere, while the
 * meetings already running go on.
 */
export class ServerLoad {
  constructor(
    private readonly bridge: MediaBridge,
    /** CPU_LOAD_THRESHOLD: a fraction of one core. */
    private readonly cpuThreshold: number,
  ) {}

  /** Mean worker CPU over the threshold, from the last stats sample (every few seconds); 0 before the first. */
  stress(): number {
    const cpu = this.bridge.stats().workers.flatMap((worker) => (worker.cpu === null ? [] : [worker.cpu]));
    return cpu.length > 0 ? cpu.reduce((total, value) => total + value, 0) / cpu.length / this.cpuThreshold : 0;
  }

  get overloaded(): boolean {
    return this.stress() >= 1;
  }
}
