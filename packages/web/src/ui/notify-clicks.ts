import type { JSX } from 'preact';
import { meetingEvents } from './meeting-controls.js';
import { JITSI_BUTTON_NAME } from './toolbar-buttons.js';

/**
 * Jitsi's `buttonsWithNotifyClick` and `participantMenuButtonsWithNotifyClick`:
 * a click on a listed button is reported to the embedding page, and the button's
 * own action is held back when the entry says so (a bare name: held back).
 */
export type NotifyClicks = ReadonlyMap<string, boolean>;

/** Jitsi's participant menu keys, by the test id of the tile menu's item. */
const MENU_KEYS: Record<string, string> = {
  'tile-mute': 'mute',
  'tile-stop-video': 'mute-video',
  'tile-ask-unmute': 'ask-unmute',
  'tile-allow-video': 'allow-video',
  'tile-make-moderator': 'grant-moderator',
  'tile-kick': 'kick',
  'tile-kick-confirm': 'kick',
};

const configured = { toolbar: new Map<string, boolean>() as NotifyClicks, menu: new Map<string, boolean>() as NotifyClicks };

/** Set once by the iframe bridge: the clicks only matter to an embedding page. */
export function configureNotifyClicks(toolbar: NotifyClicks, menu: NotifyClicks): void {
  configured.toolbar = toolbar;
  configured.menu = menu;
}

/** A capture-phase click handler for a group of buttons: reports listed ones and stops those held back before their own handler runs. */
function interceptor(keys: Readonly<Record<string, string>>, list: () => NotifyClicks, report: (key: string, prevent: boolean) => void) {
  return (event: JSX.TargetedMouseEvent<HTMLElement>) => {
    const button = (event.target as Element | null)?.closest('[data-testid]');
    const key = button ? keys[button.getAttribute('data-testid') ?? ''] : undefined;
    const prevent = key === undefined ? undefined : list().get(key);
    if (key === undefined || prevent === undefined) return;
    report(key, prevent);
    if (prevent) {
      event.stopPropagation();
      event.preventDefault();
    }
  };
}

export const interceptToolbarClick = interceptor(JITSI_BUTTON_NAME, () => configured.toolbar, (key, prevent) => meetingEvents.announce('toolbarButtonClicked', key, prevent));

export function interceptMenuClick(participantId: string) {
  return interceptor(MENU_KEYS, () => configured.menu, (key, prevent) => meetingEvents.announce('participantMenuButtonClick', key, participantId, prevent));
}
