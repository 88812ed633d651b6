import type { Knocker } from '@tertulia/protocol';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { hueOf, initialsOf } from './format.js';
import type { Moderate } from './moderation.js';

interface Props {
  knocking: Knocker[];
  moderate: Moderate;
}

/** Moderators: people waiting in the lobby, each to let in or turn away. */
export function KnockingPanel({ knocking, moderate }: Props) {
  const { t } = useI18n();
  // Answers on their way to the server; the entry goes once the lobby list changes.
  const [answering, setAnswering] = useState<ReadonlySet<string>>(new Set());

  const answer = (knocker: Knocker, approved: boolean) => {
    setAnswering((ids) => new Set(ids).add(knocker.id));
    void moderate('answerKnock', { knockerId: knocker.id, approved }).then(() =>
      setAnswering((ids) => {
        const next = new Set(ids);
        next.delete(knocker.id);
        return next;
      }),
    );
  };

  const count = knocking.length;
  return (
    <section class="knocking" aria-labelledby="knocking-title" data-testid="knocking-panel">
      <h2 class="knocking__title" id="knocking-title">
        {t('moderation.knocking', { count })}
      </h2>
      <ul class="knocking__list">
        {knocking.map((knocker) => {
          const name = knocker.displayName || t('common.guest');
          const busy = answering.has(knocker.id);
          return (
            <li key={knocker.id} class="knocking__entry" data-testid="knock-entry" data-knocker-id={knocker.id}>
              <span class="knocking__avatar" style={{ '--avatar-hue': String(hueOf(knocker.id)) }} aria-hidden="true">
                {initialsOf(name) || '?'}
              </span>
              <span class="knocking__name" title={name}>
                {name}
              </span>
              <span class="knocking__actions">
                <button
                  type="button"
                  class="button button--small"
                  data-testid="knock-deny"
                  aria-label={t('moderation.denyPerson', { name })}
                  disabled={busy}
                  onClick={() => answer(knocker, false)}
                >
                  {t('moderation.deny')}
                </button>
                <button
                  type="button"
                  class="button button--small button--primary"
                  data-testid="knock-admit"
                  aria-label={t('moderation.admitPerson', { name })}
                  disabled={busy}
                  onClick={() => answer(knocker, true)}
                >
                  {t('moderation.admit')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
