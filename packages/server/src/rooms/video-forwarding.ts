import type { ConsumerForwarding, MediaRoom } from '@tertulia/media';
import type { NotificationData } from '@tertulia/protocol';
import type { Logger } from 'pino';
import { DownlinkLimits } from './downlink-limits.js';
import { decideForwarding, type ConsumerDecision, type PolicyInput, type ReceiverInput, type VideoSourceInput } from './forwarding-policy.js';
import type { Participant } from './participant.js';

/** Shortest time between two policy runs: changes within it are applied together. */
const RUN_INTERVAL_MS = 150;
/** Changes right after a quiet spell wait this little, so a burst (a join's consumers) is one run. */
const FIRST_RUN_DELAY_MS = 20;
/** What one audio stream takes off a receiver's downlink (Opus with headers). Audio itself is never held back. */
const AUDIO_BITRATE = 50_000;
/** Recent speakers remembered for last-N ranking. */
const MAX_SPEAKERS = 20;

/** What the controller needs from its room. */
export interface VideoForwardingRoom {
  participants(): Participant[];
  readonly media: MediaRoom;
}

/**
 * Keeps a room's video forwarding in line with the forwarding policy: reruns it when
 * constraints, media, speakers or downlinks change (coalesced), applies only what changed
 * through the bridge, and tells each browser which of its videos are held back and each
 * sender which layers anyone still needs.
 */
export class VideoForwarding {
  readonly #room: VideoForwardingRoom;
  readonly #channelLastN: number;
  readonly #logger: Logger;
  readonly #downlinks = new DownlinkLimits();
  /** Participants by how recently they were the dominant speaker, most recent first. */
  #speakers: string[] = [];
  /** What each consumer was last set to, by consumer id. */
  readonly #applied = new Map<string, ConsumerDecision>();
  /** The held-back list each browser last heard (as a comparable key), by participant. */
  readonly #announced = new Map<string, string>();
  /** The highest layer each sender last heard, by producer. */
  readonly #senderLayers = new Map<string, number>();
  /** Layers taps (a recording) need of a producer, by tap: senders keep encoding them though no browser asks. */
  readonly #tapLayers = new Map<string, { producerId: string; layer: number }>();
  #timer: NodeJS.Timeout | undefined;
  #lastRunAt = 0;

