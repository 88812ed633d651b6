import type { MediaStats, RoomMediaStats } from '@tertulia/media';
import { health } from '../http/health.js';
import type { OpsContext } from './ops-context.js';

/**
 * Jitsi Videobridge's `/colibri/stats` keys that Tertulia can compute from real
 * counters, with JVB's meanings (see the README for the keys it leaves out, and why).
 */
export interface ColibriStats {
  conferences: number;
  participants: number;
  endpoints: number;
  local_endpoints: number;
  local_active_endpoints: number;
  inactive_endpoints: number;
  largest_conference: number;
  /** Index = conference size, value = how many conferences have that size. */
  conference_sizes: number[];
  endpoints_sending_audio: number;
  endpoints_sending_video: number;
  receive_only_endpoints: number;
  inactive_conferences: number;
  bit_rate_download: number;
  bit_rate_upload: number;
  packet_rate_download: number;
  packet_rate_upload: number;
  rtt_aggregate: number;
  total_bytes_received: number;
  total_bytes_sent: number;
  total_packets_received: number;
  total_packets_sent: number;
  total_conferences_created: number;
  total_conferences_completed: number;
  total_conference_seconds: number;
  total_participants: number;
  total_ice_succeeded: number;
  total_ice_failed: number;
  dtls_failed_endpoints: number;
  total_dominant_speaker_changes: number;
  /** A meeting spanning bridges (JVB's relay "octo" keys): meetings with pipes, participants of other bridges, pipe traffic (bit/s, packets/s, totals). */
  octo_conferences: number;
  octo_endpoints: number;
  octo_receive_bitrate: number;
  octo_send_bitrate: number;
  octo_receive_packet_rate: number;
  octo_send_packet_rate: number;
  total_bytes_received_octo: number;
  total_bytes_sent_octo: number;
  total_packets_received_octo: number;
  total_packets_sent_octo: number;
  /** Tertulia's own: producers received from and sent to other bridges, one per producer and pipe. */
  relayed_producers_received: number;
  relayed_producers_sent: number;
  stress_level: number;
  graceful_shutdown: boolean;
  shutting_down: boolean;
  drain: boolean;
  healthy: boolean;
  current_timestamp: string;
  version: string;
}


export function colibriStats(ops: OpsContext, now = new Date()): ColibriStats {
  const media = ops.bridge.stats();
  const mediaByRoom = new Map<string, RoomMediaStats>(media.rooms.map((room) => [room.roomKey, room]));
  const sizes = ops.registry.rooms().map((room) => ({ size: room.size, media: mediaByRoom.get(room.key) }));
  const endpoints = sum(sizes.map((room) => room.size));
  const largest = Math.max(0, ...sizes.map((room) => room.size));
  const conferenceSizes = new Array<number>(largest + 1).fill(0);
  for (const { size } of sizes) conferenceSizes[size] = (conferenceSizes[size] ?? 0) + 1;
  // A conference where nobody sends audio or video, as JVB counts it.
  const inactive = sizes.filter((room) => !room.media || room.media.sendingAudio + room.media.sendingVideo === 0);
  const inactiveEndpoints = sum(inactive.map((room) => room.size));
  const { healthy } = health(ops);
  const draining = ops.server.draining;
  const totals = ops.registry.totals;

  return {
    conferences: sizes.length,
    participants: endpoints,
    endpoints,
    local_endpoints: endpoints,
    local_active_endpoints: endpoints - inactiveEndpoints,
    inactive_endpoints: inactiveEndpoints,
    largest_conference: largest,
    conference_sizes: conferenceSizes,
    ...mediaColibriStats(media),
    inactive_conferences: inactive.length,
    total_conferences_created: totals.created,
    total_conferences_completed: totals.finished,
    total_conference_seconds: totals.conferenceSeconds,
    total_participants: totals.participants,
    stress_level: ops.load.stress(),
    // Tertulia has one shutdown: it stops taking joins, then closes; all three flags say that.
    graceful_shutdown: draining,
    shutting_down: draining,
    drain: draining,
    healthy,
    current_timestamp: jvbTimestamp(now),
    version: ops.version,
  };
}

