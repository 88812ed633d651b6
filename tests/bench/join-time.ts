import type { Browser, BrowserContext, Page } from 'playwright-core';
import { joinRoomIn } from '../support/browser.js';
import { installProbe, startGapMeter, waitForDecodingStreams } from './rtc-probe.js';
import { JOIN_TIMEOUT_MS, WINDOW, openRoom } from './room-page.js';

export interface JoinTimes {
  /** ms from opening the URL to the first decoded frame of the one other person */
  second: number;
  /** ms from the second person opening the URL until the host decodes their video */
  hostSeesSecond: number;
  /** ms from opening the URL to decoded frames from both others */
  third: number;
  /** The longest time the first two went without a new frame of each other on screen while the third joined (direct link → server), ms. */
  switchGap: number;
}

/**
 * One run in a fresh room: a host joins, then a second and a third person, each
 * timed from opening the room URL (prejoin off, as integrators embed it) until they
 * decode video from everyone already there; the host's view of the second is timed too,
 * and the first two's view of each other while the third's arrival moves them off their direct link.
 */
export async function measureJoin(browser: Browser, url: string, room: string): Promise<JoinTimes> {
  const contexts: BrowserContext[] = [];
  const open = async () => {
    const context = await browser.newContext({ viewport: WINDOW });
    contexts.push(context);
    await installProbe(context);
    return context;
  };
  try {
    const host = (await joinRoomIn(await open(), url, room, 'Host')).page;
    const secondPage = await (await open()).newPage();
    const secondOpens = performance.now();
    const [second, hostSeesSecond] = await Promise.all([timeToVideo(secondPage, `${url}/${room}`, 'Second', 1), decodingAfter(host, 1, secondOpens)]);
    // The first two talk for a moment before the third arrives, as in a real meeting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const meters = await Promise.all([startGapMeter(host, 'Second'), startGapMeter(secondPage, 'Host')]);
    const third = await timeToVideo(await (await open()).newPage(), `${url}/${room}`, 'Third', 2);
    // Long enough for the direct link to hand over to the server's streams.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const gaps = await Promise.all(meters.map((stop) => stop()));
    return { second, hostSeesSecond, third, switchGap: Math.max(...gaps) };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}

/** Opens `roomUrl` in `page` as `name`; ms until it decodes `others` remote videos. */
async function timeToVideo(page: Page, roomUrl: string, name: string, others: number): Promise<number> {
  const since = performance.now();
  await openRoom(page, roomUrl, name);
  return decodingAfter(page, others, since);
}

/** ms from `since` until `page` decodes `others` remote videos. */
async function decodingAfter(page: Page, others: number, since: number): Promise<number> {
  await waitForDecodingStreams(page, others, JOIN_TIMEOUT_MS);
  return performance.now() - since;
}
