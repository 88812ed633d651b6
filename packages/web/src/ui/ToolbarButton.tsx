import type { ComponentChildren, JSX } from 'preact';
import { useI18n } from '../i18n/i18n.js';
import { shortcutKey, type ShortcutAction } from './shortcuts.js';

interface Props extends JSX.HTMLAttributes<HTMLButtonElement> {
  label: string;
  testId: string;
  /** Toggles pass their state; plain buttons leave it out. */
  pressed?: boolean;
  variant?: 'default' | 'off' | 'active' | 'danger';
  /** The keyboard shortcut doing the same, shown in the tooltip and told to assistive technology. */
  shortcut?: ShortcutAction;
  children: ComponentChildren;
}

/** A round toolbar button with an icon, its name for assistive technology, and a tooltip. */
export function ToolbarButton({ label, testId, pressed, variant = 'default', shortcut, children, ...rest }: Props) {
  const { t } = useI18n();
  const key = shortcut && shortcutKey(shortcut);
  return (
    <button
      type="button"
      class={`round-button round-button--${variant}`}
      aria-label={label}
      title={key ? t('shortcuts.withKey', { label, key }) : label}
      aria-keyshortcuts={key}
      aria-pressed={pressed === undefined ? undefined : pressed}
      data-testid={testId}
      {...rest}
    >
      {children}
    </button>
  );
}
