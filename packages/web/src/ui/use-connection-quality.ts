import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Conference } from '../conference/conference.js';
import { connectionFigures, type ConnectionFigures, type StatsSample } from '../conference/connection-quality.js';
import { receivedSample, sentSample, type TileSource } from '../conference/quality-samples.js';

/** Often enough to follow a change, rarely enough that reading every stream's stats costs nothing noticeable. */
const POLL_MS = 2_000;

/** Figures per tile, keyed by `qualityKey`. */
export type TileQualities = ReadonlyMap<string, ConnectionFigures>;

/** Your own tiles have their own key: what you send, not what you receive. */
export const qualityKey = (self: boolean, { participantId, source }: TileSource): string => (self ? `self:${source}` : `${participantId}:${source}`);

export const ConnectionQualityContext = createContext<TileQualities>(new Map());

/** The figures for one tile, once two polls have been made. */
export function useTileConnectionQuality(self: boolean, tile: TileSource): ConnectionFigures | undefined {
  return useContext(ConnectionQualityContext).get(qualityKey(self, tile));
}

/** Every tile's latest samples: what we receive from each remote video and what we send of our own. */
async function sampleTiles(conference: Conference): Promise<Map<string, StatsSample>> {
  const [inbound, outbound] = await Promise.all([conference.inboundStats(), conference.outboundStats()]);
  const at = performance.now();
  const samples = new Map<string, StatsSample>();
  const remoteTiles = new Map<string, TileSource>();
  for (const { participantId, source } of inbound) {
    // Every remote person has a camera tile; a screen tile only while they share.
    for (const tileSource of source === 'screen' ? (['camera', 'screen'] as const) : (['camera'] as const)) {
      remoteTiles.set(qualityKey(false, { participantId, source: tileSource }), { participantId, source: tileSource });
    }
  }
  for (const [key, tile] of remoteTiles) samples.set(key, receivedSample(inbound, tile, at));
  for (const source of ['camera', 'screen'] as const) {
    if (source === 'camera' || outbound.some((stream) => stream.source === 'screen')) {
      samples.set(qualityKey(true, { participantId: '', source }), sentSample(outbound, source, at));
    }
  }
  return samples;
}

/**
 * Reads the conference's stats every two seconds while the meeting is on screen
 * and turns each tile's last two samples into figures and a level. Nothing is
 * read while the page is hidden (nobody looks, and a throttled page should stay idle).
 */
export function useConnectionQualities(conference: Conference): TileQualities {
  const [qualities, setQualities] = useState<TileQualities>(new Map());
  useEffect(() => {
    let previous = new Map<string, StatsSample>();
    let busy = false;
    let stopped = false;
    const poll = async () => {
      if (busy || document.visibilityState !== 'visible' || conference.state.connection !== 'joined') return;
      busy = true;
      try {
        const samples = await sampleTiles(conference);
        if (stopped) return;
        setQualities(new Map([...samples].map(([key, sample]) => [key, connectionFigures(previous.get(key), sample)])));
        previous = samples;
      } catch {
        // A transport closed mid-read (reconnecting, leaving): the next poll tries again.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void poll(), POLL_MS);
    void poll();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [conference]);
  return qualities;
}
