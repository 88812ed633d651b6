import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { joinRoom, selfId, type Attendee } from '../support/browser.js';
import { startTestServer } from '../support/server.js';
import { useServerAndBrowser } from '../support/suite.js';

type PollState = { id: string; question: string; anonymous: boolean; options: Array<{ votes: number; voters: Array<{ id: string }> }> };

const openPolls = async (page: Page) => {
  if (!(await page.getByTestId('polls-panel').isVisible())) await page.getByTestId('toggle-polls').click();
  await page.getByTestId('polls-panel').waitFor();
};
const pollCard = (page: Page, question: string): Locator => page.getByTestId('poll').filter({ has: page.getByText(question, { exact: true }) });
const optionRow = (card: Locator, text: string): Locator => card.getByTestId('poll-option').filter({ has: card.page().getByTestId('poll-option-text').getByText(text) });
const pollsIn = (page: Page): Promise<PollState[]> => page.evaluate(() => window.tertulia!.conference.state.polls);
/** The error code the server answers a vote with, or 'ok'. */
const voteFromPage = (page: Page, pollId: string, option: number) =>
  page.evaluate(
    ([id, index]) =>
      window.tertulia!.conference.votePoll(id, index).then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? String(error),
      ),
    [pollId, option] as const,
  );

async function createPoll(page: Page, question: string, options: string[], anonymous = false): Promise<void> {
  await openPolls(page);
  await page.getByTestId('poll-new').click();
  await page.getByTestId('poll-question').fill(question);
  for (let i = 2; i < options.length; i++) await page.getByTestId('poll-add-option').click();
  const inputs = page.getByTestId('poll-option-input');
  assert.equal(await inputs.count(), options.length);
  for (const [i, text] of options.entries()) await inputs.nth(i).fill(text);
  if (anonymous) await page.getByTestId('poll-anonymous').check();
  await page.getByTestId('poll-create').click();
  await pollCard(page, question).waitFor({ timeout: 5000 });
}

async function vote(page: Page, question: string, option: string): Promise<void> {
  await openPolls(page);
  const card = pollCard(page, question);
  await card.getByLabel(option, { exact: true }).check();
  await card.getByTestId('poll-vote').click();
  await card.getByTestId('poll-results').waitFor({ timeout: 5000 });
}

