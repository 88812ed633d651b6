import type { CommandName, EventName } from '@tertulia/iframe-api/wire';
import type { Conference } from '../conference/conference.js';
import { Emitter } from '../conference/emitter.js';
import { pageConfig } from '../config/page-config.js';
import { localRecording } from '../ui/local-recording.js';
import { messageOf } from '../ui/format.js';
import type { Handler } from './iframe-bridge.js';
import { recordingModeOf, recordingRequestOf } from './recording-options.js';

type Emit = (name: EventName, data?: Record<string, unknown>) => void;
type RecordingCommand = Extract<CommandName, 'startRecording' | 'stopRecording'>;
type Mode = ReturnType<typeof recordingModeOf>;

/** Starts the embedder asked for that did not happen, for recordingStatusChanged (the command itself raises errorOccurred). */
class StartFailures extends Emitter<{ failed: [mode: Mode, error: string] }> {
  report(mode: Mode, error: string): void {
    this.emit('failed', mode, error);
  }
}
const startFailures = new StartFailures();

/** Jitsi's startRecording / stopRecording: on the server (file, stream) or in this browser (local). */
export const RECORDING_COMMANDS: Record<RecordingCommand, Handler<void>> = {
  startRecording: async (conference, [options]) => {
    const request = recordingRequestOf(options);
    try {
      if (request.mode !== 'local') await conference.startRecording(request);
      else if (pageConfig().localRecordingDisabled) throw new Error('recording on this device is turned off (localRecording.disable)');
      else localRecording.start(conference);
    } catch (error) {
      startFailures.report(request.mode, messageOf(error));
      throw error;
    }
  },
  stopRecording: (conference, [mode]) => {
    const which = recordingModeOf(mode);
    return which === 'local' ? localRecording.stop() : conference.stopRecording(which);
  },
};

/**
 * Jitsi's recordingStatusChanged `{ on, mode, error? }` for every start and end, whoever
 * started it (and, on joining, for what already runs), and recordingLinkAvailable
 * `{ link, ttl }` (an absolute URL, milliseconds) when a moderator's file is ready.
 */
export function forwardRecordingEvents(conference: Conference, emit: Emit): void {
  conference.on('recordingStarted', ({ mode }) => emit('recordingStatusChanged', { on: true, mode }));
  conference.on('recordingEnded', ({ mode, reason, error }) =>
    emit('recordingStatusChanged', { on: false, mode, ...(reason === 'failed' ? { error: error ?? 'the recording failed' } : {}) }),
  );
  conference.on('recordingLink', (link, ttlSeconds) => emit('recordingLinkAvailable', { link: new URL(link, location.origin).href, ttl: ttlSeconds * 1000 }));
  localRecording.on('change', (on, error) => emit('recordingStatusChanged', { on, mode: 'local', ...(error ? { error: error.message } : {}) }));
  startFailures.on('failed', (mode, error) => emit('recordingStatusChanged', { on: false, mode, error }));
}
