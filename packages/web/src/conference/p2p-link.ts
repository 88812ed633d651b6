import type { IceServer, MediaSource, P2PSignal } from '@tertulia/protocol';
import { needsEncodedInsertableStreams, type MediaEncryption } from '../e2ee/media-encryption.js';
import { Emitter } from './emitter.js';
import { receiveFigures, selectedPair, sendFigures, type ReceiveFigures, type SendFigures } from './rtc-stats.js';

/** One transceiver per source, in this order on both sides: later changes are track swaps, never renegotiation. */
const SOURCES: readonly MediaSource[] = ['mic', 'camera', 'screen'];
const KIND: Record<MediaSource, 'audio' | 'video'> = { mic: 'audio', camera: 'video', screen: 'video' };
/** A direct connection not up by then counts as failed (blocked UDP, symmetric NAT…). */
const CONNECT_TIMEOUT_MS = 10_000;

export type P2PLinkEvents = {
  /** `connected`: media flows directly. `failed`: it will not; go back through the server. */
  state: ['connected' | 'failed'];
};

export interface P2PReceiveStat extends ReceiveFigures {
  source: MediaSource;
  kind: 'audio' | 'video';
}

export interface P2PSendStat extends SendFigures {
  source: MediaSource;
}

/**
 * A direct WebRTC connection to the one other person in a two-person meeting,
 * with DTLS-SRTP end to end. Offers, answers and candidates travel through the
 * server's signalling (`send`), which never sees the media.
 */
export class P2PLink extends Emitter<P2PLinkEvents> {
  readonly #pc: RTCPeerConnection;
  readonly #send: (signal: P2PSignal) => void;
  readonly #tracks: Partial<Record<MediaSource, MediaStreamTrack | null>>;
  readonly #pendingCandidates: RTCIceCandidateInit[] = [];
  readonly #timer: ReturnType<typeof setTimeout>;
  #transceivers: RTCRtpTransceiver[] = [];
  #closed = false;
  readonly #encryption: MediaEncryption | undefined;

  constructor(
    readonly peerId: string,
    readonly initiator: boolean,
    iceServers: IceServer[],
    send: (signal: P2PSignal) => void,
    tracks: Partial<Record<MediaSource, MediaStreamTrack | null>>,
    /** 'relay': only through TURN, so the other person never learns this browser's addresses. */
    iceTransportPolicy: RTCIceTransportPolicy = 'all',
    /** End-to-end encryption, the same as through the server, so going back and forth keeps it. */
    encryption?: MediaEncryption,
  ) {
    super();
    this.#encryption = encryption;
    this.#send = send;
    this.#tracks = { ...tracks };
    // A Chromium without RTCRtpScriptTransform encrypts through insertable streams, which must be asked for up front.
    const insertableStreams = encryption && needsEncodedInsertableStreams() ? { encodedInsertableStreams: true } : {};
    this.#pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle', iceTransportPolicy, ...insertableStreams } as RTCConfiguration);
    this.#pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate) return;
      const init = candidate.toJSON();
      this.#send({ candidate: { ...init, candidate: init.candidate ?? '' } });
    });
    this.#pc.addEventListener('connectionstatechange', () => {
      const state = this.#pc.connectionState;
      if (state === 'connected') {
        clearTimeout(this.#timer);
        this.emit('state', 'connected');
      } else if (state === 'failed') {
        this.#fail();
      }
    });
    this.#timer = setTimeout(() => this.#fail(), CONNECT_TIMEOUT_MS);
  }

  /** The initiator opens with an offer; the other side waits for it. */
  async start(): Promise<void> {
    if (!this.initiator) return;
    this.#transceivers = SOURCES.map((source) => this.#pc.addTransceiver(KIND[source], { direction: 'sendrecv' }));
    this.#protect();
    await this.#attachTracks();
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    this.#send({ description: { type: 'offer', sdp: offer.sdp ?? '' } });
  }

  async handle(signal: P2PSignal): Promise<void> {
    if (this.#closed) return;
    if ('candidate' in signal) {
      if (this.#pc.remoteDescription) await this.#pc.addIceCandidate(signal.candidate);
      else this.#pendingCandidates.push(signal.candidate);
      return;
    }
    await this.#pc.setRemoteDescription(signal.description);
    if (signal.description.type === 'offer') {
      this.#transceivers = this.#pc.getTransceivers();
      for (const transceiver of this.#transceivers) transceiver.direction = 'sendrecv';
      this.#protect();
      await this.#attachTracks();
      const answer = await this.#pc.createAnswer();
      await this.#pc.setLocalDescription(answer);
      this.#send({ description: { type: 'answer', sdp: answer.sdp ?? '' } });
    }
    for (const candidate of this.#pendingCandidates.splice(0)) await this.#pc.addIceCandidate(candidate);
  }

  /** With E2EE, each transceiver encrypts and decrypts, and video is VP8 only (the frame format's clear bytes are VP8's). */
  #protect(): void {
    const encryption = this.#encryption;
    if (!encryption) return;
    for (const [index, transceiver] of this.#transceivers.entries()) {
      const kind = KIND[SOURCES[index]!];
      encryption.encrypt(transceiver.sender, kind);
      encryption.decrypt(transceiver.receiver, kind, this.peerId);
      if (kind === 'video') transceiver.setCodecPreferences(vp8Only());
    }
  }

  /** What we send for `source` (null: nothing). Works before and after the connection is up. */
  setTrack(source: MediaSource, track: MediaStreamTrack | null): void {
    this.#tracks[source] = track;
    const sender = this.#transceivers[SOURCES.indexOf(source)]?.sender;
    if (sender && sender.track !== track) void sender.replaceTrack(track).catch(() => undefined);
  }

  remoteTrack(source: MediaSource): MediaStreamTrack | undefined {
    return this.#transceivers[SOURCES.indexOf(source)]?.receiver.track;
  }

  async stats(): Promise<P2PReceiveStat[]> {
    const stats: P2PReceiveStat[] = [];
    for (const [index, transceiver] of this.#transceivers.entries()) {
      const source = SOURCES[index]!;
      for (const figures of receiveFigures(await transceiver.receiver.getStats())) stats.push({ source, kind: KIND[source], ...figures });
    }
    return stats;
  }

  async sendStats(): Promise<P2PSendStat[]> {
    const stats: P2PSendStat[] = [];
    for (const [index, transceiver] of this.#transceivers.entries()) {
      if (!transceiver.sender.track) continue;
      for (const figures of sendFigures(await transceiver.sender.getStats())) stats.push({ source: SOURCES[index]!, ...figures });
    }
    return stats;
  }

  /** The type of our side of the selected candidate pair (host, srflx, relay), for diagnostics. */
  async localCandidateType(): Promise<string | undefined> {
    return selectedPair(await this.#pc.getStats()).localCandidateType;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#pc.close();
  }

  async #attachTracks(): Promise<void> {
    await Promise.all(
      SOURCES.map((source, index) => this.#transceivers[index]?.sender.replaceTrack(this.#tracks[source] ?? null)),
    );
  }

  #fail(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.emit('state', 'failed');
  }
}

/** The browser's VP8 codecs (and their retransmission), for an E2EE meeting's video. */
function vp8Only(): RTCRtpCodec[] {
  const codecs = RTCRtpReceiver.getCapabilities('video')?.codecs ?? [];
  return codecs.filter((codec) => /^video\/(vp8|rtx)$/i.test(codec.mimeType));
}
