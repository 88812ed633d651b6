import { checkRoomName } from '@tertulia/protocol';
import { useState } from 'preact/hooks';
import { say, useI18n } from '../i18n/i18n.js';
import { suggestRoomName } from '../room-names.js';
import { LogoIcon, RefreshIcon } from './icons.js';
import { LanguagePicker } from './LanguagePicker.js';
import { roomPath } from './navigation.js';
import { roomNameProblem } from './room-name-problem.js';

/** The front page: pick (or accept) a room name and go. */
export function Welcome() {
  const { t } = useI18n();
  const [name, setName] = useState(suggestRoomName);
  const check = checkRoomName(name.trim());

  const start = (event: Event) => {
    event.preventDefault();
    if (check.ok) location.assign(roomPath(check.display));
  };

  return (
    <main class="page welcome">
      <div class="card card--narrow">
        <div class="welcome__brand">
          <LogoIcon />
          <h1 class="welcome__title">Tertulia</h1>
        </div>
        <p class="welcome__pitch">{t('welcome.pitch')}</p>

        <form class="welcome__form" onSubmit={start} noValidate>
          <label class="field__label" for="room-name">
            {t('welcome.roomName')}
          </label>
          <div class="welcome__row">
            <input
              id="room-name"
              class="input"
              data-testid="room-name-input"
              value={name}
              autocomplete="off"
              spellcheck={false}
              aria-invalid={!check.ok}
              aria-describedby="room-name-message"
              onInput={(event) => setName(event.currentTarget.value)}
            />
            <button
              type="button"
              class="icon-button icon-button--boxed"
              aria-label={t('welcome.suggest')}
              title={t('welcome.suggest')}
              data-testid="new-room-name"
              onClick={() => setName(suggestRoomName())}
            >
              <RefreshIcon />
            </button>
          </div>
          <p id="room-name-message" class="field__error" aria-live="polite">
            {check.ok ? '' : say(roomNameProblem(check.problem, name.trim()))}
          </p>
          <button type="submit" class="button button--primary button--wide" data-testid="start-meeting" disabled={!check.ok}>
            {t('welcome.start')}
          </button>
        </form>

        <p class="welcome__note">
          <strong>{t('welcome.whyTitle')}</strong> {t('welcome.whyText')}
        </p>
        <LanguagePicker compact />
      </div>
    </main>
  );
}
