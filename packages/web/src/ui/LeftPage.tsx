import { InfoPage } from './InfoPage.js';
import { goHome, reloadRoom } from './navigation.js';

export function LeftPage({ room }: { room: string }) {
  return (
    <InfoPage title="You left the meeting" testId="left-page">
      <p class="card__text">
        You are no longer in <strong>{room}</strong>.
      </p>
      <div class="card__actions">
        <button type="button" class="button button--primary" data-testid="rejoin" onClick={reloadRoom}>
          Rejoin
        </button>
        <button type="button" class="button" data-testid="home" onClick={goHome}>
          Home
        </button>
      </div>
    </InfoPage>
  );
}
