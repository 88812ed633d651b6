import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium with fake camera/mic and nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  // Three fake cameras so switching can be tested. Chrome's fake_device_1 emits 16-bit depth
  // frames no video encoder takes; fake_device_2 (MJPEG) behaves like a real webcam.
  '--use-fake-device-for-media-stream=device-count=3',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  // Media is served on 127.0.0.1 only in tests; Chromium skips loopback candidates without this.
  '--allow-loopback-in-peer-connection',
  // getDisplayMedia picks a screen by itself instead of showing a picker.
  '--auto-select-desktop-capture-source=Entire screen',
];

/**
 * `cameraFps`: the fake camera's frame rate (Chromium's default is 20; a webcam gives 30, which
 * the benchmark uses so frame rates compare with a real meeting). `cameraFile`: a .y4m or .mjpeg
 * file the fake camera plays instead of its test pattern, so each browser's video can be told apart.
 */
export function launchBrowser(options: { cameraFps?: number; cameraFile?: string } = {}): Promise<Browser> {
  const args = CHROMIUM_ARGS.map((arg) =>
    options.cameraFps && arg.startsWith('--use-fake-device-for-media-stream') ? `${arg},fps=${options.cameraFps}` : arg,
  );
  if (options.cameraFile) args.push(`--use-file-for-fake-video-capture=${options.cameraFile}`);
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args });
}

export interface Attendee {
  context: BrowserContext;
  page: Page;
  name: string;
}

/** Opens a room as a new person (own cookies and storage), skipping the prejoin the way integrators do. */
export async function joinRoom(browser: Browser, serverUrl: string, room: string, name: string, hash = ''): Promise<Attendee> {
  return joinRoomIn(await browser.newContext({ viewport: { width: 1000, height: 700 } }), serverUrl, room, name, hash);
}

/** `joinRoom` in a context the caller prepared (a locale, a skewed clock, …). */
export async function joinRoomIn(context: BrowserContext, serverUrl: string, room: string, name: string, hash = ''): Promise<Attendee> {
  const page = await context.newPage();
  const config = `#config.prejoinConfig.enabled=false&userInfo.displayName=${encodeURIComponent(JSON.stringify(name))}${hash}`;
  await page.goto(`${serverUrl}/${room}${config}`);
  // Generous: on a loaded 2-core machine a browser start plus join can take a while.
  await page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 45_000 });
  return { context, page, name };
}

export interface Stat {
  participantId: string;
  path: 'server' | 'p2p';
  source: string;
  kind: string;
  framesDecoded: number;
  totalAudioEnergy: number;
  bytesReceived: number;
}

/** A meeting page or frame, in Chromium (playwright-core) or Firefox (puppeteer-core): the media helpers only evaluate in it. */
export interface MeetingPage {
  evaluate(read: () => Promise<Stat[]>): Promise<Stat[]>;
}

export function inboundStats(page: MeetingPage): Promise<Stat[]> {
  return page.evaluate(() => window.tertulia!.conference.inboundStats());
}

export function selfId(page: Page): Promise<string> {
  return page.evaluate(() => window.tertulia!.conference.state.self!.id);
}

/**
 * Waits until `page` decodes video that keeps advancing, and hears audio, from
 * each of `fromIds`, checking every `intervalMs` (a timing measured with it includes up
 * to two intervals). Returns the frames decoded per sender at the end.
 * `restartedBelow`, what an earlier call returned, waits for streams that started again
 * since: after a media move the old stream goes and a new one counts from 0, so a sender
 * counts once a sample has shown fewer frames than that; frames still arriving on the old
 * stream must not count as media back.
 */
export async function waitForMediaFrom(
  page: MeetingPage,
  fromIds: string[],
  timeoutMs = 20_000,
  intervalMs = 700,
  restartedBelow?: Map<string, number>,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let last = new Map<string, number>();
  const restarted = new Set<string>();
  let lastReport = '';
  while (Date.now() < deadline) {
    const stats = await inboundStats(page);
    const frames = new Map(stats.filter((s) => s.source === 'camera').map((s) => [s.participantId, s.framesDecoded]));
    const audio = new Map(stats.filter((s) => s.source === 'mic').map((s) => [s.participantId, s.totalAudioEnergy]));
    for (const id of fromIds) if (restartedBelow && (frames.get(id) ?? 0) < (restartedBelow.get(id) ?? Infinity)) restarted.add(id);
    const ok = fromIds.every(
      (id) => (frames.get(id) ?? 0) > (last.get(id) ?? 0) && (last.get(id) ?? 0) > 0 && (audio.get(id) ?? 0) > 0 && (!restartedBelow || restarted.has(id)),
    );
    if (ok) return frames;
    lastReport = JSON.stringify(stats);
    last = frames;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`no live media from ${fromIds.join(', ')} within ${timeoutMs} ms; last stats: ${lastReport}`);
}

/** One media transport's selected ICE candidate pair, as `conference.mediaPaths()` reports it. */
export interface MediaPath {
  direction: string;
  state: string;
  localCandidateType?: string;
  protocol?: string;
  relayProtocol?: string;
  roundTripTimeMs?: number;
}

/** Waits until both media transports are connected and every selected pair satisfies `ok`; returns them. */
export async function waitForMediaPaths(page: Page, ok: (path: MediaPath) => boolean, what: string, timeoutMs = 15_000): Promise<MediaPath[]> {
  const deadline = Date.now() + timeoutMs;
  let paths: MediaPath[] = [];
  while (Date.now() < deadline) {
    paths = await page.evaluate(() => window.tertulia!.conference.mediaPaths());
    if (paths.length === 2 && paths.every((p) => p.state === 'connected' && ok(p))) return paths;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`transports not connected ${what} within ${timeoutMs} ms: ${JSON.stringify(paths)}`);
}

declare global {
  interface Window {
    tertulia?: {
      conference: {
        state: any;
        inboundStats(): Promise<Stat[]>;
        sendChat(text: string, to?: string): Promise<void>;
        p2pCandidateType(): Promise<string | undefined>;
        mediaPaths(): Promise<MediaPath[]>;
        restartIce(): Promise<void>;
        setAudioMuted(muted: boolean): Promise<void>;
        votePoll(pollId: string, option: number): Promise<void>;
        moderate(method: string, data: object): Promise<void>;
        setMediaEncryptionKey(key: Uint8Array, index: number): void;
        e2eeDecryptFailures(): Record<string, number>;
        e2eeKeyIndex(): number | undefined;
      };
    };
  }
}
