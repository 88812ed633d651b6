/** Getting tracks from the user's devices, with messages a person can act on. */

export type DeviceKind = 'audioinput' | 'videoinput';

export class MediaAccessError extends Error {
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
    if (!track) throw new MediaAccessError(`No ${kind === 'audio' ? 'microphone' : 'camera'} track was returned.`);
    return track;
  } catch (error) {
    throw explain(error, kind === 'audio' ? 'microphone' : 'camera');
  }
}

function explain(error: unknown, what: string): Error {
  if (error instanceof MediaAccessError) return error;
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      return new MediaAccessError(`Access to the ${what} was denied. Allow it in the browser's site settings and try again.`);
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MediaAccessError(`No ${what} was found. Connect one or pick another in the settings.`);
    case 'NotReadableError':
      return new MediaAccessError(`The ${what} is in use by another program or could not be started.`);
    default:
      return new MediaAccessError(`Could not use the ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
