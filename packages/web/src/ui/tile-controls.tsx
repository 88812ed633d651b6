import type { ComponentChildren } from 'preact';
import { Tile, type TileModel } from './Tile.js';

/** What the call adds to every tile, in either view: moderators' menu and the pin button. */
export interface TileControls {
  menuFor?: ((tile: TileModel) => ComponentChildren) | undefined;
  /** The pinned tile's key, if any. */
  pinnedKey?: string | undefined;
  onPin?: ((tile: TileModel) => void) | undefined;
}

/** One tile with the call's controls, the same in the grid, the stage and the filmstrip. */
export function ControlledTile({ tile, menuFor, pinnedKey, onPin }: { tile: TileModel } & TileControls) {
  return <Tile tile={tile} menu={menuFor?.(tile)} pinned={tile.key === pinnedKey} onPin={onPin && (() => onPin(tile))} />;
}
