import { useEffect, useState } from 'preact/hooks';
import type { Notice } from '../conference/conference.js';
import { localRecording } from './local-recording.js';

/**
 * Whether this person is recording the meeting on this device, with a notice when it
 * starts, is saved or fails (however it was started: toolbar or iframe API). Leaving
 * the meeting stops and saves it, so the file is not lost with the page's state.
 */
export function useLocalRecording(push: (notice: Notice) => void): boolean {
  const [active, setActive] = useState(localRecording.active);
  useEffect(() => {
    const offs = [
      localRecording.on('change', (on, error) => {
        setActive(on);
        if (on) push({ kind: 'info', text: { key: 'recording.notice.localStarted' } });
        if (error) push({ kind: 'error', text: { key: 'recording.notice.localFailed', params: { error: error.message } } });
      }),
      localRecording.on('saved', () => push({ kind: 'info', text: { key: 'recording.notice.localSaved' } })),
    ];
    return () => offs.forEach((off) => off());
  }, [push]);
  useEffect(() => () => void localRecording.stop(), []);
  return active;
}
