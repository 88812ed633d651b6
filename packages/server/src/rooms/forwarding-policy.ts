import type { NotificationData, VideoSource } from '@tertulia/protocol';
import type { ReceiverConstraints } from './participant.js';

/*
 * Which remote videos each receiver gets, and at which simulcast layer (Jitsi's receiver
 * video constraints, last-N and bandwidth allocation in one place). Pure: the room's
 * controller gathers the inputs, runs `decideForwarding` and applies the differences.
 */

export type PauseReason = NotificationData<'videoForwarding'>['paused'][number]['reason'];

/** What a browser that has not said anything yet is assumed to show: every video, at a middling size. */
export const DEFAULT_CONSTRAINTS: ReceiverConstraints = { lastN: -1, videos: [], defaultHeight: 360, onStage: [] };

/** One spatial layer of a video, as encoded by its sender. */
export interface VideoLayer {
  height: number;
  /** Bits per second at the full frame rate. */
  bitrate: number;
}

/** A video producer in the room. */
export interface VideoSourceInput {
  producerId: string;
  ownerId: string;
  source: VideoSource;
  /** Spatial layers, lowest first (one for a sender without simulcast). */
  layers: VideoLayer[];
  /** Temporal layers each spatial layer carries (1 when the codec has none). */
  temporalLayers: number;
  /** The sender muted it: nothing flows, so it takes no last-N place. */
  paused: boolean;
}

export interface ReceiverInput {
  id: string;
  /** null until the browser sends setReceiverConstraints. */
  constraints: ReceiverConstraints | null;
  /** What its downlink can carry for video, in bits per second; null when unknown (or not constrained). */
  availableBitrate: number | null;
  /** Its video consumers. */
  consumers: Array<{ consumerId: string; producerId: string }>;
}

export interface PolicyInput {
  sources: VideoSourceInput[];
  receivers: ReceiverInput[];
  /** The server's CHANNEL_LAST_N: -1 = no cap. */
  channelLastN: number;
  /** Participants by how recently they were the dominant speaker, most recent first. */
  speakers: string[];
  /** Participants in join order, for a stable order among the rest. */
  joinOrder: string[];
}

export interface ConsumerDecision {
  paused: boolean;
  reason?: PauseReason;
  spatialLayer: number;
  temporalLayer: number;
  /** Share of the downlink the bridge gives it first when it must choose: 2 for the stage and the dominant speaker, else 1. */
  priority: number;
}

export interface PolicyOutput {
  /** Receiver id → consumer id → what it gets. */
  receivers: Map<string, Map<string, ConsumerDecision>>;
  /**
   * Producer id → the highest spatial layer any receiver's tiles need (-1: nobody), before bandwidth:
   * a downlink's estimate swings within seconds, and a sender that stops and restarts an encoding
   * with it costs keyframes and CPU for everyone.
   */
  senders: Map<string, number>;
}

/** Cumulative share of a layer's bitrate up to each temporal layer (WebRTC splits L1T3 about 40/20/40). */
const TEMPORAL_SHARE: Record<number, number[]> = { 1: [1], 2: [0.6, 1], 3: [0.4, 0.6, 1] };

export function decideForwarding(input: PolicyInput): PolicyOutput {
  const sources = new Map(input.sources.map((s) => [s.producerId, s]));
  const receivers = new Map<string, Map<string, ConsumerDecision>>();
  const senders = new Map(input.sources.map((s) => [s.producerId, -1]));
  for (const receiver of input.receivers) {
    const { decisions, needs } = decideForReceiver(receiver, sources, input);
    receivers.set(receiver.id, decisions);
    for (const [producerId, layer] of needs) senders.set(producerId, Math.max(senders.get(producerId) ?? -1, layer));
  }
  return { receivers, senders };
}

/** The smallest layer at least as tall as the drawn height; the top one when none is. */
export function layerForHeight(layers: readonly VideoLayer[], height: number): number {
  const index = layers.findIndex((layer) => layer.height >= height);
  return index === -1 ? Math.max(0, layers.length - 1) : index;
}

/** The receiver's last-N after the server's cap; Infinity for no limit. */
export function effectiveLastN(asked: number, channelLastN: number): number {
  const limits = [asked, channelLastN].filter((n) => n >= 0);
  return limits.length === 0 ? Infinity : Math.min(...limits);
}

interface Candidate {
  consumerId: string;
  source: VideoSourceInput;
  /** On stage, pinned, or the dominant speaker: degraded last. */
  priority: boolean;
  decision: ConsumerDecision;
}

