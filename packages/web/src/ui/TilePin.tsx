import { useI18n } from '../i18n/i18n.js';
import { PinIcon } from './icons.js';

/** The pin toggle in a tile's corner: shown on hover and keyboard focus, and while pinned. */
export function TilePin({ name, pinned, onToggle }: { name: string; pinned: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      class="tile__pin"
      data-testid="tile-pin"
      aria-label={t('views.pin', { name })}
      title={t(pinned ? 'views.unpin' : 'views.pin', { name })}
      aria-pressed={pinned}
      onClick={onToggle}
    >
      <PinIcon />
    </button>
  );
}
