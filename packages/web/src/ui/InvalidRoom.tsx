import { InfoPage } from './InfoPage.js';
import { goHome } from './navigation.js';

/** The address does not name a valid room. */
export function InvalidRoom({ reason }: { reason: string }) {
  return (
    <InfoPage title="This isn't a meeting address" testId="invalid-room">
      <p class="card__text">{reason}</p>
      <div class="card__actions">
        <button type="button" class="button button--primary" onClick={goHome}>
          Start a meeting
        </button>
      </div>
    </InfoPage>
  );
}
