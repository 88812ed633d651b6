/** Reading browser stats reports, alike for the transports to the media server and the direct link. */

/** How the connection a stream travels on runs, from the report's selected candidate pair. */
export interface PathFigures {
  /** Round trip on that connection, in ms. */
  roundTripTimeMs?: number | undefined;
  /** Our side's candidate type (host, srflx, prflx, relay): relay means through a TURN server. */
  localCandidateType?: string | undefined;
}

/** What arrived on one received stream (an `inbound-rtp` entry). */
export interface ReceiveFigures extends PathFigures {
  bytesReceived: number;
  framesDecoded: number;
  totalAudioEnergy: number;
  frameWidth?: number | undefined;
  frameHeight?: number | undefined;
  framesPerSecond?: number | undefined;
  packetsLost?: number | undefined;
  packetsReceived?: number | undefined;
  /** Seconds, as the report gives it. */
  jitter?: number | undefined;
  /** The codec's MIME type (video/VP8, audio/opus…). */
  codec?: string | undefined;
}

/** What went out on one sent stream: one entry per simulcast encoding (an `outbound-rtp` entry). */
export interface SendFigures extends PathFigures {
  /** The simulcast encoding's id (r0, r1, r2), if the stream has several. */
  rid?: string | undefined;
  /** False while the encoding is switched off (nobody needs that layer). */
  active: boolean;
  width?: number | undefined;
  height?: number | undefined;
  framesPerSecond?: number | undefined;
  bytesSent: number;
  packetsSent?: number | undefined;
  /** Why the browser sends less than asked: bandwidth, cpu, other or none. */
  qualityLimitationReason?: string | undefined;
  /** Lost on the way, as the receiving end reports it (`remote-inbound-rtp`). */
  packetsLost?: number | undefined;
  codec?: string | undefined;
}

/** How a connection runs: its selected ICE candidate pair. */
export interface CandidatePair {
  /** host, srflx, prflx or relay. */
  localCandidateType: string | undefined;
  /** udp or tcp: what the browser speaks to the other end, or to the TURN server when relayed. */
  protocol: string | undefined;
  /** With a relay candidate: how the browser reaches the TURN server (udp, tcp, tls). */
  relayProtocol: string | undefined;
  /** Round trip to the other end, in ms (from STUN consent checks). */
  roundTripTimeMs: number | undefined;
}

type Entry = Record<string, unknown>;

const numberOrUndefined = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** A stream's codec MIME type, looked up through its `codecId`. */
function codecOf(entry: Entry, byId: Map<string, Entry>): string | undefined {
  const codec = byId.get(String(entry['codecId']));
  return typeof codec?.['mimeType'] === 'string' ? codec['mimeType'] : undefined;
}

function entriesById(report: RTCStatsReport): Map<string, Entry> {
  const byId = new Map<string, Entry>();
  report.forEach((entry: Entry) => byId.set(String(entry['id']), entry));
  return byId;
}

/** The RTT and candidate type of the connection the report's streams travel on (a sender's or receiver's report carries its transport). */
function pathFigures(report: RTCStatsReport): PathFigures {
  const { roundTripTimeMs, localCandidateType } = selectedPair(report);
  return { roundTripTimeMs, localCandidateType };
}

/** One entry per received stream in the report. */
export function receiveFigures(report: RTCStatsReport): ReceiveFigures[] {
  const byId = entriesById(report);
  const path = pathFigures(report);
  const figures: ReceiveFigures[] = [];
  for (const entry of byId.values()) {
    if (entry['type'] !== 'inbound-rtp') continue;
    figures.push({
      bytesReceived: Number(entry['bytesReceived'] ?? 0),
      framesDecoded: Number(entry['framesDecoded'] ?? 0),
      totalAudioEnergy: Number(entry['totalAudioEnergy'] ?? 0),
      frameWidth: numberOrUndefined(entry['frameWidth']),
      frameHeight: numberOrUndefined(entry['frameHeight']),
      framesPerSecond: numberOrUndefined(entry['framesPerSecond']),
      packetsLost: numberOrUndefined(entry['packetsLost']),
      packetsReceived: numberOrUndefined(entry['packetsReceived']),
      jitter: numberOrUndefined(entry['jitter']),
      codec: codecOf(entry, byId),
      ...path,
    });
  }
  return figures;
}

/**
 * One entry per sent stream in the report (per encoding with simulcast), with the
 * loss and round trip the receiving end reports for it in RTCP.
 */
export function sendFigures(report: RTCStatsReport): SendFigures[] {
  const byId = entriesById(report);
  const path = pathFigures(report);
  const remoteOf = new Map<string, Entry>();
  for (const entry of byId.values()) {
    if (entry['type'] === 'remote-inbound-rtp' && entry['localId']) remoteOf.set(String(entry['localId']), entry);
  }
  const figures: SendFigures[] = [];
  for (const entry of byId.values()) {
    if (entry['type'] !== 'outbound-rtp') continue;
    const remote = remoteOf.get(String(entry['id']));
    const remoteRtt = numberOrUndefined(remote?.['roundTripTime']);
    figures.push({
      rid: typeof entry['rid'] === 'string' ? entry['rid'] : undefined,
      // Absent in older browsers, where an encoding cannot be switched off anyway.
      active: entry['active'] !== false,
      width: numberOrUndefined(entry['frameWidth']),
      height: numberOrUndefined(entry['frameHeight']),
      framesPerSecond: numberOrUndefined(entry['framesPerSecond']),
      bytesSent: Number(entry['bytesSent'] ?? 0),
      packetsSent: numberOrUndefined(entry['packetsSent']),
      qualityLimitationReason: typeof entry['qualityLimitationReason'] === 'string' ? entry['qualityLimitationReason'] : undefined,
      packetsLost: numberOrUndefined(remote?.['packetsLost']),
      codec: codecOf(entry, byId),
      ...path,
      // The ICE consent checks' round trip, as for received streams; lacking that, the one RTCP reports.
      roundTripTimeMs: path.roundTripTimeMs ?? (remoteRtt === undefined ? undefined : remoteRtt * 1000),
    });
  }
  return figures;
}

/** The selected candidate pair in the report (or, lacking that, the nominated one that succeeded). */
export function selectedPair(report: RTCStatsReport): CandidatePair {
  const byId = entriesById(report);
  let pair: Entry | undefined;
  for (const entry of byId.values()) {
    if (entry['type'] === 'transport' && entry['selectedCandidatePairId']) pair = byId.get(String(entry['selectedCandidatePairId']));
  }
  pair ??= [...byId.values()].find((e) => e['type'] === 'candidate-pair' && e['nominated'] && e['state'] === 'succeeded');
  const local = pair ? byId.get(String(pair['localCandidateId'])) : undefined;
  const rtt = pair?.['currentRoundTripTime'];
  return {
    localCandidateType: local?.['candidateType'] as string | undefined,
    protocol: local?.['protocol'] as string | undefined,
    relayProtocol: local?.['relayProtocol'] as string | undefined,
    roundTripTimeMs: typeof rtt === 'number' ? rtt * 1000 : undefined,
  };
}
