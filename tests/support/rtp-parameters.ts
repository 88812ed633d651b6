import type { RtpParameters } from '@tertulia/protocol';

/* What a browser's producers send, for tests that talk to a bridge without a browser. */

/** Opus as a browser sends it. */
export function opus(ssrc: number, cname: string): RtpParameters {
  return {
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48_000, channels: 2, parameters: { useinbandfec: 1 }, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname, reducedSize: true },
  };
}

/** Three VP8 simulcast layers, one SSRC each (180p, 360p, 720p). */
export function simulcastVp8(firstSsrc: number, cname: string): RtpParameters {
  return {
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90_000, parameters: {}, rtcpFeedback: [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }] }],
    headerExtensions: [],
    encodings: [4, 2, 1].map((scale, index) => ({ ssrc: firstSsrc + index, scaleResolutionDownBy: scale, maxBitrate: 1_500_000 / scale })),
    rtcp: { cname, reducedSize: true },
  };
}
