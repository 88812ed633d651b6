import type { LeftReason } from '../conference/conference.js';
import { useI18n } from '../i18n/i18n.js';
import { rich } from '../i18n/rich.js';
import { InfoPage } from './InfoPage.js';
import { goHome, reloadRoom } from './navigation.js';

const TITLES = { left: 'join.leftTitle', kicked: 'join.kickedTitle', ended: 'join.endedTitle' } as const satisfies Record<LeftReason, string>;

export function LeftPage({ room, reason }: { room: string; reason: LeftReason }) {
  const { t } = useI18n();
  return (
    <InfoPage title={t(TITLES[reason])} testId="left-page">
      <p class="card__text">{rich('join.noLonger', { room: <strong>{room}</strong> })}</p>
      <div class="card__actions">
        <button type="button" class="button button--primary" data-testid="rejoin" onClick={reloadRoom}>
          {t('join.rejoin')}
        </button>
        <button type="button" class="button" data-testid="home" onClick={goHome}>
          {t('join.home')}
        </button>
      </div>
    </InfoPage>
  );
}
