import type { BrowserContext, Page } from 'playwright-core';

/**
 * Reads video RTP stats straight from the page's RTCPeerConnections, so the same
 * bench measures any version of the client (older ones expose fewer stats of their own).
 * A string, not a function: tsx would wrap named functions with a helper the page lacks.
 */
const PROBE_SCRIPT = `(() => {
  const connections = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      connections.push(this);
    }
  };
  window.__benchProbe = {
    async videoRtp() {
      const out = [];
      for (const [pc, connection] of connections.entries()) {
        if (connection.connectionState === 'closed') continue;
        const report = await connection.getStats();
        for (const s of report.values()) {
          if (s.kind !== 'video' || (s.type !== 'inbound-rtp' && s.type !== 'outbound-rtp')) continue;
          // mediasoup-client's bandwidth probe: padding only, never a picture.
          if (s.trackIdentifier === 'probator') continue;
          const inbound = s.type === 'inbound-rtp';
          out.push({
            key: pc + '/' + s.id,
            direction: inbound ? 'in' : 'out',
            trackId: s.trackIdentifier ?? '',
            rid: s.rid ?? '',
            active: s.active !== false,
            frames: (inbound ? s.framesDecoded : s.framesEncoded) ?? 0,
            width: s.frameWidth ?? 0,
            height: s.frameHeight ?? 0,
            timestamp: s.timestamp,
          });
        }
      }
      return out;
    },
    remoteTiles() {
      const out = [];
      for (const tile of document.querySelectorAll('[data-testid="tile"][data-self="false"]')) {
        const video = tile.querySelector('video');
        const track = video && video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : undefined;
        if (!track) continue;
        const name = tile.querySelector('[data-testid="tile-name"]');
        out.push({ trackId: track.id, name: name ? name.textContent.trim() : '?', width: video.clientWidth, height: video.clientHeight });
      }
      return out;
    },
  };
})();`;

/** One video RTP stream of a page: a received camera (`in`) or one of its own simulcast encodings (`out`). */
export interface VideoRtp {
  /** Stable for the stream's life: peer connection index and stats id. */
  key: string;
  direction: 'in' | 'out';
  trackId: string;
  rid: string;
  active: boolean;
  /** framesDecoded for `in`, framesEncoded for `out`. */
  frames: number;
  width: number;
  height: number;
  /** ms */
  timestamp: number;
}

/** A remote video tile as drawn: whose, and the element's size in CSS pixels. */
export interface RemoteTile {
  trackId: string;
  name: string;
  width: number;
  height: number;
}

interface Probe {
  videoRtp(): Promise<VideoRtp[]>;
  remoteTiles(): RemoteTile[];
}

declare global {
  interface Window {
    __benchProbe?: Probe;
  }
}

/** Installs the probe in every page the context opens from now on. */
export async function installProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: PROBE_SCRIPT });
}

export function videoRtp(page: Page): Promise<VideoRtp[]> {
  return page.evaluate(() => window.__benchProbe!.videoRtp());
}

export function remoteTiles(page: Page): Promise<RemoteTile[]> {
  return page.evaluate(() => window.__benchProbe!.remoteTiles());
}

/** Resolves once the page decodes video from at least `count` remote streams. */
export async function waitForDecodingStreams(page: Page, count: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    async (n) => (await window.__benchProbe!.videoRtp()).filter((s) => s.direction === 'in' && s.frames > 0).length >= n,
    count,
    { polling: 50, timeout: timeoutMs },
  );
}
