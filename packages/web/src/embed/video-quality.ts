import type { CommandName, EventName } from '@tertulia/iframe-api/wire';
import type { Conference } from '../conference/conference.js';
import { qualityLevelOf } from '../ui/video-quality.js';
import { finiteNumber, flag } from './command-args.js';
import type { Handler } from './iframe-bridge.js';

type Emit = (name: EventName, data?: Record<string, unknown>) => void;

type VideoQualityCommand = Extract<CommandName, 'setVideoQuality' | 'setAudioOnly' | 'setAssumedBandwidthBps'>;

/** Jitsi's video quality (a height: 180, 360, 720), audio-only mode and assumed downlink. */
export const VIDEO_QUALITY_COMMANDS: Record<VideoQualityCommand, Handler<void>> = {
  setVideoQuality: (conference, [height]) => conference.setVideoQuality(qualityLevelOf(height)),
  setAudioOnly: (conference, [enabled]) => conference.setAudioOnly(flag(enabled, 'enabled')),
  setAssumedBandwidthBps: (conference, [bps]) => conference.setAssumedBandwidth(finiteNumber(bps, 'bps')),
};

/**
 * Jitsi's videoQualityChanged `{ videoQuality }` and audioOnlyChanged `{ audioOnlyChanged }`,
 * whoever made the change (the settings or the API). The quality is also told on first
 * joining, so the host's getVideoQuality() knows it from the start.
 */
export function forwardVideoQualityEvents(conference: Conference, emit: Emit): void {
  conference.on('videoQualityChanged', (videoQuality) => emit('videoQualityChanged', { videoQuality }));
  conference.on('audioOnlyChanged', (audioOnlyChanged) => emit('audioOnlyChanged', { audioOnlyChanged }));
  const stop = conference.on('joined', () => {
    stop();
    emit('videoQualityChanged', { videoQuality: conference.state.video.maxHeight });
  });
}
