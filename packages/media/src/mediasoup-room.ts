import { EventEmitter } from 'node:events';
import {
  ErrorCode,
  ProtocolError,
  SOURCE_KIND,
  type DtlsParameters,
  type IceParameters,
  type RtpCapabilities,
  type TransportOptions,
} from '@tertulia/protocol';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type {
  CascadeLeg,
  ConsumerDescription,
  ConsumerForwarding,
  MediaRoom,
  MediaRoomEvents,
  PipedProducer,
  PipeEndpoint,
  ProduceRequest,
  ProducerInfo,
  RtpDestination,
  RtpTapDescription,
} from './bridge.js';
import { MediaPeer, type ConsumerAppData, type ProducerAppData } from './media-peer.js';
import { videoLayers } from './video-layers.js';
import type { MediaStatsRecorder, SampledRoom } from './stats-collector.js';
import type { ListenAddress, PooledWorker } from './worker-pool.js';

/** Caps what one browser may push into the SFU (camera simulcast + screen share fit well under it). */
const MAX_INCOMING_BITRATE = 8_000_000;
/** Downlink estimates change every few hundred milliseconds; the forwarding policy needs no more than this. */
export const DOWNLINK_REPORT_MS = 1_000;

/**
 * A room's media: one mediasoup Router on one worker, plus dominant-speaker detection.
 * When the room spans bridges, pipe transports to the other bridges' routers carry
 * producers across (CascadeLeg).
 */
export class MediasoupRoom extends EventEmitter<MediaRoomEvents> implements CascadeLeg, SampledRoom {
  readonly #router: types.Router;
  readonly #speakerObserver: types.ActiveSpeakerObserver;
  readonly #worker: PooledWorker;
  readonly #peers = new Map<string, MediaPeer>();
  readonly #taps = new Map<string, { transport: types.PlainTransport; consumer: types.Consumer }>();
  readonly #pipes = new Map<string, types.PipeTransport>();
  /** Consumers sending this room's producers into pipes (one per producer and pipe). */
  readonly #pipedOut = new Set<types.Consumer>();
  readonly #pipeListen: ListenAddress;
  readonly #logger: Logger;
  readonly #stats: MediaStatsRecorder;
  #closed = false;

  static async create(
    key: string,
    worker: PooledWorker,
    mediaCodecs: types.RouterRtpCodecCapability[],
    pipeListen: ListenAddress,
    stats: MediaStatsRecorder,
    logger: Logger,
  ): Promise<MediasoupRoom> {
    const router = await worker.worker.createRouter({ mediaCodecs });
    const speakerObserver = await router.createActiveSpeakerObserver({ interval: 300 });
    return new MediasoupRoom(key, worker, router, speakerObserver, pipeListen, stats, logger);
  }

