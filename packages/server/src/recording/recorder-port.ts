import type { EventEmitter } from 'node:events';
import type { RecorderLineup, RecorderOutput, RecorderSettings } from '@tertulia/recorder';

/*
 * What a room's recording needs from whatever composes and encodes: it is told
 * where each participant's RTP arrives and who is on screen, and it writes the
 * outputs. @tertulia/recorder's RecorderClient (a `tertulia recorder` process)
 * is the implementation; the server knows nothing of pipelines.
 */

export type { RecorderLineup, RecorderOutput, RecorderParticipant, RecorderSettings, RecorderStream } from '@tertulia/recorder';

export type RecorderEvents = {
  /** The recorder stopped by itself (crashed, its only output failed); outputs written so far stay. */
  failed: [error: Error];
  /** One output stopped by itself (a live stream's server went away) while the others go on. */
  outputFailed: [kind: RecorderOutput['kind'], error: Error];
  /** A participant's video needs a keyframe in the recording (its decoder lost its place). */
  keyframeWanted: [participantId: string, source: 'camera' | 'screen' | 'mic'];
};

/** One composition of a room, written to one or more outputs that come and go. */
export interface Recorder extends EventEmitter<RecorderEvents> {
  /** Applies who is shown and heard now: adds and removes streams, moves tiles, renames. */
  update(lineup: RecorderLineup): void;
  /** Writes the same composition to one more output, from the next keyframe. */
  addOutput(output: RecorderOutput): Promise<void>;
  /** Finishes one output (the file is complete) while the others go on. */
  removeOutput(kind: RecorderOutput['kind']): Promise<void>;
  /** Finishes every output and ends; resolves when they are written. */
  stop(): Promise<void>;
  /** Ends at once, without finishing. Idempotent. */
  kill(): void;
}

/** Starts recorders; the server holds one. */
export interface RecorderFactory {
  start(settings: RecorderSettings, outputs: RecorderOutput[], lineup: RecorderLineup): Promise<Recorder>;
}
