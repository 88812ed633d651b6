import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

const MARGIN_PX = 8;

/**
 * A popup fixed to the viewport beside the button that opened it, so a small tile
 * does not clip it: under the button's right edge (above it when there is no room
 * below), placed again on every render while open since its content may change
 * size. It closes on a click elsewhere, on Escape (handing focus back to the
 * button), and when the page scrolls or resizes, which would leave it floating away.
 */
export function useAnchoredPopup(open: boolean, anchor: RefObject<HTMLElement>, popup: RefObject<HTMLElement>, close: (refocus: boolean) => void): void {
  useLayoutEffect(() => {
    const element = popup.current;
    const button = anchor.current;
    if (!open || !element || !button) return;
    const rect = button.getBoundingClientRect();
    const { offsetWidth: width, offsetHeight: height } = element;
    const below = rect.bottom + 4;
    const top = below + height <= window.innerHeight - MARGIN_PX ? below : Math.max(MARGIN_PX, rect.top - 4 - height);
    const left = Math.min(Math.max(MARGIN_PX, rect.right - width), window.innerWidth - width - MARGIN_PX);
    element.style.top = `${top}px`;
    element.style.left = `${Math.max(MARGIN_PX, left)}px`;
    element.style.visibility = 'visible';
  });

  // A layout effect, so Escape and outside clicks work from the moment the popup shows (an effect
  // waits for a frame, which a busy page may not give soon: the tile menu's Escape was lost).
  useLayoutEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !popup.current?.contains(target) && !anchor.current?.contains(target)) close(false);
    };
    // Captured so that panels listening for Escape on the document can tell it was handled here.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      close(true);
    };
    const onMove = () => close(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open, close, anchor, popup]);
}
