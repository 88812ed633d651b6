import type { BridgeRecord } from './registry.js';

/** Where a new room should preferably go. */
export interface Placement {
  /** The region of the node opening the room (REGION); bridges there are preferred. */
  region?: string | undefined;
}

/**
 * Picks the bridge for a new room, as jicofo's default strategy does (one bridge per room):
 * only healthy bridges that are not draining; those in the placement's region first when
 * there are any; below full stress first; then the least stressed, fewest endpoints, lowest id
 * (a stable order, so that two nodes deciding at once agree). When every bridge is at full
 * stress the least stressed still takes it: refusing the meeting is worse than a busy bridge.
 */
export function selectBridge(bridges: readonly BridgeRecord[], placement: Placement = {}): BridgeRecord | undefined {
  const usable = bridges.filter((bridge) => bridge.healthy && !bridge.draining);
  const local = placement.region === undefined ? [] : usable.filter((bridge) => bridge.region === placement.region);
  const pool = local.length > 0 ? local : usable;
  return [...pool].sort(
    (a, b) => Number(a.stress >= 1) - Number(b.stress >= 1) || a.stress - b.stress || a.endpoints - b.endpoints || a.id.localeCompare(b.id),
  )[0];
}
