import type { MessageKey } from '../i18n/i18n.js';
import { toolbarButtonShown } from './toolbar-buttons.js';

export type ShortcutAction = 'mic' | 'camera' | 'screen' | 'hand' | 'chat' | 'speakerStats' | 'tileView' | 'participants' | 'help';

export interface Shortcut {
  action: ShortcutAction;
  /** What the person presses, as `KeyboardEvent.key` reports it (letters upper-case). */
  key: string;
  description: MessageKey;
  /** The toolbar button (its test id) the key stands for: a page that hides the button takes the key away too. */
  button?: string;
}

/**
 * Every keyboard shortcut of the call, with Jitsi Meet's keys so people used to it
 * feel at home. The key handler, the help overlay and the buttons' tooltips all
 * read this list, so they cannot disagree.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'mic', key: 'M', description: 'shortcuts.mic', button: 'toggle-mic' },
  { action: 'camera', key: 'V', description: 'shortcuts.camera', button: 'toggle-camera' },
  { action: 'screen', key: 'D', description: 'shortcuts.screen', button: 'toggle-screen' },
  { action: 'hand', key: 'R', description: 'shortcuts.hand', button: 'toggle-hand' },
  { action: 'chat', key: 'C', description: 'shortcuts.chat', button: 'toggle-chat' },
  { action: 'speakerStats', key: 'T', description: 'shortcuts.speakerStats', button: 'toggle-speaker-stats' },
  { action: 'tileView', key: 'W', description: 'shortcuts.tileView', button: 'toggle-tile-view' },
  { action: 'participants', key: 'P', description: 'shortcuts.participants', button: 'toggle-participants' },
  { action: 'help', key: '?', description: 'shortcuts.help' },
];

/** Whether the page's config leaves this shortcut on (its button shows, or it has none). */
export function shortcutAvailable(shortcut: Shortcut): boolean {
  return shortcut.button === undefined || toolbarButtonShown(shortcut.button);
}

export function shortcutKey(action: ShortcutAction): string {
  return SHORTCUTS.find((s) => s.action === action)?.key ?? '';
}

/**
 * The action a key press asks for, or undefined when it is no shortcut: typing in
 * a field, a modifier held (Ctrl+C must still copy), a held-down key repeating,
 * focus inside a modal dialog, whose keys are its own, or a key whose button the
 * page hid (`toolbarButtons`, `participantsPane.enabled`).
 */
export function shortcutOf(event: KeyboardEvent): ShortcutAction | undefined {
  if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey) return undefined;
  if (event.target instanceof Element && (isTypingTarget(event.target) || event.target.closest('[aria-modal="true"]'))) return undefined;
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  return SHORTCUTS.find((s) => s.key === key && shortcutAvailable(s))?.action;
}

function isTypingTarget(element: Element): boolean {
  return element.matches('input, textarea, select') || (element instanceof HTMLElement && element.isContentEditable);
}
