import { z } from 'zod';

/*
 * What the server and a recorder process (`tertulia recorder`) say to each
 * other, one JSON object per line. Both sides validate what they receive: the
 * recorder may be another version, or (later) on another machine.
 */

const rtpStream = z.object({
  /** Stable for the stream's life (the media server's tap id). */
  id: z.string(),
  port: z.number().int().min(1).max(65535),
  /** video/VP8, video/H264 or audio/opus. */
  mimeType: z.string(),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
});

const participant = z.object({
  id: z.string(),
  name: z.string(),
  camera: rtpStream.optional(),
  screen: rtpStream.optional(),
  mic: rtpStream.optional(),
});

const lineup = z.object({
  participants: z.array(participant),
  /** Shown large when nobody shares a screen (null: a plain grid). */
  dominantSpeakerId: z.string().nullable(),
});

const output = z.discriminatedUnion('kind', [
  /** The composed recording (MP4; .m4a when audio-only), and optionally each participant's audio in this folder. */
  z.object({ kind: z.literal('file'), path: z.string().min(1), perTrackAudioDir: z.string().min(1).optional() }),
  /** A live stream: rtmp:// or rtmps:// with the stream key. */
  z.object({ kind: z.literal('stream'), url: z.string().regex(/^rtmps?:\/\//, 'a live stream goes to an rtmp:// or rtmps:// address') }),
]);

const settings = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().int().positive(),
  audioOnly: z.boolean(),
});

/** Every command carries `seq`; the recorder answers it with `done` or `failed`. */
export const recorderCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), seq: z.number(), id: z.string(), settings, outputs: z.array(output).min(1), lineup }),
  z.object({ type: z.literal('update'), seq: z.number(), id: z.string(), lineup }),
  z.object({ type: z.literal('addOutput'), seq: z.number(), id: z.string(), output }),
  z.object({ type: z.literal('removeOutput'), seq: z.number(), id: z.string(), kind: z.enum(['file', 'stream']) }),
  /** Finishes every output and ends the recording. */
  z.object({ type: z.literal('stop'), seq: z.number(), id: z.string() }),
  /** Ends at once (what was written stays playable). */
  z.object({ type: z.literal('kill'), seq: z.number(), id: z.string() }),
]);

export const recorderEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done'), seq: z.number() }),
  z.object({ type: z.literal('failed'), seq: z.number(), message: z.string() }),
  /** An output stopped by itself (its server went away) while others go on. */
  z.object({ type: z.literal('outputFailed'), id: z.string(), kind: z.enum(['file', 'stream']), message: z.string() }),
  /** A participant's video needs a keyframe in the recording: the server asks the sender for one. */
  z.object({ type: z.literal('keyframeWanted'), id: z.string(), participantId: z.string(), source: z.enum(['camera', 'screen', 'mic']) }),
  /** The recording ended by itself (a crash, its only output failed); what was written stays. */
  z.object({ type: z.literal('ended'), id: z.string(), message: z.string() }),
]);

export type RecorderCommand = z.infer<typeof recorderCommand>;
export type RecorderEvent = z.infer<typeof recorderEvent>;
export type RecorderStream = z.infer<typeof rtpStream>;
export type RecorderParticipant = z.infer<typeof participant>;
export type RecorderLineup = z.infer<typeof lineup>;
export type RecorderOutput = z.infer<typeof output>;
export type RecorderSettings = z.infer<typeof settings>;

/** Commands as a caller writes them: the client numbers them. */
export type RecorderRequest = RecorderCommand extends infer C ? (C extends RecorderCommand ? Omit<C, 'seq'> : never) : never;
