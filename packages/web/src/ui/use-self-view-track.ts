import { useEffect, useState } from 'preact/hooks';

/** Heights a self-view is scaled to: the camera layers' 180 and 360, and 540 for a larger stage. */
const STEPS = [180, 360, 540];

/** The height to show a camera capturing `captured` lines in a tile drawn `drawn` device pixels high: the first step that fills it. */
export function selfViewHeight(drawn: number, captured: number): number {
  return Math.min(captured, STEPS.find((step) => step >= drawn) ?? captured);
}

/**
 * Your own camera, scaled to the tile that shows it. The browser converts and draws every frame
 * of a video element: without a GPU, a 720p self-view in a 280-pixel tile cost more than the
 * remote videos together. A clone of the track scaled down costs a fraction; the camera itself
 * keeps sending what the others need. `drawnHeight` 0 (not measured, hidden) keeps the last size.
 */
export function useSelfViewTrack(track: MediaStreamTrack | undefined, drawnHeight: number): MediaStreamTrack | undefined {
  const [clone, setClone] = useState<MediaStreamTrack>();
  // Only where the browser scales each track on its own (it reports resizeMode, as Chromium does);
  // elsewhere constraining a clone may reconfigure the camera, and what we send with it.
  const settings = track?.getSettings();
  const scalable = settings !== undefined && 'resizeMode' in settings;
  useEffect(() => {
    if (!track || !scalable) return;
    const copy = track.clone();
    setClone(copy);
    return () => {
      copy.stop();
      setClone(undefined);
    };
  }, [track, scalable]);
  const { width = 0, height: captured = 0 } = settings ?? {};
  const height = drawnHeight > 0 && captured > 0 ? selfViewHeight(drawnHeight, captured) : undefined;
  useEffect(() => {
    if (!clone || height === undefined) return;
    clone.applyConstraints({ width: Math.round((height * width) / captured), height }).catch(() => undefined);
  }, [clone, height, width, captured]);
  return clone ?? track;
}
