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
    /** Starts timing the frames shown in the remote tiles of \`name\` (requestVideoFrameCallback: what reaches the screen). */
    startGapMeter(name) {
      const meter = { longest: 0, last: performance.now(), stopped: false, seen: new WeakSet(), timer: 0 };
      const watch = () => {
        for (const tile of document.querySelectorAll('[data-testid="tile"][data-self="false"]')) {
          const label = tile.querySelector('[data-testid="tile-name"]');
          const video = tile.querySelector('video');
          if (!video || !label || label.textContent.trim() !== name || meter.seen.has(video)) continue;
          meter.seen.add(video);
          const onFrame = (now) => {
            if (meter.stopped) return;
            meter.longest = Math.max(meter.longest, now - meter.last);
            meter.last = now;
            video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
        }
      };
      watch();
      meter.timer = setInterval(watch, 20);
      this.gapMeter = meter;
    },
    /** The longest time without a new frame shown since startGapMeter, ms. */
    stopGapMeter() {
      const meter = this.gapMeter;
      meter.stopped = true;
      clearInterval(meter.timer);
      return Math.round(Math.max(meter.longest, performance.now() - meter.last));
    },
    remoteTiles() {
      const out = [];
      for (const tile of document.querySelectorAll('[data-testid="tile"][data-self="false"]')) {
        const video = tile.querySelector('video');
        const track = video && video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : undefined;
        if (!track) continue;
        const name = tile.querySelector('[data-testid="tile-name"]');
        out.push({ trackId: track.id, name: name ? name.textContent.trim() : '?', width: video.clientWidth, height: video.clientHeight, presented: video.getVideoPlaybackQuality().totalVideoFrames, at: performance.now() });
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
  /** Frames the video element has shown (getVideoPlaybackQuality), and when it was read, ms. */
  presented: number;
  at: number;
}

interface Probe {
  videoRtp(): Promise<VideoRtp[]>;
  startGapMeter(name: string): void;
  stopGapMeter(): number;
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

/** Starts timing the frames `page` shows of `name`'s camera; the returned function stops and gives the longest gap, ms. */
export async function startGapMeter(page: Page, name: string): Promise<() => Promise<number>> {
  await page.evaluate((who) => window.__benchProbe!.startGapMeter(who), name);
  return () => page.evaluate(() => window.__benchProbe!.stopGapMeter());
}

export function remoteTiles(page: Page): Promise<RemoteTile[]> {
  return page.evaluate(() => window.__benchProbe!.remoteTiles());
}

/** Resolves once the page decodes video from at least `count` remote streams. */
export async function waitForDecodingStreams(page: Page, count: number, timeoutMs: number): Promise<void> {
  // The page polls itself: page.waitForFunction takes an async predicate's promise as a truthy answer at once.
  const decoding = await page.evaluate(
    async ([n, timeout]) => {
      const deadline = performance.now() + timeout;
      for (;;) {
        const streams = (await window.__benchProbe!.videoRtp()).filter((s) => s.direction === 'in' && s.frames > 0).length;
        if (streams >= n || performance.now() > deadline) return streams;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    [count, timeoutMs] as const,
  );
  if (decoding < count) throw new Error(`${decoding} of ${count} remote videos decoding after ${timeoutMs} ms`);
}
