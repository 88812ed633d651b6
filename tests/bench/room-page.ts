import type { Page } from 'playwright-core';

/** Each person's browser window, as on a laptop. */
export const WINDOW = { width: 1280, height: 720 };

/** Generous: other work may load the shared machine heavily. */
export const JOIN_TIMEOUT_MS = 120_000;

/** Opens a room with the prejoin screen off, as integrators embed it. */
export async function openRoom(page: Page, roomUrl: string, name: string): Promise<void> {
  await page.goto(`${roomUrl}#config.prejoinConfig.enabled=false&userInfo.displayName=${encodeURIComponent(JSON.stringify(name))}`, { timeout: JOIN_TIMEOUT_MS });
}
