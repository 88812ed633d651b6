import type { ConferenceState, RemoteParticipant } from '../conference/conference.js';
import type { MessageKey } from '../i18n/catalog.js';

/** Why a video is not shown: the server's reasons for not forwarding it, or this person's audio-only mode. */
export type VideoHold = NonNullable<RemoteParticipant['videoHeldBack']['camera']> | 'audioOnly';

/**
 * Why `source` of `participant` is not shown. In audio-only mode every video that
 * is being sent counts as held back (nothing is received); own videos show as usual
 * except the camera, which audio-only does not send.
 */
export function videoHoldOf(state: ConferenceState, participant: RemoteParticipant | 'self', source: 'camera' | 'screen'): VideoHold | undefined {
  if (participant === 'self') return state.video.audioOnly && source === 'camera' && !state.local.videoMuted ? 'audioOnly' : undefined;
  const sending = source === 'camera' ? !participant.videoMuted : participant.screenSharing;
  if (state.video.audioOnly && sending) return 'audioOnly';
  return participant.videoHeldBack[source];
}

/**
 * What a tile says instead of showing the video. A video paused because it is off
 * screen ('notVisible') says nothing: nobody is looking at it.
 */
export function heldBackNote(hold: VideoHold | undefined): MessageKey | undefined {
  if (hold === 'lastN' || hold === 'bandwidth') return 'videoQuality.pausedForBandwidth';
  if (hold === 'audioOnly') return 'videoQuality.audioOnlyTile';
  return undefined;
}
