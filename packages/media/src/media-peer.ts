import { ErrorCode, ProtocolError, type MediaSource, type RtpCapabilities } from '@tertulia/protocol';
import type { types } from 'mediasoup';
import type { VideoLayerInfo } from './bridge.js';

export interface ProducerAppData extends types.AppData {
  peerId: string;
  source: MediaSource;
  /** Spatial layers, lowest first (empty for audio). */
  layers: VideoLayerInfo[];
  temporalLayers: number;
}

export interface ConsumerAppData extends types.AppData {
  peerId: string;
  source: MediaSource;
  /** The browser asked for its media (resumeConsumer). */
  browserResumed: boolean;
  /** The server's forwarding policy holds it back. */
  policyPaused: boolean;
}

/** One participant's media objects on a router. Lookups are scoped to the peer, so ids of others are never found. */
export class MediaPeer {
  rtpCapabilities: RtpCapabilities | undefined;
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly consumers = new Map<string, types.Consumer<ConsumerAppData>>();

  /** `relayed`: a participant of another bridge whose producers come in through pipes (cascade); not an endpoint here. */
  constructor(
    readonly id: string,
    readonly relayed = false,
  ) {}

  transport(transportId: string): types.WebRtcTransport {
    return found(this.transports.get(transportId), 'transport', transportId);
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    return found(this.producers.get(producerId), 'producer', producerId);
  }

  consumer(consumerId: string): types.Consumer<ConsumerAppData> {
    return found(this.consumers.get(consumerId), 'consumer', consumerId);
  }

  /** The peer's transport for one direction (it gets at most one each way). */
  transportFor(direction: 'send' | 'recv'): types.WebRtcTransport | undefined {
    for (const transport of this.transports.values()) {
      if (transport.appData['direction'] === direction) return transport;
    }
    return undefined;
  }

  /** Closing transports cascades to producers and consumers inside mediasoup; piped-in producers live on a pipe's transport. */
  close(): void {
    for (const transport of this.transports.values()) transport.close();
    for (const producer of this.producers.values()) producer.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}

function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw new ProtocolError(ErrorCode.NotFound, `No ${what} "${id}" of yours exists.`);
  return value;
}
