import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from './browser.js';
import { startTestServer } from './server.js';

export interface ServerAndBrowser {
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * For a suite of browser tests: a real server and Chromium, started before the suite's
 * tests and closed after them. Call inside `describe`; read the fields inside tests.
 */
export function useServerAndBrowser(env: Record<string, string> = {}): ServerAndBrowser {
  const running: { server?: RunningServer; browser?: Browser } = {};
  before(async () => {
    running.server = await startTestServer(env);
    running.browser = await launchBrowser();
  });
  after(async () => {
    await running.browser?.close();
    await running.server?.close();
  });
  return {
    get server() {
      if (!running.server) throw new Error('the test server starts before the suite’s tests');
      return running.server;
    },
    get browser() {
      if (!running.browser) throw new Error('the browser starts before the suite’s tests');
      return running.browser;
    },
  };
}
