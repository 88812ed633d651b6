import { useEffect, useRef } from 'preact/hooks';
import { pageConfig } from '../config/page-config.js';
import { useMediaPreferences } from './media-preferences.js';

interface Props {
  participantId: string;
  track: MediaStreamTrack;
  /** Called when the browser refuses to play sound before the person has interacted with the page. */
  onBlocked: () => void;
}

/** Plays one remote microphone. Rendered outside the tiles so layout changes never interrupt it. */
export function RemoteAudio({ participantId, track, onBlocked }: Props) {
  const ref = useRef<HTMLAudioElement>(null);
  const { volumes, audioOutputDeviceId } = useMediaPreferences();
  const volume = volumes[participantId] ?? 1;
  useEffect(() => {
    if (ref.current) ref.current.volume = volume;
  }, [volume]);
  useEffect(() => {
    // setSinkId is missing in some browsers (Safari before 18.4); sound then stays on the default output.
    const audio = ref.current as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    audio?.setSinkId?.(audioOutputDeviceId ?? '').catch(() => undefined);
  }, [audioOutputDeviceId]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = new MediaStream([track]);
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') onBlocked();
    });
    return () => {
      audio.srcObject = null;
    };
    // onBlocked is deliberately not a dependency: a new callback must not restart playback.
  }, [track]);
  // Jitsi's startSilent: the meeting plays no one's sound (a listening-only embed).
  return <audio ref={ref} autoplay muted={pageConfig().startSilent} data-remote-audio="" data-participant-id={participantId} />;
}
