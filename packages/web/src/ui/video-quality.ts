import type { Conference, ConferenceState } from '../conference/conference.js';
import type { ClientConfig } from '../config/client-config.js';
import { sessionStore } from '../page-storage.js';

/** The settings control's choices: a cap on every video's height, or no video at all. */
export type QualityChoice = 'high' | 'standard' | 'low' | 'audioOnly';

/** Jitsi's levels (its VIDEO_QUALITY_LEVELS without ultra, which Tertulia never sends). */
export const QUALITY_HEIGHTS = { high: 720, standard: 360, low: 180 } as const;
export const QUALITY_CHOICES: readonly QualityChoice[] = ['high', 'standard', 'low', 'audioOnly'];

const HEIGHT_KEY = 'tertulia.videoQuality';
const AUDIO_ONLY_KEY = 'tertulia.audioOnly';

/** What the control shows for the conference's settings. */
export function choiceOf(video: ConferenceState['video']): QualityChoice {
  if (video.audioOnly) return 'audioOnly';
  return video.maxHeight >= QUALITY_HEIGHTS.high ? 'high' : video.maxHeight >= QUALITY_HEIGHTS.standard ? 'standard' : 'low';
}

/** The person's choice in the settings: a height also ends audio-only mode. */
export function chooseQuality(conference: Conference, choice: QualityChoice): void {
  if (choice === 'audioOnly') return conference.setAudioOnly(true);
  conference.setAudioOnly(false);
  conference.setVideoQuality(QUALITY_HEIGHTS[choice]);
}

/**
 * The level a height asks for (Jitsi's `setVideoQuality(height)`): the largest one not
 * above it, as the control can only show those. Below the lowest level is an error, as in Jitsi.
 */
export function qualityLevelOf(height: unknown): number {
  if (typeof height !== 'number' || !Number.isFinite(height) || height < QUALITY_HEIGHTS.low) {
    throw new Error(`expected a video height of at least ${QUALITY_HEIGHTS.low}`);
  }
  return Object.values(QUALITY_HEIGHTS).find((level) => level <= height) ?? QUALITY_HEIGHTS.low;
}

/**
 * Applies the page's config and the choice remembered for this tab before joining,
 * and remembers every later change (from the settings or the iframe API), so a
 * reload keeps it. Jitsi's `startLastN` holds until the person picks a quality; then
 * `channelLastN` does.
 */
export function startVideoQuality(conference: Conference, config: ClientConfig): void {
  conference.setLastN(config.startLastN ?? config.channelLastN);
  const height = Number(sessionStore.get(HEIGHT_KEY));
  if (Object.values(QUALITY_HEIGHTS).some((level) => level === height)) conference.setVideoQuality(height);
  conference.setAudioOnly(config.startAudioOnly || sessionStore.get(AUDIO_ONLY_KEY) === 'true');
  conference.on('videoQualityChanged', (maxHeight) => {
    sessionStore.set(HEIGHT_KEY, String(maxHeight));
    if (config.startLastN !== undefined) conference.setLastN(config.channelLastN);
  });
  conference.on('audioOnlyChanged', (enabled) => sessionStore.set(AUDIO_ONLY_KEY, String(enabled)));
}
