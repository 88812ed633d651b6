import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import { CameraIcon, ChatIcon, HandIcon, MicIcon, StarIcon } from './icons.js';
import type { Moderate } from './moderation.js';
import { nameMatches, type Person } from './participants.js';
import { SidePanel } from './SidePanel.js';
import { TileMenu } from './TileMenu.js';

interface Props {
  people: Person[];
  /** Moderators get actions on each person; undefined for everyone else. */
  moderation: { moderate: Moderate; avModeration: { audio: boolean; video: boolean } } | undefined;
  onClose: () => void;
  /** More sections below the people (breakout rooms, for instance). */
  children?: ComponentChildren;
}

/**
 * The participants pane: everyone in the meeting with their role, microphone,
 * camera and raised hand (the hand queue first), a name search, and moderators'
 * actions. Built from sections, so other features can add theirs.
 */
export function ParticipantsPane({ people, moderation, onClose, children }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');

  const shown = people.filter((person) => nameMatches(displayed(person, t), query));
  const handsUp = people.some((person) => person.handPosition !== undefined);

  return (
    <SidePanel
      id="participants-panel"
      className="participants"
      testId="participants-pane"
      title={t('participants.title')}
      closeLabel={t('participants.close')}
      onClose={onClose}
    >
      <section class="participants__section" aria-labelledby="participants-people">
        <input
          type="search"
          class="input participants__search"
          aria-label={t('participants.search')}
          placeholder={t('participants.searchPlaceholder')}
          value={query}
          data-testid="participants-search"
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Escape empties the search first; a second Escape closes the pane.
            if (event.key === 'Escape' && query) {
              event.preventDefault();
              setQuery('');
            }
          }}
        />
        <div class="participants__heading-row">
          <h3 class="participants__heading" id="participants-people">
            {t('participants.inMeeting', { count: people.length })}
          </h3>
          {moderation && handsUp && (
            <button
              type="button"
              class="button button--small"
              data-testid="lower-all-hands"
              onClick={() => void moderation.moderate('lowerHand', {}, t('participants.handsLowered'))}
            >
              <HandIcon />
              {t('participants.lowerAllHands')}
            </button>
          )}
        </div>
        <ul class="participants__list">
          {shown.map((person) => (
            <PersonRow key={person.id} person={person} moderation={person.self ? undefined : moderation} />
          ))}
        </ul>
        {shown.length === 0 && (
          <p class="participants__empty" data-testid="participants-no-match">
            {t('participants.noMatch', { query: query.trim() })}
          </p>
        )}
      </section>
      {children}
    </SidePanel>
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

/** The name as the pane shows (and searches) it. */
function displayed(person: Person, t: Translate): string {
  const name = person.name || t('common.guest');
  return person.self ? t('common.selfName', { name }) : name;
}

function PersonRow({ person, moderation }: { person: Person; moderation: Props['moderation'] }) {
  const { t } = useI18n();
  const { id, role, audioMuted, videoMuted, chatMuted, handPosition } = person;
  const name = person.name || t('common.guest');
  return (
    <li
      class="participants__row"
      data-testid="participant-row"
      data-participant-id={id}
      data-self={String(person.self)}
      data-role={role}
      data-audio-muted={String(audioMuted)}
      data-video-muted={String(videoMuted)}
      data-hand-position={handPosition}
    >
      <span class="participants__who">
        <span class="participants__name" data-testid="participant-name">
          {displayed(person, t)}
        </span>
        <span class="participants__badges">
          {handPosition !== undefined && (
            <Badge testId="participant-hand" label={t('participants.handRaised', { position: handPosition })} tone="hand">
              <HandIcon />
              <span aria-hidden="true">{handPosition}</span>
            </Badge>
          )}
          {role === 'moderator' && (
            <Badge testId="participant-moderator" label={t('participants.moderator')} tone="role">
              <StarIcon />
            </Badge>
          )}
          {chatMuted && (
            <Badge testId="participant-chat-muted" label={t('participants.chatStopped')} tone="off">
              <ChatIcon />
            </Badge>
          )}
          <Badge testId="participant-mic" label={t(audioMuted ? 'participants.micOff' : 'participants.micOn')} tone={audioMuted ? 'off' : 'on'}>
            <MicIcon off={audioMuted} />
          </Badge>
          <Badge testId="participant-camera" label={t(videoMuted ? 'participants.cameraOff' : 'participants.cameraOn')} tone={videoMuted ? 'off' : 'on'}>
            <CameraIcon off={videoMuted} />
          </Badge>
        </span>
      </span>
      {moderation && (
        <span class="participants__actions">
          {handPosition !== undefined && (
            <button
              type="button"
              class="button button--small"
              data-testid="participant-lower-hand"
              aria-label={t('participants.lowerHandOf', { name })}
              onClick={() => void moderation.moderate('lowerHand', { participantId: id }, t('participants.handLowered', { name }))}
            >
              {t('participants.lowerHand')}
            </button>
          )}
          <TileMenu
            participantId={id}
            name={name}
            role={role}
            handRaised={handPosition !== undefined}
            chatMuted={chatMuted}
            avModeration={moderation.avModeration}
            moderate={moderation.moderate}
            inline
          />
        </span>
      )}
    </li>
  );
}

function Badge({ testId, label, tone, children }: { testId: string; label: string; tone: 'on' | 'off' | 'role' | 'hand'; children: ComponentChildren }) {
  return (
    <span class={`participants__badge participants__badge--${tone}`} data-testid={testId} role="img" aria-label={label} title={label}>
      {children}
    </span>
  );
}
