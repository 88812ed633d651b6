import type { ConferenceState } from '../conference/conference.js';
import { pageConfig } from '../config/page-config.js';
import { t } from '../i18n/i18n.js';
import { handPositions } from './hand-queue.js';
import { localNames } from './local-names.js';
import { tileKeyOf } from './stage.js';
import type { TileModel } from './Tile.js';
import { videoHoldOf } from './video-hold.js';

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
  const hands = handPositions([state.self, ...state.participants]);

  for (const p of state.participants) {
    const personName = localNames.names.get(p.id) || p.displayName || pageConfig().defaultRemoteDisplayName || t('common.guest');
    cameras.push({
      key: tileKeyOf({ participantId: p.id, source: 'camera' }),
      participantId: p.id,
      source: 'camera',
      self: false,
      speaking: state.dominantSpeakerId === p.id,
      name: personName,
      label: personName,
      role: p.role,
      audioMuted: p.audioMuted,
      track: p.tracks.camera,
      handPosition: hands.get(p.id),
      videoHeldBack: videoHoldOf(state, p, 'camera'),
      encrypted: p.sendsEncrypted === true,
      encryptionCode: p.e2eeCode,
    });
    if (p.tracks.screen) {
      screens.push({
        key: tileKeyOf({ participantId: p.id, source: 'screen' }),
        participantId: p.id,
        source: 'screen',
        self: false,
        speaking: false,
        name: personName,
        label: t('call.screenOf', { name: personName }),
        role: p.role,
        audioMuted: p.audioMuted,
        track: p.tracks.screen,
        handPosition: hands.get(p.id),
        videoHeldBack: videoHoldOf(state, p, 'screen'),
      });
    }
  }

  if (state.local.screenTrack) {
    screens.push({
      key: tileKeyOf({ participantId: selfId, source: 'screen' }),
      participantId: selfId,
      source: 'screen',
      self: true,
      speaking: false,
      name,
      label: t('call.yourScreen'),
      role: state.self?.role,
      audioMuted: state.local.audioMuted,
      track: state.local.screenTrack,
      handPosition: hands.get(selfId),
      videoHeldBack: undefined,
    });
  }
  // Jitsi's disableSelfView: the person does not see their own camera (the others still do).
  if (pageConfig().disableSelfView) return [...screens, ...cameras];
  cameras.push({
    key: tileKeyOf({ participantId: selfId, source: 'camera' }),
    participantId: selfId,
    source: 'camera',
    self: true,
    speaking: state.self !== undefined && state.dominantSpeakerId === state.self.id,
    name: name || pageConfig().defaultLocalDisplayName || t('common.you'),
    label: name ? t('common.selfName', { name }) : pageConfig().defaultLocalDisplayName || t('common.you'),
    role: state.self?.role,
    audioMuted: state.local.audioMuted,
    track: state.local.cameraTrack,
    handPosition: hands.get(selfId),
    videoHeldBack: videoHoldOf(state, 'self', 'camera'),
  });

  return [...screens, ...cameras];
}
