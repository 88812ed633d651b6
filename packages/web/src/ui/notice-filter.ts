import type { Notice } from '../conference/conference.js';
import { pageConfig } from '../config/page-config.js';
import type { MessageKey } from '../i18n/i18n.js';

/** Jitsi's notification names (what its `notifications` list holds) for Tertulia's notices, by message key. */
const JITSI_NOTIFICATION: Partial<Record<MessageKey, string>> = {
  'notices.joined': 'notify.connectedOneMember',
  'notices.left': 'notify.leftOneMember',
  'notices.knocking': 'lobby.notificationTitle',
  'notices.unmuteRequested': 'notify.hostAskedUnmute',
  'notices.micMutedBy': 'notify.mutedRemotelyTitle',
  'notices.cameraMutedBy': 'notify.videoMutedRemotelyTitle',
  'notices.kicked': 'dialog.kickTitle',
  'notices.ended': 'dialog.sessTerminated',
  'notices.reconnected': 'notify.reconnected',
  'hands.raised': 'notify.raisedHand',
  'polls.notice.created': 'polls.notification.title',
  'breakout.notice.moved': 'breakoutRooms.notifications.joinedTitle',
  'breakout.notice.main': 'breakoutRooms.notifications.joinedMainRoom',
  // Jitsi titles its recording and streaming notices with the dialog's name; failures are errors and always show.
  'recording.indicator.file': 'dialog.recording',
  'recording.notice.fileStarted': 'dialog.recording',
  'recording.notice.fileStopped': 'dialog.recording',
  'recording.notice.fileEnded': 'dialog.recording',
  'recording.notice.link': 'dialog.recording',
  'recording.indicator.stream': 'dialog.liveStreaming',
  'recording.notice.streamStarted': 'dialog.liveStreaming',
  'recording.notice.streamStopped': 'dialog.liveStreaming',
  'recording.notice.streamEnded': 'dialog.liveStreaming',
  'recording.notice.localStarted': 'localRecording.localRecording',
  'recording.notice.localSaved': 'localRecording.localRecording',
  'recording.notice.localOthersStarted': 'localRecording.localRecording',
  'recording.notice.localOthersStopped': 'localRecording.localRecording',
};

/**
 * Whether the embedder's `notifications` list and DISABLE_JOIN_LEAVE_NOTIFICATIONS let
 * a notice show. Errors always do: they answer something the person just tried.
 */
export function noticeShown(notice: Notice): boolean {
  const { notifications, disableJoinLeaveNotifications } = pageConfig();
  if (notice.kind === 'error') return true;
  if (disableJoinLeaveNotifications && (notice.kind === 'joined' || notice.kind === 'left')) return false;
  if (notifications === undefined) return true;
  const key = typeof notice.text === 'string' ? undefined : JITSI_NOTIFICATION[notice.text.key];
  return key !== undefined && notifications.includes(key);
}
