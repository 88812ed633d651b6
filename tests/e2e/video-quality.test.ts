import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinRoomIn, selfId, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

/*
 * Four people in tile view at 1280×720, as issue 10 describes them: each receiver gets
 * the layer its tiles need, a pin raises one video at the pinner only, senders stop
 * encoding what nobody receives, last-N and audio-only hold videos back, and a receiver
 * whose downlink shrinks loses video layers before it loses audio.
 */

interface Inbound {
  participantId: string;
  source: string;
  kind: string;
  framesDecoded: number;
  totalAudioEnergy: number;
  frameHeight?: number;
}

interface Outbound {
  source: string;
  rid?: string;
  active: boolean;
  path: string;
}

const MUTED = '&config.startWithAudioMuted=true';
const inbound = (page: Page) => page.evaluate(() => window.tertulia!.conference.inboundStats()) as Promise<Inbound[]>;
const outbound = (page: Page) => page.evaluate(() => (window.tertulia!.conference as any).outboundStats()) as Promise<Outbound[]>;

/** Polls `read` until `ok` holds; the failure message shows the last value. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Remote camera videos whose frame count moved during `windowMs`, with the height they decode at. */
async function liveVideos(page: Page, windowMs = 2_000): Promise<Map<string, number>> {
  const camera = (stats: Inbound[]) => stats.filter((s) => s.kind === 'video' && s.source === 'camera');
  const first = new Map(camera(await inbound(page)).map((s) => [s.participantId, s.framesDecoded]));
  await page.waitForTimeout(windowMs);
  const live = new Map<string, number>();
  for (const s of camera(await inbound(page))) {
    if (s.framesDecoded > (first.get(s.participantId) ?? Infinity)) live.set(s.participantId, s.frameHeight ?? 0);
  }
  return live;
}

/** The camera encodings the page sends to the server, by rid, and whether each is active. */
async function cameraEncodings(page: Page): Promise<Record<string, boolean>> {
  const stats = (await outbound(page)).filter((s) => s.source === 'camera' && s.path === 'server' && s.rid);
  return Object.fromEntries(stats.map((s) => [s.rid!, s.active]));
}

/**
 * A receiver short of downlink: fewer than all three videos, none above 180p, and
 * the audio of `speakerId` still arriving. `who` names them in failure messages.
 */
async function expectLessVideoSameAudio(page: Page, who: string, speakerId: string): Promise<void> {
  const live = await until(
    () => liveVideos(page),
    (videos) => videos.size < 3 && [...videos.values()].every((h) => h <= 180),
    `${who} down to the smallest layer, some videos paused`,
    40_000,
  );
  assert.ok(live.size < 3);
  const energy = async () => (await inbound(page)).find((s) => s.kind === 'audio' && s.participantId === speakerId)?.totalAudioEnergy ?? 0;
  const before = await energy();
  await until(energy, (now) => now > before, `the speaker's audio still arriving at ${who}`);
}

