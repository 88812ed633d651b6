import { CloseIcon } from './icons.js';

interface Props {
  titleId: string;
  title: string;
  closeLabel: string;
  onClose: () => void;
}

/** The top of a side panel or dialog: its title, which names it, and a close button. */
export function PanelHeader({ titleId, title, closeLabel, onClose }: Props) {
  return (
    <header class="side-panel__header">
      <h2 class="side-panel__title" id={titleId}>
        {title}
      </h2>
      <button type="button" class="icon-button" aria-label={closeLabel} title={closeLabel} onClick={onClose}>
        <CloseIcon />
      </button>
    </header>
  );
}
