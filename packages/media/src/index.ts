export type {
  CascadeLeg,
  ConsumerDescription,
  ConsumerForwarding,
  DownlinkEstimate,
  MediaBridge,
  MediaBridgeEvents,
  MediaRoom,
  MediaRoomEvents,
  PeerPlacement,
  PipedProducer,
  PipeEndpoint,
  ProduceRequest,
  ProducerInfo,
  RtpDestination,
  RtpTapDescription,
  VideoLayerInfo,
} from './bridge.js';
export type { ProbeSet } from './connectivity-probes.js';
export { MediasoupBridge, type MediasoupBridgeOptions } from './mediasoup-bridge.js';
export type { ListenAddress } from './worker-pool.js';
export { emptyMediaStats, mediaStress, type MediaRates, type MediaStats, type MediaTotals, type RoomMediaStats, type WorkerStats } from './media-stats.js';
export type { ProbeOptions } from './connectivity-probes.js';
export { BridgeService, bridgeChannelUrl, type BridgeServiceOptions } from './remote/bridge-service.js';
export { BridgeConnection, type BridgeConnectionEvents, type BridgeConnectionOptions } from './remote/bridge-connection.js';
export { RemoteMediaRoom } from './remote/remote-media-room.js';
export { bridgeAuthHeader, verifyBridgeAuth } from './remote/bridge-auth.js';
export { BRIDGE_AUTH_HEADER } from './remote/bridge-wire.js';
