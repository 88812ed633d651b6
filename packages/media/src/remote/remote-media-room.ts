import { EventEmitter } from 'node:events';
import { ErrorCode, ProtocolError, type DtlsParameters, type IceParameters, type RtpCapabilities, type TransportOptions } from '@tertulia/protocol';
import type { Logger } from 'pino';
import type {
  CascadeLeg,
  ConsumerDescription,
  ConsumerForwarding,
  MediaRoomEvents,
  PipedProducer,
  PipeEndpoint,
  ProduceRequest,
  ProducerInfo,
  RtpDestination,
  RtpTapDescription,
} from '../bridge.js';
import type { BridgeMethod, BridgeParams, BridgeResult, ConsumerState, RoomEvent } from './bridge-wire.js';
import { RoomMirror } from './room-mirror.js';

/** What a remote room needs from its connection to the bridge. */
export interface BridgeChannel {
  readonly url: string;
  /** Sends a request; `id` orders it against the bridge's `peer` pushes (their `seq`). */
  request<M extends BridgeMethod>(method: M, params: BridgeParams<M>): { id: number; result: Promise<BridgeResult<M>> };
}

type RoomMethod = Exclude<BridgeMethod, 'createRoom' | 'createProbes' | 'connectProbe' | 'closeProbes'>;
type RoomParams<M extends RoomMethod> = Omit<BridgeParams<M>, 'roomId'>;

/**
 * A room on a media bridge on another machine. Calls become requests; the synchronous
 * reads come from a mirror the bridge keeps current (see RoomMirror), and the
 * synchronous commands apply to the mirror at once while their request goes out
 * (a refusal is only logged: nobody waits for it).
 *
 * Taps: createRtpTap makes the bridge send plain, unencrypted RTP to the given
 * address, so across machines it is only for a private network.
 */
export class RemoteMediaRoom extends EventEmitter<MediaRoomEvents> implements CascadeLeg {
  readonly #mirror = new RoomMirror();
  #closed = false;

  constructor(
    readonly roomId: string,
    readonly key: string,
    readonly rtpCapabilities: RtpCapabilities,
    private readonly channel: BridgeChannel,
    private readonly logger: Logger,
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }

  addPeer(peerId: string): void {
    this.#fire('addPeer', { peerId });
  }

  removePeer(peerId: string): void {
    const id = this.#fire('removePeer', { peerId });
    if (id !== undefined) this.#mirror.removePeer(peerId, id);
  }

  setRtpCapabilities(peerId: string, rtpCapabilities: RtpCapabilities): void {
    if (this.#fire('setRtpCapabilities', { peerId, rtpCapabilities }) !== undefined) this.#mirror.receivingStep(peerId, 'capabilities');
  }

  canReceive(peerId: string): boolean {
    return this.#mirror.canReceive(peerId);
  }

  async createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    const transport = await this.#call('createTransport', { peerId, direction });
    if (direction === 'recv' && !this.#closed) this.#mirror.receivingStep(peerId, 'transport');
    return transport;
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    await this.#call('connectTransport', { peerId, transportId, dtlsParameters });
  }

  restartIce(peerId: string, transportId: string): Promise<IceParameters> {
    return this.#call('restartIce', { peerId, transportId });
  }

  produce(peerId: string, request: ProduceRequest): Promise<{ producerId: string }> {
    return this.#call('produce', { peerId, request });
  }

  closeProducer(peerId: string, producerId: string): void {
    // The mirror is current, so an unknown id is refused here as the bridge's own room would refuse it.
    if (!this.#closed && !this.#mirror.closeProducer(peerId, producerId)) {
      throw new ProtocolError(ErrorCode.NotFound, `No producer "${producerId}" of yours exists.`);
    }
    this.#fire('closeProducer', { peerId, producerId });
  }

  async setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    await this.#call('setProducerPaused', { peerId, producerId, paused });
  }

  producersOf(peerId: string): ProducerInfo[] {
    return this.#mirror.producersOf(peerId);
  }

  consume(peerId: string, producerId: string, forwarding?: ConsumerForwarding): Promise<ConsumerDescription | null> {
    return this.#call('consume', { peerId, producerId, ...(forwarding ? { forwarding } : {}) });
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    await this.#call('resumeConsumer', { peerId, consumerId });
  }

