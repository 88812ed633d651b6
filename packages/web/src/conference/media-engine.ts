import type { IceServer, JoinedMeeting, MediaSource, NotificationData, P2PSignal, Participant, RequestData, RequestMethod, ResponseData, VideoSource } from '@tertulia/protocol';
import type { Device } from 'mediasoup-client';
import type { Consumer, Producer, RtpCapabilities, RtpCodecCapability, Transport } from 'mediasoup-client/types';
import { needsEncodedInsertableStreams, type MediaEncryption } from '../e2ee/media-encryption.js';
import { createDevice } from './device.js';
import { Emitter } from './emitter.js';
import { P2PLink } from './p2p-link.js';
import { ReceiverConstraints } from './receiver-constraints.js';
import { receiveFigures, selectedPair, sendFigures, type CandidatePair, type ReceiveFigures, type SendFigures } from './rtc-stats.js';
import { CAMERA_ENCODINGS, cameraLayerFor, SCREEN_ENCODINGS } from './sender-layers.js';

const SOURCES: readonly MediaSource[] = ['mic', 'camera', 'screen'];
/** After going back through the server, how long the direct connection keeps playing while the server's streams arrive. */
const P2P_HANDOVER_MS = 5_000;
/** How often a server stream taking over from the direct link is checked for its first media. */
const FIRST_MEDIA_POLL_MS = 50;
/** How long ICE may stay failed after a restart before the whole session is rebuilt. */
const ICE_RECOVERY_MS = 8_000;

/** Sends one signalling request; the engine's only way to the server. */
export type Requester = <M extends RequestMethod>(method: M, data: RequestData<M>) => Promise<ResponseData<M>>;

export type RemoteTracks = Partial<Record<MediaSource, MediaStreamTrack>>;

/** Why the server does not forward a remote video to us (see the `videoForwarding` notification). */
export type HeldBackReason = NotificationData<'videoForwarding'>['paused'][number]['reason'];
export type HeldBack = Partial<Record<VideoSource, HeldBackReason>>;

export type MediaEngineEvents = {
  /** What to show for a remote participant now (every source; a missing one shows nothing). */
  tracks: [participantId: string, tracks: RemoteTracks];
  /** Media to the one other person flows directly (true) or through the server again (false). */
  p2p: [boolean];
  /** A WebRTC connection failed: the direct one (`isP2P`) or one to the media server. */
  peerConnectionFailure: [isP2P: boolean, wasConnected: boolean];
  /** A transport to the media server stayed down after an ICE restart: the session must be rebuilt. */
  unrecoverable: [];
  /** A remote track could not be set up. */
  trackFailed: [error: unknown];
  /** Which of a participant's videos the server holds back from us, and why (empty: all flow). */
  heldBack: [participantId: string, heldBack: HeldBack];
};

export interface MediaEngineOptions {
  request: Requester;
  /** The remote participant as the conference knows it (what the direct peer sends). */
  participant: (id: string) => Participant | undefined;
  /** Our local track for a source, if we have one on. */
  outgoing: (source: MediaSource) => MediaStreamTrack | null;
}

/** What the engine needs of a room it enters. */
export interface MediaSettings extends Pick<JoinedMeeting, 'routerRtpCapabilities' | 'iceServers' | 'p2pIceServers'> {
  /** 'relay': media only through the TURN server (hides this browser's addresses). */
  iceTransportPolicy: RTCIceTransportPolicy | undefined;
}

/** How one transport to the media server is connected: its selected ICE candidate pair. */
export interface MediaPath extends CandidatePair {
  direction: 'send' | 'recv';
  state: string;
}

export interface InboundStat extends ReceiveFigures {
  participantId: string;
  /** Through the media server, or directly from the other participant. */
  path: 'server' | 'p2p';
  source: MediaSource;
  kind: 'audio' | 'video';
}

/** What we send, per encoding (one per simulcast layer). */
export interface OutboundStat extends SendFigures {
  source: MediaSource;
  path: 'server' | 'p2p';
}

