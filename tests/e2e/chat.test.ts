import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { joinRoom, selfId, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

const HOSTILE = 'Hola, see https://example.org/agenda <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

describe('chat in real Chromium', () => {
  const suite = useServerAndBrowser();
  let ana: Attendee, bea: Attendee, carl: Attendee;

  before(async () => {
    ana = await joinRoom(suite.browser, suite.server.url, 'Chat', 'Ana');
    bea = await joinRoom(suite.browser, suite.server.url, 'Chat', 'Bea');
    carl = await joinRoom(suite.browser, suite.server.url, 'Chat', 'Carl');
  });

  it('delivers a group message to everyone, with an unread badge, a clickable link and no injected markup', async () => {
    await ana.page.getByTestId('toggle-chat').click();
    await ana.page.getByTestId('chat-input').fill(HOSTILE);
    await ana.page.getByTestId('chat-send').click();

    await bea.page.getByTestId('chat-unread').waitFor({ timeout: 5000 });
    assert.equal(await bea.page.getByTestId('chat-unread').textContent(), '1');
    await bea.page.getByTestId('toggle-chat').click();
    const text = bea.page.getByTestId('chat-text').first();
    assert.equal(await text.textContent(), HOSTILE, 'the text arrives exactly as written');
    assert.equal(await text.locator('a').getAttribute('href'), 'https://example.org/agenda');
    assert.equal(await text.locator('img, script').count(), 0, 'markup in a message is rendered as text');
    assert.equal(await bea.page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'no script ran');
    await bea.page.getByTestId('chat-unread').waitFor({ state: 'detached' });
  });

  it('delivers a private message only to its recipient', async () => {
    const anaId = await selfId(ana.page);
    await bea.page.getByTestId('chat-recipient').selectOption(anaId);
    await bea.page.getByTestId('chat-input').fill('just between us');
    await bea.page.getByTestId('chat-send').click();
    await ana.page.getByText('just between us').waitFor({ timeout: 5000 });
    await carl.page.waitForTimeout(1000);
    const carlChat = await carl.page.evaluate(() => window.tertulia!.conference.state.chat.map((m: { text: string }) => m.text));
    assert.deepEqual(carlChat, [HOSTILE], 'Carl never receives the private message');
  });

  it('shows the group history to someone who joins later, and not the private messages', async () => {
    const dan = await joinRoom(suite.browser, suite.server.url, 'Chat', 'Dan');
    const history = await dan.page.evaluate(() => window.tertulia!.conference.state.chat.map((m: { text: string }) => m.text));
    assert.deepEqual(history, [HOSTILE]);
    await dan.page.getByTestId('leave').click();
    await dan.page.getByTestId('left-page').waitFor();
  });

  it('lets a moderator stop and allow again one person’s chat', async () => {
    const beaId = await selfId(bea.page);
    const beaTile = ana.page.locator(`[data-testid="tile"][data-participant-id="${beaId}"][data-source="camera"]`);
    await beaTile.getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-stop-chat').click();
    if (!(await bea.page.getByTestId('chat-panel').isVisible())) await bea.page.getByTestId('toggle-chat').click();
    await bea.page.getByTestId('chat-muted').waitFor({ timeout: 5000 });
    assert.equal(await bea.page.getByTestId('chat-input').isVisible(), false, 'no message box while chat is off');
    const refused = await bea.page.evaluate(() => window.tertulia!.conference.sendChat('sneaky').then(() => 'sent', (e: { code?: string }) => e.code));
    assert.equal(refused, 'FORBIDDEN', 'the server refuses it too');
    // Reactions go quiet with the chat: the menu still opens, and says why nothing floats.
    await bea.page.getByTestId('reactions').click();
    await bea.page.getByRole('menuitem', { name: 'Thumbs up' }).click();
    await bea.page.getByTestId('notice').filter({ hasText: 'A moderator has turned off your reactions' }).waitFor({ timeout: 10_000 });
    await bea.page.keyboard.press('Escape');
    assert.equal(await ana.page.locator('[data-testid="reaction"]').count(), 0, 'no reaction reached the others');

    await beaTile.getByTestId('tile-menu-button').click();
    await ana.page.getByTestId('tile-allow-chat').click();
    await bea.page.getByTestId('chat-input').waitFor({ timeout: 5000 });
    await bea.page.getByTestId('chat-recipient').selectOption('');
    await bea.page.getByTestId('chat-input').fill('back again');
    await bea.page.getByTestId('chat-send').click();
    await carl.page.waitForFunction(() => window.tertulia!.conference.state.chat.some((m: { text: string }) => m.text === 'back again'), null, { timeout: 10_000 });
    assert.ok(!(await carl.page.evaluate(() => window.tertulia!.conference.state.chat.some((m: { text: string }) => m.text === 'sneaky'))));
  });

  it('forgets the chat when the meeting ends', async () => {
    for (const a of [ana, bea, carl]) {
      await a.page.getByTestId('leave').click();
      await a.page.getByTestId('left-page').waitFor();
    }
    assert.equal(suite.server.registry.rooms().length, 0, 'the room is gone with its last participant');
    const eve = await joinRoom(suite.browser, suite.server.url, 'Chat', 'Eve');
    assert.deepEqual(await eve.page.evaluate(() => window.tertulia!.conference.state.chat), []);
  });
});
