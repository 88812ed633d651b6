import { formatElapsed } from './format.js';
import { PeopleIcon } from './icons.js';
import { useNow } from './use-now.js';

interface Props {
  title: string;
  count: number;
  startedAt: number | undefined;
}

/** Room name, how many people are in it, and how long the meeting has been going. */
export function MeetingHeader({ title, count, startedAt }: Props) {
  return (
    <header class="meeting-header">
      <h1 class="meeting-header__title" title={title}>
        {title}
      </h1>
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
