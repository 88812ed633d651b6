import type { CommandName, EventName, RequestName } from '@tertulia/iframe-api/wire';
import type { ClientConfig } from '../config/client-config.js';
import { meetingControls, meetingEvents, type HostNotification } from '../ui/meeting-controls.js';
import { configureNotifyClicks } from '../ui/notify-clicks.js';
import { timeoutOf } from '../ui/use-layout-controls.js';
import { flag, text } from './command-args.js';
import type { Handler } from './iframe-bridge.js';

type Emit = (name: EventName, data?: Record<string, unknown>) => void;

type LayoutCommand = Extract<
  CommandName,
  'toggleFilmStrip' | 'resizeFilmStrip' | 'resizeLargeVideo' | 'setFollowMe' | 'showNotification' | 'hideNotification'
>;

/** Layout and UI commands: the filmstrip, sizes, "follow me" (the server refuses it to non-moderators), the embedder's toasts. */
export const LAYOUT_COMMANDS: Record<LayoutCommand, Handler<void>> = {
  toggleFilmStrip: () => meetingControls.toggleFilmStrip(),
  resizeFilmStrip: (_, [options]) => meetingControls.resizeFilmStrip(pixels(isRecord(options) ? options['width'] : undefined, 'width')),
  resizeLargeVideo: (_, [width, height]) => meetingControls.resizeLargeVideo(pixels(width, 'width'), pixels(height, 'height')),
  setFollowMe: (_, [value]) => meetingControls.setFollowMe(flag(value, 'a value')),
  showNotification: (_, [options]) => meetingControls.showNotification(notificationOf(options)),
  hideNotification: (_, [uid]) => meetingControls.hideNotification(text(uid, 'a notification uid')),
};

type LayoutRequest = Extract<RequestName, 'captureLargeVideoScreenshot' | 'captureCameraPicture'>;

/** Pictures as Jitsi answers them: `{ dataURL }` of a PNG drawn on a canvas. */
export const LAYOUT_REQUESTS: Record<LayoutRequest, Handler<unknown>> = {
  captureLargeVideoScreenshot: () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="stage-large"] video');
    if (!video) throw new Error('there is no large video (tile view, or no video on stage)');
    return { dataURL: pictureOf(video) };
  },
  captureCameraPicture: async (conference) => {
    const track = conference.state.local.cameraTrack;
    if (!track || track.readyState !== 'live') throw new Error('the camera is off');
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = new MediaStream([track]);
    await video.play();
    try {
      return { dataURL: pictureOf(video) };
    } finally {
      video.srcObject = null;
    }
  },
};

/** Sets up the notify clicks of `config` and turns the UI's layout changes into Jitsi's events. */
export function forwardLayoutEvents(config: ClientConfig, emit: Emit): void {
  configureNotifyClicks(config.buttonsWithNotifyClick, config.participantMenuButtonsWithNotifyClick);
  meetingEvents.on('filmstripDisplayChanged', (visible) => emit('filmstripDisplayChanged', { visible }));
  meetingEvents.on('largeVideoChanged', () => emit('largeVideoChanged'));
  meetingEvents.on('notificationTriggered', ({ title, description }) => emit('notificationTriggered', { title, description }));
  meetingEvents.on('customNotificationActionTriggered', (id) => emit('customNotificationActionTriggered', { data: { id } }));
  meetingEvents.on('toolbarButtonClicked', (key, preventExecution) => emit('toolbarButtonClicked', { key, preventExecution }));
  meetingEvents.on('participantMenuButtonClick', (key, participantId, preventExecution) =>
    emit('participantMenuButtonClick', { key, participantId, preventExecution }),
  );
  meetingEvents.on('prejoinScreenLoaded', () => emit('prejoinScreenLoaded'));
  // Jitsi's event carries nothing: it only says the preview came or went.
  meetingEvents.on('prejoinVideoChanged', () => emit('prejoinVideoChanged'));
}

function pictureOf(video: HTMLVideoElement): string {
  if (video.videoWidth === 0 || video.videoHeight === 0) throw new Error('the video has no picture yet');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  return canvas.toDataURL('image/png');
}

const TYPES = ['normal', 'success', 'warning', 'error'] as const;

/** A notification's buttons: few enough to fit one toast. */
const MAX_ACTIONS = 3;

/** Jitsi's `{ title, description, uid, type, timeout, customActions }`; a uid is made up when none is given (hideNotification then cannot name it). */
function notificationOf(options: unknown): HostNotification {
  if (!isRecord(options)) throw new Error('expected notification options (an object)');
  const title = options['title'] === undefined ? '' : text(options['title'], 'a title');
  const description = options['description'] === undefined ? '' : text(options['description'], 'a description');
  if (!title && !description) throw new Error('expected a title or a description');
  const type = TYPES.find((t) => t === options['type']) ?? 'normal';
  const uid = options['uid'] === undefined ? crypto.randomUUID() : text(options['uid'], 'a uid');
  const actions = actionsOf(options['customActions']);
  return { uid, title: title.slice(0, 200), description: description.slice(0, 1000), type, timeout: timeoutOf(options['timeout']), actions };
}

/** Jitsi's `customActions: [{ label, uuid }]`. */
function actionsOf(value: unknown): HostNotification['actions'] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_ACTIONS) throw new Error(`expected customActions: a list of at most ${MAX_ACTIONS} { label, uuid }`);
  return value.map((action: unknown) => {
    if (!isRecord(action)) throw new Error('expected customActions entries { label, uuid }');
    const label = text(action['label'], 'an action label');
    const uuid = text(action['uuid'], 'an action uuid');
    if (!label || label.length > 64 || !uuid || uuid.length > 128) throw new Error('expected an action label of 1–64 characters and a uuid of 1–128');
    return { label, uuid };
  });
}

function pixels(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 10_000) throw new Error(`expected a ${what} in pixels`);
  return Math.round(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
