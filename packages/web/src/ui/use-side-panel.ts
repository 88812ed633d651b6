import { useEffect, useRef } from 'preact/hooks';

/** A side panel takes the focus when it opens and closes on Escape (unless something inside handled the key). */
export function useSidePanel<T extends HTMLElement>(onClose: () => void) {
  const panel = useRef<T>(null);
  useEffect(() => {
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return panel;
}
