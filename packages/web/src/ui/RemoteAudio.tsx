import { useEffect, useRef } from 'preact/hooks';

interface Props {
  track: MediaStreamTrack;
  /** Called when the browser refuses to play sound before the person has interacted with the page. */
  onBlocked: () => void;
}

/** Plays one remote microphone. Rendered outside the tiles so layout changes never interrupt it. */
export function RemoteAudio({ track, onBlocked }: Props) {
  const ref = useRef<HTMLAudioElement>(null);
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
  return <audio ref={ref} autoplay data-remote-audio="" />;
}
