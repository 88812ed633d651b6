import type { DownlinkEstimate } from '@tertulia/media';

/** A fresh receive transport's estimate starts low and climbs; it says nothing about congestion before this. */
const RAMP_UP_MS = 5_000;
/** Once constrained, a receiver stays so at least this long before the full layers are tried again… */
const HOLD_MS = 5_000;
/** …twice as long each time the try fails at once, up to this. */
const MAX_HOLD_MS = 60_000;
/**
 * The best estimate within this window counts: a loaded machine's feedback arrives late and the
 * estimate dips, for seconds at a time (down to a few hundred kbps on a 2-core box running four
 * browsers); a downlink that is really short stays low.
 */
const WINDOW_MS = 20_000;
/** The estimate is short of what the consumers want by more than this share: the downlink is congested. */
const CONGESTED_BELOW = 0.9;
/** A limit moves only on changes larger than this share, so estimate jitter does not rerun the policy. */
const SIGNIFICANT_CHANGE = 0.1;

interface DownlinkState {
  firstAt: number;
  limit: number | null;
  heldUntil: number;
  holdMs: number;
  liftedAt: number;
  samples: Array<{ at: number; bitrate: number }>;
}

/**
 * Turns each receiver's bandwidth estimates into the limit the forwarding policy works with:
 * null while the downlink carries what is asked of it. The estimate never climbs far above what is
 * being sent (the sender probes only up to it), so a limit is held for a while and then lifted to
 * find out whether the full layers fit again.
 */
export class DownlinkLimits {
  readonly #states = new Map<string, DownlinkState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes in an estimate; true when the receiver's limit changed. */
  update(peerId: string, { availableBitrate, desiredBitrate }: DownlinkEstimate): boolean {
    const now = this.now();
    let state = this.#states.get(peerId);
    if (!state) this.#states.set(peerId, (state = { firstAt: now, limit: null, heldUntil: 0, holdMs: HOLD_MS, liftedAt: -Infinity, samples: [] }));
    state.samples = [...state.samples.filter((s) => now - s.at < WINDOW_MS), { at: now, bitrate: availableBitrate }];
    if (now - state.firstAt < RAMP_UP_MS) return false;
    const best = Math.max(...state.samples.map((s) => s.bitrate));
    const before = state.limit;
    if (best < desiredBitrate * CONGESTED_BELOW) {
      if (before === null) state.holdMs = now - state.liftedAt < HOLD_MS ? Math.min(MAX_HOLD_MS, state.holdMs * 2) : HOLD_MS;
      if (before === null || Math.abs(best - before) > before * SIGNIFICANT_CHANGE) state.limit = best;
      state.heldUntil = now + state.holdMs;
    } else if (before !== null && now >= state.heldUntil) {
      state.limit = null;
      state.liftedAt = now;
    }
    return state.limit !== before;
  }

  /** Bits per second the receiver can take, or null for no known limit. */
  limit(peerId: string): number | null {
    return this.#states.get(peerId)?.limit ?? null;
  }

  /** The receiver's transports were rebuilt: its next estimates start a ramp-up again. */
  forget(peerId: string): void {
    this.#states.delete(peerId);
  }

  /** Keeps only these receivers (the others left or rebuilt their transports). */
  retain(peerIds: ReadonlySet<string>): void {
    for (const peerId of this.#states.keys()) if (!peerIds.has(peerId)) this.#states.delete(peerId);
  }
}
