import type { MediaBridge } from '@tertulia/media';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { ServerContext } from '../signalling/connection.js';
import type { ServerLoad } from './server-load.js';

/** What the operations endpoints read: the rooms, the media bridge and the server's state. */
export interface OpsContext {
  readonly registry: RoomRegistry;
  readonly bridge: MediaBridge;
  readonly server: Pick<ServerContext, 'draining'>;
  /** The media workers' stress, for load shedding, health and stats. */
  readonly load: ServerLoad;
  readonly version: string;
}
