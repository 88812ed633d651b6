import { ROOM_LEASE_RENEW_MS, type RoomLeases } from '@tertulia/cluster';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { RELAY_HEADER, relayedClient, relayHeader } from './relay.js';

/** Where a meeting is held: here, or on another node whose signalling this node relays to. */
export type RoomRoute = { here: true } | { here: false; nodeId: string; url: string };

/**
 * Sends each meeting to the one node that holds it (see RoomLeases), renews the leases of
 * the meetings held here, and gives them up when they end. Also signs and checks the
 * header by which nodes relay participants to each other.
 */
export class RoomRouter {
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly leases: RoomLeases,
    private readonly registry: RoomRegistry,
    private readonly secret: string,
    private readonly nodeId: string,
    private readonly logger: Logger,
  ) {
    this.#timer = setInterval(() => {
      const held = registry.rooms().filter((room) => !room.breakout).map((room) => room.key);
      leases.renew(held).catch((error: Error) => logger.warn({ err: error, rooms: held.length }, 'could not renew room leases (Redis)'));
    }, ROOM_LEASE_RENEW_MS);
    this.#timer.unref();
    registry.on('roomFinished', (room) => {
      leases.release(room.key).catch((error: Error) => logger.warn({ err: error, room: room.key }, 'could not release a room lease; it expires by itself'));
    });
  }

  async route(roomKey: string): Promise<RoomRoute> {
    if (this.registry.isOpen(roomKey)) return { here: true };
    let owner;
    try {
      owner = await this.leases.owner(roomKey);
    } catch (error) {
      this.logger.warn({ err: error, room: roomKey }, 'registry (Redis) unreachable: cannot tell which node holds the meeting');
      throw new ProtocolError(
        ErrorCode.ServerBusy,
        'The deployment’s registry (Redis) cannot be reached, so this meeting cannot be found or started; meetings already running go on. Try again in a moment.',
      );
    }
    return owner.local ? { here: true } : { here: false, nodeId: owner.node.id, url: owner.node.signallingUrl };
  }

  /** Headers of a connection this node relays to another for `clientAddress`. */
  relayHeaders(clientAddress: string): Record<string, string> {
    return { [RELAY_HEADER]: relayHeader(this.secret, this.nodeId, clientAddress) };
  }

  /** The client a relayed connection is for, when its header is genuine; undefined for anything else. */
  relayedClient(header: string | string[] | undefined): string | undefined {
    if (header === undefined) return undefined;
    const client = relayedClient(this.secret, header);
    if (client === undefined) this.logger.warn('a connection claimed to be relayed by another node, with a signature BRIDGE_SECRET does not make; taken as a plain one');
    return client;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
