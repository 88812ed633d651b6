import type { Participant, Poll, RoomInfo } from '@tertulia/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { CloseIcon } from './icons.js';
import { PollCard } from './PollCard.js';
import { PollForm } from './PollForm.js';
import type { PollActions } from './use-polls.js';

interface Props {
  polls: Poll[];
  self: Participant | undefined;
  room: RoomInfo | undefined;
  /** What this person's token grants. */
  features: string[];
  actions: PollActions;
  onClose: () => void;
}

/** The server's rule, so the create form shows only to people it will accept a poll from. */
export function mayCreatePolls(self: Participant | undefined, room: RoomInfo | undefined, features: string[]): boolean {
  return self?.role === 'moderator' || room?.pollCreators === 'everyone' || features.includes('create-polls');
}

/** The polls side panel: a form for a new poll (for those allowed), then every poll, newest first. */
export function PollsPanel({ polls, self, room, features, actions, onClose }: Props) {
  const { t } = useI18n();
  const panel = useRef<HTMLElement>(null);
  const [creating, setCreating] = useState(false);
  const canCreate = mayCreatePolls(self, room, features);
  const moderator = self?.role === 'moderator';

  useEffect(() => {
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const create = async (question: string, options: string[], anonymous: boolean) => {
    const created = await actions.create(question, options, anonymous);
    if (created) setCreating(false);
    return created;
  };

  return (
    <aside class="side-panel polls" id="polls-panel" aria-labelledby="polls-title" data-testid="polls-panel" ref={panel} tabIndex={-1}>
      <header class="side-panel__header">
        <h2 class="side-panel__title" id="polls-title">
          {t('polls.title')}
        </h2>
        <button type="button" class="icon-button" aria-label={t('polls.closePanel')} title={t('polls.closePanel')} onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div class="side-panel__body">
        {canCreate && (
          <section class="polls__create">
            <button
              type="button"
              class="button button--small"
              data-testid="poll-new"
              aria-expanded={creating}
              aria-controls={creating ? 'poll-form' : undefined}
              onClick={() => setCreating((open) => !open)}
            >
              {t('polls.new')}
            </button>
            {creating && (
              <div id="poll-form">
                <PollForm onCreate={create} />
              </div>
            )}
          </section>
        )}
        {polls.length === 0 ? (
          <p class="polls__empty">{t('polls.empty')}</p>
        ) : (
          <ol class="polls__list" data-testid="poll-list">
            {[...polls].reverse().map((poll) => (
              <PollCard key={poll.id} poll={poll} selfId={self?.id} mayClose={moderator || poll.createdBy === self?.id} actions={actions} />
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}
