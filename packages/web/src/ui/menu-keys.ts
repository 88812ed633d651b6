/** Which way each key moves focus in a menu: next, previous, first, last. */
const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (i) => i + 1,
  ArrowRight: (i) => i + 1,
  ArrowUp: (i) => i - 1,
  ArrowLeft: (i) => i - 1,
  Home: () => 0,
  End: (_, count) => count - 1,
};

/**
 * Moves focus between a menu's items with the arrow keys (wrapping), Home and End.
 * Returns whether the key was one of those, so callers can handle the rest (Tab, Escape).
 */
export function moveMenuFocus(event: KeyboardEvent, menu: HTMLElement | null): boolean {
  const move = MOVES[event.key];
  const items = [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  if (!move || items.length === 0) return false;
  event.preventDefault();
  const next = move(items.indexOf(document.activeElement as HTMLElement), items.length);
  items[(next + items.length) % items.length]?.focus();
  return true;
}
