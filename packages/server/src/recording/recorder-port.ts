import type { EventEmitter } from 'node:events';
import type { RecordingMode } from '@tertulia/protocol';

/*
 * What a room's recording needs from the process that composes and encodes: it is
 * told where each participant's RTP arrives and who is on screen, and it writes
 * the outputs. The recorder package implements it with GStreamer; the server
 * knows nothing of pipelines.
 */

/** One RTP stream arriving on a local UDP port (from a media tap). */
export interface RecorderStream {
  /** Stable for the stream's life (the tap id). */
  id: string;
  port: number;
  /** video/VP8, video/H264 or audio/opus. */
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number;
}

/** A participant as the recording shows it. */
export interface RecorderParticipant {
  id: string;
  name: string;
  camera?: RecorderStream;
  screen?: RecorderStream;
  mic?: RecorderStream;
}

export interface RecorderLineup {
  participants: RecorderParticipant[];
  /** Who is shown large when nobody shares a screen (null: a plain grid). */
  dominantSpeakerId: string | null;
}

export interface RecorderOutputs {
  mode: RecordingMode;
  /** mode 'file': the composed recording (MP4; .m4a when audio-only). */
  file?: string;
  /** mode 'stream': where the live stream goes (rtmp:// or rtmps://). */
  streamUrl?: string;
  /** Each participant's audio in a file of its own, in this folder. */
  perTrackAudioDir?: string;
  audioOnly: boolean;
  width: number;
  height: number;
  fps: number;
}

export type RecorderEvents = {
  /** The recorder stopped by itself (crashed, the stream's server went away); outputs written so far stay. */
  failed: [error: Error];
};

export interface Recorder extends EventEmitter<RecorderEvents> {
  /** Applies who is shown and heard now: adds and removes streams, moves tiles, renames. */
  update(lineup: RecorderLineup): void;
  /** Finishes the outputs (the file stays playable) and ends; resolves when they are written. */
  stop(): Promise<void>;
  /** Ends at once, without finishing. Idempotent. */
  kill(): void;
}

/** Starts recorders; the server holds one. */
export interface RecorderFactory {
  start(outputs: RecorderOutputs, lineup: RecorderLineup): Promise<Recorder>;
}
