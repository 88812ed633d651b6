import type { ComponentChildren } from 'preact';

interface Props {
  testId: string;
  icon: ComponentChildren;
  danger?: boolean;
  /** Filled in red: the confirming step of something that cannot be undone. */
  strong?: boolean;
  /**
   * Why it cannot be used now, or undefined when it can. The item stays focusable
   * (aria-disabled, not disabled) so keyboard and screen reader users learn why too.
   */
  unavailable?: string | undefined;
  onSelect: () => unknown;
  children: ComponentChildren;
}

/** An item of a popup menu (a tile's moderation menu, the recording menu). */
export function MenuItem({ testId, icon, danger = false, strong = false, unavailable, onSelect, children }: Props) {
  const classes = ['menu__item', danger ? 'menu__item--danger' : '', strong ? 'menu__item--strong' : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      class={classes}
      data-testid={testId}
      aria-disabled={unavailable !== undefined}
      title={unavailable}
      aria-description={unavailable}
      onClick={() => unavailable === undefined && void onSelect()}
    >
      {icon}
      <span class="menu__label">{children}</span>
    </button>
  );
}