/** The receiver's decisions, and the layer its tiles need of each producer it is not held back from. */
function decideForReceiver(
  receiver: ReceiverInput,
  sources: Map<string, VideoSourceInput>,
  input: PolicyInput,
): { decisions: Map<string, ConsumerDecision>; needs: Map<string, number> } {
  const constraints = receiver.constraints ?? DEFAULT_CONSTRAINTS;
  const decisions = new Map<string, ConsumerDecision>();
  const onStage = new Set(constraints.onStage);
  // The receiver's own voice does not make its own video a speaker's.
  const speakers = input.speakers.filter((id) => id !== receiver.id);
  const dominant = speakers[0];
  const visible: Candidate[] = [];

  for (const { consumerId, producerId } of receiver.consumers) {
    const source = sources.get(producerId);
    if (!source) continue;
    const height = drawnHeight(constraints, source);
    const priority = onStage.has(source.ownerId) || (source.ownerId === dominant && source.source === 'camera');
    const top = { spatialLayer: layerForHeight(source.layers, height), temporalLayer: source.temporalLayers - 1, priority: priority ? 2 : 1 };
    if (height === 0) {
      decisions.set(consumerId, { paused: true, reason: 'notVisible', ...top });
      continue;
    }
    const decision: ConsumerDecision = { paused: false, ...top };
    decisions.set(consumerId, decision);
    // A muted video shows nothing: it needs no place and no bandwidth.
    if (!source.paused) visible.push({ consumerId, source, priority, decision });
  }

  const ranked = rank(visible, onStage, speakers, input.joinOrder);
  const lastN = effectiveLastN(constraints.lastN, input.channelLastN);
  const kept = ranked.slice(0, lastN);
  // The dominant speaker's camera always fits: it takes the last place if ranking left it out.
  const speakerCamera = ranked.find((c) => c.source.ownerId === dominant && c.source.source === 'camera');
  if (lastN >= 1 && speakerCamera && !kept.includes(speakerCamera)) kept[kept.length - 1] = speakerCamera;
  for (const candidate of ranked) {
    if (!kept.includes(candidate)) Object.assign(candidate.decision, { paused: true, reason: 'lastN' });
  }
  const needs = new Map(kept.map((c) => [c.source.producerId, c.decision.spatialLayer]));
  if (receiver.availableBitrate !== null) fitBandwidth(kept, receiver.availableBitrate);
  return { decisions, needs };
}

function drawnHeight(constraints: ReceiverConstraints, source: VideoSourceInput): number {
  const entry = constraints.videos.find((v) => v.participantId === source.ownerId && v.source === source.source);
  return entry?.height ?? constraints.defaultHeight;
}

/** On stage or pinned, then screen shares, then recent speakers (most recent first), then join order. */
function rank(candidates: Candidate[], onStage: Set<string>, speakers: string[], joinOrder: string[]): Candidate[] {
  const tier = (c: Candidate) => (onStage.has(c.source.ownerId) ? 0 : c.source.source === 'screen' ? 1 : speakers.includes(c.source.ownerId) ? 2 : 3);
  const speakerIndex = (c: Candidate) => {
    const index = speakers.indexOf(c.source.ownerId);
    return index === -1 ? speakers.length : index;
  };
  const joinIndex = (c: Candidate) => joinOrder.indexOf(c.source.ownerId);
  const sourceIndex = (c: Candidate) => (c.source.source === 'screen' ? 0 : 1);
  return [...candidates].sort(
    (a, b) => tier(a) - tier(b) || speakerIndex(a) - speakerIndex(b) || joinIndex(a) - joinIndex(b) || sourceIndex(a) - sourceIndex(b),
  );
}

/**
 * Lowers layers, then pauses, until the videos fit the downlink: first the ordinary videos from the
 * lowest-ranked up, then the priority ones the same way, so the speaker and the stage go last.
 * A screen share keeps its resolution and loses frame rate instead.
 */
function fitBandwidth(kept: Candidate[], available: number): void {
  const total = () => kept.reduce((sum, c) => sum + bitrateOf(c), 0);
  for (const group of [kept.filter((c) => !c.priority), kept.filter((c) => c.priority)]) {
    const weakestFirst = [...group].reverse();
    for (const candidate of weakestFirst) {
      while (total() > available && lower(candidate));
    }
    for (const candidate of weakestFirst) {
      if (total() <= available) return;
      Object.assign(candidate.decision, { paused: true, reason: 'bandwidth' });
    }
  }
}

/** One step down (a screen share's frame rate before its resolution); false when already at the lowest. */
function lower({ source, decision }: Candidate): boolean {
  if (source.source === 'screen' && decision.temporalLayer > 0) decision.temporalLayer -= 1;
  else if (decision.spatialLayer > 0) decision.spatialLayer -= 1;
  else return false;
  return true;
}

function bitrateOf({ source, decision }: Candidate): number {
  if (decision.paused) return 0;
  const layer = source.layers[decision.spatialLayer];
  const share = TEMPORAL_SHARE[source.temporalLayers]?.[decision.temporalLayer] ?? 1;
  return (layer?.bitrate ?? 0) * share;
}
