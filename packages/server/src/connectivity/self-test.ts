import { randomBytes } from 'node:crypto';
import { ErrorCode, ProtocolError, type DtlsParameters, type SelfTestOffer } from '@tertulia/protocol';
import type { MediaBridge } from '@tertulia/media';
import { BucketsPer } from '../signalling/rate-limiter.js';
import type { IceServerIssuer } from './ice-servers.js';

/** Self-tests per address: a few in a row, then one every 20 s. Each issues TURN credentials and opens probe transports. */
const BURST = 4;
const EVERY_SECONDS = 20;
/** TURN credentials issued for a self-test only need to last the test. */
const SELF_TEST_TTL_SECONDS = 300;

/**
 * The server half of the connectivity self-test: probe transports on every media
 * port, and TURN credentials issued without joining a room. Rate-limited per
 * address, since it costs transports and hands out relay access.
 */
export class SelfTestService {
  readonly #bridge: MediaBridge;
  readonly #ice: IceServerIssuer;
  readonly #rate = new BucketsPer<string>(1 / EVERY_SECONDS, BURST);
  /** Which connection each open probe belongs to: only it may connect the probe. */
  readonly #owners = new Map<string, object>();

  constructor(bridge: MediaBridge, ice: IceServerIssuer) {
    this.#bridge = bridge;
    this.#ice = ice;
  }

  async offer(owner: object, address: string): Promise<SelfTestOffer> {
    if (!this.#rate.take(address)) {
      throw new ProtocolError(ErrorCode.RateLimited, `Connectivity tests are limited; wait ${EVERY_SECONDS} seconds and try again.`);
    }
    const { iceServers } = this.#ice.issue(`selftest-${randomLabel()}`, SELF_TEST_TTL_SECONDS);
    const { rtpCapabilities, probes } = await this.#bridge.createProbes({ relay: iceServers.length > 0 });
    for (const probe of probes) this.#owners.set(probe.id, owner);
    // Probes close themselves after a while; forget their owners by then too.
    setTimeout(() => probes.forEach((probe) => this.#owners.delete(probe.id)), 60_000).unref();
    return { rtpCapabilities, probes, iceServers, stunServers: [...this.#ice.stunUrls] };
  }

  async connect(owner: object, probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    if (this.#owners.get(probeId) !== owner) throw new ProtocolError(ErrorCode.NotFound, 'No such connectivity probe on this connection.');
    await this.#bridge.connectProbe(probeId, dtlsParameters);
  }

  /** Whether `owner` has probes open: its self-test is still running. */
  holds(owner: object): boolean {
    for (const o of this.#owners.values()) if (o === owner) return true;
    return false;
  }

  /** The connection closed: its probes go. */
  release(owner: object): void {
    const mine = [...this.#owners].filter(([, o]) => o === owner).map(([id]) => id);
    mine.forEach((id) => this.#owners.delete(id));
    if (mine.length > 0) this.#bridge.closeProbes(mine);
  }
}

function randomLabel(): string {
  return randomBytes(4).toString('hex');
}