interface ConsumerEntry {
  consumer: Consumer;
  participantId: string;
  source: MediaSource;
}

/**
 * The browser's media: the mediasoup Device, both transports to the media server,
 * our producers, the consumers of everyone else's media, and the direct link when
 * exactly two people meet. The conference starts it once in a room, tells it which
 * local tracks to send and what the server announces; it reports which remote
 * track to show (`tracks`) and how the connections fare.
 */
export class MediaEngine extends Emitter<MediaEngineEvents> {
  readonly #options: MediaEngineOptions;
  #iceServers: IceServer[] = [];
  /** STUN (and TURN) servers for the direct path between two people. */
  #p2pIceServers: IceServer[] = [];
  #iceTransportPolicy: RTCIceTransportPolicy = 'all';
  /** The loaded Device, kept for the next room with the same router capabilities. */
  #device: { key: string; device: Promise<Device> } | undefined;
  /** Counts stops, so a start overtaken by one drops what it built. */
  #session = 0;
  #sendTransport: Transport | undefined;
  #recvTransport: Transport | undefined;
  #recvReady: Promise<Transport> | undefined;
  readonly #producers = new Map<MediaSource, Producer>();
  readonly #consumers = new Map<string, ConsumerEntry>();
  /** What each remote participant's tiles show. */
  readonly #shown = new Map<string, RemoteTracks>();
  /** The direct link being set up or in use; `#direct` says whether it is up. */
  #p2p: P2PLink | undefined;
  #direct = false;
  /** The direct link still playing after we went back through the server, until the server's streams take over. */
  #handover: P2PLink | undefined;
  readonly #constraints: ReceiverConstraints;
  /** The highest simulcast layer of each of our videos that some receiver needs (the server's `senderLayers`). */
  readonly #neededLayer: Record<VideoSource, number> = { camera: 2, screen: 0 };
  /** The person's quality cap on what we send and receive, in pixels high. */
  #maxHeight = 720;
  #audioOnly = false;
  /** The server's latest `videoForwarding` list, applied again as consumers come and go. */
  #paused: NotificationData<'videoForwarding'>['paused'] = [];
  readonly #heldBack = new Map<string, HeldBack>();
  /** End-to-end encryption of every frame we send and receive, while it is on. */
  #encryption: MediaEncryption | undefined;
  /** The loaded Device's VP8, which an E2EE meeting sends (see e2ee/frame-format.ts on H.264). */
  #vp8: RtpCodecCapability | undefined;

  constructor(options: MediaEngineOptions) {
    super();
    this.#options = options;
    this.#constraints = new ReceiverConstraints((constraints) => void options.request('setReceiverConstraints', constraints).catch(() => undefined));
  }

  /** Media flows directly to the one other participant. */
  get p2p(): boolean {
    return this.#direct;
  }

  /** Loads the Device for this room's router and opens both transports. */
  async start(settings: MediaSettings): Promise<void> {
    this.#iceServers = settings.iceServers;
    this.#p2pIceServers = settings.p2pIceServers;
    this.#iceTransportPolicy = settings.iceTransportPolicy ?? 'all';
    this.#neededLayer.camera = 2;
    this.#neededLayer.screen = 0;
    // Before any consumer exists, so the server never starts anyone at the top layer.
    this.#constraints.sendNow();
    const session = this.#session;
    const device = await this.#loadDevice(settings.routerRtpCapabilities as RtpCapabilities);
    this.#vp8 = device.rtpCapabilities.codecs?.find((codec) => codec.mimeType.toLowerCase() === 'video/vp8');
    // Three requests at once: the server starts sending to us once it has both the capabilities and the recv transport.
    this.#recvReady = this.#createTransport(device, 'recv');
    const [, recv, send] = await Promise.all([
      this.#options.request('setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities }),
      this.#recvReady,
      this.#createTransport(device, 'send'),
    ]);
    if (session !== this.#session) {
      // Stopped meanwhile (a reconnect or a move overtook this start).
      recv.close();
      send.close();
      return;
    }
    this.#recvTransport = recv;
    this.#sendTransport = send;
  }

