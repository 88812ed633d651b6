export interface GridLayout {
  columns: number;
  tileWidth: number;
}

/** Below this width tiles stop shrinking and the grid scrolls instead. */
const MIN_TILE_WIDTH = 220;
/** On screens this narrow, tiles always take the full width: small tiles on a phone are useless. */
const NARROW_WIDTH = 480;

/**
 * The number of columns that makes `count` tiles of the given aspect ratio as
 * large as possible inside width × height.
 */
export function fitGrid(count: number, width: number, height: number, gap: number, aspect = 16 / 9): GridLayout {
  if (count <= 0 || width <= 0 || height <= 0) return { columns: 1, tileWidth: Math.max(0, width) };
  let best: GridLayout = { columns: 1, tileWidth: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const byWidth = (width - gap * (columns - 1)) / columns;
    const byHeight = ((height - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.min(byWidth, byHeight);
    if (tileWidth > best.tileWidth) best = { columns, tileWidth };
  }
  const minimum = width < NARROW_WIDTH ? width : Math.min(MIN_TILE_WIDTH, width);
  if (best.tileWidth < minimum) {
    const columns = Math.max(1, Math.floor((width + gap) / (minimum + gap)));
    return { columns, tileWidth: Math.floor((width - gap * (columns - 1)) / columns) };
  }
  return { columns: best.columns, tileWidth: Math.floor(best.tileWidth) };
}
