import type { Poll } from '@tertulia/protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import type { PollActions } from './use-polls.js';

interface Props {
  poll: Poll;
  selfId: string | undefined;
  /** The creator and moderators may close it. */
  mayClose: boolean;
  actions: PollActions;
}

/** One poll: options to vote for until this person has voted or the poll closed, then the results. */
export function PollCard({ poll, selfId, mayClose, actions }: Props) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  /** Someone who has not voted yet may look at the live results before choosing. */
  const [peek, setPeek] = useState(false);
  const resultsId = `poll-${poll.id}-results`;
  const titleId = `poll-${poll.id}-question`;

  const act = async (action: () => Promise<boolean>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };

  const vote = (event: Event) => {
    event.preventDefault();
    if (choice !== undefined) void act(() => actions.vote(poll.id, choice));
  };

  return (
    <li class="poll" data-testid="poll" data-poll-id={poll.id}>
      <h3 class="poll__question" id={titleId} data-testid="poll-question-text">
        {poll.question}
      </h3>
      <p class="poll__meta">
        <span>{poll.createdBy === selfId ? t('polls.askedByYou') : t('polls.askedBy', { name: poll.createdByName || t('common.guest') })}</span>
        {poll.anonymous && <span class="poll__tag">{t('polls.anonymousBadge')}</span>}
        {poll.closed && (
          <span class="poll__tag" data-testid="poll-closed">
            {t('polls.closedBadge')}
          </span>
        )}
      </p>
      {poll.voted || poll.closed ? (
        <PollResults poll={poll} id={resultsId} />
      ) : (
        <form class="poll__vote" onSubmit={vote} data-testid="poll-vote-form">
          <fieldset class="poll__choices" aria-labelledby={titleId}>
            {poll.options.map((option, index) => (
              <label key={index} class="poll__choice">
                <input type="radio" name={`poll-${poll.id}`} checked={choice === index} onChange={() => setChoice(index)} data-testid="poll-choice" />
                {option.text}
              </label>
            ))}
          </fieldset>
          <div class="poll__actions">
            <button type="submit" class="button button--primary button--small" data-testid="poll-vote" disabled={choice === undefined || busy}>
              {t('polls.vote')}
            </button>
            <button
              type="button"
              class="button button--small"
              data-testid="poll-peek"
              aria-expanded={peek}
              aria-controls={peek ? resultsId : undefined}
              onClick={() => setPeek((open) => !open)}
            >
              {t('polls.showResults')}
            </button>
          </div>
          {peek && <PollResults poll={poll} id={resultsId} />}
        </form>
      )}
      {mayClose && !poll.closed && (
        <button type="button" class="button button--small poll__close" data-testid="poll-close" disabled={busy} onClick={() => void act(() => actions.close(poll.id))}>
          {t('polls.closePoll')}
        </button>
      )}
    </li>
  );
}

/** Bars with counts and shares; in named polls, who voted for each option. */
function PollResults({ poll, id }: { poll: Poll; id: string }) {
  const { t } = useI18n();
  const total = poll.options.reduce((sum, o) => sum + o.votes, 0);
  return (
    <div class="poll__results" id={id} data-testid="poll-results">
      <ul class="poll__options">
        {poll.options.map((option, index) => {
          const percent = total === 0 ? 0 : Math.round((option.votes / total) * 100);
          return (
            <li key={index} class={poll.myVote === index ? 'poll__option poll__option--mine' : 'poll__option'} data-testid="poll-option">
              <div class="poll__option-head">
                <span class="poll__option-text" data-testid="poll-option-text">
                  {option.text}
                  {poll.myVote === index && <span class="poll__mine"> · {t('polls.yourVote')}</span>}
                </span>
                <span class="poll__count">
                  <span data-testid="poll-option-votes">{t('polls.votes', { count: option.votes })}</span>
                  {' · '}
                  <span data-testid="poll-option-percent">{t('polls.percent', { percent })}</span>
                </span>
              </div>
              <div class="poll__bar" aria-hidden="true">
                <div class="poll__bar-fill" style={{ width: `${percent}%` }} />
              </div>
              {option.voters.length > 0 && (
                <ul class="poll__voters" aria-label={t('polls.votersOf', { option: option.text })} data-testid="poll-voters">
                  {option.voters.map((voter) => (
                    <li key={voter.id} data-testid="poll-voter">
                      {voter.displayName || t('common.guest')}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      <p class="poll__total">{t('polls.total', { count: total })}</p>
    </div>
  );
}
