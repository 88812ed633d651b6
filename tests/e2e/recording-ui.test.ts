import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { eventsOf, startHostSite, waitForEvent } from '../support/host-site.js';
import { decodeErrors, probeMedia } from '../support/media-probe.js';
import { startRtmpServer } from '../support/nginx.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';
import { joinAs, type JoinedClient } from '../support/ws-client.js';

/** Generous: a browser start plus a join on a loaded 2-core machine take a while. */
const FIRST_JOIN_MS = 60_000;

/**
 * A meeting embedded by another site with Jitsi's iframe API (as integrators record
 * meetings), Ana first in and so the moderator, Bea a participant. Each suite has a
 * server of its own: one that cannot record (the controls say why), one that can.
 */
function embeddedMeeting(room: string, env: Record<string, string>) {
  const running: { server?: RunningServer; site?: { server: Server; url: string }; chromium?: Browser } = {};
  before(async () => {
    running.server = await startTestServer(env);
    running.site = await startHostSite(running.server.url, { crossSite: true });
    running.chromium = await launchBrowser();
  });
  after(async () => {
    await running.chromium?.close();
    running.site?.server.close();
    await running.server?.close();
  });
  const open = async (name: string): Promise<Page> => {
    const { server, site, chromium } = running as Required<typeof running>;
    const page = await (await chromium.newContext({ viewport: { width: 1000, height: 700 } })).newPage();
    await page.goto(`${site.url}/?room=${room}&name=${name}&domain=${new URL(server.url).host}&noSSL`);
    await waitForEvent(page, 'videoConferenceJoined', () => true, FIRST_JOIN_MS);
    return page;
  };
  return {
    open,
    get serverUrl() {
      return running.server!.url;
    },
    get browser() {
      return running.chromium!;
    },
  };
}

/** The meeting's own page inside a host page's iframe. */
const meetingOf = (host: Page, serverUrl: string): Frame => host.frames().find((frame) => frame.url().startsWith(serverUrl))!;
const roomOf = (frame: Frame) => frame.evaluate(() => window.tertulia!.conference.state.room!);
/** The text of every notice showing now. */
const noticesOf = (frame: Frame) => frame.getByTestId('notice').allTextContents();
const api = (host: Page, method: string, ...args: unknown[]) => host.evaluate(([m, a]) => (window as any).api[m as string](...(a as unknown[])), [method, args] as const);

