/** Getting tracks from the user's devices, with messages a person can act on. */

import type { MessageKey, Phrase } from '../i18n/i18n.js';
import { LocalizedError } from '../i18n/localized-error.js';

export type DeviceKind = 'audioinput' | 'videoinput';

export class MediaAccessError extends LocalizedError {
  override readonly name = 'MediaAccessError';

  constructor(
    phrase: Phrase,
    readonly device: Device,
    /** Jitsi's name for the problem (its cameraError/micError `type`). */
    readonly type: JitsiDeviceError,
  ) {
    super(phrase);
  }
}

/** Jitsi's getUserMedia error names, which the iframe API's cameraError/micError carry. */
export type JitsiDeviceError = 'gum.permission_denied' | 'gum.not_found' | 'gum.constraint_failed' | 'gum.not_readable' | 'gum.general';

const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};

export async function getMicrophone(deviceId?: string): Promise<MediaStreamTrack> {
  return getTrack('audio', {
    deviceId: deviceId ? { exact: deviceId } : undefined,
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  });
}

/** `facingMode` picks the front or back camera instead of a device (phones, tablets). */
export async function getCamera(deviceId?: string, facingMode?: 'user' | 'environment'): Promise<MediaStreamTrack> {
  return getTrack('video', { ...CAMERA_CONSTRAINTS, deviceId: deviceId ? { exact: deviceId } : undefined, ...(facingMode ? { facingMode: { exact: facingMode } } : {}) });
}

/** A screen, window or tab to share; undefined when the person closed the picker. */
export async function getScreen(): Promise<MediaStreamTrack | undefined> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { max: 15 } }, audio: false });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') return undefined;
    throw explain(error, 'screen');
  }
  const [track] = stream.getVideoTracks();
  if (track) track.contentHint = 'detail';
  return track;
}

export async function listDevices(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput' || d.kind === 'videoinput');
}

async function getTrack(kind: 'audio' | 'video', constraints: MediaTrackConstraints): Promise<MediaStreamTrack> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
    const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
    const device = kind === 'audio' ? 'mic' : 'camera';
    if (!track) throw new MediaAccessError({ key: PROBLEMS[device].notFound }, device, 'gum.not_found');
    return track;
  } catch (error) {
    throw explain(error, kind === 'audio' ? 'mic' : 'camera');
  }
}

export type Device = 'mic' | 'camera' | 'screen';

/** The sentence for each way a device can fail; picking a screen is never "denied" (that is closing the picker). */
const PROBLEMS: Record<Device, { denied?: MessageKey; notFound: MessageKey; busy: MessageKey; failed: MessageKey }> = {
  mic: { denied: 'errors.micDenied', notFound: 'errors.micNotFound', busy: 'errors.micBusy', failed: 'errors.micFailed' },
  camera: { denied: 'errors.cameraDenied', notFound: 'errors.cameraNotFound', busy: 'errors.cameraBusy', failed: 'errors.cameraFailed' },
  screen: { notFound: 'errors.screenNotFound', busy: 'errors.screenBusy', failed: 'errors.screenFailed' },
};

function explain(error: unknown, device: Device): Error {
  if (error instanceof MediaAccessError) return error;
  const problems = PROBLEMS[device];
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' && problems.denied) return new MediaAccessError({ key: problems.denied }, device, 'gum.permission_denied');
  if (name === 'NotFoundError') return new MediaAccessError({ key: problems.notFound }, device, 'gum.not_found');
  if (name === 'OverconstrainedError') return new MediaAccessError({ key: problems.notFound }, device, 'gum.constraint_failed');
  if (name === 'NotReadableError') return new MediaAccessError({ key: problems.busy }, device, 'gum.not_readable');
  const detail = error instanceof Error ? error.message : String(error);
  return new MediaAccessError({ key: problems.failed, params: { detail } }, device, 'gum.general');
}
