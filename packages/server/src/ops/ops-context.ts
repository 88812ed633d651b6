import type { MediaBridge } from '@tertulia/media';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { ServerContext } from '../signalling/connection.js';

/** What the operations endpoints read: the rooms, the media bridge and the server's state. */
export interface OpsContext {
  readonly registry: RoomRegistry;
  readonly bridge: MediaBridge;
  readonly server: Pick<ServerContext, 'draining'>;
  readonly version: string;
}
