import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@tertulia/server';
import { inboundStats, joinRoom, launchBrowser, selfId, waitForMediaFrom, waitForMediaPaths, type Attendee } from '../support/browser.js';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { startTestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const SECRET = 'relay-test-static-auth-secret';
const TTL_SECONDS = 10;

/**
 * Runs in the page: two peer connections joined by a data channel, the first one
 * relay-only through coturn (as a relay-forced participant is) or not; `count` ping-pongs.
 */
async function pingPong({ turn, relay, count }: { turn: RTCIceServer; relay: boolean; count: number }) {
  const a = new RTCPeerConnection({ iceServers: [turn], iceTransportPolicy: relay ? 'relay' : 'all' });
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  b.ondatachannel = (e) => (e.channel.onmessage = (m) => e.channel.send(m.data));
  const channel = a.createDataChannel('ping', { ordered: true });
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await new Promise<void>((resolve) => (channel.onopen = () => resolve()));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    await new Promise<void>((resolve) => {
      channel.onmessage = () => resolve();
      channel.send(String(i));
    });
    times.push(performance.now() - sent);
  }
  let localType = '';
  const stats = new Map<string, any>();
  (await a.getStats()).forEach((entry) => stats.set(entry.id, entry));
  for (const entry of stats.values()) {
    if (entry.type === 'transport' && entry.selectedCandidatePairId) {
      localType = stats.get(stats.get(entry.selectedCandidatePairId)?.localCandidateId)?.candidateType ?? '';
    }
  }
  a.close();
  b.close();
  return { times, localType };
}

const quantile = (values: number[], q: number) => [...values].sort((x, y) => x - y)[Math.floor(q * (values.length - 1))]!;

describe('what the relay adds on loopback, measured on a quiet machine', () => {
  let coturn: Coturn;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    coturn = await startCoturn({ secret: SECRET });
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await coturn?.stop();
  });

  it('data-channel round trips, direct and through coturn, interleaved', async (t) => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    // Once the page has had a camera or microphone, Chromium shows real host addresses instead of mDNS names.
    await page.evaluate(async () => (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((track) => track.stop()));
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const username = `${expiry}:latency`;
    const turn = { urls: `turn:127.0.0.1:${coturn.port}?transport=udp`, username, credential: createHmac('sha1', SECRET).update(username).digest('base64') };
    const direct: number[] = [];
    const relayed: number[] = [];
    for (let round = 0; round < 4; round++) {
      const d = await page.evaluate(pingPong, { turn, relay: false, count: 150 });
      const r = await page.evaluate(pingPong, { turn, relay: true, count: 150 });
      assert.equal(d.localType, 'host');
      assert.equal(r.localType, 'relay');
      direct.push(...d.times.slice(10));
      relayed.push(...r.times.slice(10));
    }
    const [dm, rm] = [quantile(direct, 0.5), quantile(relayed, 0.5)];
    t.diagnostic(
      `data-channel round trip on loopback, median (p90) of ${direct.length} each: direct ${dm.toFixed(2)} (${quantile(direct, 0.9).toFixed(2)}) ms, ` +
        `through coturn ${rm.toFixed(2)} (${quantile(relayed, 0.9).toFixed(2)}) ms: the relay adds ${(rm - dm).toFixed(2)} ms per round trip`,
    );
    assert.ok(rm - dm < 20, 'a loopback relay adds milliseconds at most');
  });
});

/** The TURN usernames coturn saw a successful allocation for. */
const allocatedUsers = (coturn: Coturn) =>
  [...coturn.log().matchAll(/user <([^>]+)>: incoming packet ALLOCATE processed, success/g)].map((m) => m[1]!);

