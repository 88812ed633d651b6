import type { ConferenceState } from '../conference/conference.js';
import type { TileModel } from './Tile.js';

const SELF_PLACEHOLDER_ID = 'local';

/**
 * Every tile the grid shows, in order: shared screens first (they are what
 * people look at), then the others' cameras, then your own.
 */
export function tilesOf(state: ConferenceState, selfName: string): TileModel[] {
  const selfId = state.self?.id ?? SELF_PLACEHOLDER_ID;
  const name = state.self?.displayName || selfName;
  const screens: TileModel[] = [];
  const cameras: TileModel[] = [];

  for (const p of state.participants) {
    const personName = p.displayName || 'Guest';
    cameras.push({
      key: `${p.id}:camera`,
      participantId: p.id,
      source: 'camera',
      self: false,
      speaking: state.dominantSpeakerId === p.id,
      name: personName,
      label: personName,
      role: p.role,
      audioMuted: p.audioMuted,
      track: p.tracks.camera,
    });
    if (p.tracks.screen) {
      screens.push({
        key: `${p.id}:screen`,
        participantId: p.id,
        source: 'screen',
        self: false,
        speaking: false,
        name: personName,
        label: `${personName} (screen)`,
        role: p.role,
        audioMuted: p.audioMuted,
        track: p.tracks.screen,
      });
    }
  }

  if (state.local.screenTrack) {
    screens.push({
      key: `${selfId}:screen`,
      participantId: selfId,
      source: 'screen',
      self: true,
      speaking: false,
      name,
      label: 'Your screen',
      role: state.self?.role,
      audioMuted: state.local.audioMuted,
      track: state.local.screenTrack,
    });
  }
  cameras.push({
    key: `${selfId}:camera`,
    participantId: selfId,
    source: 'camera',
    self: true,
    speaking: state.self !== undefined && state.dominantSpeakerId === state.self.id,
    name: name || 'You',
    label: name ? `${name} (you)` : 'You',
    role: state.self?.role,
    audioMuted: state.local.audioMuted,
    track: state.local.cameraTrack,
  });

  return [...screens, ...cameras];
}
