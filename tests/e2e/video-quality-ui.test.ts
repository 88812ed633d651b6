import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { RequestData } from '@tertulia/protocol';
import { joinRoomIn, selfId, type Attendee } from '../support/browser.js';
import { startHostSite, waitForEvent } from '../support/host-site.js';
import { useServerAndBrowser } from '../support/suite.js';
import { until } from '../support/wait.js';

/*
 * The UI side of issue 10: every remote tile tells the server how large it draws the
 * video (0 when nobody can see it), the large tile's person goes on stage, the quality
 * setting and audio-only change what the page asks for and sends, held-back videos say
 * so, and Jitsi's iframe names (setVideoQuality, setAudioOnly and their events) work
 * from another site.
 */

type Constraints = RequestData<'setReceiverConstraints'>;

const MUTED = '&config.startWithAudioMuted=true';
const tile = (id: string) => `[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`;
/** Bytes Ana's camera encodings sent to the server in two seconds. */
async function cameraBytesSentMeanwhile(page: Page): Promise<number> {
  const total = () =>
    page.evaluate(async () =>
      ((await (window.tertulia!.conference as any).outboundStats()) as Array<{ source: string; bytesSent: number }>)
        .filter((s) => s.source === 'camera')
        .reduce((sum, s) => sum + s.bytesSent, 0),
    );
  const before = await total();
  await page.waitForTimeout(2_000);
  return (await total()) - before;
}
const videoState = (page: Page | Frame) =>
  page.evaluate(() => window.tertulia!.conference.state.video as { maxHeight: number; audioOnly: boolean; lastN: number });

/**
 * What each remote camera tile on `page` should report: its height in device pixels while
 * any of it shows inside its scrolling area, else 0, and never above the quality cap.
 * Tiles within a pixel of an edge are left out (either answer is right).
 */
async function expectedHeights(page: Page | Frame, ids: string[]): Promise<Map<string, number>> {
  const entries = await page.evaluate((ids) => {
    const cap = (window.tertulia!.conference.state.video as { maxHeight: number }).maxHeight;
    return ids.flatMap((id) => {
      const element = document.querySelector(`[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`);
      const scroller = element?.closest('.stage, .filmstrip');
      if (!element || !scroller) return [];
      const box = element.getBoundingClientRect();
      const area = scroller.getBoundingClientRect();
      const inside = Math.min(box.bottom, area.bottom) - Math.max(box.top, area.top);
      const across = Math.min(box.right, area.right) - Math.max(box.left, area.left);
      if (Math.abs(inside) <= 1 || Math.abs(across) <= 1) return [];
      const shown = inside > 0 && across > 0 && document.visibilityState === 'visible';
      return [[id, shown ? Math.min(cap, Math.round(box.height * devicePixelRatio)) : 0] as [string, number]];
    });
  }, ids);
  return new Map(entries);
}

