import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutTiles, type LayoutParticipant, type Tile } from './layout.js';

const canvas = { width: 1280, height: 720 };

function person(id: string, extra: Partial<LayoutParticipant> = {}): LayoutParticipant {
  return { id, name: `Name ${id}`, hasVideo: true, screenShare: false, dominant: false, ...extra };
}

function overlaps(a: Tile, b: Tile): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every tile inside the canvas, none overlapping another, all on even pixels. */
function assertWellFormed(tiles: Tile[]): void {
  for (const tile of tiles) {
    assert.ok(tile.x >= 0 && tile.y >= 0 && tile.x + tile.width <= canvas.width && tile.y + tile.height <= canvas.height, `${tile.participantId} inside`);
    for (const value of [tile.x, tile.y, tile.width, tile.height]) assert.equal(value % 2, 0, `${tile.participantId} on even pixels`);
  }
  for (const [index, a] of tiles.entries()) for (const b of tiles.slice(index + 1)) assert.ok(!overlaps(a, b), `${a.participantId} and ${b.participantId} overlap`);
}

const area = (tile: Tile) => tile.width * tile.height;

describe('recording layout', () => {
  it('has no tiles for nobody and the whole picture for one person', () => {
    assert.deepEqual(layoutTiles([], canvas), []);
    const [tile] = layoutTiles([person('a')], canvas);
    assert.ok(tile && tile.width > 1260 && tile.height > 700);
  });

  it('puts two people side by side with their names', () => {
    const tiles = layoutTiles([person('a'), person('b')], canvas);
    assertWellFormed(tiles);
    assert.deepEqual(tiles.map((tile) => tile.label), ['Name a', 'Name b']);
    const [a, b] = tiles as [Tile, Tile];
    assert.equal(a.y, b.y);
    assert.ok(a.x + a.width <= b.x);
    assert.equal(area(a), area(b));
  });

  it('grids five people as 3 + 2 with the short row centred, all the same size', () => {
    const tiles = layoutTiles(['a', 'b', 'c', 'd', 'e'].map((id) => person(id)), canvas);
    assertWellFormed(tiles);
    assert.equal(new Set(tiles.map(area)).size, 1);
    const lastRow = tiles.slice(3);
    const left = lastRow[0]!.x;
    const right = canvas.width - (lastRow[1]!.x + lastRow[1]!.width);
    assert.ok(Math.abs(left - right) <= 4, `centred (${left} vs ${right})`);
  });

  it('keeps a tile, with the name, for someone without video', () => {
    const tiles = layoutTiles([person('a'), person('b', { hasVideo: false })], canvas);
    assert.deepEqual(tiles.map((tile) => [tile.participantId, tile.label]), [['a', 'Name a'], ['b', 'Name b']]);
  });

  it('puts a shared screen on stage above everyone\'s cameras', () => {
    const tiles = layoutTiles([person('a'), person('b', { screenShare: true })], canvas);
    assertWellFormed(tiles);
    const [stage, ...strip] = tiles;
    assert.deepEqual([stage!.participantId, stage!.kind, stage!.label], ['b', 'screen', 'Name b (screen)']);
    assert.deepEqual(strip.map((tile) => `${tile.participantId}/${tile.kind}`).sort(), ['a/camera', 'b/camera']);
    for (const tile of strip) {
      assert.ok(area(tile) * 10 < area(stage!), 'the filmstrip is small');
      assert.ok(tile.y >= stage!.y + stage!.height, 'below the stage');
    }
  });

  it('stages the dominant speaker only when more than two are there', () => {
    const three = layoutTiles([person('a'), person('b', { dominant: true }), person('c')], canvas);
    assertWellFormed(three);
    assert.equal(three[0]!.participantId, 'b');
    assert.ok(area(three[0]!) > 4 * area(three[1]!));
    const two = layoutTiles([person('a'), person('b', { dominant: true })], canvas);
    assert.equal(area(two[0]!), area(two[1]!));
  });

  it('narrows the filmstrip tiles so that many people still fit', () => {
    const people = Array.from({ length: 12 }, (_, index) => person(`p${index}`, { screenShare: index === 0 }));
    const tiles = layoutTiles(people, canvas);
    assert.equal(tiles.length, 13);
    assertWellFormed(tiles);
  });
});
