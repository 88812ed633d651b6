import { useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import type { TileModel } from './Tile.js';
import { ControlledTile, type TileControls } from './tile-controls.js';
import { useElementSize } from './use-element-size.js';
import type { StageLayout } from './use-layout-controls.js';

const ASPECT = 16 / 9;

interface Props extends TileControls {
  tiles: TileModel[];
  large: TileModel;
  /** The embedding page's filmstrip and large-video settings. */
  layout: StageLayout;
}

/**
 * Stage view: one tile as large as the space allows, and the others in a
 * filmstrip along the bottom (smaller on phones) that scrolls sideways.
 */
export function StageView({ tiles, large, layout, ...controls }: Props) {
  const { t } = useI18n();
  const area = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(area);
  const fit = layout.largeSize ?? { width, height };
  const tileWidth = Math.floor(Math.min(width, fit.width, fit.height * ASPECT));
  const others = tiles.filter((tile) => tile.key !== large.key);
  return (
    <div class="stage stage--speaker" data-testid="stage-view">
      <section class="stage__large" ref={area} aria-label={t('views.largeVideo')} data-testid="stage-large" style={{ '--tile-width': tileWidth > 0 ? `${tileWidth}px` : '100%' }}>
        <ControlledTile tile={large} {...controls} />
      </section>
      {others.length > 0 && layout.filmstripVisible && (
        <section
          class="filmstrip"
          aria-label={t('views.filmstrip')}
          data-testid="filmstrip"
          style={layout.filmstripWidth ? { '--tile-width': `${layout.filmstripWidth}px` } : undefined}
        >
          {others.map((tile) => (
            <ControlledTile key={tile.key} tile={tile} {...controls} />
          ))}
        </section>
      )}
    </div>
  );
}
