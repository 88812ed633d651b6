import { formatElapsed } from './format.js';
import { LockIcon, PeopleIcon } from './icons.js';
import { useNow } from './use-now.js';

interface Props {
  /** The meeting's subject, or the room name when it has none. */
  title: string;
  /** A room password is set. */
  locked: boolean;
  count: number;
  startedAt: number | undefined;
}

/** Subject or room name, whether it is password-protected, how many people are in it, and how long it has been going. */
export function MeetingHeader({ title, locked, count, startedAt }: Props) {
  return (
    <header class="meeting-header">
      <div class="meeting-header__name">
        {locked && (
          <span class="meeting-header__lock" data-testid="room-locked" role="img" aria-label="Protected by a password" title="Protected by a password">
            <LockIcon />
          </span>
        )}
        <h1 class="meeting-header__title" title={title} data-testid="meeting-title">
          {title}
        </h1>
      </div>
      <div class="meeting-header__facts">
        {startedAt !== undefined && <Elapsed since={startedAt} />}
        <span class="pill" title={count === 1 ? '1 participant' : `${count} participants`}>
          <PeopleIcon />
          <span class="sr-only">Participants: </span>
          <span data-testid="participant-count">{count}</span>
        </span>
      </div>
    </header>
  );
}

/** Separate so only the clock re-renders every second. */
function Elapsed({ since }: { since: number }) {
  const now = useNow(1000);
  return (
    <span class="pill pill--time">
      <span class="sr-only">Meeting time: </span>
      <time data-testid="elapsed">{formatElapsed(now - since)}</time>
    </span>
  );
}
