import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoomIn, launchBrowser, selfId, waitForMediaFrom } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

type Violation = { directive: string; blocked: string; source: string };

/**
 * A browser context that records every CSP violation its pages report, and the console
 * errors in which Chromium also reports what a policy blocked.
 */
async function watchedContext(browser: Browser, problems: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript(() => {
    const seen: Violation[] = ((window as unknown as { cspViolations: Violation[] }).cspViolations = []);
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, source: `${event.sourceFile}:${event.lineNumber}` }),
    );
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(`console error on ${message.location().url}: ${message.text()}`);
  });
  return context;
}

const violationsOf = (page: Page): Promise<Violation[]> => page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);

describe('the Content-Security-Policy and ALLOWED_EMBEDDERS, in real Chromium', () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  const problems: string[] = [];

  before(async () => {
    let serverUrl = '';
    // The host site first, so the server can be told its origin.
    site = await startHostSite(() => serverUrl);
    server = await startTestServer({ ALLOWED_EMBEDDERS: site.url });
    serverUrl = server.url;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    await server?.close();
  });

  it('runs a meeting (two people, camera, microphone, screen share, chat) with no CSP violation', async () => {
    const ana = await joinRoomIn(await watchedContext(browser, problems), server.url, 'Policed', 'Ana');
    const bea = await joinRoomIn(await watchedContext(browser, problems), server.url, 'Policed', 'Bea');
    const [anaId, beaId] = [await selfId(ana.page), await selfId(bea.page)];
    await waitForMediaFrom(ana.page, [beaId]);
    await waitForMediaFrom(bea.page, [anaId]);

    await ana.page.getByTestId('toggle-chat').click();
    await ana.page.getByTestId('chat-input').fill('under policy');
    await ana.page.getByTestId('chat-send').click();
    await bea.page.getByTestId('toggle-chat').click();
    await bea.page.getByText('under policy').waitFor({ timeout: 5000 });
    await bea.page.getByTestId('toggle-screen').click();
    await ana.page.locator(`[data-participant-id="${beaId}"][data-source="screen"]`).waitFor({ timeout: 10_000 });
    await ana.page.getByTestId('toggle-tile-view').click();
    await ana.page.getByTestId('toggle-participants').click();

    for (const page of [ana.page, bea.page]) assert.deepEqual(await violationsOf(page), [], page.url());
    assert.deepEqual(problems, []);
    await ana.context.close();
    await bea.context.close();
  });

  it('shows the self-test and the invalid-room page (inline style by hash) with no violation; inline script is refused', async () => {
    const context = await watchedContext(browser, problems);
    const page = await context.newPage();
    await page.goto(`${server.url}/selftest`);
    await page.waitForSelector('[data-testid="selftest"][data-done="true"]', { timeout: 45_000 });
    assert.deepEqual(await violationsOf(page), []);

    const response = await page.goto(`${server.url}/not%20a%20room`);
    assert.equal(response?.status(), 400);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(20, 22, 26)', 'the page style applies');
    assert.deepEqual(await violationsOf(page), []);
    assert.deepEqual(problems, []);

    // The policy is enforced, and the watch above sees it: an injected inline script does not run.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    assert.equal(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected), undefined);
    const [violation] = await until(() => violationsOf(page), (seen) => seen.length > 0, 'a violation for the inline script');
    assert.equal(violation!.directive, 'script-src-elem');
    await context.close();
  });

  it('lets a listed origin embed a meeting and drive it with the iframe API', async () => {
    const host = await (await browser.newContext()).newPage();
    await host.goto(`${site.url}/?room=Embedded&name=Ana&domain=${new URL(server.url).host}`);
    const joined = await waitForEvent(host, 'videoConferenceJoined');
    assert.equal(joined.roomName, 'Embedded');
    assert.equal(server.registry.get('embedded')?.size, 1);
    await host.context().close();
  });

  it('refuses to be framed by an origin outside ALLOWED_EMBEDDERS: no meeting, no events', async () => {
    // The same host page, from http://localhost:port: another origin, not in the list.
    const unlisted = site.url.replace('127.0.0.1', 'localhost');
    const host = await (await browser.newContext()).newPage();
    const refused = host.waitForEvent('console', (message) => message.text().includes('frame-ancestors'));
    await host.goto(`${unlisted}/?room=Refused&name=Eve&domain=${new URL(server.url).host}`);
    assert.match((await refused).text(), /Framing 'http:\/\/127\.0\.0\.1:\d+\/' violates .*"frame-ancestors http:\/\/127\.0\.0\.1:\d+"\. The request has been blocked/);
    const meetingFrame = () => host.frames().find((frame) => frame !== host.mainFrame() && !frame.url().includes('/evil'));
    await until(() => meetingFrame()?.url(), (url) => url?.startsWith('chrome-error:') === true, 'the meeting frame showing the browser\'s error page');
    assert.deepEqual(await eventsOf(host), [], 'no iframe API event comes from a refused frame');
    assert.equal(server.registry.get('refused'), undefined, 'nobody joined');
    await host.context().close();
  });
});
