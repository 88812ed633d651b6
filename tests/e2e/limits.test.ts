import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { joinRoom, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';
import { until } from '../support/wait.js';
import { joinAs, RawClient } from '../support/ws-client.js';

const JOIN_TIMEOUT_SECONDS = 2;
const MAX_CONNECTIONS_PER_IP = 4;

/** Opens `room` as a new person and returns the error page's text. */
async function refusalPage(url: string, browser: Browser, room: string): Promise<{ page: Page; text: string }> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${url}/${room}#config.prejoinConfig.enabled=false&userInfo.displayName="Late"`);
  const error = page.getByTestId('conference-error');
  // Generous: on a loaded 2-core machine a browser start plus join can take a while.
  await error.waitFor({ timeout: 45_000 });
  return { page, text: (await error.textContent()) ?? '' };
}

describe('limits, as a person in a browser meets them', () => {
  const suite = useServerAndBrowser({
    JOIN_TIMEOUT_SECONDS: String(JOIN_TIMEOUT_SECONDS),
    MAX_PARTICIPANTS: '3',
    MAX_CONNECTIONS_PER_IP: String(MAX_CONNECTIONS_PER_IP),
    // Low enough that one person's video forwarded through the media server overloads it.
    CPU_LOAD_THRESHOLD: '0.01',
    P2P_ENABLED: '0',
  });
  let ana: Attendee;

  it('lets in someone who lingered on the prejoin screen longer than the join timeout', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/Lingering`);
    await page.getByTestId('display-name-input').fill('Ana');
    await sleep(2 * JOIN_TIMEOUT_SECONDS * 1000);
    await page.getByTestId('join-button').click();
    await page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 45_000 });
    await sleep(2 * JOIN_TIMEOUT_SECONDS * 1000);
    assert.equal(await page.evaluate(() => window.tertulia!.conference.state.connection), 'joined', 'still in after the join timeout');
    ana = { context, page, name: 'Ana' };
  });

  it('says so when the meeting is full, or when its network has too many connections open', async () => {
    // Two more people from this machine fill the meeting.
    const others = [await joinAs(suite.server.url, 'Lingering', 'Uno'), await joinAs(suite.server.url, 'Lingering', 'Dos')];
    const full = await refusalPage(suite.server.url, suite.browser, 'Lingering');
    assert.match(full.text, /This meeting is full/);
    await full.page.context().close();

    // A connectivity self-test from here too (a socket the join timeout leaves open): this address has all its connections.
    const tester = await RawClient.connect(suite.server.url);
    assert.equal((await tester.request('selfTest')).ok, true);
    const crowded = await refusalPage(suite.server.url, suite.browser, 'Crowded');
    assert.match(crowded.text, /Too many connections/);
    await sleep(1000);
    assert.equal(await crowded.page.evaluate(() => window.tertulia!.conference.state.connection), 'failed', 'no reconnecting');
    await crowded.page.context().close();
    for (const { client } of others) await client.request('leave');
    for (const client of [tester, ...others.map((other) => other.client)]) client.close();
  });

  it('refuses new meetings while the media workers are overloaded, lets people into the running one, and its health says so', async () => {
    const health = async () => {
      const response = await fetch(`${suite.server.url}/about/health`);
      return { status: response.status, body: (await response.json()) as { status: string } };
    };
    // Someone watching Ana: a camera nobody receives is not encoded at all (its sender turns its layers off).
    const anaId = await selfId(ana.page);
    const bea = await joinRoom(suite.browser, suite.server.url, 'Lingering', 'Bea');
    await waitForMediaFrom(bea.page, [anaId]);
    await until(health, (h) => h.status === 503, 'the health check to report overload', 30_000);
    assert.deepEqual((await health()).body, { status: 'overloaded' });
    const stats = (await (await fetch(`${suite.server.opsUrl}/colibri/stats`)).json()) as { stress_level: number; healthy: boolean };
    assert.ok(stats.stress_level >= 1, `stress_level ${stats.stress_level}`);
    assert.equal(stats.healthy, false);

    const { page, text } = await refusalPage(suite.server.url, suite.browser, 'Another');
    assert.match(text, /This server is busy/);
    await page.context().close();
    const cleo = await joinRoom(suite.browser, suite.server.url, 'Lingering', 'Cleo');
    await waitForMediaFrom(cleo.page, [anaId]);

    await Promise.all([ana.context.close(), bea.context.close(), cleo.context.close()]);
    await until(health, (h) => h.status === 200, 'the health check to recover once the media stops', 30_000);
  });
});
