import { useI18n } from '../i18n/i18n.js';
import { rich } from '../i18n/rich.js';
import { InfoPage } from './InfoPage.js';

interface Props {
  reason: 'host' | 'lobby';
  room: string;
  onLeave: () => void;
}

/** Outside the meeting until a host arrives or a moderator answers the knock; the conference moves on by itself. */
export function WaitingPage({ reason, room, onLeave }: Props) {
  const { t } = useI18n();
  const host = reason === 'host';
  return (
    <InfoPage title={t(host ? 'join.waitingHostTitle' : 'join.askingTitle')} testId={host ? 'waiting-host' : 'waiting-lobby'}>
      <p class="card__text">{rich(host ? 'join.hostText' : 'join.lobbyText', { room: <strong>{room}</strong> })}</p>
      <p class="waiting__status" role="status">
        <span class="spinner" aria-hidden="true" />
        {t(host ? 'join.waitingHost' : 'join.waitingModerator')}
      </p>
      <div class="card__actions">
        <button type="button" class="button" data-testid="waiting-leave" onClick={onLeave}>
          {t('join.leave')}
        </button>
      </div>
    </InfoPage>
  );
}
