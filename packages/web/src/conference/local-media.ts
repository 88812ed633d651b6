/** Getting tracks from the user's devices, with messages a person can act on. */

import type { MessageKey } from '../i18n/i18n.js';
import { LocalizedError } from '../i18n/localized-error.js';

export type DeviceKind = 'audioinput' | 'videoinput';

export class MediaAccessError extends LocalizedError {
  override readonly name = 'MediaAccessError';
}

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

export async function getCamera(deviceId?: string): Promise<MediaStreamTrack> {
  return getTrack('video', { ...CAMERA_CONSTRAINTS, deviceId: deviceId ? { exact: deviceId } : undefined });
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
    if (!track) throw new MediaAccessError({ key: PROBLEMS[kind === 'audio' ? 'mic' : 'camera'].notFound });
    return track;
  } catch (error) {
    throw explain(error, kind === 'audio' ? 'mic' : 'camera');
  }
}

type Device = 'mic' | 'camera' | 'screen';

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
  if (name === 'NotAllowedError' && problems.denied) return new MediaAccessError({ key: problems.denied });
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new MediaAccessError({ key: problems.notFound });
  if (name === 'NotReadableError') return new MediaAccessError({ key: problems.busy });
  return new MediaAccessError({ key: problems.failed, params: { detail: error instanceof Error ? error.message : String(error) } });
}
