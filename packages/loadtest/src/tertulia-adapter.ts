import { randomInt } from 'node:crypto';
import type { JoinedMeeting, RequestData, RtpCapabilities, TransportOptions } from '@tertulia/protocol';
import { DtlsLink } from './dtls-link.js';
import { VIDEO_LAYERS } from './media-files.js';
import { startPublishing, type Publisher } from './rtp-publisher.js';
import { SignalClient } from './signal-client.js';
import { StreamCounter } from './stream-counter.js';
import type { JoinOptions, SfuAdapter, SyntheticSession, StreamStats, WantedLayer } from './types.js';

/** What a subscriber tells the server it draws every video at, per wanted layer (the layers' heights). */
const DRAWN_HEIGHT: Record<WantedLayer, number> = { low: 180, mid: 360, high: 720 };
const OPUS_PT = 100;
const VP8_PT = 101;
/** New videos are listed in the receiver constraints at most this often (a browser debounces its layout changes too). */
const CONSTRAINTS_DEBOUNCE_MS = 200;
/** How long `leave` may take on close before the socket is simply dropped. */
const LEAVE_TIMEOUT_MS = 2_000;

type ProduceParameters = RequestData<'produce'>['rtpParameters'];

/**
 * Synthetic participants in Tertulia: the browser client's signalling (join, transports,
 * produce, consume, receiver constraints), with werift's ICE + DTLS-SRTP under mediasoup's
 * transports. No SDP: mediasoup takes RTP parameters, so they are written here directly.
 * Simulcast: all three VP8 layers are sent, one SSRC each (mediasoup's SSRC-based simulcast,
 * as Firefox does it), so no rid header extension is needed from werift.
 */
export class TertuliaAdapter implements SfuAdapter {
  readonly sfu = 'tertulia' as const;

  async join(options: JoinOptions): Promise<SyntheticSession> {
    const session = new TertuliaSession(options);
    try {
      await session.start();
      return session;
    } catch (error) {
      await session.close();
      throw error;
    }
  }
}

