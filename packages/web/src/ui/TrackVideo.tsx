import { useEffect, useRef } from 'preact/hooks';

interface Props {
  track: MediaStreamTrack;
  /** Self-views are mirrored so moving left looks like moving left. */
  mirrored?: boolean;
  /** Screens are shown whole; cameras fill their tile. */
  fit?: 'cover' | 'contain';
  testId?: string;
}

/** A muted, inline, autoplaying video of one track; audio plays elsewhere. */
export function TrackVideo({ track, mirrored = false, fit = 'cover', testId }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = new MediaStream([track]);
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  return (
    <video
      ref={ref}
      class={`video video--${fit}${mirrored ? ' video--mirrored' : ''}`}
      autoplay
      playsInline
      muted
      data-testid={testId}
    />
  );
}
