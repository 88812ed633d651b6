import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { inboundStats, joinRoom, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';
import { until } from '../support/wait.js';

const ROOM = 'Breakouts';
const cameraTiles = (page: Page) => page.locator('[data-testid="tile"][data-source="camera"]').count();
const breakoutOf = (page: Page) => page.evaluate(() => window.tertulia!.conference.state.room?.breakout?.id ?? null);
const roomIds = (page: Page) => page.evaluate(() => (window.tertulia!.conference.state.breakoutRooms as Array<{ id: string }>).map((r) => r.id));

/** Marks the page, so a reload (which would lose the mark) cannot pass for a move. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
async function assertNotReloaded(page: Page): Promise<void> {
  assert.equal(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker), 1, 'the page was not reloaded');
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1);
}

async function openPanel(page: Page): Promise<void> {
  if (!(await page.getByTestId('breakouts-panel').isVisible())) await page.getByTestId('toggle-breakouts').click();
  await page.getByTestId('breakouts-panel').waitFor();
}

const roomSection = (page: Page, roomId: string) => page.locator(`[data-testid="breakout-room"][data-room-id="${roomId}"]`);

describe('breakout rooms in real Chromium', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee, carl: Attendee;
  const id: Record<'ana' | 'bea' | 'carl', string> = { ana: '', bea: '', carl: '' };

  /** Waits until the person is in `roomId` (null: the main room) and sends their camera and microphone there. */
  async function settledIn(who: keyof typeof id, page: Page, roomId: string | null): Promise<void> {
    await page.waitForFunction((want) => (window.tertulia!.conference.state.room?.breakout?.id ?? null) === want, roomId, { timeout: 15_000 });
    const key = roomId ? `${ROOM.toLowerCase()}/${roomId}` : ROOM.toLowerCase();
    const sending = () => (suite.server.registry.get(key)?.media.producersOf(id[who]) ?? []).map((p) => p.source).sort().join();
    await until(sending, (sources) => sources === 'camera,mic', `${who} to send camera and microphone in ${key}`);
  }

  async function assertHearsNobodyFrom(page: Page, others: string[]): Promise<void> {
    const from = new Set((await inboundStats(page)).map((s) => s.participantId));
    for (const other of others) assert.equal(from.has(other), false, `no media from ${other}`);
  }

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, ROOM, 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, ROOM, 'Bea');
    carl = await joinRoom(suite.browser, suite.server.url, ROOM, 'Carl');
    id.ana = await selfId(ana.page);
    id.bea = await selfId(bea.page);
    id.carl = await selfId(carl.page);
    for (const person of [ana, bea, carl]) await mark(person.page);
  });

  it('sends people to rooms without a reload, keeps media inside each room, and brings everyone back', async () => {
    await waitForMediaFrom(ana.page, [id.bea, id.carl]);
    await openPanel(ana.page);
    const panel = ana.page.getByTestId('breakouts-panel');
    await panel.getByTestId('breakout-add').click();
    await ana.page.waitForFunction(() => window.tertulia!.conference.state.breakoutRooms.length === 1);
    await panel.getByTestId('breakout-add').click();
    await ana.page.waitForFunction(() => window.tertulia!.conference.state.breakoutRooms.length === 2);
    const [first, second] = (await roomIds(ana.page)) as [string, string];
    await roomSection(ana.page, first).getByRole('heading', { name: 'Room 1' }).waitFor();

    // A raised hand belongs to the main room's queue: it goes down when Bea is moved.
    await bea.page.getByTestId('toggle-hand').click();
    await ana.page.locator(`[data-participant-id="${id.bea}"] [data-testid="hand-badge"]`).first().waitFor({ timeout: 10_000 });
    // "Send to…" from the moderator's list.
    const sendTo = (who: string, roomId: string) =>
      panel.locator(`[data-testid="breakout-person"][data-participant-id="${who}"] [data-testid="breakout-send-to"]`).selectOption(roomId);
    await sendTo(id.bea, first);
    await sendTo(id.carl, second);
    await settledIn('bea', bea.page, first);
    await settledIn('carl', carl.page, second);
    for (const person of [bea, carl]) await assertNotReloaded(person.page);
    assert.match((await bea.page.getByTestId('breakout-name').textContent()) ?? '', /Room 1$/, 'the header names the breakout room');
    await bea.page.getByRole('button', { name: 'Raise hand', pressed: false }).waitFor({ timeout: 10_000 });
    await roomSection(ana.page, first).locator(`[data-testid="breakout-person"][data-participant-id="${id.bea}"]`).waitFor();

    // Each alone in their room: nobody else's media, one tile.
    await assertHearsNobodyFrom(bea.page, [id.ana, id.carl]);
    await assertHearsNobodyFrom(carl.page, [id.ana, id.bea]);
    await assertHearsNobodyFrom(ana.page, [id.bea, id.carl]);
    for (const person of [ana, bea, carl]) assert.equal(await cameraTiles(person.page), 1, `${person.name} sees only their own tile`);

    // Carl joins Bea's room by himself.
    await openPanel(carl.page);
    await roomSection(carl.page, first).getByTestId('breakout-join').click();
    await settledIn('carl', carl.page, first);
    await waitForMediaFrom(bea.page, [id.carl]);
    await waitForMediaFrom(carl.page, [id.bea]);
    await assertHearsNobodyFrom(ana.page, [id.bea, id.carl]);
    assert.equal(await cameraTiles(bea.page), 2);
    assert.equal(await cameraTiles(carl.page), 2);
    assert.equal(await cameraTiles(ana.page), 1);

    // Everyone back to the main room.
    await panel.getByTestId('breakout-close-all').click();
    for (const [who, person] of [['bea', bea], ['carl', carl]] as const) await settledIn(who, person.page, null);
    await waitForMediaFrom(ana.page, [id.bea, id.carl]);
    await waitForMediaFrom(bea.page, [id.ana, id.carl]);
    await waitForMediaFrom(carl.page, [id.ana, id.bea]);
    for (const person of [ana, bea, carl]) {
      assert.equal(await cameraTiles(person.page), 3, `${person.name} sees everyone again`);
      await assertNotReloaded(person.page);
    }
    assert.equal(await bea.page.getByTestId('breakout-name').count(), 0);
    assert.deepEqual(await roomIds(ana.page), [first, second], 'the rooms stay for another round');
  });

  it('auto-assigns, lets a participant leave a breakout room, and removing a room sends its people back', async () => {
    const panel = ana.page.getByTestId('breakouts-panel');
    await panel.getByTestId('breakout-auto-assign').click();
    await bea.page.waitForFunction(() => window.tertulia!.conference.state.room?.breakout != null);
    await carl.page.waitForFunction(() => window.tertulia!.conference.state.room?.breakout != null);
    const beaRoom = await breakoutOf(bea.page);
    const carlRoom = await breakoutOf(carl.page);
    assert.notEqual(beaRoom, carlRoom, 'two people over two rooms: one each');
    assert.equal(await breakoutOf(ana.page), null, 'the moderator stays in the main room');
    await settledIn('bea', bea.page, beaRoom);
    await settledIn('carl', carl.page, carlRoom);
    await assertHearsNobodyFrom(bea.page, [id.ana, id.carl]);
    await assertHearsNobodyFrom(ana.page, [id.bea, id.carl]);

    // Bea goes back to the main room herself.
    await openPanel(bea.page);
    assert.match((await bea.page.getByTestId('breakout-current').textContent()) ?? '', /You are in Room/);
    await bea.page.getByTestId('breakout-leave').click();
    await settledIn('bea', bea.page, null);
    await waitForMediaFrom(ana.page, [id.bea]);
    await waitForMediaFrom(bea.page, [id.ana]);
    await assertHearsNobodyFrom(carl.page, [id.ana, id.bea]);

    // Removing Carl's room brings him back too.
    await roomSection(ana.page, carlRoom!).getByTestId('breakout-remove').click();
    await settledIn('carl', carl.page, null);
    await waitForMediaFrom(carl.page, [id.ana, id.bea]);
    await waitForMediaFrom(ana.page, [id.bea, id.carl]);
    assert.deepEqual(await roomIds(ana.page), [beaRoom], 'the removed room is gone from the list');
    assert.deepEqual(await roomIds(carl.page), [beaRoom]);
    for (const person of [ana, bea, carl]) await assertNotReloaded(person.page);
  });
});
