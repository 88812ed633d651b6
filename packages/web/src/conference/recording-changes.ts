import type { RecordingInfo } from '@tertulia/protocol';

/**
 * The recordings and live streams in `after` that were not running in `before`.
 * `before` undefined (just entered the room): everything running counts as started,
 * so a late joiner is told as well. Endings come with their own notification
 * (recordingEnded, which says why), so they are not derived here.
 */
export function startedRecordings(before: readonly RecordingInfo[] | undefined, after: readonly RecordingInfo[]): RecordingInfo[] {
  // A new startedAt in the same mode is a new recording (stopped and started again between two updates).
  return after.filter((r) => !(before ?? []).some((p) => p.mode === r.mode && p.startedAt === r.startedAt));
}