describe('media quality with four people, in real Chromium', () => {
  const suite = useServerAndBrowser();
  const people: Attendee[] = [];
  const ids: string[] = [];
  const join = async (name: string, hash: string) => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const attendee = await joinRoomIn(context, suite.server.url, 'QualityRoom', name, hash);
    people.push(attendee);
    ids.push(await selfId(attendee.page));
  };

  before(async () => {
    // Only Ana speaks, so she is the dominant speaker.
    await join('Ana', '');
    await join('Bea', MUTED);
    await join('Carl', MUTED);
    await join('Dora', MUTED);
  });

  it('in tile view every remote camera arrives at 360p or less, and nobody encodes 720p', async () => {
    for (const [i, person] of people.entries()) {
      const others = ids.filter((_, j) => j !== i);
      const live = await until(
        () => liveVideos(person.page),
        (videos) => others.every((id) => (videos.get(id) ?? 0) > 0 && videos.get(id)! <= 360),
        `${person.name} decoding every other camera at ≤ 360p`,
      );
      assert.equal(live.size, 3);
    }
    for (const person of people) {
      const encodings = await until(() => cameraEncodings(person.page), (e) => e['r2'] === false, `${person.name}'s 720p encoding off`);
      assert.equal(encodings['r0'], true, `${person.name} still sends its smallest layer`);
    }
  });

  it('a pin raises that video to 540p or more at the pinner only, and its sender encodes 720p again', async () => {
    const [ana, bea, carl] = people;
    await ana!.page.locator(`[data-testid="tile"][data-participant-id="${ids[2]}"] [data-testid="tile-pin"]`).click();
    await until(() => cameraEncodings(carl!.page), (e) => e['r2'] === true, "Carl's 720p encoding back on");
    await until(() => liveVideos(ana!.page), (videos) => (videos.get(ids[2]!) ?? 0) >= 540, "Ana decoding Carl at ≥ 540p");
    const atBea = await liveVideos(bea!.page);
    assert.ok((atBea.get(ids[2]!) ?? 0) <= 360, `Bea still gets Carl at ≤ 360p: ${JSON.stringify([...atBea])}`);

    await ana!.page.locator(`[data-testid="tile"][data-participant-id="${ids[2]}"] [data-testid="tile-pin"]`).click();
    await until(() => cameraEncodings(carl!.page), (e) => e['r2'] === false, "Carl's 720p encoding off again after the unpin");
  });

  it('with channelLastN=2 a newcomer decodes exactly two videos, the dominant speaker among them', async () => {
    await join('Eli', `${MUTED}&config.channelLastN=2`);
    const eli = people[4]!;
    await until(() => eli.page.evaluate(() => window.tertulia!.conference.state.dominantSpeakerId as string | null), (id) => id === ids[0], 'Ana as dominant speaker');
    const live = await until(() => liveVideos(eli.page), (videos) => videos.size === 2, 'Eli decoding two videos');
    assert.ok(live.has(ids[0]!), `the speaker is among them: ${JSON.stringify([...live])}`);
    // The three others show as held back by last-N.
    const heldBack = await eli.page.evaluate(() =>
      (window.tertulia!.conference.state.participants as Array<{ id: string; videoHeldBack: Record<string, string> }>)
        .filter((p) => p.videoHeldBack['camera'] === 'lastN')
        .map((p) => p.id),
    );
    assert.equal(heldBack.length, 2, `two of the four held back: ${JSON.stringify(heldBack)}`);
    await eli.context.close();
    people.pop();
    ids.pop();
  });

  it('audio-only receives no video and keeps the sound', async () => {
    const dora = people[3]!;
    await dora.page.evaluate(() => (window.tertulia!.conference as any).setAudioOnly(true));
    await until(() => liveVideos(dora.page), (videos) => videos.size === 0, 'Dora receiving no video');
    const energy = async () => (await inbound(dora.page)).find((s) => s.kind === 'audio' && s.participantId === ids[0])?.totalAudioEnergy ?? 0;
    const before = await energy();
    await until(energy, (now) => now > before, "Ana's audio still arriving at Dora");
    await dora.page.evaluate(() => (window.tertulia!.conference as any).setAudioOnly(false));
    await until(() => liveVideos(dora.page), (videos) => videos.size === 3, 'Dora receiving video again');
  });

  it('a receiver that says its downlink is small (iframe setAssumedBandwidthBps) gets less video, keeps audio, and all of it back at 0', async () => {
    const carl = people[2]!;
    // Three 180p videos take 450 kbps: 250 kbps leaves room for one.
    await carl.page.evaluate(() => (window.tertulia!.conference as any).setAssumedBandwidth(250_000));
    await expectLessVideoSameAudio(carl.page, 'Carl', ids[0]!);
    await carl.page.evaluate(() => (window.tertulia!.conference as any).setAssumedBandwidth(0));
    await until(() => liveVideos(carl.page), (videos) => videos.size === 3, 'Carl receiving every video again', 40_000);
  });

  it('a receiver whose downlink shrinks loses video before audio', async () => {
    const bea = people[1]!;
    const room = suite.server.registry.get('qualityroom');
    assert.ok(room, 'the room is open');
    await room.media.setMaxOutgoingBitrate(ids[1]!, 200_000);
    await expectLessVideoSameAudio(bea.page, 'Bea', ids[0]!);
    const reasons = await bea.page.evaluate(() =>
      (window.tertulia!.conference.state.participants as Array<{ videoHeldBack: Record<string, string> }>).map((p) => p.videoHeldBack['camera']),
    );
    assert.ok(reasons.includes('bandwidth'), `held back for bandwidth: ${JSON.stringify(reasons)}`);
  });
});
