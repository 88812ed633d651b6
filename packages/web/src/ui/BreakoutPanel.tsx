import { Limits, type BreakoutRoom } from '@tertulia/protocol';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t as translate, useI18n } from '../i18n/i18n.js';
import type { Moderate } from './moderation.js';
import { pageConfig } from '../config/page-config.js';
import { SidePanel } from './SidePanel.js';

type Person = BreakoutRoom['participants'][number];

interface Props {
  rooms: BreakoutRoom[];
  /** The breakout room this person is in, or null in the main room. */
  current: { id: string; name: string } | null;
  selfId: string | undefined;
  /** Who is in the main room, this person included; only known from there. */
  mainRoom: Person[];
  /** Moderators get the room controls; undefined for everyone else. */
  moderate: Moderate | undefined;
  /** Into a breakout room, or back to the main room with null. */
  onJoin: (roomId: string | null) => Promise<unknown>;
  onClose: () => void;
}

/**
 * The breakout rooms side panel: every room and who is in it, a way into each and
 * back to the main room; moderators add, remove and empty rooms, auto-assign, and
 * send anyone to any room.
 */
export function BreakoutPanel({ rooms, current, selfId, mainRoom, moderate, onJoin, onClose }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  /** One action at a time; the controls wait for the server's answer. */
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    void action().finally(() => setBusy(false));
  };
  const occupied = rooms.some((room) => room.participants.length > 0);

  const people = (list: Person[], at: string | null) =>
    list.length === 0 ? (
      <p class="breakouts__empty">{t('breakout.nobody')}</p>
    ) : (
      <ul class="breakouts__people">
        {list.map((person) => {
          const name = person.displayName || t('common.guest');
          return (
            <li key={person.id} class="breakouts__person" data-testid="breakout-person" data-participant-id={person.id}>
              <span class="breakouts__name">{person.id === selfId ? t('common.selfName', { name }) : name}</span>
              {moderate && (
                <SendTo
                  person={person}
                  name={name}
                  at={at}
                  rooms={rooms}
                  disabled={busy}
                  onSend={(roomId) => run(() => moderate('sendToBreakoutRoom', { participantId: person.id, roomId }))}
                />
              )}
            </li>
          );
        })}
      </ul>
    );

  return (
    <SidePanel
      id="breakouts-panel"
      className="breakouts"
      testId="breakouts-panel"
      title={t('breakout.title')}
      closeLabel={t('breakout.closePanel')}
      onClose={onClose}
    >
      {current && (
        <section class="moderation__section">
          <p class="breakouts__current" data-testid="breakout-current">
            {t('breakout.youAreIn', { room: current.name })}
          </p>
          <button type="button" class="button button--small" data-testid="breakout-leave" disabled={busy} onClick={() => run(() => onJoin(null))}>
            {t('breakout.leave')}
          </button>
        </section>
      )}
      {moderate && (
        <section class="moderation__section">
          <div class="moderation__buttons">
            {!pageConfig().hideAddBreakoutRoomButton && (
              <button
                type="button"
                class="button moderation__button"
                data-testid="breakout-add"
                disabled={busy || rooms.length >= Limits.maxBreakoutRooms}
                onClick={() => run(() => moderate('createBreakoutRoom', { name: nextRoomName(rooms) }))}
              >
                {t('breakout.add')}
              </button>
            )}
            <button
              type="button"
              class="button moderation__button"
              data-testid="breakout-auto-assign"
              aria-describedby="breakouts-auto-hint"
              disabled={busy || rooms.length === 0}
              onClick={() => run(() => moderate('autoAssignBreakoutRooms', {}, t('breakout.done.autoAssigned')))}
            >
              {t('breakout.autoAssign')}
            </button>
            <p class="moderation__hint" id="breakouts-auto-hint">
              {t('breakout.autoAssignHint')}
            </p>
            <button
              type="button"
              class="button moderation__button"
              data-testid="breakout-close-all"
              aria-describedby="breakouts-close-hint"
              disabled={busy || !occupied}
              onClick={() => run(() => moderate('closeBreakoutRooms', {}, t('breakout.done.closed')))}
            >
              {t('breakout.closeAll')}
            </button>
            <p class="moderation__hint" id="breakouts-close-hint">
              {t('breakout.closeAllHint')}
            </p>
          </div>
        </section>
      )}
      {!current && (
        <Room id={null} name={t('breakout.mainRoom')} count={mainRoom.length}>
          {people(mainRoom, null)}
        </Room>
      )}
      {rooms.length === 0 && <p class="breakouts__empty">{t('breakout.none')}</p>}
      {rooms.map((room) => (
        <Room key={room.id} id={room.id} name={room.name} count={room.participants.length}>
          <div class="moderation__buttons--row breakouts__actions">
            {room.id !== current?.id && (
              <button
                type="button"
                class="button button--small"
                data-testid="breakout-join"
                aria-label={t('breakout.joinRoom', { room: room.name })}
                disabled={busy}
                onClick={() => run(() => onJoin(room.id))}
              >
                {t('breakout.join')}
              </button>
            )}
            {moderate && room.participants.length > 0 && (
              <button
                type="button"
                class="button button--small"
                data-testid="breakout-send-back"
                aria-label={t('breakout.closeRoom', { room: room.name })}
                disabled={busy}
                onClick={() => run(() => moderate('closeBreakoutRooms', { roomId: room.id }))}
              >
                {t('breakout.sendBack')}
              </button>
            )}
            {moderate && (
              <button
                type="button"
                class="button button--small button--danger-outline"
                data-testid="breakout-remove"
                aria-label={t('breakout.removeRoom', { room: room.name })}
                disabled={busy}
                onClick={() => run(() => moderate('removeBreakoutRoom', { roomId: room.id }))}
              >
                {t('breakout.remove')}
              </button>
            )}
          </div>
          {people(room.participants, room.id)}
        </Room>
      ))}
    </SidePanel>
  );
}

