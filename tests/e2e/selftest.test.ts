import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { createTestNetwork, launchBrowserIn, SERVER_IP, startServerIn, type NamespacedServer, type TestNetwork } from '../support/netns.js';
import { startTestServer } from '../support/server.js';
import { freePort } from '../support/slapd.js';

const SECRET = 'selftest-static-auth-secret';

interface Outcome {
  path: string;
  checks: Record<string, { status: string; detail: string }>;
  summary: string;
  advice: string[];
}

/** Opens `url` (the /selftest page), waits for the test to finish and reads what it shows. */
async function runSelfTest(page: Page, url: string): Promise<Outcome> {
  await page.goto(url);
  await page.waitForSelector('[data-testid="selftest"][data-done="true"]', { timeout: 45_000 });
  return readOutcome(page);
}

async function readOutcome(page: Page): Promise<Outcome> {
  const checks: Outcome['checks'] = {};
  for (const row of await page.locator('[data-testid^="check-"]').all()) {
    const id = (await row.getAttribute('data-testid'))!.replace('check-', '');
    checks[id] = { status: (await row.getAttribute('data-status'))!, detail: (await row.locator('.selftest__detail').textContent()) ?? '' };
  }
  return {
    path: (await page.locator('[data-testid="selftest"]').getAttribute('data-path'))!,
    checks,
    summary: (await page.locator('[data-testid="selftest-verdict"] .selftest__path').textContent()) ?? '',
    advice: await page.locator('[data-testid="selftest-advice"] li').allTextContents(),
  };
}

const statuses = (outcome: Outcome) => Object.fromEntries(Object.entries(outcome.checks).map(([id, c]) => [id, c.status]));

describe('connectivity self-test, everything open', () => {
  let coturn: Coturn;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    coturn = await startCoturn({ secret: SECRET });
    server = await startTestServer({ TURN_HOST: '127.0.0.1', TURN_PORT: String(coturn.port), TURN_TRANSPORT: 'udp,tcp', TURN_CREDENTIALS: SECRET });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await coturn?.stop();
  });

  it('reports every path working, UDP as the one meetings take, and nothing to fix', async (t) => {
    const page = await browser.newPage();
    const outcome = await runSelfTest(page, `${server.url}/selftest`);
    t.diagnostic(JSON.stringify(outcome));
    assert.deepEqual(statuses(outcome), { websocket: 'ok', udp: 'ok', tcp: 'ok', turn: 'ok', relay: 'ok' });
    assert.equal(outcome.path, 'udp');
    assert.match(outcome.summary, /audio and video go over UDP straight to the media server/);
    assert.deepEqual(outcome.advice, []);
    assert.match(outcome.checks['turn']!.detail, /transport=udp: relay allocated.*transport=tcp: relay allocated/);
    assert.match(coturn.log(), /user <\d+:selftest-[0-9a-f]{8}>: incoming packet ALLOCATE processed, success/, 'coturn allocated with the test\'s own credentials');
  });

  it('is also a step of the prejoin screen', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/PrejoinCheck`);
    await page.getByTestId('selftest-start').click();
    await page.waitForSelector('[data-testid="selftest"][data-done="true"]', { timeout: 45_000 });
    const outcome = await readOutcome(page);
    assert.equal(outcome.path, 'udp');
    assert.equal(outcome.checks['websocket']!.status, 'ok');
    assert.equal(server.registry.rooms().length, 0, 'testing joins no room');
    await context.close();
  });
});

describe('connectivity self-test, TURN unreachable', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    // A TURN address where nothing listens (UDP and TCP), as when coturn is down or firewalled.
    const nowhere = await freePort();
    server = await startTestServer({ TURN_HOST: '127.0.0.1', TURN_PORT: String(nowhere), TURN_TRANSPORT: 'udp,tcp', TURN_CREDENTIALS: SECRET });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports direct media working, TURN failing, and tells the administrator to check coturn and its ports', async (t) => {
    const outcome = await runSelfTest(await browser.newPage(), `${server.url}/selftest`);
    t.diagnostic(JSON.stringify(outcome));
    assert.deepEqual(statuses(outcome), { websocket: 'ok', udp: 'ok', tcp: 'ok', turn: 'failed', relay: 'skipped' });
    assert.equal(outcome.path, 'udp');
    assert.ok(
      outcome.advice.some((line) => /TURN server does not answer .*check that coturn is running and that its ports are open/.test(line)),
      outcome.advice.join('\n'),
    );
  });
});

describe('connectivity self-test, UDP blocked', () => {
  let net: TestNetwork;
  let server: NamespacedServer;
  let coturn: Coturn;
  let blocked: { browser: Browser; close(): Promise<void> };

  before(async () => {
    net = await createTestNetwork();
    await net.blockClientUdp();
    coturn = await startCoturn({ secret: SECRET, ip: SERVER_IP, port: 3478, prefix: ['/usr/sbin/ip', 'netns', 'exec', net.serverNs] });
    server = await startServerIn(net.serverNs, { TURN_HOST: SERVER_IP, TURN_PORT: '3478', TURN_TRANSPORT: 'udp,tcp', TURN_CREDENTIALS: SECRET });
    blocked = await launchBrowserIn(net.clientNs, server.url);
  });
  after(async () => {
    await blocked?.close().catch(() => undefined);
    await server?.stop();
    await coturn?.stop();
    await net?.close();
  });

  it('reports UDP blocked, TCP working as the path meetings take, and tells the administrator to open UDP', async (t) => {
    const outcome = await runSelfTest(await blocked.browser.newPage(), `${server.url}/selftest`);
    t.diagnostic(JSON.stringify(outcome));
    assert.equal(outcome.checks['websocket']!.status, 'ok');
    assert.equal(outcome.checks['udp']!.status, 'failed');
    assert.match(outcome.checks['udp']!.detail, /UDP port 10000 blocked/);
    assert.equal(outcome.checks['tcp']!.status, 'ok');
    assert.equal(outcome.path, 'tcp');
    assert.match(outcome.summary, /UDP to the media server is blocked from this network, so meetings use TCP port 10000/);
    assert.ok(outcome.advice.some((line) => /^Open UDP port 10000 inbound on the server/.test(line)), outcome.advice.join('\n'));
    // TURN over UDP is blocked as well; TURN over TCP gets through and relays to the media server.
    assert.equal(outcome.checks['turn']!.status, 'ok');
    assert.match(outcome.checks['turn']!.detail, /transport=udp: (unreachable|no answer).*transport=tcp: relay allocated/);
    assert.equal(outcome.checks['relay']!.status, 'ok');
  });
});
