import type { Conference } from '../conference/conference.js';
import { Emitter } from '../conference/emitter.js';
import { pageConfig } from '../config/page-config.js';
import { LocalRecorder, type RecordingSources } from '../conference/local-recorder.js';
import { LocalizedError } from '../i18n/localized-error.js';
import { t } from '../i18n/i18n.js';

type LocalRecordingEvents = {
  /** Recording on this device began (true) or ended (false; with `error` when the browser stopped it). */
  change: [active: boolean, error?: Error];
  /** The file went to the person's downloads. */
  saved: [];
};

/**
 * Jitsi's local recording: this person records the meeting in their own browser and
 * gets a .webm file when they stop. One per page, shared by the toolbar and the iframe API.
 */
class LocalRecording extends Emitter<LocalRecordingEvents> {
  #recorder: LocalRecorder | undefined;
  #room = '';
  /** Told everyone it records (localRecording.notifyAllParticipants): told again when it stops. */
  #announcedTo: Conference | undefined;

  get active(): boolean {
    return this.#recorder !== undefined;
  }

  start(conference: Conference): void {
    if (this.#recorder) return;
    if (!LocalRecorder.supported()) throw new LocalizedError({ key: 'recording.notice.localUnsupported' });
    this.#room = conference.state.roomName;
    this.#recorder = new LocalRecorder(
      () => sourcesOf(conference),
      (error) => void this.stop(error),
    );
    if (pageConfig().localRecordingNotifyAll) {
      this.#announcedTo = conference;
      void conference.setRecordingLocally(true).catch(() => undefined);
    }
    this.emit('change', true);
  }

  /** Stops and saves what was recorded as a download (also after a failure, `error`); nothing to do when not recording. */
  async stop(error?: Error): Promise<void> {
    const recorder = this.#recorder;
    if (!recorder) return;
    this.#recorder = undefined;
    // After leaving, the request fails, and leaving told everyone anyway.
    void this.#announcedTo?.setRecordingLocally(false).catch(() => undefined);
    this.#announcedTo = undefined;
    this.emit('change', false, error);
    download(await recorder.stop(), `${this.#room}_${fileTime(new Date())}.webm`);
    this.emit('saved');
  }
}

export const localRecording = new LocalRecording();

/** Everyone's cameras and screens as this page receives them, this person's first, and every microphone. */
function sourcesOf(conference: Conference): RecordingSources {
  const { self, local, participants } = conference.state;
  const selfName = self?.displayName || t('common.you');
  const videos = [
    ...[local.cameraTrack, local.screenTrack].flatMap((track) => (track ? [{ track, name: selfName }] : [])),
    ...participants.flatMap((p) => [p.tracks.camera, p.tracks.screen].flatMap((track) => (track ? [{ track, name: p.displayName || t('common.guest') }] : []))),
  ];
  const mic = conference.localMicrophone();
  const audios = [...(mic ? [mic] : []), ...participants.flatMap((p) => (p.tracks.mic ? [p.tracks.mic] : []))];
  return { videos, audios };
}

function download(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download has its own copy once started; a minute is ample for the browser to begin it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** yyyy-MM-dd-HH-mm-ss in local time, as Jibri names its files. */
function fileTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}-${two(date.getHours())}-${two(date.getMinutes())}-${two(date.getSeconds())}`;
}
