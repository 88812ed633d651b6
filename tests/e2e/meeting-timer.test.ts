import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, joinRoomIn, launchBrowser, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

/** The header's timer in seconds ("m:ss" or "h:mm:ss"). */
async function shownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('elapsed').textContent()) ?? '';
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

describe('conference duration from the server', () => {
  let server: RunningServer;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    ana = await joinRoom(browser, server.url, 'Timer', 'Ana');
    // Bea joins later, from a machine whose clock is two hours fast.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const skewed = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    // Only the clock is wrong; timers run as usual (a fake clock's timers would make the display lag).
    await skewed.addInitScript((offset) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + offset;
    }, TWO_HOURS_MS);
    bea = await joinRoomIn(skewed, server.url, 'Timer', 'Bea');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the same elapsed time to a late joiner with a wrong clock as to the first participant', async () => {
    assert.ok((await bea.page.evaluate(() => Date.now())) - Date.now() > TWO_HOURS_MS - 60_000, 'Bea’s clock really is fast');
    const [a, b] = await Promise.all([shownSeconds(ana.page), shownSeconds(bea.page)]);
    assert.ok(a >= 4, `the meeting started before Bea joined (Ana shows ${a} s)`);
    assert.ok(Math.abs(a - b) <= 1, `Ana shows ${a} s, Bea ${b} s`);
    const room = server.registry.get('timer')!;
    const serverSeconds = Math.floor((Date.now() - room.startedAt) / 1000);
    assert.ok(Math.abs(serverSeconds - b) <= 1, `server ${serverSeconds} s, Bea ${b} s`);
  });
});
