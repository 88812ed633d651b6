import type { MediaSource } from '@tertulia/protocol';
import type { RtpParameters } from '@tertulia/protocol';
import type { VideoLayerInfo } from './bridge.js';

/** Captured height assumed when a browser does not say (what Tertulia's client captures). */
const ASSUMED_HEIGHT: Record<Exclude<MediaSource, 'mic'>, number> = { camera: 720, screen: 1080 };
/** Bits per pixel per second for an encoding without maxBitrate: about what WebRTC spends on VP8 at 30 fps. */
const BITS_PER_PIXEL_SECOND = 1.5;

/**
 * A video producer's spatial layers, lowest first, from its encodings (mediasoup orders
 * simulcast streams from the lowest) and the captured height the browser sent. The encodings
 * are the browser's, as sent: mediasoup keeps no scaleResolutionDownBy.
 */
export function videoLayers(source: MediaSource, encodings: RtpParameters['encodings'], videoHeight: number | undefined): {
  layers: VideoLayerInfo[];
  temporalLayers: number;
} {
  if (source === 'mic') return { layers: [], temporalLayers: 1 };
  const list = encodings && encodings.length > 0 ? encodings : [{}];
  const top = videoHeight ?? ASSUMED_HEIGHT[source];
  const layers = list.map((encoding, index) => {
    // Without an explicit scale, simulcast halves the size per layer down from the top.
    const scale = positive(encoding['scaleResolutionDownBy']) ?? 2 ** (list.length - 1 - index);
    const height = Math.max(1, Math.round(top / scale));
    return { height, bitrate: positive(encoding['maxBitrate']) ?? Math.round(height * height * (16 / 9) * BITS_PER_PIXEL_SECOND) };
  });
  const mode = list[0]?.['scalabilityMode'];
  const temporal = /T([1-3])/.exec(typeof mode === 'string' ? mode : '');
  return { layers, temporalLayers: temporal ? Number(temporal[1]) : 1 };
}

/** A browser-sent number, when it is one that makes sense. */
function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
