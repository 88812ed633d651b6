import { InfoPage } from './InfoPage.js';

interface Props {
  reason: 'host' | 'lobby';
  room: string;
  onLeave: () => void;
}

/** Outside the meeting until a host arrives or a moderator answers the knock; the conference moves on by itself. */
export function WaitingPage({ reason, room, onLeave }: Props) {
  const host = reason === 'host';
  return (
    <InfoPage title={host ? 'Waiting for the host' : 'Asking to join…'} testId={host ? 'waiting-host' : 'waiting-lobby'}>
      {host ? (
        <p class="card__text">
          The meeting <strong>{room}</strong> starts when a host arrives. Keep this page open: it moves on by itself.
        </p>
      ) : (
        <p class="card__text">
          A moderator will let you in shortly. You asked to join <strong>{room}</strong>.
        </p>
      )}
      <p class="waiting__status" role="status">
        <span class="spinner" aria-hidden="true" />
        {host ? 'Waiting for a host…' : 'Waiting for a moderator…'}
      </p>
      <div class="card__actions">
        <button type="button" class="button" data-testid="waiting-leave" onClick={onLeave}>
          Leave
        </button>
      </div>
    </InfoPage>
  );
}
