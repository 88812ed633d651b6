import { pageConfig } from '../config/page-config.js';
import { say, useI18n } from '../i18n/i18n.js';
import { formatElapsed } from './format.js';
import { LockIcon, PeopleIcon } from './icons.js';
import type { RecordingIndicator } from './recording-controls.js';
import { useNow } from './use-now.js';

interface Props {
  /** The meeting's subject, or the room name when it has none. */
  title: string;
  /** A room password is set. */
  locked: boolean;
  count: number;
  startedAt: number | undefined;
  /** The breakout room's name, when this person is in one. */
  breakout?: string | undefined;
  /** REC / LIVE while the meeting is recorded or streamed: shown to everyone, whatever the page's config hides. */
  recordings: RecordingIndicator[];
  /** Media is encrypted end to end: shown to everyone, as recording is. */
  e2ee: boolean;
}

/** Subject or room name, whether it is password-protected, how many people are in it, and how long it has been going. */
export function MeetingHeader({ title, locked, count, startedAt, breakout, recordings, e2ee }: Props) {
  const { t } = useI18n();
  const { hideConferenceSubject, hideConferenceTimer } = pageConfig();
  return (
    <header class="meeting-header">
      <div class="meeting-header__name">
        {locked && (
          <span class="meeting-header__lock" data-testid="room-locked" role="img" aria-label={t('call.locked')} title={t('call.locked')}>
            <LockIcon />
          </span>
        )}
        {hideConferenceSubject ? (
          <h1 class="sr-only">{title}</h1>
        ) : (
          <h1 class="meeting-header__title" title={title} data-testid="meeting-title">
            {title}
          </h1>
        )}
        {breakout && (
          <span class="pill meeting-header__breakout" data-testid="breakout-name" title={t('breakout.inRoom', { room: breakout })}>
            <span class="sr-only">{t('breakout.label')} </span>
            {breakout}
          </span>
        )}
      </div>
      <div class="meeting-header__facts">
        {recordings.map((indicator) => (
          <span key={indicator.mode} class="pill pill--recording" data-testid="recording-indicator" data-mode={indicator.mode} role="status" title={say(indicator.title)}>
            <span aria-hidden="true">{t(indicator.label)}</span>
            <span class="sr-only">{say(indicator.title)}</span>
          </span>
        ))}
        {e2ee && (
          <span class="pill pill--e2ee" data-testid="e2ee-indicator" role="status" title={t('e2ee.indicatorTitle')}>
            <LockIcon />
            <span aria-hidden="true">{t('e2ee.indicator')}</span>
            <span class="sr-only">{t('e2ee.indicatorTitle')}</span>
          </span>
        )}
        {startedAt !== undefined && !hideConferenceTimer && <Elapsed since={startedAt} />}
        <span class="pill" title={t('call.participants', { count })}>
          <PeopleIcon />
          <span class="sr-only">{t('call.participantsLabel')} </span>
          <span data-testid="participant-count">{count}</span>
        </span>
      </div>
    </header>
  );
}

/** Separate so only the clock re-renders every second. */
function Elapsed({ since }: { since: number }) {
  const { t } = useI18n();
  const now = useNow(1000);
  return (
    <span class="pill pill--time">
      <span class="sr-only">{t('call.meetingTime')} </span>
      <time data-testid="elapsed">{formatElapsed(now - since)}</time>
    </span>
  );
}
