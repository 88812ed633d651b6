import { ROOM_LEASE_RENEW_MS, type RoomLeases } from '@tertulia/cluster';
import { ErrorCode, ProtocolError } from '@tertulia/protocol';
import type { Logger } from 'pino';
import { RoomHandoff } from '../rooms/room-handoff.js';
import type { HandoffSource, RoomRegistry } from '../rooms/room-registry.js';
import { RELAY_HEADER, relayedClient, relayHeader, type ClientOrigin } from './relay.js';

/** Where a meeting is held: here, or on another node whose signalling this node relays to. */
export type RoomRoute = { here: true } | { here: false; nodeId: string; url: string };

/**
 * Sends each meeting to the one node that holds it (see RoomLeases), renews the leases of
 * the meetings held here, and gives them up when they end. Also signs and checks the
 * header by which nodes relay participants to each other.
 *
 * Draining (maintenance, SIGTERM): this node takes no meeting any more. The meetings it
 * holds go to other nodes with their state, and their browsers reconnect and resume their
 * sessions there; anyone who still reaches this node is relayed to the meeting's node.
 */
export class RoomRouter implements HandoffSource {
  readonly #timer: NodeJS.Timeout;
  #draining = false;

  constructor(
    private readonly leases: RoomLeases,
    private readonly registry: RoomRegistry,
    private readonly secret: string,
    private readonly nodeId: string,
    /** REGION: where participants connected to this node are taken to be. */
    readonly region: string | undefined,
    readonly graceMs: number,
    private readonly logger: Logger,
  ) {
    registry.handoffs = this;
    this.#timer = setInterval(() => {
      const held = registry
        .rooms()
        .filter((room) => !room.breakout && !room.closed)
        .map((room) => ({ roomKey: room.key, state: JSON.stringify(room.handoff()) }));
      leases.renew(held).catch((error: Error) => logger.warn({ err: error, rooms: held.length }, 'could not renew room leases (Redis)'));
    }, ROOM_LEASE_RENEW_MS);
    this.#timer.unref();
    registry.on('roomFinished', (room) => {
      leases.release(room.key).catch((error: Error) => logger.warn({ err: error, room: room.key }, 'could not release a room lease; it expires by itself'));
    });
  }

  get draining(): boolean {
    return this.#draining;
  }

  async route(roomKey: string): Promise<RoomRoute> {
    if (this.registry.isOpen(roomKey)) return { here: true };
    try {
      if (this.#draining) return await this.#routeElsewhere(roomKey);
      const owner = await this.leases.owner(roomKey);
      return owner.local ? { here: true } : { here: false, nodeId: owner.node.id, url: owner.node.signallingUrl };
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      this.logger.warn({ err: error, room: roomKey }, 'registry (Redis) unreachable: cannot tell which node holds the meeting');
      throw new ProtocolError(
        ErrorCode.ServerBusy,
        'The deployment’s registry (Redis) cannot be reached, so this meeting cannot be found or started; meetings already running go on. Try again in a moment.',
      );
    }
  }

  /** While draining: the node that holds the meeting, or the least busy node to open it. */
  async #routeElsewhere(roomKey: string): Promise<RoomRoute> {
    const node = (await this.leases.holderElsewhere(roomKey)) ?? leastBusy(await this.leases.otherNodes());
    if (!node) throw new ProtocolError(ErrorCode.ShuttingDown, 'This server is being taken out of service and no other can take the meeting; try again in a moment.');
    return { here: false, nodeId: node.id, url: node.signallingUrl };
  }

  /**
   * Takes no more meetings and hands those held here to other nodes (the least busy first).
   * Without another node they stay, and end here in their own time. Returns how many moved.
   */
  async drain(): Promise<{ handedOver: number; kept: number }> {
    this.#draining = true;
    const meetings = this.registry.rooms().filter((room) => !room.breakout);
    const nodes = await this.leases.otherNodes();
    let handedOver = 0;
    for (const room of meetings) {
      const target = leastBusy(nodes);
      if (!target) break;
      const state = JSON.stringify(room.handoff());
      if (!(await this.leases.handOver(room.key, target.id, state))) {
        this.logger.warn({ room: room.key }, 'this node no longer holds the meeting’s lease; not handing it over');
        continue;
      }
      this.registry.handOver(room);
      handedOver += 1;
      // Counted as taken, so the next meeting goes to the next least busy node.
      target.participants += room.size;
      target.rooms += 1;
      this.logger.info({ room: room.key, node: target.id, participants: room.size }, 'meeting handed over to another node');
    }
    const kept = meetings.length - handedOver;
    if (kept > 0) this.logger.warn({ kept }, 'no other signalling node could take these meetings; they go on here until they end');
    return { handedOver, kept };
  }

  /** Takes new meetings again (meetings already handed over stay where they went). */
  undrain(): void {
    this.#draining = false;
  }

  /** HandoffSource: a meeting handed to this node, when one waits under `roomKey`. */
  async take(roomKey: string): Promise<RoomHandoff | undefined> {
    const state = await this.leases.takeHandoff(roomKey);
    if (state === null) return undefined;
    const parsed = RoomHandoff.safeParse(JSON.parse(state));
    if (parsed.success) return parsed.data;
    this.logger.error({ room: roomKey, issues: parsed.error.issues.slice(0, 3) }, 'a handed-over meeting could not be read; it starts afresh');
    return undefined;
  }

  /** Headers of a connection this node relays to another for `client`. */
  relayHeaders(client: ClientOrigin): Record<string, string> {
    return { [RELAY_HEADER]: relayHeader(this.secret, this.nodeId, client) };
  }

  /** The client a relayed connection is for, when its header is genuine; undefined for anything else. */
  relayedClient(header: string | string[] | undefined): ClientOrigin | undefined {
    if (header === undefined) return undefined;
    const client = relayedClient(this.secret, header);
    if (client === undefined) this.logger.warn('a connection claimed to be relayed by another node, with a signature BRIDGE_SECRET does not make; taken as a plain one');
    return client;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function leastBusy<T extends { participants: number; rooms: number; id: string }>(nodes: readonly T[]): T | undefined {
  return [...nodes].sort((a, b) => a.participants - b.participants || a.rooms - b.rooms || a.id.localeCompare(b.id))[0];
}