  async setMaxOutgoingBitrate(peerId: string, bitrate: number): Promise<void> {
    await this.#call('setMaxOutgoingBitrate', { peerId, bitrate });
  }

  async setConsumerForwarding(peerId: string, consumerId: string, forwarding: ConsumerForwarding): Promise<void> {
    await this.#call('setConsumerForwarding', { peerId, consumerId, forwarding });
  }

  consumersOf(peerId: string): ConsumerState[] {
    return this.#mirror.consumersOf(peerId);
  }

  closeConsumersFrom(peerId: string, fromPeerId: string): string[] {
    const closed = this.#mirror.closeConsumersFrom(peerId, fromPeerId);
    if (closed.length > 0) this.#fire('closeConsumersFrom', { peerId, fromPeerId });
    return closed;
  }

  consumerCount(peerId: string): number {
    return this.#mirror.consumerCount(peerId);
  }

  createRtpTap(producerId: string, destination: RtpDestination): Promise<RtpTapDescription> {
    return this.#call('createRtpTap', { producerId, destination });
  }

  async requestTapKeyFrame(tapId: string): Promise<void> {
    await this.#call('requestTapKeyFrame', { tapId });
  }

  closeTap(tapId: string): void {
    this.#fire('closeTap', { tapId });
  }

  openPipe(): Promise<{ pipeId: string } & PipeEndpoint> {
    return this.#call('openPipe', {});
  }

  async connectPipe(pipeId: string, remote: PipeEndpoint): Promise<void> {
    await this.#call('connectPipe', { pipeId, remote });
  }

  closePipe(pipeId: string): void {
    this.#fire('closePipe', { pipeId });
  }

  pipeOut(pipeId: string, producerId: string): Promise<PipedProducer> {
    return this.#call('pipeOut', { pipeId, producerId });
  }

  async pipeIn(pipeId: string, producer: PipedProducer): Promise<void> {
    await this.#call('pipeIn', { pipeId, producer });
  }

  close(): void {
    if (this.#closed) return;
    this.#fire('closeRoom', {});
    this.#markClosed('closed');
  }

  /** An event the bridge pushed for this room (the connection routes them by room id). */
  receive(event: RoomEvent): void {
    if (this.#closed) return;
    switch (event.event) {
      case 'peer':
        this.#mirror.apply(event.peerId, event.state, event.seq);
        break;
      case 'tapClosed':
        this.emit('tapClosed', event.tapId);
        break;
      case 'consumerClosed':
        this.emit('consumerClosed', event.peerId, event.consumerId);
        break;
      case 'dominantSpeaker':
        this.emit('dominantSpeaker', event.peerId);
        break;
      case 'downlink':
        this.emit('downlink', event.peerId, event.estimate);
        break;
      case 'closed':
        this.#markClosed(event.reason);
        break;
    }
  }

  /** The connection to the bridge is gone, and with it this room's media. */
  lost(reason: string): void {
    if (!this.#closed) this.#markClosed(reason);
  }

  #markClosed(reason: string): void {
    this.#closed = true;
    this.#mirror.clear();
    this.emit('closed', reason);
  }

  #call<M extends RoomMethod>(method: M, params: RoomParams<M>): Promise<BridgeResult<M>> {
    if (this.#closed) return Promise.reject(roomClosed());
    return this.channel.request(method, { roomId: this.roomId, ...params } as BridgeParams<M>).result;
  }

  /** A command nobody waits for: sent in order with the others, a refusal logged. Returns the request id. */
  #fire<M extends RoomMethod>(method: M, params: RoomParams<M>): number | undefined {
    if (this.#closed) return undefined;
    const { id, result } = this.channel.request(method, { roomId: this.roomId, ...params } as BridgeParams<M>);
    result.catch((err: unknown) => {
      if (!this.#closed) this.logger.warn({ err, method, bridge: this.channel.url }, 'the media bridge refused a command');
    });
    return id;
  }
}

function roomClosed(): ProtocolError {
  return new ProtocolError(ErrorCode.MediaError, "This room's media has closed; rejoin the meeting.");
}
