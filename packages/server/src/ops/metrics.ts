import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ColibriStats } from './colibri-stats.js';

type NumberKey = { [K in keyof ColibriStats]: ColibriStats[K] extends number ? K : never }[keyof ColibriStats];
type FlagKey = { [K in keyof ColibriStats]: ColibriStats[K] extends boolean ? K : never }[keyof ColibriStats];

/** Current values: `/colibri/stats` key → metric name and help. */
const GAUGES: ReadonlyArray<[NumberKey, string, string]> = [
  ['conferences', 'tertulia_conferences', 'Current conferences (rooms).'],
  ['endpoints', 'tertulia_endpoints', 'Current participants in all conferences.'],
  ['largest_conference', 'tertulia_largest_conference', 'Participants in the largest current conference.'],
  ['endpoints_sending_audio', 'tertulia_endpoints_sending_audio', 'Participants with an unpaused microphone.'],
  ['endpoints_sending_video', 'tertulia_endpoints_sending_video', 'Participants with an unpaused camera or screen share.'],
  ['receive_only_endpoints', 'tertulia_receive_only_endpoints', 'Participants sending neither audio nor video.'],
  ['inactive_conferences', 'tertulia_inactive_conferences', 'Conferences where nobody sends audio or video.'],
  ['bit_rate_download', 'tertulia_bit_rate_download_kbps', 'RTP bitrate received from participants, kbit/s, over the last 5 s.'],
  ['bit_rate_upload', 'tertulia_bit_rate_upload_kbps', 'RTP bitrate sent to participants, kbit/s, over the last 5 s.'],
  ['packet_rate_download', 'tertulia_packet_rate_download', 'RTP packets per second received, over the last 5 s.'],
  ['packet_rate_upload', 'tertulia_packet_rate_upload', 'RTP packets per second sent, over the last 5 s.'],
  ['rtt_aggregate', 'tertulia_rtt_aggregate_ms', 'RTCP round-trip time averaged over participants, ms (0 when none reported).'],
  ['octo_endpoints', 'tertulia_relayed_endpoints', 'Participants of other bridges whose media comes in through pipes (meetings spanning bridges).'],
  ['relayed_producers_received', 'tertulia_relayed_producers_received', 'Producers received from other bridges through pipes.'],
  ['relayed_producers_sent', 'tertulia_relayed_producers_sent', 'Producers sent to other bridges through pipes (one per producer and bridge).'],
  ['stress_level', 'tertulia_stress_level', 'Mean media worker CPU use divided by 0.9 of a core (1 = full).'],
];

/** Totals since start. */
const COUNTERS: ReadonlyArray<[NumberKey, string, string]> = [
  ['total_bytes_received', 'tertulia_bytes_received_total', 'RTP bytes received from participants.'],
  ['total_bytes_sent', 'tertulia_bytes_sent_total', 'RTP bytes sent to participants.'],
  ['total_packets_received', 'tertulia_packets_received_total', 'RTP packets received from participants.'],
  ['total_packets_sent', 'tertulia_packets_sent_total', 'RTP packets sent to participants.'],
  ['total_conferences_created', 'tertulia_conferences_created_total', 'Conferences started.'],
  ['total_conferences_completed', 'tertulia_conferences_completed_total', 'Conferences finished.'],
  ['total_conference_seconds', 'tertulia_conference_seconds_total', 'Summed duration of finished conferences, seconds.'],
  ['total_participants', 'tertulia_participants_total', 'Participants that joined.'],
  ['total_ice_succeeded', 'tertulia_ice_succeeded_total', 'Participants whose ICE connected.'],
  ['total_ice_failed', 'tertulia_ice_failed_total', 'Participants whose ICE did not connect within 30 s.'],
  ['dtls_failed_endpoints', 'tertulia_dtls_failed_endpoints_total', 'Participants whose DTLS handshake failed.'],
  ['total_bytes_received_octo', 'tertulia_relay_bytes_received_total', 'RTP bytes received from other bridges through pipes.'],
  ['total_bytes_sent_octo', 'tertulia_relay_bytes_sent_total', 'RTP bytes sent to other bridges through pipes.'],
  ['total_dominant_speaker_changes', 'tertulia_dominant_speaker_changes_total', 'Dominant speaker changes.'],
];

const FLAGS: ReadonlyArray<[FlagKey, string, string]> = [
  ['healthy', 'tertulia_healthy', '1 while media workers run and the server is not shutting down.'],
  ['shutting_down', 'tertulia_shutting_down', '1 once shutdown began (no new joins).'],
  ['drain', 'tertulia_draining', '1 while draining: a node takes no new joins, a bridge no new conferences.'],
];

/**
 * The figures a Metrics renders. A signalling node has all of `/colibri/stats`; a media
 * bridge has its rooms and traffic but no conference totals or shutdown flag.
 */
export type MetricsStats = Partial<Pick<ColibriStats, NumberKey | FlagKey | 'conference_sizes'>>;

interface Instruments {
  gauges: Array<[NumberKey | FlagKey, Gauge]>;
  counters: Array<[NumberKey, Counter]>;
  sizes?: Gauge<'size'>;
}

/**
 * The `/colibri/stats` figures as Prometheus metrics, plus Node's default process
 * metrics. Each server has its own registry, so several servers can share a process.
 */
export class Metrics {
  readonly #registry = new Registry();
  readonly #stats: () => MetricsStats;
  #instruments?: Instruments;

  constructor(stats: () => MetricsStats) {
    this.#stats = stats;
    collectDefaultMetrics({ register: this.#registry });
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /** Reads the figures once and renders them all. */
  async render(): Promise<string> {
    const stats = this.#stats();
    const { gauges, counters, sizes } = (this.#instruments ??= this.#register(stats));
    for (const [key, gauge] of gauges) gauge.set(Number(stats[key]));
    // Counters only go up in prom-client; the totals are kept elsewhere, so copy them over.
    for (const [key, counter] of counters) {
      counter.reset();
      counter.inc(Number(stats[key]));
    }
    sizes?.reset();
    stats.conference_sizes?.forEach((count, size) => {
      if (count > 0) sizes?.set({ size: String(size) }, count);
    });
    return this.#registry.metrics();
  }

  /** Only the keys the figures have: a bridge would otherwise show conference totals stuck at 0. */
  #register(stats: MetricsStats): Instruments {
    const registers = [this.#registry];
    const has = ([key]: [keyof MetricsStats, ...unknown[]]) => key in stats;
    return {
      gauges: [...GAUGES, ...FLAGS].filter(has).map(([key, name, help]) => [key, new Gauge({ name, help, registers })]),
      counters: COUNTERS.filter(has).map(([key, name, help]) => [key, new Counter({ name, help, registers })]),
      sizes: stats.conference_sizes && new Gauge({ name: 'tertulia_conferences_by_size', help: 'Current conferences by participant count.', labelNames: ['size'], registers }),
    };
  }
}
