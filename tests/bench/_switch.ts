// Exploration: P2P -> server switch gap, measured three ways at Ana (Bea's camera).
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { CAMERA_FPS, WINDOW, openRoom } from './room-page.js';
import { startCliServer } from './cli-server.js';
import { installProbe, waitForDecodingStreams } from './rtc-probe.js';
const SAME = process.env['SAME'] === '1';
const server = await startCliServer(process.cwd(), 18091);
const browsers: Browser[] = [];
const pages: Page[] = [];
const METER = `(() => {
  const w = window;
  const m = w.__m = { frames: [], longtasks: [], statsGap: 0, statsLast: -1, statsAt: performance.now(), seen: new WeakSet(), t0: performance.now() };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longtasks.push([Math.round(e.startTime - m.t0), Math.round(e.duration)]); }).observe({ entryTypes: ['longtask'] });
  const watch = () => {
    for (const tile of document.querySelectorAll('[data-testid="tile"][data-self="false"]')) {
      const name = tile.querySelector('[data-testid="tile-name"]')?.textContent?.trim();
      if (name !== 'Bea') continue;
      const v = tile.querySelector('video');
      if (v && !m.seen.has(v)) {
        m.seen.add(v); const idx = (m.els = (m.els||0) + 1);
        const loop = (now, meta) => { m.frames.push(Math.round(now - m.t0)); (m.per = m.per || {})[idx] = ((m.per||{})[idx]||0)+1; m.lastOf = m.lastOf||{}; m.lastOf[idx]=Math.round(now-m.t0); v.requestVideoFrameCallback(loop); };
        v.requestVideoFrameCallback(loop);
      }
    }
  };
  setInterval(watch, 20);
  m.samples = [];
  setInterval(() => {
    for (const tile of document.querySelectorAll('[data-testid="tile"][data-self="false"]')) {
      if (tile.querySelector('[data-testid="tile-name"]')?.textContent?.trim() !== 'Bea') continue;
      const v = tile.querySelector('video');
      if (!v) { m.samples.push([Math.round(performance.now()-m.t0), 'novideo']); continue; }
      const q = v.getVideoPlaybackQuality();
      const tr = v.srcObject && v.srcObject.getVideoTracks()[0];
      m.samples.push([Math.round(performance.now()-m.t0), q.totalVideoFrames, q.droppedVideoFrames, v.currentTime.toFixed(2), v.paused, v.readyState, tr ? tr.id.slice(0,6) + ':' + tr.readyState + ':' + tr.muted : '-']);
    }
  }, 250);
})()`;
try {
  const room = `sw-${Date.now()}`;
  for (const name of ['Ana', 'Bea', 'Carl']) {
    if (name === 'Carl') {
      await pages[0]!.evaluate(METER);
      await new Promise((r) => setTimeout(r, 1000));
      const dump = await pages[0]!.evaluate(async () => ({ rtp: (await (window as any).__benchProbe.videoRtp()), tiles: (window as any).__benchProbe.remoteTiles(), p2p: (window as any).tertulia.conference.state.p2p }));
      process.stdout.write(JSON.stringify(dump) + '\n');
      const dumpB = await pages[1]!.evaluate(async () => ({ rtp: (await (window as any).__benchProbe.videoRtp()), tiles: (window as any).__benchProbe.remoteTiles(), p2p: (window as any).tertulia.conference.state.p2p }));
      process.stdout.write('Bea: ' + JSON.stringify(dumpB) + '\n');
      await new Promise((r) => setTimeout(r, 3000));
    }
    const b = SAME && browsers[0] ? browsers[0] : await launchBrowser({ cameraFps: CAMERA_FPS });
    if (!browsers.includes(b)) browsers.push(b);
    const ctx = await b.newContext({ viewport: WINDOW }); await installProbe(ctx);
    const p = await ctx.newPage();
    const t = Date.now();
    await openRoom(p, `${server.url}/${room}`, name);
    await waitForDecodingStreams(p, pages.length, 60000); pages.push(p);
    process.stdout.write(`${name} decoding after ${Date.now() - t} ms\n`);
    if (name === 'Bea') await pages[0]!.waitForFunction(() => (window as any).tertulia?.conference.state.p2p === true, null, { timeout: 15000 });
  }
  await new Promise((r) => setTimeout(r, 6000));
  const m = await pages[0]!.evaluate(() => { const m = (window as any).__m; return { samples: m.samples, frames: m.frames, longtasks: m.longtasks, per: m.per, lastOf: m.lastOf, now: Math.round(performance.now()-m.t0) }; });
  const f: number[] = m.frames;
  let longest = 0, at = 0;
  for (let i = 1; i < f.length; i++) if (f[i]! - f[i - 1]! > longest) { longest = f[i]! - f[i - 1]!; at = f[i - 1]!; }
  const gaps = f.slice(1).map((x, i) => x - f[i]!).filter((g) => g > 150);
  process.stdout.write(`rVFC frames ${f.length} over ${f.at(-1)! - f[0]!} ms; longest gap ${longest} ms at ${at}; gaps>150: ${JSON.stringify(gaps)}\n`);
  process.stdout.write(`first ${f[0]} per ${JSON.stringify((m as any).per)} last ${JSON.stringify((m as any).lastOf)} now ${(m as any).now}\n`);
  for (const x of (m as any).samples) process.stdout.write(JSON.stringify(x) + '\n');
  process.stdout.write(`long tasks: ${JSON.stringify(m.longtasks)}\n`);
} finally {
  await Promise.all(browsers.map((b) => b.close()));
  server.stop();
  process.exit(0);
}
