import { InfoPage } from './InfoPage.js';
import { goHome, reloadRoom } from './navigation.js';

export function ConferenceError({ error }: { error: string | undefined }) {
  return (
    <InfoPage title="Not connected to the meeting" testId="conference-error">
      <p class="card__text" role="alert">
        {error ?? 'Something went wrong.'}
      </p>
      <div class="card__actions">
        <button type="button" class="button button--primary" data-testid="retry" onClick={reloadRoom}>
          Try again
        </button>
        <button type="button" class="button" onClick={goHome}>
          Home
        </button>
      </div>
    </InfoPage>
  );
}
