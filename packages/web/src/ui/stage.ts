import type { TileModel } from './Tile.js';

/** Tile view: everyone the same size. Stage view: one large tile and a filmstrip of the others. */
export type ViewMode = 'tile' | 'stage';

/** A tile someone chose to keep large: a person's camera or shared screen. */
export interface Pin {
  participantId: string;
  source: TileModel['source'];
}

export const tileKeyOf = (pin: Pin): string => `${pin.participantId}:${pin.source}`;

/**
 * The view when the person has not chosen one: tile view, because with a few
 * people everyone equally large is what a meeting looks like; stage view while
 * someone else shares a screen, because a screen in a small tile is unreadable.
 */
export function automaticView(tiles: readonly TileModel[]): ViewMode {
  return tiles.some((tile) => tile.source === 'screen' && !tile.self) ? 'stage' : 'tile';
}

/**
 * The tile stage view shows large: the pinned one; else someone else's shared
 * screen; else the dominant speaker (unless that is you); else whoever of the
 * others spoke last; else the first other person; else yourself, alone.
 */
export function largeTileOf(
  tiles: readonly TileModel[],
  pin: Pin | undefined,
  dominantSpeakerId: string | null,
  recentSpeakerId: string | undefined,
): TileModel | undefined {
  const others = tiles.filter((tile) => !tile.self);
  const cameraOf = (id: string | null | undefined) => others.find((tile) => tile.source === 'camera' && tile.participantId === id);
  return (
    (pin && tiles.find((tile) => tile.key === tileKeyOf(pin))) ??
    others.find((tile) => tile.source === 'screen') ??
    cameraOf(dominantSpeakerId) ??
    cameraOf(recentSpeakerId) ??
    others[0] ??
    tiles[0]
  );
}