  /** The Device for these router capabilities; a reconnect or a move to a room with the same ones reuses it. */
  async #loadDevice(routerRtpCapabilities: RtpCapabilities): Promise<Device> {
    const key = JSON.stringify(routerRtpCapabilities);
    if (this.#device?.key !== key) this.#device = { key, device: createDevice(routerRtpCapabilities) };
    try {
      return await this.#device.device;
    } catch (error) {
      this.#device = undefined;
      throw error;
    }
  }

  /** Closes everything: transports, producers, consumers and the direct link. Local tracks stay the caller's. */
  stop(): void {
    this.#session++;
    this.#closeP2P();
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    for (const { consumer } of this.#consumers.values()) consumer.close();
    this.#consumers.clear();
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = undefined;
    this.#recvTransport = undefined;
    this.#recvReady = undefined;
    this.#shown.clear();
    this.#constraints.close();
    this.#paused = [];
    this.#heldBack.clear();
  }

  // ── what we send ──────────────────────────────────────────────────────────

  /** Starts sending `source` to the server (once per source). */
  async produce(source: MediaSource, track: MediaStreamTrack, paused: boolean): Promise<void> {
    const transport = this.#sendTransport;
    if (!transport || this.#producers.has(source)) return;
    const producer = await transport.produce({
      track,
      stopTracks: false,
      encodings: source === 'camera' ? CAMERA_ENCODINGS : source === 'screen' ? SCREEN_ENCODINGS : undefined,
      codecOptions: source === 'mic' ? { opusDtx: true, opusFec: true } : { videoGoogleStartBitrate: 1000 },
      ...(this.#encryption && track.kind === 'video' && this.#vp8 ? { codec: this.#vp8 } : {}),
      // Before the first frame leaves: nothing goes out unencrypted.
      onRtpSender: (sender) => this.#encryption?.encrypt(sender, track.kind as 'audio' | 'video'),
      appData: { source, paused, videoHeight: track.kind === 'video' ? track.getSettings().height : undefined },
    });
    if (paused) producer.pause();
    this.#producers.set(source, producer);
    if (source !== 'mic') await this.#applyLayers(source);
    // While peer to peer, only the microphone goes to the server; the other producers stay for a seamless switch back.
    if (this.#forServer(source, track) !== track) await producer.replaceTrack({ track: null });
  }

  /** The server's id of our producer for `source`, if we send it. */
  producerId(source: MediaSource): string | undefined {
    return this.#producers.get(source)?.id;
  }

  /** Pauses or resumes sending `source` here; telling the server is the caller's (it may refuse). */
  setProducerPaused(source: MediaSource, paused: boolean): void {
    const producer = this.#producers.get(source);
    if (paused) producer?.pause();
    else producer?.resume();
  }

  /** Stops sending `source`; `tellServer` false when the server closed it itself. */
  async stopSending(source: MediaSource, tellServer = true): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    this.#producers.delete(source);
    producer.close();
    if (tellServer) await this.#options.request('closeProducer', { producerId: producer.id }).catch(() => undefined);
  }

  // ── what we receive ───────────────────────────────────────────────────────

  async consume(data: NotificationData<'newConsumer'>): Promise<void> {
    const transport = await this.#recvReady;
    if (!transport || transport.closed) return;
    try {
      const consumer = await transport.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as Parameters<Transport['consume']>[0]['rtpParameters'],
        // A stream of its own, so video is not lip-synced to the sender's audio (as in Jitsi): on a busy
        // machine the audio jitter buffer grew to 0.7-1.7 s and held every video frame back as long.
        streamId: data.consumerId,
        onRtpReceiver: (receiver) => this.#encryption?.decrypt(receiver, data.kind, data.participantId),
      });
      this.#consumers.set(consumer.id, { consumer, participantId: data.participantId, source: data.source });
      this.#applyForwarding();
      // A late server stream from our direct peer must not replace the direct track on screen; one
      // taking over from the direct link still playing out waits for its first media, so nothing stalls.
      const takesOver = this.#handover?.peerId === data.participantId;
      if (!this.#isDirectPeer(data.participantId) && !takesOver) this.#showTrack(data.participantId, data.source, consumer.track);
      await this.#options.request('resumeConsumer', { consumerId: consumer.id });
      if (takesOver) void this.#showOnFirstMedia(consumer, data.participantId, data.source);
    } catch (error) {
      this.emit('trackFailed', error);
    }
  }

  dropConsumer(consumerId: string): void {
    const entry = this.#consumers.get(consumerId);
    if (!entry) return;
    this.#consumers.delete(consumerId);
    entry.consumer.close();
    this.#applyForwarding();
    if (this.#shown.get(entry.participantId)?.[entry.source] === entry.consumer.track) {
      this.#showTrack(entry.participantId, entry.source, undefined);
    }
    if (this.#isDirectPeer(entry.participantId)) this.#showP2PTracks();
  }

  async #showOnFirstMedia(consumer: Consumer, participantId: string, source: MediaSource): Promise<void> {
    const deadline = Date.now() + P2P_HANDOVER_MS;
    while (!consumer.closed && Date.now() < deadline && !(await hasMedia(consumer))) await sleep(FIRST_MEDIA_POLL_MS);
    if (!consumer.closed && this.#consumers.has(consumer.id)) this.#showTrack(participantId, source, consumer.track);
  }

  /** Someone left: their consumers go. */
  dropParticipant(participantId: string): void {
    for (const [id, entry] of this.#consumers) {
      if (entry.participantId === participantId) this.dropConsumer(id);
    }
    this.#shown.delete(participantId);
    this.#heldBack.delete(participantId);
    this.#constraints.forget(participantId);
  }

  /** A participant's flags changed: the direct peer's tiles follow what it sends. */
  participantUpdated(participantId: string): void {
    if (this.#isDirectPeer(participantId)) this.#showP2PTracks();
  }

  #showTrack(participantId: string, source: MediaSource, track: MediaStreamTrack | undefined): void {
    this.#show(participantId, { ...this.#shown.get(participantId), [source]: track });
  }

  #show(participantId: string, tracks: RemoteTracks): void {
    this.#shown.set(participantId, tracks);
    this.emit('tracks', participantId, tracks);
  }

  // ── end-to-end encryption ─────────────────────────────────────────────────

  /**
   * Encrypts everything we send and decrypts everything we receive with `encryption`
   * (undefined: neither). Chromium applies a transform only to a sender that has it from
   * the start, so what we already send is sent again (new producers, which everyone then
   * consumes afresh, with their receivers' transforms from the start as well). A direct
   * link is made again, by both ends (both hear of the switch before the new offer).
   */
  async setEncryption(encryption: MediaEncryption | undefined): Promise<void> {
    if (encryption === this.#encryption) return;
    this.#encryption = encryption;
    const link = this.#p2p;
    if (link) this.startP2P(link.peerId, link.initiator);
    for (const [source, producer] of [...this.#producers]) {
      const track = this.#options.outgoing(source);
      const paused = producer.paused;
      await this.stopSending(source);
      if (track) await this.produce(source, track, paused);
    }
  }

  // ── video quality ─────────────────────────────────────────────────────────

  /** Device pixels high that a remote video is drawn; 0 = not visible. */
  setVideoSize(participantId: string, source: VideoSource, height: number): void {
    this.#constraints.setVideoSize(participantId, source, height);
  }

  /** Who is pinned or on the large stage: kept first when videos must be left out. */
  setOnStage(participantIds: string[]): void {
    this.#constraints.setOnStage(participantIds);
  }

  /** Most remote videos to receive (-1 = all). */
  setLastN(lastN: number): void {
    this.#constraints.setLastN(lastN);
  }

  /** The downlink to assume, bits per second (0: the server's own estimate only). */
  setAssumedBandwidth(bps: number): void {
    this.#constraints.setAssumedBandwidth(bps);
  }

  /** Caps every received video's height and what we encode. */
  setMaxHeight(maxHeight: number): void {
    this.#maxHeight = maxHeight;
    this.#constraints.setMaxHeight(maxHeight);
    void this.#applyLayers('camera');
  }

  /** No video either way: last-N 0, and our camera encodes nothing (the track stays, so the preview does). */
  setAudioOnly(audioOnly: boolean): void {
    this.#audioOnly = audioOnly;
    this.#constraints.setAudioOnly(audioOnly);
    void this.#applyLayers('camera');
    this.syncSenders();
  }

  /** The server's `senderLayers`: stop encoding layers of `source` nobody receives, resume them when someone does. */
  setNeededLayer(source: VideoSource, maxSpatialLayer: number): void {
    this.#neededLayer[source] = maxSpatialLayer;
    void this.#applyLayers(source);
  }

  /** The server's `videoForwarding`: which of our consumers it holds back, and why. */
  setForwarding(paused: NotificationData<'videoForwarding'>['paused']): void {
    this.#paused = paused;
    this.#applyForwarding();
  }

  async #applyLayers(source: VideoSource): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer || producer.closed) return;
    const track = this.#options.outgoing(source);
    const cap = source === 'camera' ? cameraLayerFor(this.#maxHeight, track?.getSettings().height) : 0;
    const layer = source === 'camera' && this.#audioOnly ? -1 : Math.min(this.#neededLayer[source], cap);
    await producer.setMaxSpatialLayer(layer).catch(() => undefined);
  }

  #applyForwarding(): void {
    const next = new Map<string, HeldBack>();
    for (const { consumerId, reason } of this.#paused) {
      const entry = this.#consumers.get(consumerId);
      if (!entry || entry.source === 'mic') continue;
      next.set(entry.participantId, { ...next.get(entry.participantId), [entry.source]: reason });
    }
    for (const participantId of new Set([...this.#heldBack.keys(), ...next.keys()])) {
      const before = this.#heldBack.get(participantId) ?? {};
      const after = next.get(participantId) ?? {};
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      if (next.has(participantId)) this.#heldBack.set(participantId, after);
      else this.#heldBack.delete(participantId);
      this.emit('heldBack', participantId, after);
    }
  }

  // ── peer to peer (exactly two people) ────────────────────────────────────

  startP2P(peerId: string, initiator: boolean): void {
    this.#closeP2P();
    const link = new P2PLink(
      peerId,
      initiator,
      this.#p2pIceServers,
      (signal: P2PSignal) => void this.#options.request('p2pSignal', { to: peerId, signal }).catch(() => undefined),
      { mic: this.#toPeer('mic'), camera: this.#toPeer('camera'), screen: this.#toPeer('screen') },
      this.#iceTransportPolicy,
      this.#encryption,
    );
    this.#p2p = link;
    link.on('state', (state) => (state === 'connected' ? this.#p2pConnected(link) : this.#p2pFailed()));
    link.start().catch(() => this.#p2pFailed());
  }

  handleP2PSignal(from: string, signal: P2PSignal): void {
    if (this.#p2p?.peerId === from) this.#p2p.handle(signal).catch(() => this.#p2pFailed());
  }

  #p2pConnected(link: P2PLink): void {
    if (this.#p2p !== link || this.#direct) return;
    this.#setDirect(true);
    this.#showP2PTracks();
    this.syncSenders();
    void this.#options.request('p2pConnected', { connected: true }).catch(() => undefined);
  }

  /** The direct path did not come up or broke: report it; the server brings us back through itself. */
  #p2pFailed(): void {
    if (!this.#p2p) return;
    this.emit('peerConnectionFailure', true, this.#direct);
    void this.#options.request('p2pConnected', { connected: false }).catch(() => undefined);
    this.leaveP2P();
  }

  /**
   * Back through the server (a third person joined, or the direct path failed): our
   * producers get their tracks again and the server forwards; the direct connection
   * keeps playing until the server's streams have taken over.
   */
  leaveP2P(): void {
    const link = this.#p2p;
    if (!link) return;
    const wasUp = this.#direct;
    this.#p2p = undefined;
    this.#setDirect(false);
    this.syncSenders();
    if (!wasUp) {
      link.close();
      return;
    }
    this.#handover = link;
    setTimeout(() => {
      if (this.#handover === link) this.#handover = undefined;
      link.close();
      // Tracks the server has not replaced yet are gone with the connection.
      const shown = this.#shown.get(link.peerId);
      for (const source of SOURCES) {
        if (shown?.[source] && shown[source] === link.remoteTrack(source)) this.#showTrack(link.peerId, source, undefined);
      }
    }, P2P_HANDOVER_MS);
  }

  #closeP2P(): void {
    this.#handover?.close();
    this.#handover = undefined;
    this.#p2p?.close();
    this.#p2p = undefined;
    this.#setDirect(false);
  }

  #setDirect(direct: boolean): void {
    if (this.#direct === direct) return;
    this.#direct = direct;
    this.emit('p2p', direct);
  }

  /** The participant whose media currently comes to us over the direct connection. */
  #isDirectPeer(participantId: string): boolean {
    return this.#direct && this.#p2p?.peerId === participantId;
  }

  /** The peer's direct tracks, shown only for what it actually sends (the receivers exist regardless). */
  #showP2PTracks(): void {
    const link = this.#p2p;
    const peer = link && this.#options.participant(link.peerId);
    if (!link || !peer) return;
    this.#show(peer.id, {
      mic: link.remoteTrack('mic'),
      camera: peer.videoMuted ? undefined : link.remoteTrack('camera'),
      screen: peer.screenSharing ? link.remoteTrack('screen') : undefined,
    });
  }

  /**
   * What the server's producer for `source` sends. Peer to peer, only the microphone: it
   * costs little, and the server needs it to tell who is speaking (dominant speaker,
   * speaker stats); the server forwards none of it to the direct peer.
   */
  #forServer(source: MediaSource, track: MediaStreamTrack | null): MediaStreamTrack | null {
    return this.#direct && source !== 'mic' ? null : track;
  }

  /** Points every sender at the right track: the server's producers (the microphone only when peer to peer) and the direct link. */
  syncSenders(): void {
    for (const source of SOURCES) {
      const track = this.#options.outgoing(source);
      const producer = this.#producers.get(source);
      const forServer = this.#forServer(source, track);
      if (producer && !producer.closed && producer.track !== forServer) void producer.replaceTrack({ track: forServer }).catch(() => undefined);
      this.#p2p?.setTrack(source, this.#toPeer(source));
    }
  }

  /** What the direct link sends for `source`: no camera in audio-only mode. */
  #toPeer(source: MediaSource): MediaStreamTrack | null {
    return source === 'camera' && this.#audioOnly ? null : this.#options.outgoing(source);
  }

  // ── transports ────────────────────────────────────────────────────────────

  async #createTransport(device: Device, direction: 'send' | 'recv'): Promise<Transport> {
    const request = this.#options.request;
    const options = await request('createTransport', { direction });
    const params = {
      ...options,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      // A Chromium without RTCRtpScriptTransform encrypts through insertable streams, which must be asked for up front.
      ...(this.#encryption && needsEncodedInsertableStreams() ? { additionalSettings: { encodedInsertableStreams: true } as RTCConfiguration } : {}),
    } as Parameters<Device['createSendTransport']>[0];
    const transport = direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request('connectTransport', { transportId: transport.id, dtlsParameters }).then(callback, errback);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      request('produce', {
        transportId: transport.id,
        kind,
        rtpParameters: rtpParameters as RequestData<'produce'>['rtpParameters'],
        source: appData['source'] as MediaSource,
        paused: Boolean(appData['paused']),
        ...(typeof appData['videoHeight'] === 'number' ? { videoHeight: appData['videoHeight'] } : {}),
      }).then(({ producerId }) => callback({ id: producerId }), errback);
    });
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed') void this.#recoverIce(transport);
    });
    return transport;
  }

  /** Renewed TURN credentials. Transports use them from their next gathering (an ICE restart, a network change). */
  applyIceServers(iceServers: IceServer[], p2pIceServers: IceServer[]): void {
    this.#iceServers = iceServers;
    this.#p2pIceServers = p2pIceServers;
    for (const transport of this.#transports()) transport.updateIceServers({ iceServers }).catch(() => undefined);
  }

  /** Restarts ICE on both transports to the media server (gathering again with the current ICE servers). */
  async restartIce(): Promise<void> {
    for (const transport of this.#transports()) await this.#restartTransportIce(transport);
  }

  async #restartTransportIce(transport: Transport): Promise<void> {
    const { iceParameters } = await this.#options.request('restartIce', { transportId: transport.id });
    await transport.restartIce({ iceParameters });
  }

  /** ICE failed (network change, NAT rebinding): try an ICE restart, then have the session rebuilt. */
  async #recoverIce(transport: Transport): Promise<void> {
    this.emit('peerConnectionFailure', false, true);
    try {
      await this.#restartTransportIce(transport);
    } catch {
      // Falls through to the check below.
    }
    setTimeout(() => {
      if (!transport.closed && transport.connectionState !== 'connected') this.emit('unrecoverable');
    }, ICE_RECOVERY_MS);
  }

  #transports(): Transport[] {
    return [this.#sendTransport, this.#recvTransport].filter((t): t is Transport => t !== undefined && !t.closed);
  }

  // ── diagnostics ───────────────────────────────────────────────────────────

  /** The selected candidate pair of each transport to the media server. */
  async mediaPaths(): Promise<MediaPath[]> {
    const paths: MediaPath[] = [];
    for (const [direction, transport] of [['send', this.#sendTransport], ['recv', this.#recvTransport]] as const) {
      if (!transport || transport.closed) continue;
      paths.push({ direction, state: transport.connectionState, ...selectedPair(await transport.getStats()) });
    }
    return paths;
  }

  /** Receive-side figures per remote track. */
  async inboundStats(): Promise<InboundStat[]> {
    const stats: InboundStat[] = [];
    for (const { consumer, participantId, source } of this.#consumers.values()) {
      for (const figures of receiveFigures(await consumer.getStats())) {
        stats.push({ participantId, path: 'server', source, kind: consumer.kind as 'audio' | 'video', ...figures });
      }
    }
    const link = this.#p2p;
    if (link && this.#direct) {
      for (const stat of await link.stats()) stats.push({ participantId: link.peerId, path: 'p2p', ...stat });
    }
    return stats;
  }

  /** Send-side figures per encoding of each of our streams. */
  async outboundStats(): Promise<OutboundStat[]> {
    const stats: OutboundStat[] = [];
    for (const [source, producer] of this.#producers) {
      if (producer.closed) continue;
      for (const figures of sendFigures(await producer.getStats())) stats.push({ source, path: 'server', ...figures });
    }
    const link = this.#p2p;
    if (link && this.#direct) {
      for (const stat of await link.sendStats()) stats.push({ path: 'p2p', ...stat });
    }
    return stats;
  }

  /** The type of our side of the direct connection's candidate pair (host, srflx, relay), when it is up. */
  async p2pCandidateType(): Promise<string | undefined> {
    return this.#direct ? this.#p2p?.localCandidateType() : undefined;
  }
}

/** Whether a consumer has decoded a video frame (or received audio) yet. */
async function hasMedia(consumer: Consumer): Promise<boolean> {
  const [figures] = receiveFigures(await consumer.getStats());
  return consumer.kind === 'video' ? (figures?.framesDecoded ?? 0) > 0 : (figures?.packetsReceived ?? 0) > 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