describe('Recording controls where the server cannot record (ENABLE_RECORDING=0, ENABLE_LIVESTREAMING=0)', () => {
  const meeting = embeddedMeeting('QuietClass', { ENABLE_RECORDING: '0', ENABLE_LIVESTREAMING: '0' });
  let ana: Page;
  let bea: Page;
  let anaFrame: Frame;
  let beaFrame: Frame;

  before(async () => {
    ana = await meeting.open('Ana');
    bea = await meeting.open('Bea');
    anaFrame = meetingOf(ana, meeting.serverUrl);
    beaFrame = meetingOf(bea, meeting.serverUrl);
  });

  it("the moderator's start items are disabled, with the server's reason as their tooltip", async () => {
    const { recordingUnavailable } = await roomOf(anaFrame);
    assert.ok(recordingUnavailable.file && recordingUnavailable.stream, JSON.stringify(recordingUnavailable));
    await anaFrame.getByTestId('recording').click();
    for (const mode of ['file', 'stream'] as const) {
      const item = anaFrame.getByTestId(`recording-${mode}`);
      assert.equal(await item.getAttribute('aria-disabled'), 'true');
      assert.equal(await item.getAttribute('title'), recordingUnavailable[mode]);
    }
    // A click on a disabled item asks nothing of the server: no refusal, no dialog (forced: Playwright waits for enabled items).
    const errors = () => anaFrame.locator('[data-testid="notice"][data-kind="error"]').allTextContents();
    const errorsBefore = await errors();
    await anaFrame.getByTestId('recording-stream').click({ force: true });
    await anaFrame.getByTestId('recording-file').click({ force: true });
    await ana.keyboard.press('Escape');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await anaFrame.getByTestId('stream-dialog').count(), 0);
    assert.deepEqual((await errors()).filter((text) => !errorsBefore.includes(text)), []);
    assert.deepEqual((await roomOf(anaFrame)).recordings, []);
  });

  it('startRecording through the iframe API: recordingStatusChanged off with the reason, and errorOccurred', async () => {
    const { recordingUnavailable } = await roomOf(anaFrame);
    await api(ana, 'startRecording', { mode: 'file' });
    assert.deepEqual(await waitForEvent(ana, 'recordingStatusChanged'), { on: false, mode: 'file', error: recordingUnavailable.file });
    await api(ana, 'startRecording', { mode: 'stream', youtubeStreamKey: 'abcd-efgh-ijkl-mnop' });
    assert.deepEqual(await waitForEvent(ana, 'recordingStatusChanged', (d) => d.mode === 'stream'), { on: false, mode: 'stream', error: recordingUnavailable.stream });
    const errors = await until(
      async () => (await eventsOf(ana)).filter((e) => e.name === 'errorOccurred').map((e) => e.data.error),
      (list) => list.length === 2,
      'two errorOccurred',
    );
    assert.deepEqual(errors.map((e) => e.name), ['RECORDING_UNAVAILABLE', 'RECORDING_UNAVAILABLE']);
    assert.match(errors[0].message, /^startRecording: /);
    // Bea was told nothing: nothing started.
    assert.equal((await eventsOf(bea)).filter((e) => e.name === 'recordingStatusChanged').length, 0);
  });

  it('a participant has no recording control, and a forged request is refused (FORBIDDEN)', async () => {
    await beaFrame.getByTestId('toggle-chat').waitFor();
    assert.equal(await beaFrame.getByTestId('recording').count(), 0);
    assert.ok((await anaFrame.getByTestId('recording').count()) === 1);

    let forger: JoinedClient | undefined;
    try {
      forger = await joinAs(meeting.serverUrl, 'QuietClass', 'Forger');
      assert.equal(forger.role, 'participant');
      for (const data of [{ mode: 'file' }, { mode: 'stream', streamUrl: 'rtmp://127.0.0.1:1935/live/x' }]) {
        const reply = await forger.client.request('startRecording', data);
        assert.equal(reply.ok, false);
        assert.equal(reply.error?.code, 'FORBIDDEN');
      }
    } finally {
      forger?.client.close();
    }
    // Through Bea's own iframe API: refused the same way, and said so in Jitsi's event.
    await api(bea, 'startRecording', { mode: 'file' });
    const refusal = await waitForEvent(bea, 'errorOccurred');
    assert.equal(refusal.error.name, 'FORBIDDEN');
    const status = await waitForEvent(bea, 'recordingStatusChanged');
    assert.equal(status.on, false);
    assert.equal(status.mode, 'file');
    assert.ok(status.error.length > 0);
    assert.deepEqual((await roomOf(anaFrame)).recordings, []);
  });

  it('recording on this device works all the same: the menu starts it, REC shows, the others are told, stopRecording(local) saves a WebM with video and audio', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tertulia-local-recording-'));
    try {
      await anaFrame.getByTestId('recording').click();
      await anaFrame.getByTestId('recording-local').click();
      assert.deepEqual(await waitForEvent(ana, 'recordingStatusChanged', (d) => d.mode === 'local'), { on: true, mode: 'local' });
      await anaFrame.locator('[data-testid="recording-indicator"][data-mode="local"]').waitFor({ timeout: 5000 });
      // The others are told (localRecording.notifyAllParticipants, on by default), though
      // their header does not say the meeting is recorded: the file is Ana's alone.
      await until(() => noticesOf(beaFrame), (texts) => texts.some((t) => t.includes('Ana is recording the meeting on their device.')), 'the notice at Bea');
      const anaAtBea = () => beaFrame.evaluate(() => window.tertulia!.conference.state.participants.find(({ displayName }: { displayName: string }) => displayName === 'Ana')?.recordingLocally);
      assert.equal(await anaAtBea(), true);
      assert.equal(await beaFrame.getByTestId('recording-indicator').count(), 0);
      await new Promise((resolve) => setTimeout(resolve, 3000));

      const download = ana.waitForEvent('download', { timeout: 15_000 });
      await api(ana, 'stopRecording', 'local');
      const file = await download;
      assert.match(file.suggestedFilename(), /^QuietClass_\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.webm$/);
      const path = join(dir, 'local.webm');
      await file.saveAs(path);
      assert.ok((await stat(path)).size > 20_000, 'a few seconds of video');
      const { streams } = await probeMedia(path);
      assert.deepEqual(streams.map((s) => [s.codec_type, s.codec_name]).sort(), [['audio', 'opus'], ['video', 'vp8']]);
      assert.deepEqual([streams.find((s) => s.codec_type === 'video')!.width, streams.find((s) => s.codec_type === 'video')!.height], [1280, 720]);
      // Chrome's WebM repeats a millisecond timestamp now and then, which ffmpeg's null muxer (not its decoders) mentions.
      const decoding = (await decodeErrors(path)).split('\n').filter((line) => line !== '' && !/non monotonically increasing dts to muxer/.test(line));
      assert.deepEqual(decoding, []);

      await waitForEvent(ana, 'recordingStatusChanged', (d) => d.mode === 'local' && d.on === false);
      await until(() => anaFrame.getByTestId('recording-indicator').count(), (n) => n === 0, 'the local REC indicator to go');
      await until(() => noticesOf(beaFrame), (texts) => texts.some((t) => t.includes('Ana stopped recording the meeting on their device.')), 'the stop notice at Bea');
      assert.equal(await anaAtBea(), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Recording through the recorder (ENABLE_RECORDING=1, ENABLE_LIVESTREAMING=1): REC and LIVE for everyone, consent notices, the download link', () => {
  const meeting = embeddedMeeting('RecordedClass', { ENABLE_RECORDING: '1', ENABLE_LIVESTREAMING: '1' });
  let ana: Page;
  let bea: Page;
  let anaFrame: Frame;
  let beaFrame: Frame;

  before(async () => {
    ana = await meeting.open('Ana');
    bea = await meeting.open('Bea');
    anaFrame = meetingOf(ana, meeting.serverUrl);
    beaFrame = meetingOf(bea, meeting.serverUrl);
  });

  it('start from the toolbar → REC and a notice everywhere (late joiners too) → stop → the moderator gets the link', async () => {
    assert.equal((await roomOf(anaFrame)).recordingUnavailable.file, null);
    const errorsOf = (frame: Frame) => frame.locator('[data-testid="notice"][data-kind="error"]').allTextContents();
    const errorsBefore = await errorsOf(anaFrame);
    await anaFrame.getByTestId('recording').click();
    await anaFrame.getByTestId('recording-file').click();
    // REC at Ana's, or the refusal she was shown (which then fails the test with its words).
    const started = await until(
      async () => ({
        rec: await anaFrame.getByTestId('recording-indicator').count(),
        errors: (await errorsOf(anaFrame)).filter((text) => !errorsBefore.includes(text)),
      }),
      (seen) => seen.rec > 0 || seen.errors.length > 0,
      'REC or an error at Ana',
      30_000,
    );
    assert.deepEqual(started.errors, []);

    for (const [host, frame] of [[ana, anaFrame], [bea, beaFrame]] as const) {
      await frame.locator('[data-testid="recording-indicator"][data-mode="file"]').waitFor({ timeout: 5000 });
      assert.deepEqual(await waitForEvent(host, 'recordingStatusChanged', (d) => d.on), { on: true, mode: 'file' });
    }
    await until(() => noticesOf(beaFrame), (texts) => texts.some((t) => t.includes('Ana started recording the meeting.')), 'the consent notice at Bea');

    // Someone coming in while it runs is told at once, by the header and the first notice.
    const cai = await meeting.open('Cai');
    const caiFrame = meetingOf(cai, meeting.serverUrl);
    await caiFrame.locator('[data-testid="recording-indicator"][data-mode="file"]').waitFor({ timeout: 5000 });
    assert.match((await caiFrame.getByTestId('recording-indicator').getAttribute('title')) ?? '', /being recorded\. Ana started/);
    await until(() => noticesOf(caiFrame), (texts) => texts.some((t) => t.includes('This meeting is being recorded.')), 'the notice on coming in');
    assert.deepEqual(await waitForEvent(cai, 'recordingStatusChanged'), { on: true, mode: 'file' });

    // Someone opening the meeting's address is told on the prejoin screen, before joining.
    const visitor = await (await meeting.browser.newContext()).newPage();
    await visitor.goto(`${meeting.serverUrl}/RecordedClass`);
    assert.match(await visitor.getByTestId('prejoin-recorded').textContent({ timeout: 20_000 }) ?? '', /This meeting is being recorded\. By joining, you agree/);
    await visitor.context().close();

    await new Promise((resolve) => setTimeout(resolve, 5000));
    await anaFrame.getByTestId('recording').click();
    await anaFrame.getByTestId('recording-file').click();
    for (const [host, frame] of [[ana, anaFrame], [bea, beaFrame], [cai, caiFrame]] as const) {
      await until(() => frame.getByTestId('recording-indicator').count(), (n) => n === 0, 'REC to go');
      assert.deepEqual(await waitForEvent(host, 'recordingStatusChanged', (d) => !d.on), { on: false, mode: 'file' });
    }
    await until(() => noticesOf(beaFrame), (texts) => texts.some((t) => t.includes('Ana stopped the recording.')), 'the stop notice at Bea');

    // The file's link: to the moderator only, as a notice with a link and as Jitsi's event (absolute URL, ms).
    const { link, ttl } = await waitForEvent(ana, 'recordingLinkAvailable', () => true, 60_000);
    assert.ok(link.startsWith(`${meeting.serverUrl}/`), link);
    assert.ok(ttl >= 60_000, String(ttl));
    assert.equal(await anaFrame.getByTestId('notice-link').getAttribute('href'), link);
    const response = await fetch(link);
    assert.equal(response.status, 200);
    assert.ok((await response.arrayBuffer()).byteLength > 10_000);
    assert.equal((await eventsOf(bea)).filter((e) => e.name === 'recordingLinkAvailable').length, 0);
  });

  it('live stream from the dialog: a bad key is refused there; an RTMP address (nginx) gives LIVE everywhere until stopped', async () => {
    const rtmp = await startRtmpServer();
    try {
      await anaFrame.getByTestId('recording').click();
      await anaFrame.getByTestId('recording-stream').click();
      await anaFrame.getByTestId('stream-key-input').fill('not a key');
      await anaFrame.getByTestId('stream-start').click();
      await anaFrame.getByTestId('stream-key-error').waitFor({ timeout: 5000 });
      assert.deepEqual((await roomOf(anaFrame)).recordings, []);

      await anaFrame.getByTestId('stream-key-input').fill(rtmp.url);
      await anaFrame.getByTestId('stream-start').click();
      assert.equal(await anaFrame.getByTestId('stream-dialog').count(), 0);
      for (const [host, frame] of [[ana, anaFrame], [bea, beaFrame]] as const) {
        await frame.locator('[data-testid="recording-indicator"][data-mode="stream"]').waitFor({ timeout: 30_000 });
        assert.deepEqual(await waitForEvent(host, 'recordingStatusChanged', (d) => d.on && d.mode === 'stream'), { on: true, mode: 'stream' });
      }
      await until(() => noticesOf(beaFrame), (texts) => texts.some((t) => t.includes('Ana started streaming the meeting live.')), 'the consent notice at Bea');

      await api(ana, 'stopRecording', 'stream');
      await until(() => beaFrame.getByTestId('recording-indicator').count(), (n) => n === 0, 'LIVE to go at Bea');
      assert.deepEqual(await waitForEvent(bea, 'recordingStatusChanged', (d) => !d.on && d.mode === 'stream'), { on: false, mode: 'stream' });
    } finally {
      await rtmp.stop();
    }
  });
});
