import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { launchBrowser } from '../support/browser.js';
import { startHostSite, waitForEvent } from '../support/host-site.js';
import { decodeErrors, probeMedia } from '../support/media-probe.js';
import { startTestServer } from '../support/server.js';

const run = promisify(execFile);
const FIRST_JOIN_MS = 60_000;
/** Each person's camera plays one colour, so the composed picture shows whether everyone is in it. */
const PEOPLE = [
  { name: 'Ana', colour: 'red' },
  { name: 'Bea', colour: 'green' },
  { name: 'Cai', colour: 'blue' },
] as const;

/*
 * What issue 12 asks for, the way an integrator meets it: three people in real
 * Chromium, a recording started and stopped through Jitsi's iframe API, and the
 * MP4 the server composed from their RTP checked with ffprobe and ffmpeg.
 */
describe('a meeting recorded through the iframe API', { timeout: 240_000 }, () => {
  let server: RunningServer;
  let site: { server: Server; url: string };
  let dir: string;
  const browsers: Browser[] = [];
  const hosts: Page[] = [];
  const ROOM = 'RecordedLesson';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-rec-e2e-'));
    const script = join(dir, 'finalize.sh');
    await writeFile(script, `#!/bin/sh\necho "$1" >> ${join(dir, 'finalized.txt')}\n`);
    await chmod(script, 0o755);
    server = await startTestServer({
      ENABLE_RECORDING: '1',
      JIBRI_RECORDING_DIR: join(dir, 'recordings'),
      JIBRI_FINALIZE_RECORDING_SCRIPT_PATH: script,
      DATA_DIR: join(dir, 'data'),
    });
    site = await startHostSite(server.url);
    for (const person of PEOPLE) {
      const camera = join(dir, `${person.colour}.y4m`);
      await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${person.colour}:s=320x240:r=15`, '-t', '2', '-pix_fmt', 'yuv420p', camera]);
      browsers.push(await launchBrowser({ cameraFile: camera }));
    }
  });

  /** Opens the embedding page for PEOPLE[index] and waits until they are in (the first one in moderates). */
  async function enter(index: number): Promise<Page> {
    const page = await browsers[index]!.newPage();
    await page.goto(`${site.url}/?room=${ROOM}&name=${PEOPLE[index]!.name}&domain=${new URL(server.url).host}&noSSL`);
    await waitForEvent(page, 'videoConferenceJoined', () => true, FIRST_JOIN_MS);
    hosts.push(page);
    return page;
  }

  after(async () => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    site?.server.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts and stops on the moderator\'s command; everyone hears of it; the MP4 has everyone in it, with their audio', async (t) => {
    // Two people first: they talk peer to peer, so the recording must bring their media back through the server.
    const ana = await enter(0);
    const bea = await enter(1);
    await waitForEvent(ana, 'p2pStatusChanged', (data) => data.isP2p === true, 20_000);
    await ana.evaluate(() => (window as any).api.executeCommand('startRecording', { mode: 'file', extraMetadata: { lesson: 7 } }));
    for (const host of [ana, bea]) await waitForEvent(host, 'recordingStatusChanged', (data) => data.on === true && data.mode === 'file', 20_000);
    // The file's clock starts when the recorder runs, which is when the meeting hears of it, not when it was asked
    // (starting the recorder process can take seconds on a loaded machine).
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    // Cai joins while it records, and hears of it at once.
    const cai = await enter(2);
    await waitForEvent(cai, 'recordingStatusChanged', (data) => data.on === true && data.mode === 'file', 10_000);
    const caiJoinedAt = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await ana.evaluate(() => (window as any).api.executeCommand('stopRecording', 'file'));
    const elapsed = (Date.now() - started) / 1000;
    await waitForEvent(bea, 'recordingStatusChanged', (data) => data.on === false && data.mode === 'file', 20_000);
    const link = await waitForEvent(ana, 'recordingLinkAvailable', () => true, 20_000);
    assert.match(link.link, new RegExp(`^${server.url}/recordings/`));

    const sessions = await readdir(join(dir, 'recordings'));
    assert.equal(sessions.length, 1);
    const folder = join(dir, 'recordings', sessions[0]!);
    const mp4 = (await readdir(folder)).find((file) => file.endsWith('.mp4'))!;
    assert.match(mp4, /^RecordedLesson_\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.mp4$/);
    const file = join(folder, mp4);
    const probe = await probeMedia(file);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    assert.equal(video?.codec_name, 'h264');
    assert.deepEqual([video?.width, video?.height], [1280, 720]);
    assert.equal(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name, 'aac');
    assert.ok(Math.abs(probe.duration - elapsed) < 2, `duration ${probe.duration} s for ${elapsed.toFixed(1)} s`);
    assert.equal(await decodeErrors(file), '');

    // Before Cai: Ana and Bea side by side; near the end: all three (the stage, or a filmstrip tile of about 3 %).
    const early = await colourSharesAt(file, 4);
    const late = await colourSharesAt(file, Math.floor(probe.duration) - 2);
    t.diagnostic(`camera shares of the frame at 4 s: ${describeShares(early)}; at ${Math.floor(probe.duration) - 2} s (Cai joined at ${caiJoinedAt.toFixed(1)} s): ${describeShares(late)}`);
    for (const person of PEOPLE.slice(0, 2)) assert.ok(early[person.colour]! > 0.1, `${person.name}'s ${person.colour} camera, half the picture, while two were in`);
    assert.ok(early['blue']! < 0.001, 'no Cai before Cai joined');
    for (const person of PEOPLE) assert.ok(late[person.colour]! > 0.01, `${person.name}'s ${person.colour} camera in the picture`);
    // Their audio is mixed in: not silence.
    const { stderr } = await run('ffmpeg', ['-v', 'info', '-i', file, '-af', 'volumedetect', '-vn', '-f', 'null', '-']);
    const mean = Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1]);
    assert.ok(mean > -60, `mean audio volume ${mean} dB`);

    const metadata = JSON.parse(await readFile(join(folder, 'metadata.json'), 'utf8'));
    assert.deepEqual(metadata.participants.map((p: { name: string }) => p.name).sort(), ['Ana', 'Bea', 'Cai']);
    const joinedLate = metadata.participants.find((p: { name: string }) => p.name === 'Cai');
    assert.ok(Date.parse(joinedLate.joined_at) - Date.parse(metadata.started_at) > 5000, 'Cai joined during the recording');
    assert.deepEqual(metadata.extra_metadata, { lesson: 7 });
    assert.equal((await readFile(join(dir, 'finalized.txt'), 'utf8')).trim(), folder);
  });
});

/** The share of the frame at `seconds` that each camera's colour covers. */
async function colourSharesAt(file: string, seconds: number): Promise<Record<string, number>> {
  const frame = await run('ffmpeg', ['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    encoding: 'buffer',
    maxBuffer: 1280 * 720 * 3 + 1024,
  });
  return colourShares(frame.stdout as unknown as Buffer);
}

function describeShares(shares: Record<string, number>): string {
  return PEOPLE.map((p) => `${p.colour} ${(shares[p.colour]! * 100).toFixed(1)} %`).join(', ');
}

/** Share of pixels close to pure red, green and blue in an RGB24 frame. */
function colourShares(rgb: Buffer): Record<string, number> {
  const counts: Record<string, number> = { red: 0, green: 0, blue: 0 };
  const pixels = rgb.length / 3;
  for (let i = 0; i < rgb.length; i += 3) {
    const [r, g, b] = [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
    if (r > 170 && g < 90 && b < 90) counts['red']! += 1;
    else if (g > 90 && r < 90 && b < 90) counts['green']! += 1;
    else if (b > 170 && r < 90 && g < 90) counts['blue']! += 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([colour, count]) => [colour, count / pixels]));
}
