import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoom, joinRoomIn, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';
import { until } from '../support/wait.js';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

/** The header's timer in seconds ("m:ss" or "h:mm:ss"). */
async function shownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('elapsed').textContent()) ?? '';
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

describe('conference duration from the server', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee;

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, 'Timer', 'Ana');
    // Bea joins later, from a machine whose clock is two hours fast.
    await until(() => shownSeconds(ana.page), (seconds) => seconds >= 4, 'Ana’s timer to pass 4 s', 15_000, 250);
    const skewed = await suite.browser.newContext({ viewport: { width: 1000, height: 700 } });
    // Only the clock is wrong; timers run as usual (a fake clock's timers would make the display lag).
    await skewed.addInitScript((offset) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + offset;
    }, TWO_HOURS_MS);
    bea = await joinRoomIn(skewed, suite.server.url, 'Timer', 'Bea');
  });

  it('shows the same elapsed time to a late joiner with a wrong clock as to the first participant', async () => {
    assert.ok((await bea.page.evaluate(() => Date.now())) - Date.now() > TWO_HOURS_MS - 60_000, 'Bea’s clock really is fast');
    const room = suite.server.registry.get('timer')!;
    const serverSeconds = () => Math.floor((Date.now() - room.startedAt) / 1000);
    // The pages are read between these two server readings (which a loaded machine can make seconds apart).
    const before = serverSeconds();
    const [a, b] = await Promise.all([shownSeconds(ana.page), shownSeconds(bea.page)]);
    const after = serverSeconds();
    assert.ok(a >= 4, `the meeting started before Bea joined (Ana shows ${a} s)`);
    assert.ok(Math.abs(a - b) <= 1, `Ana shows ${a} s, Bea ${b} s`);
    assert.ok(b >= before - 1 && b <= after + 1, `server ${before}–${after} s, Bea ${b} s`);
  });
});
