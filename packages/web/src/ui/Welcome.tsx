import { checkRoomName } from '@tertulia/protocol';
import { useState } from 'preact/hooks';
import { suggestRoomName } from '../room-names.js';
import { LogoIcon, RefreshIcon } from './icons.js';
import { roomPath } from './navigation.js';

/** The front page: pick (or accept) a room name and go. */
export function Welcome() {
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
        <p class="welcome__pitch">Video meetings on your own server. Share a link and start talking — no accounts, no installs.</p>

        <form class="welcome__form" onSubmit={start} noValidate>
          <label class="field__label" for="room-name">
            Room name
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
              aria-label="Suggest a new name"
              title="Suggest a new name"
              data-testid="new-room-name"
              onClick={() => setName(suggestRoomName())}
            >
              <RefreshIcon />
            </button>
          </div>
          <p id="room-name-message" class="field__error" aria-live="polite">
            {check.ok ? '' : check.reason}
          </p>
          <button type="submit" class="button button--primary button--wide" data-testid="start-meeting" disabled={!check.ok}>
            Start meeting
          </button>
        </form>

        <p class="welcome__note">
          <strong>Why a random name?</strong> Anyone who knows a room's name can walk in. A name like “test” is the first
          thing a stranger would try; four random words and a number are practically impossible to guess.
        </p>
      </div>
    </main>
  );
}
