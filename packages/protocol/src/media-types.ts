import { z } from 'zod';

/*
 * WebRTC/mediasoup parameter objects. The protocol checks their outer shape and
 * leaves the fine print to mediasoup, which validates them again and answers
 * MEDIA_ERROR when they are wrong. Unknown keys pass through untouched because
 * browsers and mediasoup versions add fields over time.
 */

const rtpCodec = z.looseObject({
  mimeType: z.string().max(64),
  clockRate: z.number().int().positive(),
  payloadType: z.number().int().min(0).max(127).optional(),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  channels: z.number().int().positive().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  rtcpFeedback: z.array(z.looseObject({ type: z.string(), parameter: z.string().optional() })).optional(),
});

const headerExtension = z.looseObject({ uri: z.string().max(256) });

export const RtpCapabilities = z.looseObject({
  codecs: z.array(rtpCodec).max(64).optional(),
  headerExtensions: z.array(headerExtension).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilities>;

export const RtpParameters = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(rtpCodec).min(1).max(32),
  headerExtensions: z.array(headerExtension).max(32).optional(),
  encodings: z.array(z.looseObject({})).max(8).optional(),
  rtcp: z.looseObject({}).optional(),
});
export type RtpParameters = z.infer<typeof RtpParameters>;

export const DtlsParameters = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.looseObject({ algorithm: z.string().max(16), value: z.string().max(256) }))
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParameters>;

export const IceParameters = z.looseObject({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof IceParameters>;

export const IceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** What a browser needs to build one side of a WebRTC transport. */
export const TransportOptions = z.object({
  id: z.string(),
  iceParameters: IceParameters,
  iceCandidates: z.array(IceCandidate),
  dtlsParameters: DtlsParameters,
});
export type TransportOptions = z.infer<typeof TransportOptions>;

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

/** What a track is: which device or capture it comes from. */
export const MediaSource = z.enum(['mic', 'camera', 'screen']);
export type MediaSource = z.infer<typeof MediaSource>;
/** The sources that carry video (simulcast layers, receiver constraints, last-N). */
export const VideoSource = z.enum(['camera', 'screen']);
export type VideoSource = z.infer<typeof VideoSource>;

/** The kind each source must have; a "mic" that sends video is refused. */
export const SOURCE_KIND: Readonly<Record<MediaSource, MediaKind>> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
};
