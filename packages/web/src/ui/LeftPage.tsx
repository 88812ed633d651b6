import type { LeftReason } from '../conference/conference.js';
import { InfoPage } from './InfoPage.js';
import { goHome, reloadRoom } from './navigation.js';

const TITLES: Record<LeftReason, string> = {
  left: 'You left the meeting',
  kicked: 'You were removed from the meeting',
  ended: 'The meeting was ended for everyone',
};

export function LeftPage({ room, reason }: { room: string; reason: LeftReason }) {
  return (
    <InfoPage title={TITLES[reason]} testId="left-page">
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
