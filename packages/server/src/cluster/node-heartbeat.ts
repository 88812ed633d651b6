import { Heartbeat, type Registry } from '@tertulia/cluster';
import type { Logger } from 'pino';
import type { RoomRegistry } from '../rooms/room-registry.js';

export interface NodeHeartbeatOptions {
  /** Where people open meetings on this node. */
  url: string;
  /** Where other nodes relay participants to it. */
  signallingUrl: string;
  region?: string | undefined;
  version: string;
  registry: RoomRegistry;
  /** Whether this node takes new meetings (not while shutting down or handing its meetings over). */
  draining(): boolean;
  logger: Logger;
}

/** Lists this signalling node in Redis with its rooms and participants, for `tertulia status` and the other nodes. */
export async function startNodeHeartbeat(cluster: { registry: Registry; nodeId: string }, options: NodeHeartbeatOptions): Promise<Heartbeat<'node'>> {
  const startedAt = Date.now();
  const heartbeat = new Heartbeat(
    cluster.registry,
    'node',
    () => {
      const rooms = options.registry.rooms();
      return {
        id: cluster.nodeId,
        url: options.url,
        signallingUrl: options.signallingUrl,
        region: options.region,
        version: options.version,
        startedAt,
        draining: options.draining(),
        rooms: rooms.length,
        participants: rooms.reduce((total, room) => total + room.size, 0),
      };
    },
    options.logger.child({ component: 'registry' }),
  );
  await heartbeat.start();
  return heartbeat;
}