/** One room: its name and head count, then what goes in it. */
function Room({ id, name, count, children }: { id: string | null; name: string; count: number; children: ComponentChildren }) {
  const { t } = useI18n();
  const headingId = `breakout-room-${id ?? 'main'}`;
  return (
    <section class="moderation__section breakouts__room" data-testid="breakout-room" data-room-id={id ?? ''} aria-labelledby={headingId}>
      <div class="breakouts__room-header">
        <h3 class="breakouts__room-name" id={headingId}>
          {name}
        </h3>
        <span class="breakouts__count">{t('breakout.people', { count })}</span>
      </div>
      {children}
    </section>
  );
}

interface SendToProps {
  person: Person;
  name: string;
  /** The room the person is in: a breakout room's id, or null for the main room. */
  at: string | null;
  rooms: BreakoutRoom[];
  disabled: boolean;
  onSend: (roomId: string | null) => void;
}

/** Moderators: a choice of room for one person; choosing moves them. */
function SendTo({ person, name, at, rooms, disabled, onSend }: SendToProps) {
  const { t } = useI18n();
  const id = `breakout-send-${person.id}`;
  return (
    <>
      <label class="sr-only" for={id}>
        {t('breakout.sendTo', { name })}
      </label>
      <select
        id={id}
        class="select select--small breakouts__send"
        data-testid="breakout-send-to"
        value={at ?? ''}
        disabled={disabled}
        onChange={(event) => onSend(event.currentTarget.value || null)}
      >
        <option value="">{t('breakout.mainRoom')}</option>
        {rooms.map((room) => (
          <option key={room.id} value={room.id}>
            {room.name}
          </option>
        ))}
      </select>
    </>
  );
}

/** "Room N" in the moderator's language, with the first N no room is already called. */
function nextRoomName(rooms: BreakoutRoom[]): string {
  const taken = new Set(rooms.map((room) => room.name));
  let number = rooms.length + 1;
  while (taken.has(translate('breakout.defaultName', { number }))) number += 1;
  return translate('breakout.defaultName', { number });
}
