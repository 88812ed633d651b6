import type { Participant, Poll, RoomInfo } from '@tertulia/protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { PollCard } from './PollCard.js';
import { PollForm } from './PollForm.js';
import { SidePanel } from './SidePanel.js';
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
function mayCreatePolls(self: Participant | undefined, room: RoomInfo | undefined, features: string[]): boolean {
  return self?.role === 'moderator' || room?.pollCreators === 'everyone' || features.includes('create-polls');
}

/** The polls side panel: a form for a new poll (for those allowed), then every poll, newest first. */
export function PollsPanel({ polls, self, room, features, actions, onClose }: Props) {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const canCreate = mayCreatePolls(self, room, features);
  const moderator = self?.role === 'moderator';

  const create = async (question: string, options: string[], anonymous: boolean) => {
    const created = await actions.create(question, options, anonymous);
    if (created) setCreating(false);
    return created;
  };

  return (
    <SidePanel id="polls-panel" className="polls" testId="polls-panel" title={t('polls.title')} closeLabel={t('polls.closePanel')} onClose={onClose}>
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
    </SidePanel>
  );
}
