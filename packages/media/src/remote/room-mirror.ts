import type { MediaRoom, ProducerInfo } from '../bridge.js';
import type { ConsumerState, PeerState } from './bridge-wire.js';

/** The synchronous reads of a room: what a peer's state is made of. */
export type RoomReads = Pick<MediaRoom, 'canReceive' | 'producersOf' | 'consumersOf'>;

/** One peer as `room` sees it. The bridge sends it; the mirror answers the same reads from it. */
export function peerState(room: RoomReads, peerId: string): PeerState {
  return { canReceive: room.canReceive(peerId), producers: room.producersOf(peerId), consumers: room.consumersOf(peerId) };
}

/**
 * A signalling node's copy of what the bridge's room knows about each peer, so the
 * synchronous reads of MediaRoom need no round trip. The bridge's `peer` pushes are the
 * truth; the node's own closes apply at once. Two rules keep a push that was already on
 * its way from undoing them: producer and consumer ids are never reused, so a closed
 * one is filtered out of later pushes until a push no longer has it; and a push about a
 * removed peer that the bridge made before it received the removal (`seq` below the
 * removal's request id) is dropped.
 */
export class RoomMirror implements RoomReads {
  readonly #peers = new Map<string, PeerState>();
  /** Ids closed here, per peer that held them, until the bridge's pushes agree. */
  readonly #closed = new Map<string, Set<string>>();
  /** Request id of each peer's removal, until a push made after it arrives. */
  readonly #removedAt = new Map<string, number>();
  /**
   * What this node did towards each peer's receiving. setRtpCapabilities is a command
   * nobody waits for, and the server asks canReceive right after it, so canReceive
   * counts these at once instead of waiting for the bridge's push.
   */
  readonly #receiving = new Map<string, { capabilities: boolean; transport: boolean }>();

  apply(peerId: string, state: PeerState | null, seq: number): void {
    const removedAt = this.#removedAt.get(peerId);
    if (removedAt !== undefined) {
      if (seq < removedAt) return;
      this.#removedAt.delete(peerId);
    }
    const closed = this.#closed.get(peerId);
    if (!state) {
      this.#peers.delete(peerId);
      this.#closed.delete(peerId);
      return;
    }
    if (closed) {
      const present = new Set([...state.producers.map((p) => p.producerId), ...state.consumers.map((c) => c.consumerId)]);
      for (const id of closed) if (!present.has(id)) closed.delete(id);
      if (closed.size === 0) this.#closed.delete(peerId);
      state = {
        canReceive: state.canReceive,
        producers: state.producers.filter((p) => !closed.has(p.producerId)),
        consumers: state.consumers.filter((c) => !closed.has(c.consumerId)),
      };
    }
    this.#peers.set(peerId, state);
  }

  /** The peer told what it can receive, or got its receive transport. */
  receivingStep(peerId: string, step: 'capabilities' | 'transport'): void {
    const receiving = this.#receiving.get(peerId) ?? { capabilities: false, transport: false };
    receiving[step] = true;
    this.#receiving.set(peerId, receiving);
  }

  /** The peer is gone (request `requestId`), and with its producers, everyone's consumers of them. */
  removePeer(peerId: string, requestId: number): void {
    const peer = this.#peers.get(peerId);
    this.#removedAt.set(peerId, requestId);
    this.#receiving.delete(peerId);
    this.#peers.delete(peerId);
    this.#closed.delete(peerId);
    for (const producer of peer?.producers ?? []) this.#dropConsumersOf(producer.producerId);
  }

  /** Returns false when the peer has no such producer. */
  closeProducer(peerId: string, producerId: string): boolean {
    const peer = this.#peers.get(peerId);
    if (!peer?.producers.some((p) => p.producerId === producerId)) return false;
    this.#drop(peerId, [producerId]);
    this.#dropConsumersOf(producerId);
    return true;
  }

  /** Drops what `peerId` receives from `fromPeerId`; returns the dropped consumer ids. */
  closeConsumersFrom(peerId: string, fromPeerId: string): string[] {
    const from = new Set(this.producersOf(fromPeerId).map((p) => p.producerId));
    const ids = this.consumersOf(peerId)
      .filter((c) => from.has(c.producerId))
      .map((c) => c.consumerId);
    this.#drop(peerId, ids);
    return ids;
  }

  clear(): void {
    this.#peers.clear();
    this.#closed.clear();
    this.#removedAt.clear();
    this.#receiving.clear();
  }

  canReceive(peerId: string): boolean {
    const receiving = this.#receiving.get(peerId);
    return (this.#peers.get(peerId)?.canReceive ?? false) || (receiving?.capabilities === true && receiving.transport);
  }

  producersOf(peerId: string): ProducerInfo[] {
    return this.#peers.get(peerId)?.producers.map((p) => ({ ...p, layers: p.layers.map((l) => ({ ...l })) })) ?? [];
  }

  consumersOf(peerId: string): ConsumerState[] {
    return this.#peers.get(peerId)?.consumers.map((c) => ({ ...c })) ?? [];
  }

  consumerCount(peerId: string): number {
    return this.#peers.get(peerId)?.consumers.length ?? 0;
  }

  #dropConsumersOf(producerId: string): void {
    for (const [peerId, peer] of this.#peers) {
      const ids = peer.consumers.filter((c) => c.producerId === producerId).map((c) => c.consumerId);
      if (ids.length > 0) this.#drop(peerId, ids);
    }
  }

  /** Removes producers or consumers of one peer by id and remembers them as closed. */
  #drop(peerId: string, ids: string[]): void {
    const peer = this.#peers.get(peerId);
    if (!peer || ids.length === 0) return;
    const gone = new Set(ids);
    this.#peers.set(peerId, {
      canReceive: peer.canReceive,
      producers: peer.producers.filter((p) => !gone.has(p.producerId)),
      consumers: peer.consumers.filter((c) => !gone.has(c.consumerId)),
    });
    const closed = this.#closed.get(peerId) ?? new Set<string>();
    for (const id of ids) closed.add(id);
    this.#closed.set(peerId, closed);
  }
}
