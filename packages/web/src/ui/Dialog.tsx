import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { PanelHeader } from './PanelHeader.js';

interface Props {
  /** The dialog's own class, next to `dialog`. */
  className: string;
  title: string;
  closeLabel: string;
  /** Its data-testid; the title's id derives from it. */
  testId: string;
  /** The id of an element that says what the dialog is for. */
  describedBy?: string;
  /** A key that closes it besides Escape (the one that opened it, say). */
  closeKey?: string;
  onClose: () => void;
  children: ComponentChildren;
}

/**
 * A modal dialog over a dimmed backdrop: a titled header with a close button, then its content.
 * Escape, the close button or a click on the backdrop closes it.
 */
export function Dialog({ className, title, closeLabel, testId, describedBy, closeKey, onClose, children }: Props) {
  const dialog = useRef<HTMLDivElement>(null);
  const titleId = `${testId}-title`;

  // Focus moves into the dialog and goes back where it was when the dialog closes. A layout
  // effect, so Escape works from the moment the dialog shows (an effect waits for a frame).
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      // The page's own shortcuts do not reach into a modal dialog, so its closing key is handled here.
      if (event.key !== 'Escape' && event.key !== closeKey) return;
      event.preventDefault();
      onClose();
    };
    // Captured, so that a side panel listening for Escape underneath stays open.
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      previous?.focus();
    };
  }, [onClose, closeKey]);

  return (
    <div class="dialog-backdrop" onPointerDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        class={`dialog ${className}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        ref={dialog}
        data-testid={testId}
      >
        <PanelHeader titleId={titleId} title={title} closeLabel={closeLabel} onClose={onClose} />
        {children}
      </div>
    </div>
  );
}
