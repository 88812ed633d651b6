import { useRef } from 'preact/hooks';
import { fitGrid } from './grid-layout.js';
import type { TileModel } from './Tile.js';
import { ControlledTile, type TileControls } from './tile-controls.js';
import { useElementSize } from './use-element-size.js';

const GAP_PX = 8;

/**
 * Lays tiles out in as many columns as make them largest; scrolls when there
 * are too many. A wrapping flex row rather than grid tracks, so that an
 * incomplete last row sits centred. `menuFor` adds controls to a tile (moderators').
 */
export function TileGrid({ tiles, ...controls }: { tiles: TileModel[] } & TileControls) {
  const stage = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(stage);
  const { columns, tileWidth } = fitGrid(tiles.length, width, height, GAP_PX);
  return (
    <div class="stage" ref={stage}>
      <div
        class="grid"
        style={{
          '--tile-width': tileWidth > 0 ? `${tileWidth}px` : '100%',
          maxWidth: tileWidth > 0 ? `${columns * tileWidth + (columns - 1) * GAP_PX}px` : 'none',
          gap: `${GAP_PX}px`,
        }}
      >
        {tiles.map((tile) => (
          <ControlledTile key={tile.key} tile={tile} {...controls} />
        ))}
      </div>
    </div>
  );
}
