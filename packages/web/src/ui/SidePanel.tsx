import type { ComponentChildren } from 'preact';
import { PanelHeader } from './PanelHeader.js';
import { useSidePanel } from './use-side-panel.js';

interface Props {
  /** The panel's element id (toolbar buttons point at it with aria-controls); the title's id derives from it. */
  id: string;
  title: string;
  closeLabel: string;
  testId: string;
  /** The panel's own class, next to `side-panel`. */
  className: string;
  onClose: () => void;
  children: ComponentChildren;
}

/** A side panel above the toolbar: a titled header with a close button, then its body. Takes the focus on open; Escape closes it. */
export function SidePanel({ id, title, closeLabel, testId, className, onClose, children }: Props) {
  const panel = useSidePanel<HTMLElement>(onClose);
  const titleId = `${id}-title`;
  return (
    <aside class={`side-panel ${className}`} id={id} aria-labelledby={titleId} data-testid={testId} ref={panel} tabIndex={-1}>
      <PanelHeader titleId={titleId} title={title} closeLabel={closeLabel} onClose={onClose} />
      <div class="side-panel__body">{children}</div>
    </aside>
  );
}
