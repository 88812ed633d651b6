import { say, useI18n } from '../i18n/i18n.js';
import { CloseIcon } from './icons.js';
import { meetingEvents, type HostNotification } from './meeting-controls.js';
import type { ShownNotice } from './use-conference.js';

interface Props {
  notices: ShownNotice[];
  onDismiss: (id: number) => void;
  /** Laid out by a surrounding column (under the knocking panel) instead of fixed to the corner. */
  stacked?: boolean;
}

/** Toasts at the top of the screen: who joined or left, reconnections, errors. */
export function Notices({ notices, onDismiss, stacked = false }: Props) {
  const { t } = useI18n();
  return (
    <div class={stacked ? 'notices notices--stacked' : 'notices'} aria-live="polite" aria-relevant="additions">
      {notices.map((notice) => (
        <div key={notice.id} class={`notice notice--${notice.kind}`} data-testid="notice" data-kind={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span class="notice__dot" aria-hidden="true" />
          <span class="notice__text">
            {say(notice.text)}
            {notice.link && (
              <>
                {' '}
                <a class="notice__link" href={notice.link.href} target="_blank" rel="noopener" data-testid="notice-link">
                  {say(notice.link.label)}
                </a>
              </>
            )}
          </span>
          <button type="button" class="notice__close" aria-label={t('call.dismiss')} onClick={() => onDismiss(notice.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}

/** Toasts the embedding page shows with the iframe API's showNotification, until their timeout or hideNotification. */
export function HostNotices({ notifications, onDismiss }: { notifications: HostNotification[]; onDismiss: (uid: string) => void }) {
  const { t } = useI18n();
  // The embedding page acts on the button; the toast has done its job.
  const act = (uid: string, uuid: string) => {
    meetingEvents.announce('customNotificationActionTriggered', uuid);
    onDismiss(uid);
  };
  return (
    <div class="notices notices--stacked" aria-live="polite" aria-relevant="additions">
      {notifications.map((n) => (
        <div key={n.uid} class={`notice notice--${n.type === 'error' ? 'error' : 'info'}`} data-testid="host-notification" data-type={n.type} role="status">
          <span class="notice__dot" aria-hidden="true" />
          <span class="notice__text">
            {n.title && <strong class="notice__title">{n.title}</strong>}
            {n.description && <span class="notice__description">{n.description}</span>}
            {n.actions.map((action) => (
              <button key={action.uuid} type="button" class="button button--small" data-testid="notification-action" onClick={() => act(n.uid, action.uuid)}>
                {action.label}
              </button>
            ))}
          </span>
          <button type="button" class="notice__close" aria-label={t('call.dismiss')} onClick={() => onDismiss(n.uid)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
