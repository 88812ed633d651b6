import type { MediaSource } from '@tertulia/protocol';
import type { MediaRoute, StatsSample, StreamCounters } from './connection-quality.js';
import type { ReceiveFigures, SendFigures } from './rtc-stats.js';

/** Which connection a stream travels: through the media server or the direct link. */
type Path = 'server' | 'p2p';

/** A received stream as the conference's `inboundStats()` lists it. */
export interface ReceivedStream extends ReceiveFigures {
  participantId: string;
  path: Path;
  source: MediaSource;
  kind: 'audio' | 'video';
}

/** A sent stream (one per simulcast encoding) as the conference's `outboundStats()` lists it. */
export interface SentStream extends SendFigures {
  source: MediaSource;
  path: Path;
}

/** The video a tile shows; the person's microphone counts towards every one of their tiles. */
export interface TileSource {
  participantId: string;
  source: 'camera' | 'screen';
}

function routeOf(stream: { path: Path; localCandidateType?: string | undefined }): MediaRoute {
  if (stream.localCandidateType === 'relay') return 'relay';
  return stream.path === 'p2p' ? 'direct' : 'server';
}

/** The tile's video stream if it has one, else any: the connection whose route and round trip the tile shows. */
function mainStream<S extends { source: MediaSource; path: Path; localCandidateType?: string | undefined; roundTripTimeMs?: number | undefined }>(
  streams: S[],
  source: MediaSource,
): Pick<StatsSample, 'route' | 'roundTripTimeMs'> {
  const main = streams.find((stream) => stream.source === source && stream.roundTripTimeMs !== undefined) ?? streams.find((stream) => stream.roundTripTimeMs !== undefined) ?? streams[0];
  return main ? { route: routeOf(main), roundTripTimeMs: main.roundTripTimeMs } : {};
}

/** What we receive for a remote tile, at time `at`. */
export function receivedSample(all: ReceivedStream[], tile: TileSource, at: number): StatsSample {
  const streams = all.filter((stream) => stream.participantId === tile.participantId && (stream.source === tile.source || stream.source === 'mic'));
  return {
    at,
    direction: 'in',
    streams: streams.map(
      (stream): StreamCounters => ({
        id: `${stream.path}:${stream.source}`,
        kind: stream.kind,
        bytes: stream.bytesReceived,
        packets: stream.packetsReceived,
        packetsLost: stream.packetsLost,
        width: stream.frameWidth,
        height: stream.frameHeight,
        framesPerSecond: stream.framesPerSecond,
        codec: stream.codec,
      }),
    ),
    ...mainStream(streams, tile.source),
    judgeBitrate: tile.source === 'camera',
  };
}

/** What we send for our own tile of `source`, at time `at`. */
export function sentSample(all: SentStream[], source: 'camera' | 'screen', at: number): StatsSample {
  const streams = all.filter((stream) => stream.source === source || stream.source === 'mic');
  return {
    at,
    direction: 'out',
    streams: streams.map(
      (stream): StreamCounters => ({
        id: `${stream.path}:${stream.source}:${stream.rid ?? ''}`,
        kind: stream.source === 'mic' ? 'audio' : 'video',
        bytes: stream.bytesSent,
        packets: stream.packetsSent,
        packetsLost: stream.packetsLost,
        width: stream.width,
        height: stream.height,
        framesPerSecond: stream.framesPerSecond,
        codec: stream.codec,
      }),
    ),
    ...mainStream(streams, source),
    judgeBitrate: source === 'camera',
  };
}