  private constructor(
    readonly key: string,
    worker: PooledWorker,
    router: types.Router,
    speakerObserver: types.ActiveSpeakerObserver,
    pipeListen: ListenAddress,
    stats: MediaStatsRecorder,
    logger: Logger,
  ) {
    super();
    this.#worker = worker;
    this.#pipeListen = pipeListen;
    this.#router = router;
    this.#speakerObserver = speakerObserver;
    this.#stats = stats;
    this.#logger = logger;
    speakerObserver.on('dominantspeaker', ({ producer }) => {
      stats.dominantSpeakerChanged();
      this.emit('dominantSpeaker', (producer.appData as ProducerAppData).peerId);
    });
    // A router closes without us asking only when its worker died.
    router.observer.once('close', () => {
      if (this.#closed) return;
      this.#markClosed();
      this.emit('closed', 'the media worker stopped');
    });
  }

  get rtpCapabilities(): RtpCapabilities {
    return this.#router.rtpCapabilities as RtpCapabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  peers(): Iterable<MediaPeer> {
    return this.#peers.values();
  }

  /** How many pipes this room has, and the consumers sending into them. */
  relays(): { pipes: number; pipedOut: Iterable<types.Consumer> } {
    return { pipes: this.#pipes.size, pipedOut: this.#pipedOut };
  }

  addPeer(peerId: string): void {
    const existing = this.#peers.get(peerId);
    if (existing && !existing.relayed) return;
    // A participant that was on another bridge of the meeting now has its media here: its copies from there go.
    existing?.close();
    this.#peers.set(peerId, new MediaPeer(peerId));
    this.#worker.load += 1;
  }

  removePeer(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    peer.close();
    this.#peers.delete(peerId);
    if (!peer.relayed) this.#worker.load -= 1;
  }

  setRtpCapabilities(peerId: string, rtpCapabilities: RtpCapabilities): void {
    this.#peer(peerId).rtpCapabilities = rtpCapabilities;
  }

  canReceive(peerId: string): boolean {
    const peer = this.#peers.get(peerId);
    return peer?.rtpCapabilities !== undefined && peer.transportFor('recv') !== undefined;
  }

  async createTransport(peerId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    const peer = this.#peer(peerId);
    // A browser needs one transport each way (a new room or a resumed session starts a new peer); more would only fill the worker.
    if (peer.transportFor(direction)) throw new ProtocolError(ErrorCode.InvalidRequest, `You already have a ${direction} transport.`);
    const transport = await media(() =>
      this.#router.createWebRtcTransport({
        webRtcServer: this.#worker.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
        appData: { direction },
      }),
    );
    if (direction === 'send') await media(() => transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE));
    else await media(() => transport.enableTraceEvent(['bwe']));
    // The session was reset (resumed elsewhere) or ended while the transport was being made: it would belong to nobody.
    if (this.#peers.get(peerId) !== peer) {
      transport.close();
      throw new ProtocolError(ErrorCode.NotJoined, 'You have no media session in this room.');
    }
    transport.on('icestatechange', (state) => this.#logger.debug({ peerId, transportId: transport.id, state }, 'ICE state'));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') this.#logger.info({ peerId, transportId: transport.id, state }, 'DTLS state');
    });
    this.#stats.watchTransport(peer, transport);
    if (direction === 'recv') this.#reportDownlink(peerId, transport);
    peer.transports.set(transport.id, transport);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters as DtlsParameters,
    };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const transport = this.#peer(peerId).transport(transportId);
    await media(() => transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }));
  }

  async restartIce(peerId: string, transportId: string): Promise<IceParameters> {
    const transport = this.#peer(peerId).transport(transportId);
    return media(() => transport.restartIce());
  }

  async produce(peerId: string, request: ProduceRequest): Promise<{ producerId: string }> {
    const peer = this.#peer(peerId);
    if (SOURCE_KIND[request.source] !== request.kind) {
      throw new ProtocolError(ErrorCode.InvalidRequest, `A "${request.source}" track must be ${SOURCE_KIND[request.source]}.`);
    }
    for (const existing of peer.producers.values()) {
      if (existing.appData.source === request.source) {
        throw new ProtocolError(ErrorCode.InvalidRequest, `You already send a "${request.source}" track; close it first.`);
      }
    }
    const transport = peer.transport(request.transportId);
    const rtpParameters = request.rtpParameters as types.RtpParameters;
    const producer = await media(() =>
      transport.produce<ProducerAppData>({
        kind: request.kind,
        rtpParameters,
        paused: request.paused,
        appData: { peerId, source: request.source, ...videoLayers(request.source, request.rtpParameters.encodings, request.videoHeight) },
      }),
    );
    await this.#keepProducer(peer, producer);
    return { producerId: producer.id };
  }

  async openPipe(): Promise<{ pipeId: string } & PipeEndpoint> {
    const transport = await media(() =>
      this.#router.createPipeTransport({
        listenInfo: { protocol: 'udp', ...this.#pipeListen },
        // The other bridge is on another machine: its SRTP key keeps the pipe private, NACK/RTX repair loss on the way.
        enableSrtp: true,
        enableRtx: true,
      }),
    );
    this.#pipes.set(transport.id, transport);
    transport.observer.once('close', () => this.#pipes.delete(transport.id));
    const { localAddress, localPort } = transport.tuple;
    return { pipeId: transport.id, ip: this.#pipeListen.announcedAddress ?? localAddress, port: localPort, srtpParameters: transport.srtpParameters! };
  }

  async connectPipe(pipeId: string, remote: PipeEndpoint): Promise<void> {
    const transport = this.#pipe(pipeId);
    await media(() => transport.connect({ ip: remote.ip, port: remote.port, srtpParameters: remote.srtpParameters as types.SrtpParameters }));
  }

  closePipe(pipeId: string): void {
    this.#pipes.get(pipeId)?.close();
  }

  async pipeOut(pipeId: string, producerId: string): Promise<PipedProducer> {
    const transport = this.#pipe(pipeId);
    const producer = this.#findProducer(producerId);
    const consumer = await media(() => transport.consume({ producerId }));
    this.#pipedOut.add(consumer);
    consumer.observer.once('close', () => this.#pipedOut.delete(consumer));
    const { peerId, source, layers, temporalLayers } = producer.appData;
    return { producerId, peerId, kind: consumer.kind, source, rtpParameters: consumer.rtpParameters, paused: producer.paused, layers, temporalLayers };
  }

  async pipeIn(pipeId: string, piped: PipedProducer): Promise<void> {
    const transport = this.#pipe(pipeId);
    let peer = this.#peers.get(piped.peerId);
    if (peer && !peer.relayed) throw new ProtocolError(ErrorCode.InvalidRequest, `"${piped.peerId}" is a participant of this bridge, not of another.`);
    if (!peer) {
      peer = new MediaPeer(piped.peerId, true);
      this.#peers.set(peer.id, peer);
    }
    const { peerId, source, layers, temporalLayers } = piped;
    const producer = await media(() =>
      transport.produce<ProducerAppData>({
        id: piped.producerId,
        kind: piped.kind,
        rtpParameters: piped.rtpParameters as types.RtpParameters,
        paused: piped.paused,
        appData: { peerId, source, layers, temporalLayers },
      }),
    );
    await this.#keepProducer(peer, producer);
  }

  closeProducer(peerId: string, producerId: string): void {
    this.#peer(peerId).producer(producerId).close();
  }

  async setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    const producer = this.#peer(peerId).producer(producerId);
    await media(() => (paused ? producer.pause() : producer.resume()));
  }

  producersOf(peerId: string): ProducerInfo[] {
    const peer = this.#peers.get(peerId);
    if (!peer) return [];
    return [...peer.producers.values()].map((p) => ({
      producerId: p.id,
      source: p.appData.source,
      paused: p.paused,
      layers: p.appData.layers,
      temporalLayers: p.appData.temporalLayers,
    }));
  }

  async consume(peerId: string, producerId: string, forwarding?: ConsumerForwarding): Promise<ConsumerDescription | null> {
    const peer = this.#peer(peerId);
    const transport = peer.transportFor('recv');
    const rtpCapabilities = peer.rtpCapabilities as types.RtpCapabilities | undefined;
    if (!transport || !rtpCapabilities || !this.#router.canConsume({ producerId, rtpCapabilities })) return null;

    const preferredLayers = forwarding && { spatialLayer: forwarding.spatialLayer, temporalLayer: forwarding.temporalLayer };
    const consumer = await media(() =>
      transport.consume<ConsumerAppData>({ producerId, rtpCapabilities, paused: true, preferredLayers }),
    );
    const producer = this.#findProducer(producerId);
    consumer.appData.peerId = peerId;
    consumer.appData.source = producer.appData.source;
    consumer.appData.browserResumed = false;
    consumer.appData.policyPaused = forwarding?.paused ?? false;
    if (forwarding && forwarding.priority !== consumer.priority) await media(() => consumer.setPriority(forwarding.priority));
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => this.emit('consumerClosed', peerId, consumer.id));
    return {
      consumerId: consumer.id,
      producerId,
      producerPeerId: producer.appData.peerId,
      kind: consumer.kind,
      source: producer.appData.source,
      rtpParameters: consumer.rtpParameters,
    };
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.#peer(peerId).consumer(consumerId);
    consumer.appData.browserResumed = true;
    await media(() => applyFlow(consumer));
  }

  async setMaxOutgoingBitrate(peerId: string, bitrate: number): Promise<void> {
    const transport = this.#peer(peerId).transportFor('recv');
    if (!transport) throw new ProtocolError(ErrorCode.NotFound, 'You have no receive transport.');
    await media(() => transport.setMaxOutgoingBitrate(bitrate));
  }

  async setConsumerForwarding(peerId: string, consumerId: string, forwarding: ConsumerForwarding): Promise<void> {
    const consumer = this.#peer(peerId).consumer(consumerId);
    consumer.appData.policyPaused = forwarding.paused;
    await media(async () => {
      if (consumer.type === 'simulcast' || consumer.type === 'svc') {
        const { spatialLayer, temporalLayer } = forwarding;
        const preferred = consumer.preferredLayers;
        if (preferred?.spatialLayer !== spatialLayer || preferred.temporalLayer !== temporalLayer) {
          await consumer.setPreferredLayers({ spatialLayer, temporalLayer });
        }
      }
      if (consumer.priority !== forwarding.priority) await consumer.setPriority(forwarding.priority);
      await applyFlow(consumer);
    });
  }

  consumersOf(peerId: string): ReturnType<MediaRoom['consumersOf']> {
    const peer = this.#peers.get(peerId);
    if (!peer) return [];
    return [...peer.consumers.values()].map((c) => ({ consumerId: c.id, producerId: c.producerId, kind: c.kind, paused: c.paused }));
  }

  closeConsumersFrom(peerId: string, fromPeerId: string): string[] {
    const peer = this.#peers.get(peerId);
    const from = this.#peers.get(fromPeerId);
    if (!peer || !from) return [];
    const closed: string[] = [];
    for (const consumer of [...peer.consumers.values()]) {
      if (!from.producers.has(consumer.producerId)) continue;
      consumer.close();
      closed.push(consumer.id);
    }
    return closed;
  }

  consumerCount(peerId: string): number {
    return this.#peers.get(peerId)?.consumers.size ?? 0;
  }

  async createRtpTap(producerId: string, destination: RtpDestination): Promise<RtpTapDescription> {
    const producer = this.#findProducer(producerId);
    const transport = await media(() =>
      this.#router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: false }),
    );
    try {
      await media(() => transport.connect({ ip: destination.ip, port: destination.port, rtcpPort: destination.rtcpPort }));
      const consumer = await media(() => transport.consume({ producerId, rtpCapabilities: this.#router.rtpCapabilities, paused: false }));
      const tapId = consumer.id;
      this.#taps.set(tapId, { transport, consumer });
      transport.observer.once('close', () => this.#taps.delete(tapId));
      consumer.on('producerclose', () => {
        transport.close();
        this.emit('tapClosed', tapId);
      });
      const codec = consumer.rtpParameters.codecs[0]!;
      return {
        tapId,
        producerId,
        producerPeerId: producer.appData.peerId,
        kind: consumer.kind,
        source: producer.appData.source,
        mimeType: codec.mimeType,
        payloadType: codec.payloadType,
        clockRate: codec.clockRate,
        ...(codec.channels !== undefined ? { channels: codec.channels } : {}),
        ssrc: consumer.rtpParameters.encodings![0]!.ssrc!,
      };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async requestTapKeyFrame(tapId: string): Promise<void> {
    const tap = this.#taps.get(tapId);
    if (tap?.consumer.kind === 'video') await media(() => tap.consumer.requestKeyFrame());
  }

  closeTap(tapId: string): void {
    this.#taps.get(tapId)?.transport.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#markClosed();
    this.#router.close();
    this.emit('closed', 'closed');
  }

  #markClosed(): void {
    this.#closed = true;
    for (const peer of this.#peers.values()) if (!peer.relayed) this.#worker.load -= 1;
    this.#peers.clear();
  }

  /** Files a new producer under its peer and, for audio, lets it compete for dominant speaker. */
  async #keepProducer(peer: MediaPeer, producer: types.Producer<ProducerAppData>): Promise<void> {
    peer.producers.set(producer.id, producer);
    producer.observer.once('close', () => peer.producers.delete(producer.id));
    if (producer.kind === 'audio') {
      await this.#speakerObserver.addProducer({ producerId: producer.id }).catch((err: unknown) => {
        this.#logger.warn({ err }, 'could not observe audio producer for active speaker');
      });
    }
  }

  #pipe(pipeId: string): types.PipeTransport {
    const pipe = this.#pipes.get(pipeId);
    if (!pipe) throw new ProtocolError(ErrorCode.NotFound, `No pipe "${pipeId}" in this room.`);
    return pipe;
  }

  /** Relays the receive transport's bandwidth estimates, the latest at most every DOWNLINK_REPORT_MS. */
  #reportDownlink(peerId: string, transport: types.WebRtcTransport): void {
    let lastAt = 0;
    let pending: NodeJS.Timeout | undefined;
    let latest: { availableBitrate: number; desiredBitrate: number } | undefined;
    const emit = () => {
      pending = undefined;
      lastAt = Date.now();
      if (latest && !transport.closed) this.emit('downlink', peerId, latest);
    };
    transport.on('trace', (trace) => {
      if (trace.type !== 'bwe' || trace.direction !== 'out') return;
      const info = trace.info as { availableBitrate: number; desiredBitrate: number };
      latest = { availableBitrate: info.availableBitrate, desiredBitrate: info.desiredBitrate };
      pending ??= setTimeout(emit, Math.max(0, lastAt + DOWNLINK_REPORT_MS - Date.now()));
    });
    transport.observer.once('close', () => clearTimeout(pending));
  }

  #peer(peerId: string): MediaPeer {
    const peer = this.#peers.get(peerId);
    if (!peer) throw new ProtocolError(ErrorCode.NotJoined, 'You have no media session in this room.');
    return peer;
  }

  #findProducer(producerId: string): types.Producer<ProducerAppData> {
    for (const peer of this.#peers.values()) {
      const producer = peer.producers.get(producerId);
      if (producer) return producer;
    }
    throw new ProtocolError(ErrorCode.NotFound, `No producer "${producerId}" in this room.`);
  }
}

/** A consumer flows only when its browser is ready for it and the forwarding policy lets it. */
async function applyFlow(consumer: types.Consumer<ConsumerAppData>): Promise<void> {
  const flow = consumer.appData.browserResumed && !consumer.appData.policyPaused;
  if (flow && consumer.paused) await consumer.resume();
  else if (!flow && !consumer.paused) await consumer.pause();
}

/** Runs a mediasoup call, turning its errors into MEDIA_ERROR so the client learns what failed. */
async function media<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(ErrorCode.MediaError, error instanceof Error ? error.message : String(error));
  }
}
