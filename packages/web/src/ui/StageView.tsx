import { useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import type { TileModel } from './Tile.js';
import { ControlledTile, type TileControls } from './tile-controls.js';
import { useElementSize } from './use-element-size.js';

const ASPECT = 16 / 9;

interface Props extends TileControls {
  tiles: TileModel[];
  large: TileModel;
}

/**
 * Stage view: one tile as large as the space allows, and the others in a
 * filmstrip along the bottom (smaller on phones) that scrolls sideways.
 */
export function StageView({ tiles, large, ...controls }: Props) {
  const { t } = useI18n();
  const area = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(area);
  const tileWidth = Math.floor(Math.min(width, height * ASPECT));
  const others = tiles.filter((tile) => tile.key !== large.key);
  return (
    <div class="stage stage--speaker" data-testid="stage-view">
      <section class="stage__large" ref={area} aria-label={t('views.largeVideo')} data-testid="stage-large" style={{ '--tile-width': tileWidth > 0 ? `${tileWidth}px` : '100%' }}>
        <ControlledTile tile={large} {...controls} />
      </section>
      {others.length > 0 && (
        <section class="filmstrip" aria-label={t('views.filmstrip')} data-testid="filmstrip">
          {others.map((tile) => (
            <ControlledTile key={tile.key} tile={tile} {...controls} />
          ))}
        </section>
      )}
    </div>
  );
}
