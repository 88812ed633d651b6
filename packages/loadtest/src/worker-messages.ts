import type { JoinOptions, MediaFiles, SfuName, StreamStats } from './types.js';

/** What a load worker is started with. */
export interface WorkerSetup {
  sfu: SfuName;
  media: MediaFiles;
}

/** One participant to join, as the main thread plans it (the worker adds the media). */
export type PlannedJoin = Omit<JoinOptions, 'media'>;

export interface SessionStats {
  name: string;
  room: string;
  publish: boolean;
  streams: StreamStats[];
}

export type ToWorker = { type: 'join'; join: PlannedJoin } | { type: 'stats'; id: number } | { type: 'close' };

export type FromWorker =
  | { type: 'joined'; name: string }
  | { type: 'failed'; name: string; error: string }
  | { type: 'stats'; id: number; sessions: SessionStats[] }
  | { type: 'closed' };
