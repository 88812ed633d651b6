import { useEffect, useState } from 'preact/hooks';
import { listDevices } from '../conference/local-media.js';

/**
 * Microphones and cameras, refreshed when devices are plugged in or out.
 * Labels stay empty until the person grants access, so callers pass something
 * that changes once a track was obtained (`refreshKey`) to list them again.
 */
export function useDevices(refreshKey?: unknown): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const media = navigator.mediaDevices;
    if (!media) return;
    let alive = true;
    const refresh = () => {
      listDevices().then(
        (list) => alive && setDevices(list),
        () => undefined,
      );
    };
    refresh();
    media.addEventListener('devicechange', refresh);
    return () => {
      alive = false;
      media.removeEventListener('devicechange', refresh);
    };
  }, [refreshKey]);
  return devices;
}
