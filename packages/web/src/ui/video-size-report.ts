import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import type { TileModel } from './Tile.js';

/** Where tiles report how large they draw a remote video (the Conference's setVideoSize). */
export type VideoSizeSink = (participantId: string, source: TileModel['source'], height: number) => void;

export const VideoSizeContext = createContext<VideoSizeSink | undefined>(undefined);

/**
 * The conference's setVideoSize, except for the 0 of a tile that goes away because its
 * person left: the conference has forgotten them, and reporting would bring them back.
 */
export function videoSizeSinkOf(conference: Conference): VideoSizeSink {
  return (participantId, source, height) => {
    if (height === 0 && !conference.state.participants.some((p) => p.id === participantId)) return;
    conference.setVideoSize(participantId, source, height);
  };
}

/**
 * Tells the conference the drawn height (useDrawnHeight) of a remote person's tile, so the server
 * sends the layer that fills it: again on every resize, scroll out of view, page
 * hide, and 0 when the tile goes away. Own tiles report nothing.
 */
export function useReportedVideoSize({ participantId, source, self }: TileModel, height: number): void {
  const sink = useContext(VideoSizeContext);
  const report = self ? undefined : sink;
  useEffect(() => report?.(participantId, source, height), [report, participantId, source, height]);
  // The conference debounces, so the 0 of a tile that moves (tile view to stage) and its new height become one update.
  useEffect(() => () => report?.(participantId, source, 0), [report, participantId, source]);
}
