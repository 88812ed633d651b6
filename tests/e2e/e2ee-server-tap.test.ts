import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { joinRoom, launchBrowser, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const run = promisify(execFile);
const ROOM = 'TappedRoom';
/** Tiny pictures are enough to tell red from anything else. */
const WIDTH = 16;
const HEIGHT = 12;

interface Decoded {
  /** Decoded pictures that are red, as the camera films. */
  red: number;
  frames: number;
  /** What ffmpeg complained about. */
  errors: string;
}

/**
 * What someone with the server's access sees: Ana's camera forwarded by the media server
 * as plain RTP (the tap the server's recordings use) into ffmpeg on this machine.
 */
async function decodeTap(server: RunningServer, dir: string, anaId: string, seconds: number): Promise<Decoded> {
  const room = server.registry.rooms().find((r) => r.name === ROOM)!;
  const camera = room.media.producersOf(anaId).find((p) => p.source === 'camera')!;
  const port = 42_000 + 2 * Math.floor(Math.random() * 4_000);
  const tap = await room.media.createRtpTap(camera.producerId, { ip: '127.0.0.1', port, rtcpPort: port + 1 });
  try {
    const sdp = join(dir, `tap-${tap.tapId}.sdp`);
    await writeFile(
      sdp,
      ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=tap', 'c=IN IP4 127.0.0.1', 't=0 0', `m=video ${port} RTP/AVP ${tap.payloadType}`, `a=rtpmap:${tap.payloadType} VP8/90000`, ''].join('\n'),
    );
    const ffmpeg = spawn('ffmpeg', ['-v', 'error', '-protocol_whitelist', 'file,udp,rtp', '-i', sdp, '-vf', `scale=${WIDTH}:${HEIGHT}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const chunks: Buffer[] = [];
    let errors = '';
    ffmpeg.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    ffmpeg.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    // ffmpeg listens now; a keyframe lets it start at once.
    setTimeout(() => void room.media.requestTapKeyFrame(tap.tapId).catch(() => undefined), 500);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    ffmpeg.kill('SIGINT');
    await new Promise((resolve) => ffmpeg.once('close', resolve));
    const pixels = Buffer.concat(chunks);
    const frameBytes = WIDTH * HEIGHT * 3;
    let red = 0;
    const frames = Math.floor(pixels.length / frameBytes);
    for (let frame = 0; frame < frames; frame++) {
      const sum = [0, 0, 0];
      for (let at = frame * frameBytes; at < (frame + 1) * frameBytes; at += 3) for (let c = 0; c < 3; c++) sum[c]! += pixels[at + c]!;
      const [r, g, b] = sum.map((total) => total / (WIDTH * HEIGHT)) as [number, number, number];
      if (r > 150 && g < 90 && b < 90) red++;
    }
    return { red, frames, errors };
  } finally {
    room.media.closeTap(tap.tapId);
  }
}

/**
 * The server cannot read an end-to-end encrypted meeting: its own plain-RTP tap of a
 * camera decodes to the camera's picture without E2EE, and to no such picture with it.
 */
describe('what the server can see of a camera, with and without E2EE', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;
  let anaId: string;
  const anaTile = () => bea.page.locator(`[data-testid="tile"][data-participant-id="${anaId}"][data-source="camera"]`);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tertulia-e2ee-tap-'));
    const camera = join(dir, 'red.y4m');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=640x360:r=15', '-t', '2', '-pix_fmt', 'yuv420p', camera]);
    server = await startTestServer({ P2P_ENABLED: '0' });
    browser = await launchBrowser({ cameraFile: camera });
    ana = await joinRoom(browser, server.url, ROOM, 'Ana');
    // Someone watching, so that Ana's camera is encoded at all.
    bea = await joinRoom(browser, server.url, ROOM, 'Bea');
    anaId = await selfId(ana.page);
    await waitForMediaFrom(bea.page, [anaId]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('without E2EE, the tap decodes to the red the camera films', async (t) => {
    const decoded = await decodeTap(server, dir, anaId, 4);
    t.diagnostic(`${decoded.frames} pictures, ${decoded.red} red, ffmpeg: ${decoded.errors.slice(0, 200) || 'no complaints'}`);
    assert.equal(await anaTile().locator('[data-testid="e2ee-badge"]').count(), 0, "Ana's tile does not claim encryption");
    assert.ok(decoded.red >= 5, `red pictures from the tap: ${JSON.stringify(decoded)}`);
  });

  it('with E2EE, the tap decodes to no such picture, while Bea still sees Ana', async (t) => {
    await ana.page.evaluate(() => window.tertulia!.conference.moderate('setE2ee', { enabled: true }));
    await until(() => bea.page.evaluate(() => window.tertulia!.conference.state.room?.e2ee), (on) => on === true, 'E2EE on at Bea');
    await waitForMediaFrom(bea.page, [anaId], 30_000);
    await anaTile().locator('[data-testid="e2ee-badge"]').waitFor({ timeout: 5_000 });
    const decoded = await decodeTap(server, dir, anaId, 4);
    t.diagnostic(`${decoded.frames} pictures, ${decoded.red} red, ffmpeg: ${decoded.errors.slice(0, 200) || 'no complaints'}`);
    assert.equal(decoded.red, 0, `no red picture from the tap: ${JSON.stringify(decoded)}`);
    // What it got instead: pictures of nothing, or none at all and the decoder's complaints.
    assert.ok(decoded.frames > 0 || decoded.errors !== '', `the tap carried media: ${JSON.stringify(decoded)}`);
  });
});
