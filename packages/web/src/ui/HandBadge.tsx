import { useI18n } from '../i18n/i18n.js';
import { HandIcon } from './icons.js';

/** A raised hand on a tile, with the person's place in the queue. */
export function HandBadge({ position }: { position: number }) {
  const { t } = useI18n();
  const label = t('hands.badge', { position });
  return (
    <span class="tile__hand" data-testid="hand-badge" data-position={position} role="img" aria-label={label} title={label}>
      <HandIcon />
      <span aria-hidden="true">{position}</span>
    </span>
  );
}