describe('polls in real Chromium', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee, carl: Attendee;
  const ids: Record<string, string> = {};
  const NAMED = 'Where do we meet next week?';
  const ANONYMOUS = 'How was the talk?';

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, 'Polls', 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, 'Polls', 'Bea');
    carl = await joinRoom(suite.browser, suite.server.url, 'Polls', 'Carl');
    for (const a of [ana, bea, carl]) ids[a.name] = await selfId(a.page);
  });

  it('shows the create form to the moderator only (default POLL_CREATORS)', async () => {
    await openPolls(bea.page);
    await bea.page.getByText(/No polls yet/).waitFor();
    assert.equal(await bea.page.getByTestId('poll-new').count(), 0, 'no create button for a participant');
    assert.equal(await bea.page.getByTestId('poll-form').count(), 0);
    await bea.page.getByTestId('toggle-polls').click();
    await bea.page.getByTestId('polls-panel').waitFor({ state: 'detached' });
    await openPolls(ana.page);
    await ana.page.getByTestId('poll-new').waitFor();
  });

  it('delivers a new poll live to the others, with a badge and a notice', async () => {
    // Notices last a few seconds: watch for them from before the poll is created.
    const noticed = [bea, carl].map((other) => other.page.getByTestId('notice').filter({ hasText: `Ana started a poll: ${NAMED}` }).waitFor({ timeout: 10_000 }));
    await createPoll(ana.page, NAMED, ['Park', 'Café', 'Office']);
    await Promise.all(noticed);
    for (const other of [bea, carl]) {
      await other.page.getByTestId('polls-unseen').waitFor({ timeout: 5000 });
      assert.equal(await other.page.getByTestId('polls-unseen').textContent(), '1');
    }
    assert.equal(await ana.page.getByTestId('polls-unseen').count(), 0, 'no badge for the creator');
    await openPolls(bea.page);
    await bea.page.getByTestId('polls-unseen').waitFor({ state: 'detached' });
    const card = pollCard(bea.page, NAMED);
    assert.equal(await card.getByTestId('poll-choice').count(), 3);
    assert.equal(await card.getByTestId('poll-close').count(), 0, 'only its creator or a moderator may close it');
  });

  it('shows a vote to everyone at once, with the voter’s name, and takes one vote per person', async () => {
    for (const watcher of [ana, carl]) {
      await openPolls(watcher.page);
      await pollCard(watcher.page, NAMED).getByTestId('poll-peek').click();
    }
    await vote(bea.page, NAMED, 'Café');
    for (const watcher of [ana, carl, bea]) {
      const row = optionRow(pollCard(watcher.page, NAMED), 'Café');
      await row.getByTestId('poll-option-votes').filter({ hasText: '1 vote' }).waitFor({ timeout: 5000 });
      assert.equal(await row.getByTestId('poll-option-percent').textContent(), '100%');
      assert.deepEqual(await row.getByTestId('poll-voter').allTextContents(), ['Bea']);
      assert.equal(await optionRow(pollCard(watcher.page, NAMED), 'Park').getByTestId('poll-option-votes').textContent(), '0 votes');
    }
    const beaCard = pollCard(bea.page, NAMED);
    assert.equal(await beaCard.getByTestId('poll-vote-form').count(), 0, 'Bea sees the results, not the options again');
    await beaCard.getByText('your vote').waitFor();

    const pollId = (await pollsIn(bea.page)).find((p) => p.question === NAMED)!.id;
    assert.equal(await voteFromPage(bea.page, pollId, 0), 'INVALID_REQUEST', 'the server refuses a second vote');
    await bea.page.waitForTimeout(500);
    const counts = (await pollsIn(ana.page)).find((p) => p.id === pollId)!.options.map((o) => o.votes);
    assert.deepEqual(counts, [0, 1, 0], 'nothing changed');
  });

  it('counts anonymous votes without showing or sending any voter’s name', async () => {
    await createPoll(ana.page, ANONYMOUS, ['Great', 'Fine', 'Boring'], true);
    await vote(bea.page, ANONYMOUS, 'Great');
    await vote(carl.page, ANONYMOUS, 'Great');
    const anaCard = pollCard(ana.page, ANONYMOUS);
    await anaCard.getByTestId('poll-peek').click();
    await optionRow(anaCard, 'Great').getByTestId('poll-option-votes').filter({ hasText: '2 votes' }).waitFor({ timeout: 5000 });
    for (const a of [ana, bea, carl]) {
      const card = pollCard(a.page, ANONYMOUS);
      await optionRow(card, 'Great').getByTestId('poll-option-votes').filter({ hasText: '2 votes' }).waitFor({ timeout: 5000 });
      assert.equal(await card.getByTestId('poll-voter').count(), 0, `no names in ${a.name}'s view`);
      assert.doesNotMatch((await card.textContent())!, /Bea|Carl/);
      const data = (await pollsIn(a.page)).find((p) => p.question === ANONYMOUS)!;
      assert.ok(data.anonymous);
      assert.ok(data.options.every((o) => o.voters.length === 0), 'no voters in the poll data');
      for (const id of [ids['Bea']!, ids['Carl']!]) assert.ok(!JSON.stringify(data).includes(id), `no voter id in ${a.name}'s poll data`);
    }
  });

  it('gives someone joining later the polls so far, newest first', async () => {
    const dan = await joinRoom(suite.browser, suite.server.url, 'Polls', 'Dan');
    assert.equal(await dan.page.getByTestId('polls-unseen').textContent(), '2', 'both polls are new to Dan');
    await openPolls(dan.page);
    assert.deepEqual(await dan.page.getByTestId('poll-question-text').allTextContents(), [ANONYMOUS, NAMED]);
    const card = pollCard(dan.page, NAMED);
    await card.getByTestId('poll-peek').click();
    assert.deepEqual(await optionRow(card, 'Café').getByTestId('poll-voter').allTextContents(), ['Bea']);
    await dan.context.close();
  });

  it('stops votes once the creator closes the poll', async () => {
    await pollCard(ana.page, NAMED).getByTestId('poll-close').click();
    const carlCard = pollCard(carl.page, NAMED);
    await carlCard.getByTestId('poll-closed').waitFor({ timeout: 5000 });
    assert.equal(await carlCard.getByTestId('poll-vote-form').count(), 0, 'Carl can no longer vote in the UI');
    await carlCard.getByTestId('poll-results').waitFor();
    // Carl may hear of it before Ana's own page does.
    await pollCard(ana.page, NAMED).getByTestId('poll-close').waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await pollCard(ana.page, NAMED).getByTestId('poll-close').count(), 0);
    const pollId = (await pollsIn(carl.page)).find((p) => p.question === NAMED)!.id;
    assert.equal(await voteFromPage(carl.page, pollId, 0), 'INVALID_REQUEST', 'and the server refuses');
  });

  it('lets a participant create a poll with POLL_CREATORS=everyone', async () => {
    const open = await startTestServer({ POLL_CREATORS: 'everyone' });
    try {
      const host = await joinRoom(suite.browser, open.url, 'Everyone', 'Host');
      const guest = await joinRoom(suite.browser, open.url, 'Everyone', 'Guest');
      assert.equal(await guest.page.evaluate(() => window.tertulia!.conference.state.self.role), 'participant');
      await createPoll(guest.page, 'Pizza or pasta?', ['Pizza', 'Pasta']);
      await host.page.getByTestId('polls-unseen').waitFor({ timeout: 5000 });
      await openPolls(host.page);
      await pollCard(host.page, 'Pizza or pasta?').waitFor();
      await pollCard(guest.page, 'Pizza or pasta?').getByTestId('poll-close').waitFor();
      await host.context.close();
      await guest.context.close();
    } finally {
      await open.close();
    }
  });
});
