import { useEffect, useRef } from 'preact/hooks';
import { shortcutOf, type ShortcutAction } from './shortcuts.js';

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>;

/**
 * Listens for the call's keyboard shortcuts on the whole page. Actions without a
 * handler (say, screen sharing on a phone) leave their key alone.
 */
export function useShortcuts(handlers: ShortcutHandlers): void {
  // The latest handlers, without re-adding the listener on every render.
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutOf(event);
      const handler = action && current.current[action];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
