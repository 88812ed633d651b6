import { say, useI18n, type Text } from '../i18n/i18n.js';
import { InfoPage } from './InfoPage.js';
import { goHome, reloadRoom } from './navigation.js';

export function ConferenceError({ error }: { error: Text | undefined }) {
  const { t } = useI18n();
  return (
    <InfoPage title={t('join.failedTitle')} testId="conference-error">
      <p class="card__text" role="alert">
        {error === undefined ? t('join.somethingWrong') : say(error)}
      </p>
      <div class="card__actions">
        <button type="button" class="button button--primary" data-testid="retry" onClick={reloadRoom}>
          {t('join.tryAgain')}
        </button>
        <button type="button" class="button" onClick={goHome}>
          {t('join.home')}
        </button>
      </div>
    </InfoPage>
  );
}
