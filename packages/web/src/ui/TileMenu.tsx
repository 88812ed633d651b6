import type { Role } from '@tertulia/protocol';
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CameraIcon, ChatIcon, HandIcon, MicIcon, MoreIcon, StarIcon, UserRemoveIcon } from './icons.js';
import { useI18n } from '../i18n/i18n.js';
import { MenuItem } from './MenuItem.js';
import { moveMenuFocus } from './menu-keys.js';
import { interceptMenuClick } from './notify-clicks.js';
import { useAnchoredPopup } from './use-anchored-popup.js';
import type { Moderate } from './moderation.js';

interface Props {
  participantId: string;
  name: string;
  role: Role | undefined;
  /** The person's hand is up: the menu offers to lower it. */
  handRaised: boolean;
  /** A moderator stopped the person's chat: the menu offers to allow it again. */
  chatMuted: boolean;
  /** In a list row (the participants pane) rather than over a tile's corner. */
  inline?: boolean;
  /** Which of audio and video need a moderator's approval. */
  avModeration: { audio: boolean; video: boolean };
  moderate: Moderate;
}

/**
 * Moderators: a button on someone's tile opening what can be done to them.
 * The menu is fixed to the viewport so a small tile does not clip it.
 */
export function TileMenu({ participantId, name, role, handRaised, chatMuted, inline = false, avModeration, moderate }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [confirmKick, setConfirmKick] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = `tile-menu-${participantId}`;

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    setConfirmKick(false);
    if (refocus) button.current?.focus();
  }, []);

  useAnchoredPopup(open, button, menu, close);
  // Once placed, the first item (or the kick confirmation) takes focus.
  useLayoutEffect(() => {
    if (!open) return;
    const target = confirmKick ? '[data-testid="tile-kick-confirm"]' : '[role="menuitem"]';
    menu.current?.querySelector<HTMLElement>(target)?.focus();
  }, [open, confirmKick]);

  /** Arrow keys, Home and End move between items; Tab leaves the menu. */
  const onMenuKey = (event: KeyboardEvent) => {
    if (!moveMenuFocus(event, menu.current) && event.key === 'Tab') close(false);
  };

  const act: Moderate = (method, data, success) => {
    close(true);
    return moderate(method, data, success);
  };

  return (
    <div class={inline ? 'tile__menu tile__menu--inline' : 'tile__menu'}>
      <button
        type="button"
        ref={button}
        class="tile__menu-button"
        data-testid="tile-menu-button"
        aria-label={t('moderation.moderatePerson', { name })}
        title={t('moderation.moderatePerson', { name })}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        <MoreIcon />
      </button>
      {open && (
        <div class="menu" role="menu" id={menuId} aria-label={t('moderation.moderatePerson', { name })} ref={menu} data-testid="tile-menu" onKeyDown={onMenuKey} onClickCapture={interceptMenuClick(participantId)}>
          {handRaised && (
            <MenuItem testId="tile-lower-hand" icon={<HandIcon />} onSelect={() => act('lowerHand', { participantId })}>
              {t('hands.lower')}
            </MenuItem>
          )}
          <MenuItem testId="tile-mute" icon={<MicIcon off />} onSelect={() => act('muteParticipant', { participantId, kind: 'audio' })}>
            {t('moderation.mute')}
          </MenuItem>
          <MenuItem testId="tile-stop-video" icon={<CameraIcon off />} onSelect={() => act('muteParticipant', { participantId, kind: 'video' })}>
            {t('moderation.stopVideo')}
          </MenuItem>
          <MenuItem
            testId="tile-ask-unmute"
            icon={<HandIcon />}
            onSelect={() => act('askToUnmute', { participantId }, { key: 'moderation.askedUnmute', params: { name } })}
          >
            {t('moderation.askUnmute')}
          </MenuItem>
          {avModeration.audio && (
            <MenuItem
              testId="tile-allow-audio"
              icon={<MicIcon />}
              onSelect={() => act('approveMedia', { participantId, kind: 'audio', approved: true }, { key: 'moderation.allowedMic', params: { name } })}
            >
              {t('moderation.allowMic')}
            </MenuItem>
          )}
          {avModeration.video && (
            <MenuItem
              testId="tile-allow-video"
              icon={<CameraIcon />}
              onSelect={() => act('approveMedia', { participantId, kind: 'video', approved: true }, { key: 'moderation.allowedCamera', params: { name } })}
            >
              {t('moderation.allowCamera')}
            </MenuItem>
          )}
          {role !== 'moderator' && (
            <MenuItem
              testId="tile-make-moderator"
              icon={<StarIcon />}
              onSelect={() => act('grantModerator', { participantId }, { key: 'moderation.madeModerator', params: { name } })}
            >
              {t('moderation.makeModerator')}
            </MenuItem>
          )}
          <MenuItem
            testId={chatMuted ? 'tile-allow-chat' : 'tile-stop-chat'}
            icon={<ChatIcon />}
            onSelect={() =>
              act('setChatMuted', { participantId, muted: !chatMuted }, t(chatMuted ? 'participants.chatAllowedFor' : 'participants.chatStoppedFor', { name }))
            }
          >
            {t(chatMuted ? 'participants.allowChat' : 'participants.stopChat')}
          </MenuItem>
          <div class="menu__separator" role="separator" />
          {confirmKick ? (
            <MenuItem testId="tile-kick-confirm" icon={<UserRemoveIcon />} danger strong onSelect={() => act('kick', { participantId })}>
              {t('moderation.removePerson', { name })}
            </MenuItem>
          ) : (
            <MenuItem testId="tile-kick" icon={<UserRemoveIcon />} danger onSelect={() => setConfirmKick(true)}>
              {t('moderation.removeFromMeeting')}
            </MenuItem>
          )}
        </div>
      )}
    </div>
  );
}
