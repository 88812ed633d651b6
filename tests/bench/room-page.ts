import type { Page } from 'playwright-core';

/** Each person's browser window, as on a laptop. */
export const WINDOW = { width: 1280, height: 720 };

/** The fake camera's frame rate: a webcam's 30, not Chromium's default 20, which would cap every fps figure at 20. */
export const CAMERA_FPS = 30;

/** Generous: other work may load the shared machine heavily. */
export const JOIN_TIMEOUT_MS = 120_000;

/** Opens a room with the prejoin screen off, as integrators embed it. */
export async function openRoom(page: Page, roomUrl: string, name: string): Promise<void> {
  await page.goto(`${roomUrl}#config.prejoinConfig.enabled=false&userInfo.displayName=${encodeURIComponent(JSON.stringify(name))}`, { timeout: JOIN_TIMEOUT_MS });
}
