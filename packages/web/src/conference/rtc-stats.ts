/** Reading browser stats reports, alike for the transports to the media server and the direct link. */

/** What arrived on one received stream (an `inbound-rtp` entry). */
export interface ReceiveFigures {
  bytesReceived: number;
  framesDecoded: number;
  totalAudioEnergy: number;
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

/** One entry per received stream in the report. */
export function receiveFigures(report: RTCStatsReport): ReceiveFigures[] {
  const figures: ReceiveFigures[] = [];
  report.forEach((entry: Entry) => {
    if (entry['type'] !== 'inbound-rtp') return;
    figures.push({
      bytesReceived: Number(entry['bytesReceived'] ?? 0),
      framesDecoded: Number(entry['framesDecoded'] ?? 0),
      totalAudioEnergy: Number(entry['totalAudioEnergy'] ?? 0),
    });
  });
  return figures;
}

/** The selected candidate pair in the report (or, lacking that, the nominated one that succeeded). */
export function selectedPair(report: RTCStatsReport): CandidatePair {
  const byId = new Map<string, Entry>();
  report.forEach((entry: Entry) => byId.set(String(entry['id']), entry));
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