describe('video quality UI: tile sizes, stage, quality setting, audio-only and held-back videos, in real Chromium', () => {
  const suite = useServerAndBrowser();
  const ROOM = 'QualityUi';
  let ana: Attendee, bea: Attendee, carl: Attendee;
  let anaId: string, beaId: string, carlId: string;
  const sentBy = (id: string) => (suite.server.registry.get(ROOM.toLowerCase())?.participant(id)?.receiverConstraints ?? null) as Constraints | null;
  const heightAt = (constraints: Constraints | null, id: string) => constraints?.videos.find((v) => v.participantId === id && v.source === 'camera')?.height;

  /** Waits until what Ana's page last sent matches the tiles she draws now. */
  const anaReportsHerTiles = async (what: string) => {
    let expected = new Map<string, number>();
    await until(
      async () => {
        expected = await expectedHeights(ana.page, [beaId, carlId]);
        return sentBy(anaId);
      },
      (sent) => expected.size > 0 && [...expected].every(([id, height]) => heightAt(sent, id) === height),
      `${what}: Ana's constraints to match her tiles ${JSON.stringify([...expected])}`,
    );
    return expected;
  };

  before(async () => {
    // Ana's screen has two device pixels per CSS pixel: what she reports is device pixels.
    ana = await joinRoomIn(await suite.browser.newContext({ viewport: { width: 1000, height: 600 }, deviceScaleFactor: 2 }), suite.server.url, ROOM, 'Ana', '');
    bea = await joinRoomIn(await suite.browser.newContext({ viewport: { width: 1000, height: 700 } }), suite.server.url, ROOM, 'Bea', MUTED);
    // Carl's link limits him to one video (Jitsi's #config.channelLastN).
    carl = await joinRoomIn(await suite.browser.newContext({ viewport: { width: 1000, height: 700 } }), suite.server.url, ROOM, 'Carl', `${MUTED}&config.channelLastN=1`);
    [anaId, beaId, carlId] = await Promise.all([selfId(ana.page), selfId(bea.page), selfId(carl.page)]);
    await ana.page.locator(tile(carlId)).waitFor();
  });

  it('every remote tile reports its drawn height in device pixels, and the pinned person goes on stage', async () => {
    const tiles = await anaReportsHerTiles('tile view');
    assert.ok(tiles.get(beaId)! > 200, `tile view at 1000×600 and DPR 2 draws large tiles: ${JSON.stringify([...tiles])}`);
    assert.deepEqual(sentBy(anaId)!.onStage, []);

    await ana.page.locator(`${tile(carlId)} [data-testid="tile-pin"]`).click();
    await ana.page.locator(`[data-testid="stage-large"] ${tile(carlId)}`).waitFor();
    await until(() => sentBy(anaId)?.onStage, (onStage) => onStage?.join() === carlId, 'Carl on stage');
    const stage = await anaReportsHerTiles('Carl pinned');
    assert.ok(stage.get(carlId)! > stage.get(beaId)!, `the large tile asks for more than the filmstrip: ${JSON.stringify([...stage])}`);

    await ana.page.getByTestId('toggle-tile-view').click();
    await ana.page.getByTestId('stage-view').waitFor({ state: 'detached' });
    await until(() => sentBy(anaId)?.onStage, (onStage) => onStage?.length === 0, 'nobody on stage in tile view');
    await anaReportsHerTiles('back in tile view');
  });

  it('a tile scrolled out of view, and every tile while the page is hidden, reports 0', async () => {
    // Below 480 CSS pixels tiles take the full width and the grid scrolls: one tile's height shows.
    await ana.page.setViewportSize({ width: 420, height: 260 });
    const narrow = await anaReportsHerTiles('a narrow window');
    assert.ok([...narrow.values()].includes(0), `a tile is out of view: ${JSON.stringify([...narrow])}`);
    await ana.page.evaluate(() => {
      const stage = document.querySelector('.stage')!;
      stage.scrollTop = stage.scrollHeight;
    });
    const scrolled = await anaReportsHerTiles('scrolled to the end');
    assert.notDeepEqual([...scrolled], [...narrow], 'scrolling changed which tiles show');

    // A background tab: Chromium's headless pages are never hidden, so the page is told it is.
    await ana.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await until(() => sentBy(anaId), (sent) => heightAt(sent, beaId) === 0 && heightAt(sent, carlId) === 0, 'every tile at 0 while hidden');
    await ana.page.evaluate(() => {
      delete (document as { visibilityState?: unknown }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await ana.page.setViewportSize({ width: 1000, height: 600 });
    await anaReportsHerTiles('visible again');
  });

  it('the quality setting caps what the page asks for; audio-only receives and sends no video and outlives a reload', async () => {
    const select = ana.page.getByTestId('video-quality-select');
    await ana.page.getByTestId('device-settings').click();
    assert.equal(await select.inputValue(), 'high');

    await select.selectOption('low');
    await until(() => videoState(ana.page), (video) => video.maxHeight === 180 && !video.audioOnly, 'Low in the state');
    const low = await until(() => sentBy(anaId), (sent) => heightAt(sent, beaId) === 180 && heightAt(sent, carlId) === 180, 'tiles capped at 180');
    assert.ok(low!.defaultHeight <= 180, `a newcomer's video too: ${low!.defaultHeight}`);

    await select.selectOption('audioOnly');
    await until(() => videoState(ana.page), (video) => video.audioOnly, 'audio-only in the state');
    await until(() => sentBy(anaId)?.lastN, (lastN) => lastN === 0, 'last-N 0 sent');
    for (const id of [beaId, carlId, anaId]) {
      const note = ana.page.locator(`${tile(id)} [data-testid="video-held-back"]`);
      await note.waitFor();
      assert.equal(await note.getAttribute('data-reason'), 'audioOnly');
      assert.equal(await ana.page.locator(`${tile(id)} video`).count(), 0, 'an avatar instead of the video');
    }
    await until(() => cameraBytesSentMeanwhile(ana.page), (sent) => sent === 0, "Ana's camera not sent");

    // Remembered for the tab: a reload comes back in audio-only mode.
    await ana.page.reload();
    await ana.page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 45_000 });
    assert.equal((await videoState(ana.page)).audioOnly, true);
    await ana.page.getByTestId('device-settings').click();
    assert.equal(await select.inputValue(), 'audioOnly');

    await select.selectOption('high');
    await until(() => videoState(ana.page), (video) => video.maxHeight === 720 && !video.audioOnly, 'High again');
    await until(() => sentBy(anaId)?.lastN, (lastN) => lastN === -1, 'every video asked for again');
    await ana.page.locator(`${tile(beaId)} video`).waitFor();
    await ana.page.keyboard.press('Escape');
  });

  it('#config.channelLastN reaches the server, and the video it holds back shows the avatar, the name and why', async () => {
    assert.equal((await videoState(carl.page)).lastN, 1);
    await until(() => sentBy(carlId)?.lastN, (lastN) => lastN === 1, "Carl's last-N sent");
    const paused = carl.page.locator('[data-testid="video-held-back"][data-reason="lastN"]');
    await until(() => paused.count(), (count) => count === 1, 'one of two videos held back at Carl', 30_000);
    const heldTile = carl.page.locator('[data-testid="tile"]', { has: paused });
    assert.equal(await paused.textContent(), 'Video paused to save bandwidth');
    assert.equal(await heldTile.locator('.avatar').count(), 1);
    assert.equal(await heldTile.locator('video').count(), 0);
    assert.match((await heldTile.getByTestId('tile-name').textContent()) ?? '', /^(Ana|Bea)$/);
  });
});

describe('iframe API: setVideoQuality, setAudioOnly and their events from another site, in real Chromium', () => {
  const suite = useServerAndBrowser();
  let site: { server: Server; url: string };
  let host: Page;
  let frame: Frame;
  let selfIdInFrame: string;
  const api = (command: string, ...args: unknown[]) =>
    host.evaluate(({ command, args }) => (window as any).api.executeCommand(command, ...args), { command, args });
  const countOf = (name: string) => host.evaluate((name) => (window as any).events.filter((e: { name: string }) => e.name === name).length, name);
  const lastOf = (name: string) =>
    host.evaluate((name) => (window as any).events.filter((e: { name: string }) => e.name === name).at(-1)?.data, name);
  const sentBy = () =>
    (suite.server.registry.get('embeddedquality')?.participant(selfIdInFrame)?.receiverConstraints ?? null) as Constraints | null;

  before(async () => {
    site = await startHostSite(suite.server.url, { crossSite: true });
    host = await (await suite.browser.newContext()).newPage();
    const config = { channelLastN: 2, startAudioOnly: true };
    const query = new URLSearchParams({ room: 'EmbeddedQuality', name: 'Ana', domain: new URL(suite.server.url).host, noSSL: '', config: JSON.stringify(config) });
    await host.goto(`${site.url}/?${query}`);
    ({ id: selfIdInFrame } = await waitForEvent(host, 'videoConferenceJoined', () => true, 60_000));
    frame = host.frames().find((f) => f.url().startsWith(suite.server.url))!;
  });
  after(() => site?.server.close());

  it('configOverwrite channelLastN and startAudioOnly hold from the start, and the quality is told on joining', async () => {
    assert.deepEqual(await videoState(frame), { maxHeight: 720, audioOnly: true, lastN: 2 });
    assert.deepEqual(await waitForEvent(host, 'videoQualityChanged'), { videoQuality: 720 });
    assert.equal(await host.evaluate(() => (window as any).api.getVideoQuality()), 720);
    await until(sentBy, (sent) => sent?.lastN === 0, 'audio-only: last-N 0 sent');
    const supported = await host.evaluate(() => (window as any).api.getSupportedCommands() as string[]);
    assert.ok(supported.includes('setVideoQuality') && supported.includes('setAudioOnly'));
  });

  it('setAudioOnly and setVideoQuality change the meeting and come back as audioOnlyChanged and videoQualityChanged', async () => {
    await api('setAudioOnly', false);
    assert.deepEqual(await waitForEvent(host, 'audioOnlyChanged', (data) => data.audioOnlyChanged === false), { audioOnlyChanged: false });
    await until(sentBy, (sent) => sent?.lastN === 2, 'the config’s last-N sent once video is back');

    await api('setVideoQuality', 360);
    await waitForEvent(host, 'videoQualityChanged', (data) => data.videoQuality === 360);
    assert.equal(await host.evaluate(() => (window as any).api.getVideoQuality()), 360);
    assert.equal((await videoState(frame)).maxHeight, 360);
    await frame.getByTestId('device-settings').click();
    assert.equal(await frame.getByTestId('video-quality-select').inputValue(), 'standard');

    // Heights between Jitsi's levels take the level below; Tertulia sends nothing above 720.
    await api('setVideoQuality', 1080);
    await waitForEvent(host, 'videoQualityChanged', (data) => data.videoQuality === 720);

    // The meeting's own control is reported the same way.
    await frame.getByTestId('video-quality-select').selectOption('audioOnly');
    await waitForEvent(host, 'audioOnlyChanged', (data) => data.audioOnlyChanged === true);
  });

  it('setAssumedBandwidthBps reaches the server with the receiver constraints, and 0 takes it back', async () => {
    await api('setAssumedBandwidthBps', 300_000);
    await until(sentBy, (sent) => sent?.assumedBandwidthBps === 300_000, 'the assumed downlink sent');
    await api('setAssumedBandwidthBps', 0);
    await until(sentBy, (sent) => sent !== null && !('assumedBandwidthBps' in sent), 'the assumed downlink lifted');
  });

  it('bad arguments raise errorOccurred and change nothing', async () => {
    const before = await countOf('errorOccurred');
    await api('setVideoQuality', 90);
    await api('setAssumedBandwidthBps', 'fast');
    await api('setAudioOnly', 'yes');
    await until(() => countOf('errorOccurred'), (count) => count === before + 3, 'three errors');
    const error = await lastOf('errorOccurred');
    assert.match(error.error.message, /^setAudioOnly: expected enabled/);
    assert.deepEqual(await videoState(frame), { maxHeight: 720, audioOnly: true, lastN: 2 });
  });
});
