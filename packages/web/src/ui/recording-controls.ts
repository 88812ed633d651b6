import type { RecordingInfo, RecordingMode, RoomInfo } from '@tertulia/protocol';
import type { MessageKey, Text } from '../i18n/i18n.js';

/** A server recording (or live stream) control as this person gets it. */
export interface ServerRecordingControl {
  mode: RecordingMode;
  /** Running now (by anyone): the control stops it. */
  running: boolean;
  /** Why it cannot start (the server's words: recording off, end-to-end encryption…), or null. */
  unavailable: string | null;
}

/** The feature a token needs to record (Jitsi's names), for people who do not moderate. */
const FEATURE: Record<RecordingMode, string> = { file: 'recording', stream: 'livestreaming' };

/**
 * Which server recording controls this person has: moderators both, anyone else only
 * what their token's features grant (as the server checks it). Empty: no control.
 */
export function serverRecordingControls(room: RoomInfo | undefined, moderator: boolean, features: readonly string[]): ServerRecordingControl[] {
  if (!room) return [];
  return (['file', 'stream'] as const)
    .filter((mode) => moderator || features.includes(FEATURE[mode]))
    .map((mode) => ({ mode, running: room.recordings.some((r) => r.mode === mode), unavailable: room.recordingUnavailable[mode] }));
}

/** One REC / LIVE badge in the meeting header. */
export interface RecordingIndicator {
  mode: RecordingMode | 'local';
  label: MessageKey;
  /** Said on hover and to assistive technology: what is happening and who started it. */
  title: Text;
}

/** What everyone sees while the room is recorded or streamed, plus this person's own recording on this device. */
export function recordingIndicators(recordings: readonly RecordingInfo[], recordingHere: boolean): RecordingIndicator[] {
  const indicators: RecordingIndicator[] = recordings.map(({ mode, startedBy }) => ({
    mode,
    label: mode === 'file' ? 'recording.rec' : 'recording.live',
    title: { key: mode === 'file' ? 'recording.indicator.file' : 'recording.indicator.stream', params: { name: startedBy?.displayName || { key: 'notices.aModerator' } } },
  }));
  if (recordingHere) indicators.push({ mode: 'local', label: 'recording.rec', title: { key: 'recording.indicator.local' } });
  return indicators;
}
