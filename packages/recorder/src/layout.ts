/*
 * Where each participant appears in the composed picture. Pure: the recording
 * pipeline turns tiles into compositor pad positions.
 */

export interface LayoutParticipant {
  id: string;
  name: string;
  /** Whether the camera sends; without it the tile is a dark card with the name. */
  hasVideo: boolean;
  /** Whether they share a screen (shown as a tile of its own). */
  screenShare: boolean;
  /** The dominant speaker, shown large in meetings of more than two. */
  dominant: boolean;
}

export interface Canvas {
  width: number;
  height: number;
}

export type TileKind = 'camera' | 'screen';

export interface Tile {
  participantId: string;
  kind: TileKind;
  /** Text shown on the tile. */
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space between tiles and around the picture, in pixels. */
const GAP = 4;
/** The filmstrip's share of the picture's height when one tile is on stage. */
const FILMSTRIP_SHARE = 0.2;

type Source = Pick<Tile, 'participantId' | 'kind' | 'label'>;

/** Even numbers: 4:2:0 video cannot start or end on an odd pixel without blurring the edge. */
const even = (value: number) => Math.floor(value / 2) * 2;

/** Tiles for everyone: a grid, or a stage tile above a filmstrip when a screen is shared or someone dominates a meeting of three or more. */
export function layoutTiles(participants: readonly LayoutParticipant[], canvas: Canvas): Tile[] {
  const cameras: Source[] = participants.map((person) => ({ participantId: person.id, kind: 'camera', label: person.name }));
  const screens: Source[] = participants
    .filter((person) => person.screenShare)
    .map((person) => ({ participantId: person.id, kind: 'screen', label: `${person.name} (screen)` }));
  const dominant = participants.length > 2 ? participants.find((person) => person.dominant) : undefined;
  const staged = screens[0] ?? (dominant && cameras.find((camera) => camera.participantId === dominant.id));
  const sources = [...screens, ...cameras];
  if (!staged) return grid(sources, { x: 0, y: 0, ...canvas });
  const others = sources.filter((source) => source !== staged);
  if (others.length === 0) return grid([staged], { x: 0, y: 0, ...canvas });
  const stripHeight = even(canvas.height * FILMSTRIP_SHARE);
  const stageArea = { x: 0, y: 0, width: canvas.width, height: canvas.height - stripHeight };
  return [...grid([staged], stageArea), ...filmstrip(others, { x: 0, y: stageArea.height, width: canvas.width, height: stripHeight })];
}

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Near-square grid filling the area; a short last row is centred. */
function grid(sources: readonly Source[], area: Area): Tile[] {
  if (sources.length === 0) return [];
  const columns = Math.ceil(Math.sqrt(sources.length));
  const rows = Math.ceil(sources.length / columns);
  const cellWidth = (area.width - GAP) / columns;
  const cellHeight = (area.height - GAP) / rows;
  return sources.map((source, index) => {
    const row = Math.floor(index / columns);
    const inRow = row === rows - 1 ? sources.length - row * columns : columns;
    const rowOffset = ((columns - inRow) * cellWidth) / 2;
    return place(source, area.x + GAP + rowOffset + (index % columns) * cellWidth, area.y + GAP + row * cellHeight, cellWidth - GAP, cellHeight - GAP);
  });
}

/** One row of 16:9 tiles, centred, narrower when many must fit. */
function filmstrip(sources: readonly Source[], area: Area): Tile[] {
  const tileHeight = area.height - GAP;
  const cellWidth = Math.min((tileHeight * 16) / 9 + GAP, (area.width - GAP) / sources.length);
  const start = area.x + GAP + (area.width - GAP - cellWidth * sources.length) / 2;
  return sources.map((source, index) => place(source, start + index * cellWidth, area.y, cellWidth - GAP, tileHeight));
}

function place(source: Source, x: number, y: number, width: number, height: number): Tile {
  return { ...source, x: even(x), y: even(y), width: Math.max(2, even(width)), height: Math.max(2, even(height)) };
}
