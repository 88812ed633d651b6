import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningServer } from '@tertulia/server';
import { startTestServer } from '../support/server.js';
import { joinAs, RawClient } from '../support/ws-client.js';

type Stat = { participantId: string; displayName: string; speakingMs: number; speakingNow: boolean; present: boolean };

/*
 * A raw client sends no real audio, so the media room's dominant-speaker event is
 * raised here the way its ActiveSpeakerObserver raises it; real audio is
 * tests/e2e/speaker-stats.test.ts's concern.
 */
describe('speaker stats over the protocol', () => {
  let server: RunningServer;
  let ana: RawClient, bea: RawClient, outsider: RawClient;
  const ids: Record<string, string> = {};

  const stats = async (client: RawClient): Promise<Record<string, Stat>> => {
    const reply = await client.request('getSpeakerStats');
    assert.equal(reply.ok, true, JSON.stringify(reply.error));
    return Object.fromEntries((reply.data.stats as Stat[]).map((s) => [s.displayName, s]));
  };
  const speaks = (name: string) => server.registry.get('talk')!.media.emit('dominantSpeaker', ids[name]!);

  before(async () => {
    server = await startTestServer();
    ({ client: ana, id: ids['Ana'] } = await joinAs(server.url, 'Talk', 'Ana'));
    ({ client: bea, id: ids['Bea'] } = await joinAs(server.url, 'Talk', 'Bea'));
    outsider = await RawClient.connect(server.url);
  });
  after(async () => {
    for (const c of [ana, bea, outsider]) c.close();
    await server.close();
  });

  it('refuses speaker stats to someone who has not joined', async () => {
    assert.equal((await outsider.request('getSpeakerStats')).error?.code, 'NOT_JOINED');
  });

  it('lists everyone present with no talk time before anyone speaks', async () => {
    const before = await stats(bea);
    assert.deepEqual(Object.keys(before).sort(), ['Ana', 'Bea']);
    assert.ok(Object.values(before).every((s) => s.speakingMs === 0 && !s.speakingNow && s.present));
  });

  it('counts the dominant speaker’s running turn, and keeps someone who left as not present', async () => {
    speaks('Bea');
    await sleep(300);
    const during = await stats(ana);
    assert.equal(during['Bea']!.speakingNow, true);
    assert.ok(during['Bea']!.speakingMs >= 300, `Bea's running turn counts (${during['Bea']!.speakingMs} ms)`);
    assert.equal(during['Ana']!.speakingMs, 0);

    assert.equal((await bea.request('leave')).ok, true);
    await ana.waitFor((m) => m.method === 'participantLeft');
    const left = await stats(ana);
    await sleep(200);
    const later = await stats(ana);
    assert.equal(later['Bea']!.present, false, 'still listed, as gone');
    assert.equal(later['Bea']!.speakingNow, false);
    assert.equal(later['Bea']!.speakingMs, left['Bea']!.speakingMs, 'her time stopped when she left');
    assert.ok(later['Bea']!.speakingMs >= during['Bea']!.speakingMs);
    assert.equal(later['Ana']!.present, true);
  });
});
