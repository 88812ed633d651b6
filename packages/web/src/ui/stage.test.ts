import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { automaticView, largeTileOf } from './stage.js';
import type { TileModel } from './Tile.js';

const tile = (participantId: string, source: TileModel['source'] = 'camera', self = false): TileModel => ({
  key: `${participantId}:${source}`,
  participantId,
  source,
  self,
  speaking: false,
  name: participantId,
  label: participantId,
  role: 'participant',
  audioMuted: false,
  track: undefined,
  handPosition: undefined,
  videoHeldBack: undefined,
});

const me = tile('me', 'camera', true);
const ana = tile('ana');
const bea = tile('bea');
const largeId = (...args: Parameters<typeof largeTileOf>) => largeTileOf(...args)?.key;

describe('stage view: which tile is large', () => {
  it('a pin wins over everything, yourself included', () => {
    const tiles = [tile('ana', 'screen'), ana, bea, me];
    assert.equal(largeId(tiles, { participantId: 'bea', source: 'camera' }, 'ana', undefined), 'bea:camera');
    assert.equal(largeId(tiles, { participantId: 'me', source: 'camera' }, 'ana', undefined), 'me:camera');
  });

  it('then someone else’s shared screen, never your own', () => {
    assert.equal(largeId([tile('ana', 'screen'), ana, bea, me], undefined, 'bea', undefined), 'ana:screen');
    assert.equal(largeId([tile('me', 'screen', true), ana, bea, me], undefined, 'bea', undefined), 'bea:camera');
  });

  it('then the dominant speaker; when that is you, whoever of the others spoke last; else the first of the others', () => {
    const tiles = [ana, bea, me];
    assert.equal(largeId(tiles, undefined, 'bea', 'ana'), 'bea:camera');
    assert.equal(largeId(tiles, undefined, 'me', 'bea'), 'bea:camera');
    assert.equal(largeId(tiles, undefined, 'me', undefined), 'ana:camera');
    assert.equal(largeId(tiles, undefined, null, 'gone'), 'ana:camera');
  });

  it('a pin on a tile that no longer exists falls back to automatic; alone, you are large', () => {
    assert.equal(largeId([ana, me], { participantId: 'bea', source: 'camera' }, null, undefined), 'ana:camera');
    assert.equal(largeId([me], undefined, 'me', undefined), 'me:camera');
  });
});

describe('automatic view', () => {
  it('is tile view, and stage view while someone else shares a screen', () => {
    assert.equal(automaticView([ana, bea, me]), 'tile');
    assert.equal(automaticView([tile('me', 'screen', true), ana, me]), 'tile');
    assert.equal(automaticView([tile('ana', 'screen'), ana, me]), 'stage');
  });
});
