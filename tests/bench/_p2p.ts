// Exploration: does P2P video reach both people, and when?
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { CAMERA_FPS, WINDOW, openRoom } from './room-page.js';
import { startCliServer } from './cli-server.js';
import { installProbe, waitForDecodingStreams } from './rtc-probe.js';
const server = await startCliServer(process.cwd(), 18092);
const SAMPLER = `(() => {
  const t0 = performance.now(); const out = window.__s = [];
  setInterval(() => {
    const tile = document.querySelector('[data-testid="tile"][data-self="false"]');
    const v = tile && tile.querySelector('video');
    const tr = v && v.srcObject && v.srcObject.getVideoTracks()[0];
    out.push([Math.round(performance.now() - t0), window.tertulia?.conference.state.p2p ? 'P' : 'S', v ? v.getVideoPlaybackQuality().totalVideoFrames : -1, tr ? tr.id.slice(0, 4) + (tr.muted ? 'M' : 'L') : '-']);
  }, 250);
})()`;
for (let run = 0; run < Number(process.env['RUNS'] ?? 3); run++) {
  const browsers: Browser[] = [];
  const pages: Page[] = [];
  const room = `p2p-${Date.now()}`;
  for (const name of ['Ana', 'Bea']) {
    const b = await launchBrowser({ cameraFps: CAMERA_FPS }); browsers.push(b);
    const ctx = await b.newContext({ viewport: WINDOW }); await installProbe(ctx);
    await ctx.addInitScript({ content: SAMPLER });
    const p = await ctx.newPage(); await openRoom(p, `${server.url}/${room}`, name);
    await waitForDecodingStreams(p, pages.length, 60000); pages.push(p);
  }
  await new Promise((r) => setTimeout(r, 8000));
  for (const [i, p] of pages.entries()) {
    const s = await p.evaluate(() => (window as any).__s as unknown[][]);
    // compress: print only changes of p2p/track and frame count every 1 s
    const lines = s.filter((x, k) => k % 4 === 0 || (k > 0 && (x[1] !== s[k - 1]![1] || x[3] !== s[k - 1]![3])));
    process.stdout.write(`run ${run} ${i === 0 ? 'Ana' : 'Bea'}: ${lines.map((x) => x.join(' ')).join(' | ')}\n`);
  }
  await Promise.all(browsers.map((b) => b.close()));
}
server.stop();
process.exit(0);
