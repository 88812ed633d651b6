export { BridgeNode, type BridgeNodeOptions, type DrainMode } from './bridge-node.js';
export { selectBridge, type Placement } from './bridge-selection.js';
export { ClusterMediaBridge, type ClusterMediaBridgeOptions } from './cluster-media-bridge.js';
export { Heartbeat, HEARTBEAT_MS, RECORD_TTL_MS } from './heartbeat.js';
export { mergeMediaStats } from './merge-stats.js';
export { connectRedis, redactUrl } from './redis-connection.js';
export { CHECKPOINT_TTL_MS, HANDOFF_TTL_MS, ROOM_LEASE_MS, ROOM_LEASE_RENEW_MS, RoomLeases, type RoomOwner } from './room-leases.js';
export { Registry, type BridgeRecord, type MemberKind, type NodeRecord } from './registry.js';
export type { Redis } from 'ioredis';
