import type { RoomNameProblem } from '@tertulia/protocol';
import { say, useI18n } from '../i18n/i18n.js';
import { InfoPage } from './InfoPage.js';
import { goHome } from './navigation.js';
import { roomNameProblem } from './room-name-problem.js';

/** The address does not name a valid room. */
export function InvalidRoom({ problem, name }: { problem: RoomNameProblem; name: string }) {
  const { t } = useI18n();
  return (
    <InfoPage title={t('welcome.invalidTitle')} testId="invalid-room">
      <p class="card__text">{say(roomNameProblem(problem, name))}</p>
      <div class="card__actions">
        <button type="button" class="button button--primary" onClick={goHome}>
          {t('welcome.startAMeeting')}
        </button>
      </div>
    </InfoPage>
  );
}
