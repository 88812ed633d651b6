import type { Browser, BrowserContext } from 'playwright-core';
import { joinRoomIn } from '../support/browser.js';
import { installProbe, waitForDecodingStreams } from './rtc-probe.js';
import { JOIN_TIMEOUT_MS, WINDOW, openRoom } from './room-page.js';

export interface JoinTimes {
  /** ms from opening the URL to the first decoded frame of the one other person */
  second: number;
  /** ms from opening the URL to decoded frames from both others */
  third: number;
}

/**
 * One run in a fresh room: a host joins, then a second and a third person, each
 * timed from opening the room URL (prejoin off, as integrators embed it) until they
 * decode video from everyone already there.
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
    await joinRoomIn(await open(), url, room, 'Host');
    const second = await timeToVideo(await open(), `${url}/${room}`, 'Second', 1);
    // The first two talk for a moment before the third arrives, as in a real meeting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const third = await timeToVideo(await open(), `${url}/${room}`, 'Third', 2);
    return { second, third };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}

async function timeToVideo(context: BrowserContext, roomUrl: string, name: string, others: number): Promise<number> {
  const page = await context.newPage();
  const started = performance.now();
  await openRoom(page, roomUrl, name);
  await waitForDecodingStreams(page, others, JOIN_TIMEOUT_MS);
  return performance.now() - started;
}
