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
  const candidates = bridges.filter(usable);
  const local = placement.region === undefined ? [] : candidates.filter((bridge) => bridge.region === placement.region);
  const pool = local.length > 0 ? local : candidates;
  return [...pool].sort(
    (a, b) => Number(a.stress >= 1) - Number(b.stress >= 1) || a.stress - b.stress || a.endpoints - b.endpoints || a.id.localeCompare(b.id),
  )[0];
}

/** Healthy and not draining: a bridge that may take rooms. */
export function usable(bridge: BridgeRecord): boolean {
  return bridge.healthy && !bridge.draining;
}

/** What one more room is taken to add to a bridge's stress until its record shows it: a tenth of a full bridge, or more when its own rooms weigh more. */
const NEW_ROOM_STRESS = 0.1;

/**
 * A bridge's record as if `rooms` more rooms were on it: the rooms a node placed there in the
 * last 2 s, which its record (refreshed every 2 s) may not show yet, so that a burst of new
 * meetings spreads over the bridges instead of all going to the one that looked least loaded.
 */
export function withPlacedRooms(bridge: BridgeRecord, rooms: number): BridgeRecord {
  if (rooms === 0) return bridge;
  const perRoom = Math.max(NEW_ROOM_STRESS, bridge.rooms > 0 ? bridge.stress / bridge.rooms : 0);
  return { ...bridge, rooms: bridge.rooms + rooms, stress: bridge.stress + rooms * perRoom };
}
