import { EventEmitter } from 'node:events';
import type {
  ConsumerDescription,
  ConsumerForwarding,
  MediaRoom,
  MediaRoomEvents,
  ProduceRequest,
  ProducerInfo,
  RtpDestination,
  RtpTapDescription,
} from '@tertulia/media';
import type { DtlsParameters, IceParameters, RtpCapabilities, TransportOptions } from '@tertulia/protocol';
import type { Logger } from 'pino';

/** Places the room's media on a bridge other than those in `avoid` (bridge ids). */
export type PlaceRoom = (avoid: ReadonlySet<string>) => Promise<{ room: MediaRoom; bridgeId: string }>;

const FORWARDED_EVENTS = ['tapClosed', 'consumerClosed', 'dominantSpeaker', 'downlink'] as const;

/**
 * A room's media on whichever bridge currently holds it. When that bridge goes away (its
 * connection drops: killed, crashed, unreachable), the media is placed again on another
 * bridge with the same peers, and `moved` tells the room: every peer's transports,
 * producers and consumers are gone and its browser must connect again, while the meeting
 * itself (people, chat, moderation) stays where it is. Only when no bridge can take it
 * does the room's media close.
 */
export class FailoverMediaRoom extends EventEmitter<MediaRoomEvents> implements MediaRoom {
  #inner: MediaRoom;
  #bridgeId: string;
  readonly #peers = new Set<string>();
  /** Bridges this room was lost on; not tried again for it. */
  readonly #lost = new Set<string>();
  #closed = false;

  constructor(
    placed: { room: MediaRoom; bridgeId: string },
    private readonly place: PlaceRoom,
    private readonly logger: Logger,
  ) {
    super();
    this.#inner = placed.room;
    this.#bridgeId = placed.bridgeId;
    this.#attach(placed.room);
  }

  /** The bridge the media is on now. */
  get bridgeId(): string {
    return this.#bridgeId;
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#inner.rtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  addPeer(peerId: string): void {
    this.#peers.add(peerId);
    this.#inner.addPeer(peerId);
  }

  removePeer(peerId: string): void {
    this.#peers.delete(peerId);
    this.#inner.removePeer(peerId);
  }

  setRtpCapabilities(peerId: string, rtpCapabilities: RtpCapabilities): void {
    this.#inner.setRtpCapabilities(peerId, rtpCapabilities);
  }

  canReceive(peerId: string): boolean {
    return this.#inner.canReceive(peerId);
  }

  createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    return this.#inner.createTransport(peerId, direction);
  }

  connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    return this.#inner.connectTransport(peerId, transportId, dtlsParameters);
  }

  restartIce(peerId: string, transportId: string): Promise<IceParameters> {
    return this.#inner.restartIce(peerId, transportId);
  }

  produce(peerId: string, request: ProduceRequest): Promise<{ producerId: string }> {
    return this.#inner.produce(peerId, request);
  }

  closeProducer(peerId: string, producerId: string): void {
    this.#inner.closeProducer(peerId, producerId);
  }

  setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    return this.#inner.setProducerPaused(peerId, producerId, paused);
  }

  producersOf(peerId: string): ProducerInfo[] {
    return this.#inner.producersOf(peerId);
  }

  consume(peerId: string, producerId: string, forwarding?: ConsumerForwarding): Promise<ConsumerDescription | null> {
    return this.#inner.consume(peerId, producerId, forwarding);
  }

  resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    return this.#inner.resumeConsumer(peerId, consumerId);
  }

  setMaxOutgoingBitrate(peerId: string, bitrate: number): Promise<void> {
    return this.#inner.setMaxOutgoingBitrate(peerId, bitrate);
  }

  setConsumerForwarding(peerId: string, consumerId: string, forwarding: ConsumerForwarding): Promise<void> {
    return this.#inner.setConsumerForwarding(peerId, consumerId, forwarding);
  }

  consumersOf(peerId: string): Array<{ consumerId: string; producerId: string; kind: 'audio' | 'video'; paused: boolean }> {
    return this.#inner.consumersOf(peerId);
  }

  closeConsumersFrom(peerId: string, fromPeerId: string): string[] {
    return this.#inner.closeConsumersFrom(peerId, fromPeerId);
  }

  consumerCount(peerId: string): number {
    return this.#inner.consumerCount(peerId);
  }

  createRtpTap(producerId: string, destination: RtpDestination): Promise<RtpTapDescription> {
    return this.#inner.createRtpTap(producerId, destination);
  }

  requestTapKeyFrame(tapId: string): Promise<void> {
    return this.#inner.requestTapKeyFrame(tapId);
  }

  closeTap(tapId: string): void {
    this.#inner.closeTap(tapId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inner.close();
    this.emit('closed', 'closed');
  }

  #attach(room: MediaRoom): void {
    for (const event of FORWARDED_EVENTS) {
      room.on(event, (...args: unknown[]) => {
        if (room === this.#inner) (this.emit as (name: string, ...rest: unknown[]) => boolean)(event, ...args);
      });
    }
    room.once('closed', (reason) => {
      if (room === this.#inner && !this.#closed && reason !== 'closed') void this.#move(reason);
    });
  }

  async #move(reason: string): Promise<void> {
    this.#lost.add(this.#bridgeId);
    this.logger.warn({ bridge: this.#bridgeId, reason }, 'media bridge lost; moving the room’s media to another bridge');
    let placed: { room: MediaRoom; bridgeId: string };
    try {
      placed = await this.place(this.#lost);
    } catch (error) {
      this.logger.error({ err: error }, 'no other media bridge could take the room; its media ends');
      this.#closed = true;
      this.emit('closed', `${reason}, and no other media bridge could take the room`);
      return;
    }
    if (this.#closed) {
      placed.room.close();
      return;
    }
    this.#inner = placed.room;
    this.#bridgeId = placed.bridgeId;
    this.#attach(placed.room);
    for (const peerId of this.#peers) placed.room.addPeer(peerId);
    this.logger.info({ bridge: placed.bridgeId, peers: this.#peers.size }, 'room’s media moved; its browsers connect again');
    this.emit('moved', reason);
  }
}
