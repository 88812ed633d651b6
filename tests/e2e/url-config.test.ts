import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inboundStats, joinRoom, selfId, waitForMediaFrom } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

describe('Jitsi URL-hash settings and devices, in real Chromium', () => {
  const suite = useServerAndBrowser();

  it('honours startWithAudioMuted, startWithVideoMuted and userInfo.displayName', async () => {
    const host = await joinRoom(suite.browser, suite.server.url, 'Hash', 'Host');
    const ana = await joinRoom(suite.browser, suite.server.url, 'Hash', 'Ana', '&config.startWithAudioMuted=true&config.startWithVideoMuted=true');
    const anaId = await selfId(ana.page);
    const tile = host.page.locator(`[data-testid="tile"][data-participant-id="${anaId}"]`);
    await tile.locator('[data-testid="muted-badge"]').waitFor({ timeout: 5000 });
    assert.equal(await tile.locator('[data-testid="tile-name"]').textContent(), 'Ana');
    assert.equal(await tile.locator('video').count(), 0, 'no video while Ana starts with the camera off');
    assert.equal(await ana.page.evaluate(() => window.tertulia!.conference.state.local.cameraTrack), undefined, 'the camera was never opened');

    await ana.page.getByTestId('toggle-camera').click();
    await ana.page.getByTestId('toggle-mic').click();
    await waitForMediaFrom(host.page, [anaId]);
    await tile.locator('[data-testid="muted-badge"]').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('shows the prejoin screen by default and joins with the chosen name and muted mic', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/Prejoin`);
    await page.getByTestId('prejoin-preview').waitFor();
    await page.getByTestId('display-name-input').fill('Bea');
    await page.getByTestId('prejoin-mic-toggle').click();
    await page.getByTestId('join-button').click();
    await page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined');
    const self = await page.evaluate(() => window.tertulia!.conference.state.self);
    assert.equal(self.displayName, 'Bea');
    await page.waitForFunction(() => window.tertulia!.conference.state.self?.audioMuted === true);
    await context.close();
  });

  it('switches the camera mid-call without interrupting the others', async () => {
    const host = await joinRoom(suite.browser, suite.server.url, 'Devices', 'Host');
    const ana = await joinRoom(suite.browser, suite.server.url, 'Devices', 'Ana');
    const anaId = await selfId(ana.page);
    await waitForMediaFrom(host.page, [anaId]);
    await ana.page.getByTestId('device-settings').click();
    const cameras = ana.page.getByTestId('camera-select');
    // The list fills in once the browser has listed its devices; the assertion below says what it held.
    await cameras.locator('option', { hasText: 'fake_device_2' }).waitFor({ state: 'attached', timeout: 5000 }).catch(() => undefined);
    const options = await cameras.locator('option').evaluateAll((els) =>
      els.map((e) => ({ id: (e as HTMLOptionElement).value, label: e.textContent ?? '' })),
    );
    const other = options.find((o) => o.label.includes('fake_device_2'))?.id;
    assert.ok(other, `a second usable camera is offered (${JSON.stringify(options)})`);
    await cameras.selectOption(other);
    await ana.page.waitForFunction((id) => window.tertulia!.conference.state.local.cameraTrack?.getSettings().deviceId === id, other);
    const framesBefore = (await inboundStats(host.page)).find((s) => s.participantId === anaId && s.source === 'camera')!.framesDecoded;
    await waitForMediaFrom(host.page, [anaId]);
    const framesAfter = (await inboundStats(host.page)).find((s) => s.participantId === anaId && s.source === 'camera')!.framesDecoded;
    assert.ok(framesAfter > framesBefore, 'the same consumer keeps decoding after the switch');
  });
});