  constructor(room: VideoForwardingRoom, channelLastN: number, logger: Logger) {
    this.#room = room;
    this.#channelLastN = channelLastN;
    this.#logger = logger;
    room.media.on('dominantSpeaker', (peerId) => {
      this.#speakers = [peerId, ...this.#speakers.filter((id) => id !== peerId)].slice(0, MAX_SPEAKERS);
      this.changed();
    });
    room.media.on('downlink', (peerId, estimate) => {
      if (!this.#downlinks.update(peerId, estimate)) return;
      this.#logger.debug({ participantId: peerId, ...estimate, limit: this.#downlinks.limit(peerId) }, 'downlink limit changed');
      this.changed();
    });
    room.media.on('consumerClosed', () => this.changed());
  }

  /** Something the policy depends on changed: run it soon, together with whatever else changes meanwhile. */
  changed(): void {
    if (this.#timer) return;
    const wait = Math.max(FIRST_RUN_DELAY_MS, this.#lastRunAt + RUN_INTERVAL_MS - Date.now());
    this.#timer = setTimeout(() => this.#run(), wait);
    this.#timer.unref();
  }

  /** The participant's media was rebuilt (a resumed session): its downlink is measured afresh. */
  reset(participant: Participant): void {
    this.#downlinks.forget(participant.id);
    this.#announced.delete(participant.id);
    this.changed();
  }

  /** Where a consumer `receiver` is about to get of `producerId` starts; undefined for audio, which the policy leaves alone. */
  initialForwarding(receiver: Participant, producerId: string): ConsumerForwarding | undefined {
    const input = this.#gather(this.#room.participants());
    const own = input.receivers.find((r) => r.id === receiver.id);
    if (!own) return undefined;
    const consumerId = `new:${producerId}`;
    own.consumers.push({ consumerId, producerId });
    const decision = decideForwarding({ ...input, receivers: [own] }).receivers.get(receiver.id)?.get(consumerId);
    return decision && forwardingOf(decision);
  }

  /** A tap (a recording) receives `producerId` at up to `layer`: its sender must keep encoding that layer. */
  holdTapLayer(tapId: string, producerId: string, layer: number): void {
    this.#tapLayers.set(tapId, { producerId, layer });
    this.changed();
  }

  releaseTapLayer(tapId: string): void {
    if (this.#tapLayers.delete(tapId)) this.changed();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run(): void {
    this.#timer = undefined;
    this.#lastRunAt = Date.now();
    if (this.#room.media.closed) return;
    const participants = this.#room.participants();
    const input = this.#gather(participants);
    const output = decideForwarding(input);
    for (const participant of participants) this.#apply(participant, output.receivers.get(participant.id) ?? new Map());
    this.#tellSenders(participants, input.sources, output.senders);
    this.#forgetGone(participants, input);
  }

  #gather(participants: Participant[]): PolicyInput {
    const { media } = this.#room;
    const sources: VideoSourceInput[] = [];
    const receivers: ReceiverInput[] = [];
    for (const participant of participants) {
      for (const producer of media.producersOf(participant.id)) {
        if (producer.source === 'mic') continue;
        const { producerId, source, layers, temporalLayers, paused } = producer;
        sources.push({ producerId, ownerId: participant.id, source, layers, temporalLayers, paused });
      }
      const consumers = media.consumersOf(participant.id);
      const video = consumers.filter((c) => c.kind === 'video');
      const limit = lowest(this.#downlinks.limit(participant.id), participant.receiverConstraints?.assumedBandwidthBps);
      receivers.push({
        id: participant.id,
        constraints: participant.receiverConstraints,
        availableBitrate: limit === null ? null : Math.max(0, limit - (consumers.length - video.length) * AUDIO_BITRATE),
        consumers: video.map(({ consumerId, producerId }) => ({ consumerId, producerId })),
      });
    }
    return { sources, receivers, channelLastN: this.#channelLastN, speakers: this.#speakers, joinOrder: participants.map((p) => p.id) };
  }

  /** Sets the consumers whose decision changed and tells the browser when its held-back list did. */
  #apply(receiver: Participant, decisions: Map<string, ConsumerDecision>): void {
    const paused: NotificationData<'videoForwarding'>['paused'] = [];
    for (const [consumerId, decision] of decisions) {
      if (decision.paused && decision.reason) paused.push({ consumerId, reason: decision.reason });
      if (sameDecision(this.#applied.get(consumerId), decision)) continue;
      this.#applied.set(consumerId, decision);
      this.#room.media.setConsumerForwarding(receiver.id, consumerId, forwardingOf(decision)).catch((err: unknown) => {
        // Most often the consumer closed meanwhile; the next run no longer sees it.
        this.#applied.delete(consumerId);
        this.#logger.debug({ err, participantId: receiver.id, consumerId }, 'could not apply forwarding');
      });
    }
    paused.sort((a, b) => a.consumerId.localeCompare(b.consumerId));
    const key = JSON.stringify(paused);
    if ((this.#announced.get(receiver.id) ?? '[]') === key) return;
    this.#announced.set(receiver.id, key);
    receiver.notify('videoForwarding', { paused });
  }

  /** Tells each sender when the highest layer anyone receives of its video changed (it starts sending them all). */
  #tellSenders(participants: Participant[], sources: VideoSourceInput[], senders: Map<string, number>): void {
    const byId = new Map(participants.map((p) => [p.id, p]));
    const tapped = new Map<string, number>();
    for (const { producerId, layer } of this.#tapLayers.values()) tapped.set(producerId, Math.max(layer, tapped.get(producerId) ?? -1));
    for (const source of sources) {
      const needed = Math.min(2, Math.max(senders.get(source.producerId) ?? -1, tapped.get(source.producerId) ?? -1));
      const told = this.#senderLayers.get(source.producerId) ?? Math.min(2, source.layers.length - 1);
      if (needed === told) continue;
      this.#senderLayers.set(source.producerId, needed);
      byId.get(source.ownerId)?.notify('senderLayers', { source: source.source, maxSpatialLayer: needed });
      this.#logger.debug({ participantId: source.ownerId, source: source.source, maxSpatialLayer: needed }, 'sender layers');
    }
  }

  #forgetGone(participants: Participant[], input: PolicyInput): void {
    const present = new Set(participants.map((p) => p.id));
    this.#downlinks.retain(present);
    for (const id of this.#announced.keys()) if (!present.has(id)) this.#announced.delete(id);
    const consumers = new Set(input.receivers.flatMap((r) => r.consumers.map((c) => c.consumerId)));
    for (const id of this.#applied.keys()) if (!consumers.has(id)) this.#applied.delete(id);
    const producers = new Set(input.sources.map((s) => s.producerId));
    for (const id of this.#senderLayers.keys()) if (!producers.has(id)) this.#senderLayers.delete(id);
    this.#speakers = this.#speakers.filter((id) => present.has(id));
  }
}

function forwardingOf({ paused, spatialLayer, temporalLayer, priority }: ConsumerDecision): ConsumerForwarding {
  return { paused, spatialLayer, temporalLayer, priority };
}

function sameDecision(a: ConsumerDecision | undefined, b: ConsumerDecision): boolean {
  return a !== undefined && a.paused === b.paused && a.spatialLayer === b.spatialLayer && a.temporalLayer === b.temporalLayer && a.priority === b.priority;
}

/** The tighter of two downlink limits, either of which may be unknown. */
function lowest(estimate: number | null, assumed: number | undefined): number | null {
  if (assumed === undefined) return estimate;
  return estimate === null ? assumed : Math.min(estimate, assumed);
}
