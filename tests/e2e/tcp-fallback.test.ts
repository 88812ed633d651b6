import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { joinRoom, selfId, waitForMediaFrom, waitForMediaPaths, type Attendee } from '../support/browser.js';
import { createTestNetwork, launchBrowserIn, startServerIn, type NamespacedServer, type TestNetwork } from '../support/netns.js';

/*
 * Bea's Chromium runs in a network namespace whose firewall drops all UDP to the
 * server (see tests/support/netns.ts); Ana's runs beside the server. The media
 * server's one TCP port must carry Bea's whole meeting.
 */
describe('a participant whose UDP is blocked joins over the media server\'s TCP port', () => {
  let net: TestNetwork;
  let server: NamespacedServer;
  const browsers: Array<{ close(): Promise<void> }> = [];
  let ana: Attendee, bea: Attendee;

  before(async () => {
    net = await createTestNetwork();
    await net.blockClientUdp();
    // Two people would otherwise try a direct connection; this test is about the server path.
    server = await startServerIn(net.serverNs, { P2P_ENABLED: '0' });
    const beside = await launchBrowserIn(net.serverNs, server.url);
    const behindFirewall = await launchBrowserIn(net.clientNs, server.url);
    browsers.push(beside, behindFirewall);
    ana = await joinRoom(beside.browser, server.url, 'Fallback', 'Ana');
    bea = await joinRoom(behindFirewall.browser, server.url, 'Fallback', 'Bea');
  });
  after(async () => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await server?.stop();
    await net?.close();
  });

  it('decodes video both ways, over TCP for the blocked one and UDP for the other', async (t) => {
    const [anaId, beaId] = [await selfId(ana.page), await selfId(bea.page)];
    const joinedAt = Date.now();
    await waitForMediaFrom(bea.page, [anaId], 30_000);
    await waitForMediaFrom(ana.page, [beaId], 30_000);
    t.diagnostic(`media both ways ${Date.now() - joinedAt} ms after both had joined`);
    const blocked = await waitForMediaPaths(bea.page, (p) => p.protocol === 'tcp', 'over tcp', 20_000);
    // Straight to the server (Chromium's active TCP candidates show as host or peer-reflexive), not relayed.
    assert.ok(blocked.every((p) => p.localCandidateType === 'host' || p.localCandidateType === 'prflx'), JSON.stringify(blocked));
    await waitForMediaPaths(ana.page, (p) => p.protocol === 'udp', 'over udp', 20_000);

    // The firewall really dropped what Chromium tried over UDP.
    const ruleset = await net.exec(net.clientNs, ['/usr/sbin/nft', 'list', 'table', 'inet', 'tertulia_test']);
    const dropped = Number(/counter packets (\d+)/.exec(ruleset)?.[1] ?? 0);
    assert.ok(dropped > 0, `UDP packets dropped by the client's firewall: ${ruleset}`);
    t.diagnostic(`${dropped} UDP packets from the blocked browser were dropped`);
  });
});
