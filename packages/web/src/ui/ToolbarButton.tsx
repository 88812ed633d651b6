import type { ComponentChildren, JSX } from 'preact';
import { useI18n } from '../i18n/i18n.js';
import { shortcutKey, type ShortcutAction } from './shortcuts.js';
import { toolbarButtonShown } from './toolbar-buttons.js';

interface Props extends JSX.HTMLAttributes<HTMLButtonElement> {
  label: string;
  testId: string;
  /** Toggles pass their state; plain buttons leave it out. */
  pressed?: boolean;
  /** Buttons that open a panel, dialog or menu pass whether it is open. */
  expanded?: boolean;
  /** The id of the element it opens, pointed at while open. */
  controls?: string;
  /** Highlighted ('active') while pressed or expanded unless given. */
  variant?: 'default' | 'off' | 'active' | 'danger';
  /** The keyboard shortcut doing the same, shown in the tooltip and told to assistive technology. */
  shortcut?: ShortcutAction;
  children: ComponentChildren;
}

/** A round toolbar button with an icon, its name for assistive technology, and a tooltip. */
export function ToolbarButton({ label, testId, pressed, expanded, controls, variant, shortcut, children, ...rest }: Props) {
  const { t } = useI18n();
  // The embedder's `toolbarButtons` (and disableReactions, …) leave buttons out of the meeting toolbar.
  if (!toolbarButtonShown(testId)) return null;
  const key = shortcut && shortcutKey(shortcut);
  const shown = variant ?? (pressed || expanded ? 'active' : 'default');
  return (
    <button
      type="button"
      class={`round-button round-button--${shown}`}
      aria-label={label}
      title={key ? t('shortcuts.withKey', { label, key }) : label}
      aria-keyshortcuts={key}
      aria-pressed={pressed}
      aria-expanded={expanded}
      aria-controls={expanded ? controls : undefined}
      data-testid={testId}
      {...rest}
    >
      {children}
    </button>
  );
}

/** A count on a toolbar button (unread messages, new polls); nothing at zero. The button's label says it for assistive technology. */
export function CountBadge({ count, testId }: { count: number; testId: string }) {
  if (count <= 0) return null;
  return (
    <span class="badge" data-testid={testId} aria-hidden="true">
      {count > 99 ? '99+' : count}
    </span>
  );
}
