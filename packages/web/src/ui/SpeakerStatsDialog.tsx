import type { SpeakerStat } from '@tertulia/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { Dialog } from './Dialog.js';
import { messageOf } from './format.js';

interface Props {
  conference: Conference;
  selfId: string | undefined;
  onClose: () => void;
}

type Column = 'name' | 'time';
type Direction = 'ascending' | 'descending';

const REFRESH_MS = 1000;
const COLUMNS: ReadonlyArray<{ column: Column; label: MessageKey; first: Direction }> = [
  { column: 'name', label: 'speakerStats.name', first: 'ascending' },
  { column: 'time', label: 'speakerStats.time', first: 'descending' },
];

/** Talk time as m:ss (minutes keep counting past an hour). */
function talkTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Everyone's talk time in a dialog, refreshed every second while open; sortable by name or time. */
export function SpeakerStatsDialog({ conference, selfId, onClose }: Props) {
  const { t, language } = useI18n();
  const [stats, setStats] = useState<SpeakerStat[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [sort, setSort] = useState<{ column: Column; direction: Direction }>({ column: 'time', direction: 'descending' });

  useEffect(() => {
    let live = true;
    const refresh = async () => {
      try {
        const next = await conference.speakerStats();
        if (!live) return;
        setStats(next);
        setError(undefined);
      } catch (err) {
        if (live) setError(messageOf(err));
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [conference]);

  const nameOf = (stat: SpeakerStat) => stat.displayName || t('common.guest');
  const rows = [...(stats ?? [])].sort((a, b) => {
    const byName = nameOf(a).localeCompare(nameOf(b), language);
    const order = sort.column === 'name' ? byName : a.speakingMs - b.speakingMs || byName;
    return sort.direction === 'ascending' ? order : -order;
  });
  const sortBy = (column: Column, first: Direction) =>
    setSort((current) =>
      current.column === column ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: first },
    );

  return (
    <Dialog
      className="speaker-stats"
      title={t('speakerStats.title')}
      closeLabel={t('speakerStats.close')}
      testId="speaker-stats"
      onClose={onClose}
    >
      {error && (
        <p class="speaker-stats__error" role="alert">
          {t('speakerStats.failed', { message: error })}
        </p>
      )}
      {stats === undefined ? (
        !error && <p class="speaker-stats__loading">{t('speakerStats.loading')}</p>
      ) : (
        <table class="speaker-stats__table">
          <thead>
            <tr>
              {COLUMNS.map(({ column, label, first }) => (
                <th key={column} scope="col" aria-sort={sort.column === column ? sort.direction : 'none'} class={`speaker-stats__th--${column}`}>
                  <button type="button" class="speaker-stats__sort" data-testid={`speaker-stats-sort-${column}`} onClick={() => sortBy(column, first)}>
                    {t(label)}
                    <span aria-hidden="true">{sort.column === column ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((stat) => (
              <tr
                key={stat.participantId}
                class={stat.present ? undefined : 'speaker-stats__row--left'}
                data-testid="speaker-stats-row"
                data-participant-id={stat.participantId}
                data-present={String(stat.present)}
                data-speaking={String(stat.speakingNow)}
              >
                <td>
                  <span data-testid="speaker-stats-name">{stat.participantId === selfId ? t('common.selfName', { name: nameOf(stat) }) : nameOf(stat)}</span>
                  {stat.speakingNow && (
                    <span class="speaker-stats__tag speaker-stats__tag--now" data-testid="speaker-stats-speaking">
                      {t('speakerStats.speakingNow')}
                    </span>
                  )}
                  {!stat.present && (
                    <span class="speaker-stats__tag" data-testid="speaker-stats-left">
                      {t('speakerStats.left')}
                    </span>
                  )}
                </td>
                <td class="speaker-stats__time" data-testid="speaker-stats-time">
                  {talkTime(stat.speakingMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
