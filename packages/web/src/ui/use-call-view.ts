import type { FollowMeLayout } from '@tertulia/protocol';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { localStore } from '../page-storage.js';
import { meetingControls, useAnnounced } from './meeting-controls.js';
import { automaticView, largeTileOf, tileKeyOf, type Pin, type ViewMode } from './stage.js';
import type { TileModel } from './Tile.js';

const STORAGE_KEY = 'tertulia.view';

export interface CallView {
  mode: ViewMode;
  pin: Pin | undefined;
  /** The tile stage view shows large. */
  large: TileModel | undefined;
  /** The toolbar button and the W key; the choice is remembered for the next meeting. */
  toggle: () => void;
  setTileView: (enabled: boolean) => void;
  /** Pinning switches to stage view with that tile large; undefined goes back to automatic selection. */
  setPin: (pin: Pin | undefined) => void;
  togglePin: (tile: TileModel) => void;
  /** Following a moderator's layout: the controls above only call `onLocked`. */
  locked: boolean;
}

/** "Follow me" as it concerns this person. */
export interface FollowMe {
  /** The leading moderator's layout, when someone else leads. */
  following: FollowMeLayout | undefined;
  /** When this person leads: sends their layout to the others, on every change. */
  publish: ((layout: FollowMeLayout) => void) | undefined;
  /** Tells the person why a layout control did nothing. */
  onLocked: () => void;
}

/** Which view the call shows, what is pinned, and which tile is large in stage view. */
export function useCallView(tiles: TileModel[], dominantSpeakerId: string | null, followMe: FollowMe): CallView {
  const [chosen, setChosen] = useState<ViewMode | undefined>(storedView);
  const [ownPin, setPinned] = useState<Pin | undefined>(undefined);
  const { following, publish, onLocked } = followMe;
  const pin = following ? (following.pin ?? undefined) : ownPin;
  // Who of the others spoke last, for when the dominant speaker is yourself.
  const recentSpeaker = useRef<string | undefined>(undefined);
  if (dominantSpeakerId && tiles.some((tile) => !tile.self && tile.participantId === dominantSpeakerId)) {
    recentSpeaker.current = dominantSpeakerId;
  }

  // A pinned person who leaves (or a pinned screen that stops) is unpinned.
  const pinned = pin && tiles.some((tile) => tile.key === tileKeyOf(pin)) ? pin : undefined;
  useEffect(() => {
    if (ownPin && !pinned && !following) setPinned(undefined);
  }, [ownPin, pinned, following]);

  const mode = following ? (following.tileView ? 'tile' : 'stage') : (chosen ?? automaticView(tiles));

  // The leader's layout goes out on each change (and when they start leading).
  useEffect(() => {
    publish?.({ tileView: mode === 'tile', pin: pinned ?? null });
  }, [publish, mode, pinned?.participantId, pinned?.source]);

  const setTileView = useCallback((enabled: boolean) => {
    if (following) return onLocked();
    const next: ViewMode = enabled ? 'tile' : 'stage';
    setChosen(next);
    localStore.set(STORAGE_KEY, next);
    if (enabled) setPinned(undefined);
  }, [following, onLocked]);
  const toggle = useCallback(() => setTileView(mode !== 'tile'), [mode, setTileView]);

  // Not remembered: a pin belongs to this meeting's people.
  const setPin = useCallback(
    (next: Pin | undefined) => {
      if (following) return onLocked();
      setPinned(next);
      if (next) setChosen('stage');
    },
    [following, onLocked],
  );
  const togglePin = useCallback(
    (tile: TileModel) => setPin(pinned && tileKeyOf(pinned) === tile.key ? undefined : { participantId: tile.participantId, source: tile.source }),
    [pinned, setPin],
  );

  // The iframe API's setTileView, pinParticipant and tileViewChanged.
  useEffect(() => {
    meetingControls.setTileView = setTileView;
    meetingControls.isTileView = () => mode === 'tile';
    meetingControls.pin = setPin;
  }, [setTileView, mode, setPin]);
  useAnnounced('tileViewChanged', mode === 'tile');

  const large = mode === 'stage' ? largeTileOf(tiles, pinned, dominantSpeakerId, recentSpeaker.current) : undefined;
  return { mode, pin: pinned, large, toggle, setTileView, setPin, togglePin, locked: following !== undefined };
}

function storedView(): ViewMode | undefined {
  const value = localStore.get(STORAGE_KEY);
  return value === 'tile' || value === 'stage' ? value : undefined;
}
