import type { ComponentChildren, JSX } from 'preact';

interface Props extends JSX.HTMLAttributes<HTMLButtonElement> {
  label: string;
  testId: string;
  /** Toggles pass their state; plain buttons leave it out. */
  pressed?: boolean;
  variant?: 'default' | 'off' | 'active' | 'danger';
  children: ComponentChildren;
}

/** A round toolbar button with an icon, its name for assistive technology, and a tooltip. */
export function ToolbarButton({ label, testId, pressed, variant = 'default', children, ...rest }: Props) {
  return (
    <button
      type="button"
      class={`round-button round-button--${variant}`}
      aria-label={label}
      title={label}
      aria-pressed={pressed === undefined ? undefined : pressed}
      data-testid={testId}
      {...rest}
    >
      {children}
    </button>
  );
}
