import { useEffect, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { getCamera, getMicrophone, type DeviceKind } from '../conference/local-media.js';
import { describeError } from '../i18n/error-text.js';
import type { Text } from '../i18n/i18n.js';

export interface LocalTrack {
  track: MediaStreamTrack | undefined;
  /** Why there is no track; translated when shown. */
  error: Text | undefined;
}

/**
 * A microphone or camera track while `enabled`, from `deviceId` (or the default).
 * The track is stopped when it is no longer wanted — unless `keep` is set,
 * which is how the prejoin hands its tracks over to the conference.
 */
export function useLocalTrack(
  kind: DeviceKind,
  enabled: boolean,
  deviceId: string | undefined,
  keep: RefObject<boolean>,
): LocalTrack {
  const [result, setResult] = useState<LocalTrack>({ track: undefined, error: undefined });

  useEffect(() => {
    if (!enabled) {
      setResult({ track: undefined, error: undefined });
      return;
    }
    let cancelled = false;
    let acquired: MediaStreamTrack | undefined;
    const request = kind === 'audioinput' ? getMicrophone(deviceId) : getCamera(deviceId);
    request.then(
      (track) => {
        if (cancelled) {
          track.stop();
          return;
        }
        acquired = track;
        setResult({ track, error: undefined });
      },
      (error: unknown) => {
        if (!cancelled) setResult({ track: undefined, error: describeError(error) });
      },
    );
    return () => {
      cancelled = true;
      if (acquired && !keep.current) acquired.stop();
    };
  }, [kind, enabled, deviceId, keep]);

  return result;
}