class TertuliaSession implements SyntheticSession {
  readonly name: string;
  readonly #options: JoinOptions;
  readonly #counter = new StreamCounter();
  /** Participant id → display name, for naming received streams. */
  readonly #names = new Map<string, string>();
  readonly #links: DtlsLink[] = [];
  #signal: SignalClient | undefined;
  #publisher: Publisher | undefined;
  /** Participants whose camera we receive: listed in the receiver constraints, as a browser lists its tiles. */
  readonly #videos = new Set<string>();
  #constraintsTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: JoinOptions) {
    this.name = options.name;
    this.#options = options;
  }

  async start(): Promise<void> {
    const signal = (this.#signal = await SignalClient.connect(this.#options.url));
    signal.on('participantJoined', ({ participant }) => this.#names.set(participant.id, participant.displayName));
    signal.on('newConsumer', (consumer) => {
      const ssrc = consumer.rtpParameters.encodings?.[0]?.['ssrc'];
      const clockRate = consumer.rtpParameters.codecs[0]?.clockRate;
      if (typeof ssrc === 'number' && clockRate) {
        const publisher = this.#names.get(consumer.participantId) ?? consumer.participantId;
        this.#counter.expect(ssrc, { publisher, kind: consumer.kind, clockRate });
      }
      signal.request('resumeConsumer', { consumerId: consumer.consumerId }).catch(() => undefined);
      if (consumer.kind === 'video' && consumer.source === 'camera') this.#showVideo(consumer.participantId);
    });
    signal.on('participantLeft', ({ participantId }) => this.#videos.delete(participantId));
    signal.on('senderLayers', ({ source, maxSpatialLayer }) => {
      if (source === 'camera') this.#publisher?.setMaxLayer(maxSpatialLayer);
    });

    const answer = await signal.request('join', { room: this.#options.room, displayName: this.name });
    if (answer.status !== 'joined') {
      throw new Error(`The room made ${this.name} wait (${answer.reason}); run the load against a server that admits anonymous guests at once`);
    }
    const meeting = answer.meeting;
    for (const p of meeting.participants) this.#names.set(p.id, p.displayName);
    // Before any consumer exists, so each starts at the wanted layer.
    await signal.request('setReceiverConstraints', this.#constraints());
    const [, recv, send] = await Promise.all([
      signal.request('setRtpCapabilities', { rtpCapabilities: receiveCapabilities(meeting) }),
      signal.request('createTransport', { direction: 'recv' }),
      this.#options.publish ? signal.request('createTransport', { direction: 'send' }) : undefined,
    ]);
    this.#links.push(await this.#connect(recv, (packet) => this.#counter.add(packet)));
    if (send) await this.#publish(send);
  }

  /** What a browser showing every camera at the wanted layer's height tells the server. */
  #constraints(): RequestData<'setReceiverConstraints'> {
    const height = DRAWN_HEIGHT[this.#options.layer];
    const videos = [...this.#videos].map((participantId) => ({ participantId, source: 'camera' as const, height }));
    return { lastN: -1, videos, defaultHeight: height, onStage: [] };
  }

  /** A new tile: the constraints name it, like the browser's layout does once a video shows. */
  #showVideo(participantId: string): void {
    this.#videos.add(participantId);
    this.#constraintsTimer ??= setTimeout(() => {
      this.#constraintsTimer = undefined;
      if (!this.#closed) this.#signal?.request('setReceiverConstraints', this.#constraints()).catch(() => undefined);
    }, CONSTRAINTS_DEBOUNCE_MS);
  }

  async #connect(transport: TransportOptions, onPacket?: (packet: Buffer) => void): Promise<DtlsLink> {
    const signal = this.#signal!;
    return DtlsLink.connect(
      { iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, fingerprints: transport.dtlsParameters.fingerprints },
      async ({ role, fingerprints }) => void (await signal.request('connectTransport', { transportId: transport.id, dtlsParameters: { role, fingerprints } })),
      onPacket,
    );
  }

  async #publish(transport: TransportOptions): Promise<void> {
    const signal = this.#signal!;
    const link = await this.#connect(transport);
    this.#links.push(link);
    const cname = `${this.name}-${randomInt(1e9)}`;
    const audioSsrc = randomSsrc();
    const videoSsrcs = VIDEO_LAYERS.map(() => randomSsrc());
    const audio: ProduceParameters = {
      codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48_000, channels: 2, parameters: { useinbandfec: 1 }, rtcpFeedback: [] }],
      headerExtensions: [],
      encodings: [{ ssrc: audioSsrc }],
      rtcp: { cname, reducedSize: true },
    };
    const top = VIDEO_LAYERS[VIDEO_LAYERS.length - 1]!;
    const video: ProduceParameters = {
      codecs: [{ mimeType: 'video/VP8', payloadType: VP8_PT, clockRate: 90_000, parameters: {}, rtcpFeedback: [] }],
      headerExtensions: [],
      // The server derives each layer's height from the top one and the scale, like a browser's encodings.
      encodings: VIDEO_LAYERS.map((layer, index) => ({ ssrc: videoSsrcs[index], scaleResolutionDownBy: top.height / layer.height, maxBitrate: layer.kbps * 1000 })),
      rtcp: { cname, reducedSize: true },
    };
    await signal.request('produce', { transportId: transport.id, kind: 'audio', source: 'mic', rtpParameters: audio, paused: false });
    await signal.request('produce', { transportId: transport.id, kind: 'video', source: 'camera', rtpParameters: video, paused: false, videoHeight: top.height });
    this.#publisher = startPublishing({
      sink: link.dtls,
      media: this.#options.media,
      audio: { ssrc: audioSsrc, payloadType: OPUS_PT },
      video: videoSsrcs.map((ssrc, layer) => ({ ssrc, payloadType: VP8_PT, layer })),
    });
  }

  stats(): StreamStats[] {
    return this.#counter.stats();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#constraintsTimer);
    this.#publisher?.stop();
    const signal = this.#signal;
    if (signal) {
      await Promise.race([signal.request('leave', {}).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS))]);
      signal.close();
    }
    await Promise.all(this.#links.map((link) => link.close()));
  }
}

/**
 * What a synthetic subscriber can receive: Opus and VP8 from the router's codecs, with no RTCP
 * feedback and no header extensions. Without transport-wide feedback the server runs no bandwidth
 * estimate for it, so forwarding follows the receiver constraints alone (the load tool measures
 * the SFU's forwarding, not its congestion control); without NACK nothing is retransmitted, so a
 * gap is a loss.
 */
function receiveCapabilities(meeting: JoinedMeeting): RtpCapabilities {
  const codecs = (meeting.routerRtpCapabilities.codecs ?? [])
    .filter((codec) => ['audio/opus', 'video/vp8'].includes(codec.mimeType.toLowerCase()))
    .map((codec) => ({ ...codec, rtcpFeedback: [] }));
  return { codecs, headerExtensions: [] };
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}
