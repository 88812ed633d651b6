import type { Redis } from 'ioredis';
import type { NodeRecord, Registry } from './registry.js';

/** How long a room stays claimed without its owner renewing it; owners renew every third of that. */
export const ROOM_LEASE_MS = 15_000;
export const ROOM_LEASE_RENEW_MS = ROOM_LEASE_MS / 3;

/** How long a meeting handed over by a draining node waits for a participant to reach the node it went to. */
export const HANDOFF_TTL_MS = 60_000;

/** How long a meeting's last written state outlives its holder: time for its people to reconnect to another node. */
export const CHECKPOINT_TTL_MS = 30_000;

const leaseKey = (roomKey: string) => `tertulia:room:${roomKey}`;
const handoffKey = (roomKey: string) => `tertulia:handoff:${roomKey}`;
const checkpointKey = (roomKey: string) => `tertulia:checkpoint:${roomKey}`;

/** Deletes a lease (and the meeting's state) only if it is still ours: a lease that expired may have been claimed by another node since. */
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[2]) return redis.call('del', KEYS[1]) else return 0 end`;

/** Moves a lease that is still ours to another node and leaves the meeting's state for it, at once. */
const HAND_OVER_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('set', KEYS[2], ARGV[4], 'PX', ARGV[5])
  redis.call('del', KEYS[3])
  return 1
end
return 0`;

export type RoomOwner = { local: true } | { local: false; node: NodeRecord };

/**
 * Which signalling node holds each meeting: a lease in Redis per room, claimed by the
 * first node a participant of the room reaches (SET NX) and renewed by that node while
 * the meeting runs. Participants who reach another node are relayed to the owner. A
 * lease whose owner is no longer listed is taken over at once rather than waited out.
 */
export class RoomLeases {
  constructor(
    private readonly redis: Redis,
    private readonly registry: Registry,
    private readonly nodeId: string,
  ) {}

  /** Claims `roomKey` for this node unless another live node holds it, and says which. */
  async owner(roomKey: string): Promise<RoomOwner> {
    const key = leaseKey(roomKey);
    if ((await this.redis.set(key, this.nodeId, 'PX', ROOM_LEASE_MS, 'NX')) === 'OK') return { local: true };
    const holder = await this.redis.get(key);
    if (holder === null || holder === this.nodeId) {
      await this.redis.set(key, this.nodeId, 'PX', ROOM_LEASE_MS);
      return { local: true };
    }
    const node = (await this.registry.list('node')).find((candidate) => candidate.id === holder);
    if (node) return { local: false, node };
    // Its owner left the registry (stopped, crashed): the meeting is gone with it; start it here.
    await this.redis.set(key, this.nodeId, 'PX', ROOM_LEASE_MS);
    return { local: true };
  }

  /**
   * Renews this node's leases on the meetings it holds, each with the meeting's state now
   * (JSON): should this node die, the node its people reconnect to continues the meeting
   * from it (takeHandoff) rather than start afresh.
   */
  async renew(held: ReadonlyArray<{ roomKey: string; state: string }>): Promise<void> {
    if (held.length === 0) return;
    const batch = this.redis.multi();
    for (const { roomKey, state } of held) {
      batch.set(leaseKey(roomKey), this.nodeId, 'PX', ROOM_LEASE_MS);
      batch.set(checkpointKey(roomKey), state, 'PX', CHECKPOINT_TTL_MS);
    }
    await batch.exec();
  }

  /** Which live node other than this one holds the meeting, without claiming it. */
  async holderElsewhere(roomKey: string): Promise<NodeRecord | undefined> {
    const holder = await this.redis.get(leaseKey(roomKey));
    if (holder === null || holder === this.nodeId) return undefined;
    return (await this.registry.list('node')).find((candidate) => candidate.id === holder);
  }

  /** The live signalling nodes other than this one that take meetings (not draining). */
  async otherNodes(): Promise<NodeRecord[]> {
    return (await this.registry.list('node')).filter((node) => node.id !== this.nodeId && !node.draining);
  }

  /**
   * Gives a meeting held here to `toNodeId` with its state (JSON): the lease moves and the
   * state waits there (HANDOFF_TTL_MS) for the first participant to reach that node. False
   * when the lease was no longer this node's.
   */
  async handOver(roomKey: string, toNodeId: string, state: string): Promise<boolean> {
    const moved = await this.redis.eval(HAND_OVER_IF_OWNER, 3, leaseKey(roomKey), handoffKey(roomKey), checkpointKey(roomKey), this.nodeId, toNodeId, ROOM_LEASE_MS, state, HANDOFF_TTL_MS);
    return moved === 1;
  }

  /**
   * The state of a meeting this node now holds and another held before: handed over by a
   * draining node, or else last written by a holder that died. Taken, so that only one node
   * continues it.
   */
  async takeHandoff(roomKey: string): Promise<string | null> {
    return (await this.redis.getdel(handoffKey(roomKey))) ?? (await this.redis.getdel(checkpointKey(roomKey)));
  }

  /** The meeting ended here: another node may hold the next one of that name. */
  async release(roomKey: string): Promise<void> {
    await this.redis.eval(RELEASE_IF_OWNER, 2, leaseKey(roomKey), checkpointKey(roomKey), this.nodeId);
  }
}
