import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { CAMERA_FPS, JOIN_TIMEOUT_MS, WINDOW, openRoom } from './room-page.js';
import { browserRoots, cpuSeconds, processTree, rssMiB } from './proc-usage.js';
import { installProbe, remoteTiles, videoRtp, waitForDecodingStreams, type RemoteTile, type VideoRtp } from './rtc-probe.js';

/** One received remote camera over the measuring window. */
export interface ReceivedVideo {
  receiver: string;
  sender: string;
  width: number;
  height: number;
  fps: number;
  /** Frames per second the tile's video element showed (undefined: its track changed during the window). */
  shownFps: number | undefined;
  /** The tile's drawn size, CSS pixels. */
  tile: string;
}

/** One of a sender's simulcast encodings over the measuring window. */
export interface SentEncoding {
  sender: string;
  rid: string;
  active: boolean;
  width: number;
  height: number;
  fps: number;
}

export interface TileMeeting {
  received: ReceivedVideo[];
  sent: SentEncoding[];
  /** Remote video streams that decoded nothing during the window, per receiver. */
  stalled: Map<string, number>;
  seconds: number;
  browserCpuPerMinute: number[];
  serverCpuPerMinute: number;
  serverRssMiB: number;
}

interface Sample {
  at: number;
  rtp: VideoRtp[][];
  tiles: RemoteTile[][];
  browserCpu: number[];
  serverCpu: number;
}

const NAMES = ['Ana', 'Ben', 'Cleo', 'Dan'];

/**
 * Four people in tile view, each in their own Chromium with a 1280×720 window.
 * After they all decode each other and a settling time, measures over `seconds`:
 * what each receives (resolution, fps), what each sends, and the CPU used.
 */
export async function measureTileMeeting(url: string, serverPid: number, settleSeconds: number, seconds: number): Promise<TileMeeting> {
  const browsers: Browser[] = [];
  try {
    const pages: Page[] = [];
    const room = `bench-tiles-${Date.now()}`;
    for (const name of NAMES) {
      const browser = await launchBrowser({ cameraFps: CAMERA_FPS });
      browsers.push(browser);
      const context = await browser.newContext({ viewport: WINDOW });
      await installProbe(context);
      const page = await context.newPage();
      await openRoom(page, `${url}/${room}`, name);
      // Joined once it sees everyone who came before.
      await waitForDecodingStreams(page, pages.length, JOIN_TIMEOUT_MS);
      pages.push(page);
    }
    await Promise.all(pages.map((page) => waitForDecodingStreams(page, NAMES.length - 1, JOIN_TIMEOUT_MS)));
    await Promise.all(pages.map(ensureTileView));
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));

    const roots = browserRoots();
    // CPU and time are read together, before the stats calls (whose own timestamps give the fps).
    const sample = async (): Promise<Sample> => {
      const at = performance.now();
      const browserCpu = roots.map((root) => cpuSeconds(processTree(root)));
      const serverCpu = cpuSeconds(processTree(serverPid));
      return { at, browserCpu, serverCpu, rtp: await Promise.all(pages.map(videoRtp)), tiles: await Promise.all(pages.map(remoteTiles)) };
    };
    const start = await sample();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const end = await sample();
    const minutes = (end.at - start.at) / 60_000;

    return {
      ...compareRtp(start, end),
      seconds: (end.at - start.at) / 1000,
      browserCpuPerMinute: end.browserCpu.map((cpu, i) => (cpu - start.browserCpu[i]!) / minutes),
      serverCpuPerMinute: (end.serverCpu - start.serverCpu) / minutes,
      serverRssMiB: rssMiB(processTree(serverPid)),
    };
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
  }
}

/** Tile view is what four people get by default; pressed here only if a remembered choice said otherwise. */
async function ensureTileView(page: Page): Promise<void> {
  const button = page.locator('[data-testid="toggle-tile-view"]');
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.dispatchEvent('click');
  if ((await button.getAttribute('aria-pressed')) !== 'true') throw new Error('tile view did not turn on');
}

function compareRtp(first: Sample, last: Sample): Pick<TileMeeting, 'received' | 'sent' | 'stalled'> {
  const [start, end] = [first.rtp, last.rtp];
  const received: ReceivedVideo[] = [];
  const sent: SentEncoding[] = [];
  const stalled = new Map<string, number>();
  end.forEach((streams, i) => {
    const name = NAMES[i]!;
    const before = new Map(start[i]!.map((s) => [s.key, s]));
    const tileOf = new Map(last.tiles[i]!.map((tile) => [tile.trackId, tile]));
    const tileBefore = new Map(first.tiles[i]!.map((tile) => [tile.trackId, tile]));
    for (const s of streams) {
      const first = before.get(s.key);
      const seconds = first ? (s.timestamp - first.timestamp) / 1000 : 0;
      const fps = first && seconds > 0 ? (s.frames - first.frames) / seconds : 0;
      if (s.direction === 'out') {
        sent.push({ sender: name, rid: s.rid || '-', active: s.active, width: s.width, height: s.height, fps });
      } else if (fps > 0) {
        const tile = tileOf.get(s.trackId);
        const shown = tile && tileBefore.get(s.trackId);
        const shownFps = tile && shown ? ((tile.presented - shown.presented) * 1000) / (tile.at - shown.at) : undefined;
        received.push({ receiver: name, sender: tile?.name ?? '?', width: s.width, height: s.height, fps, shownFps, tile: tile ? `${tile.width}x${tile.height}` : '?' });
      } else {
        stalled.set(name, (stalled.get(name) ?? 0) + 1);
      }
    }
  });
  return { received, sent, stalled };
}