/** The keys that come from the media bridge's own figures: the same on a signalling node and on a bridge of its own. */
export type MediaColibriStats = Pick<
  ColibriStats,
  | 'endpoints_sending_audio'
  | 'endpoints_sending_video'
  | 'receive_only_endpoints'
  | 'bit_rate_download'
  | 'bit_rate_upload'
  | 'packet_rate_download'
  | 'packet_rate_upload'
  | 'rtt_aggregate'
  | 'total_bytes_received'
  | 'total_bytes_sent'
  | 'total_packets_received'
  | 'total_packets_sent'
  | 'total_ice_succeeded'
  | 'total_ice_failed'
  | 'dtls_failed_endpoints'
  | 'total_dominant_speaker_changes'
  | 'octo_conferences'
  | 'octo_endpoints'
  | 'octo_receive_bitrate'
  | 'octo_send_bitrate'
  | 'octo_receive_packet_rate'
  | 'octo_send_packet_rate'
  | 'total_bytes_received_octo'
  | 'total_bytes_sent_octo'
  | 'total_packets_received_octo'
  | 'total_packets_sent_octo'
  | 'relayed_producers_received'
  | 'relayed_producers_sent'
>;

export function mediaColibriStats(media: MediaStats): MediaColibriStats {
  return {
    endpoints_sending_audio: sum(media.rooms.map((room) => room.sendingAudio)),
    endpoints_sending_video: sum(media.rooms.map((room) => room.sendingVideo)),
    receive_only_endpoints: sum(media.rooms.map((room) => room.receiveOnly)),
    bit_rate_download: Math.round(media.rates.bitsReceivedPerSecond / 1000),
    bit_rate_upload: Math.round(media.rates.bitsSentPerSecond / 1000),
    packet_rate_download: Math.round(media.rates.packetsReceivedPerSecond),
    packet_rate_upload: Math.round(media.rates.packetsSentPerSecond),
    rtt_aggregate: media.rttMs ?? 0,
    total_bytes_received: media.totals.rtpBytesReceived,
    total_bytes_sent: media.totals.rtpBytesSent,
    total_packets_received: media.totals.rtpPacketsReceived,
    total_packets_sent: media.totals.rtpPacketsSent,
    total_ice_succeeded: media.totals.iceSucceeded,
    total_ice_failed: media.totals.iceFailed,
    dtls_failed_endpoints: media.totals.dtlsFailed,
    total_dominant_speaker_changes: media.totals.dominantSpeakerChanges,
    octo_conferences: media.rooms.filter((room) => room.pipes > 0).length,
    octo_endpoints: sum(media.rooms.map((room) => room.relayedEndpoints)),
    octo_receive_bitrate: Math.round(media.rates.relayBitsReceivedPerSecond),
    octo_send_bitrate: Math.round(media.rates.relayBitsSentPerSecond),
    octo_receive_packet_rate: Math.round(media.rates.relayPacketsReceivedPerSecond),
    octo_send_packet_rate: Math.round(media.rates.relayPacketsSentPerSecond),
    total_bytes_received_octo: media.totals.relayBytesReceived,
    total_bytes_sent_octo: media.totals.relayBytesSent,
    total_packets_received_octo: media.totals.relayPacketsReceived,
    total_packets_sent_octo: media.totals.relayPacketsSent,
    relayed_producers_received: sum(media.rooms.map((room) => room.producersPipedIn)),
    relayed_producers_sent: sum(media.rooms.map((room) => room.producersPipedOut)),
  };
}

/** JVB's `yyyy-MM-dd HH:mm:ss.SSS`, in UTC. */
export function jvbTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