describe('media relayed through a real coturn, in real Chromium', () => {
  let coturn: Coturn;
  let server: RunningServer;
  let browser: Browser;
  let ana: Attendee, bea: Attendee;
  let anaId: string, beaId: string;

  before(async () => {
    coturn = await startCoturn({ secret: SECRET });
    server = await startTestServer({
      TURN_HOST: '127.0.0.1',
      TURN_PORT: String(coturn.port),
      TURN_TRANSPORT: 'udp,tcp',
      TURN_CREDENTIALS: SECRET,
      TURN_TTL: String(TTL_SECONDS),
      // Two people would otherwise connect to each other directly; this test is about the server path.
      P2P_ENABLED: '0',
    });
    browser = await launchBrowser();
    ana = await joinRoom(browser, server.url, 'Relayed', 'Ana');
    bea = await joinRoom(browser, server.url, 'Relayed', 'Bea', '&config.iceTransportPolicy="relay"');
    anaId = await selfId(ana.page);
    beaId = await selfId(bea.page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await coturn?.stop();
  });

  it('decodes video both ways while the relay-only participant\'s selected pairs are relay candidates', async () => {
    await waitForMediaFrom(bea.page, [anaId]);
    await waitForMediaFrom(ana.page, [beaId]);
    const relayed = await waitForMediaPaths(bea.page, (p) => p.localCandidateType === 'relay', 'over relay candidates');
    // Both the TURN/UDP and the TURN/TCP allocation can win the nomination; either is a relay.
    for (const path of relayed) assert.ok(path.relayProtocol === 'udp' || path.relayProtocol === 'tcp', JSON.stringify(path));
    const direct = await waitForMediaPaths(ana.page, (p) => p.localCandidateType === 'host', 'over host candidates');
    assert.ok(direct.every((p) => p.protocol === 'udp'));
    assert.ok(
      allocatedUsers(coturn).some((user) => user.endsWith(`:${beaId}`)),
      `coturn allocated a relay for Bea's credentials: ${allocatedUsers(coturn).join(', ')}`,
    );

  });

  it('uses renewed credentials once the first ones have expired (an ICE restart allocates again)', async () => {
    const first = allocatedUsers(coturn).find((user) => user.endsWith(`:${beaId}`))!;
    const firstExpiry = Number(first.split(':')[0]);
    // Past the first credentials' expiry: only renewed ones can allocate now.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstExpiry * 1000 - Date.now()) + 1000));
    await bea.page.evaluate(() => window.tertulia!.conference.restartIce());
    const deadline = Date.now() + 15_000;
    let renewed: string | undefined;
    while (Date.now() < deadline && !renewed) {
      renewed = allocatedUsers(coturn).find((user) => user.endsWith(`:${beaId}`) && Number(user.split(':')[0]) > firstExpiry);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.ok(renewed, `a new allocation with renewed credentials; coturn saw: ${allocatedUsers(coturn).join(', ')}`);
    await waitForMediaPaths(bea.page, (p) => p.localCandidateType === 'relay', 'over relay candidates');
    await waitForMediaFrom(bea.page, [anaId]);
    await waitForMediaFrom(ana.page, [beaId]);
  });
});

describe('relay-only also holds for the direct (peer-to-peer) path', () => {
  let coturn: Coturn;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    coturn = await startCoturn({ secret: SECRET });
    server = await startTestServer({ TURN_HOST: '127.0.0.1', TURN_PORT: String(coturn.port), TURN_TRANSPORT: 'udp', TURN_CREDENTIALS: SECRET });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await coturn?.stop();
  });

  it('connects two people directly through coturn when one of them asks for relay only', async () => {
    const ana = await joinRoom(browser, server.url, 'RelayedDirect', 'Ana');
    const bea = await joinRoom(browser, server.url, 'RelayedDirect', 'Bea', '&config.iceTransportPolicy="relay"');
    await bea.page.waitForFunction(() => window.tertulia?.conference.state.p2p === true, null, { timeout: 20_000 });
    // Video decoded over the direct path (this test is about its candidates, not about audio).
    const anaId = await selfId(ana.page);
    const framesFromAna = async () =>
      (await inboundStats(bea.page)).filter((s) => s.participantId === anaId && s.source === 'camera').reduce((n, s) => n + s.framesDecoded, 0);
    const first = await framesFromAna();
    await until(framesFromAna, (frames) => frames > first, 'more video from Ana');
    assert.ok((await framesFromAna()) > first, 'video from Ana keeps decoding over the direct path');
    const type = await bea.page.evaluate(() => window.tertulia!.conference.p2pCandidateType());
    assert.equal(type, 'relay', 'Ana never learns Bea\'s addresses');
  });
});
