import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { joinRoom, selfId, waitForMediaFrom, type Attendee } from '../support/browser.js';
import { useServerAndBrowser } from '../support/suite.js';

const ROOM = 'Idiomas';
const VIEWPORT = { width: 1000, height: 700 };

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const notice = (page: Page, text: string) => page.locator('[data-testid="notice"]', { hasText: text });
const storedLanguage = (page: Page) => page.evaluate(() => localStorage.getItem('tertulia.language'));
const pageLanguage = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('interface language in real Chromium', () => {
  const suite = useServerAndBrowser();
  let spanish: BrowserContext;
  let ana: Page;
  let bea: Attendee;

  it('shows a Spanish browser the prejoin and the call in Spanish', async () => {
    spanish = await suite.browser.newContext({ locale: 'es-ES', viewport: VIEWPORT });
    ana = await spanish.newPage();
    await ana.goto(`${suite.server.url}/${ROOM}`);
    await ana.getByRole('heading', { name: '¿Todo listo para entrar?' }).waitFor();
    assert.equal(await pageLanguage(ana), 'es');
    await button(ana, 'Silenciar micrófono').waitFor();
    assert.equal(await ana.getByLabel('Tu nombre').getAttribute('placeholder'), 'Cómo te verán los demás');
    assert.equal(await ana.getByTestId('language-select').inputValue(), 'es', 'the picker shows the language in use');
    assert.equal(await storedLanguage(ana), null, 'a language taken from the browser is not stored');

    await ana.getByLabel('Tu nombre').fill('Ana');
    await ana.getByRole('button', { name: 'Entrar en la reunión' }).click();
    await ana.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 45_000 });
    await ana.getByRole('group', { name: 'Controles de la reunión' }).waitFor();
    for (const name of ['Silenciar micrófono', 'Apagar cámara', 'Chat', 'Ajustes', 'Salir de la reunión']) await button(ana, name).waitFor();
    assert.equal(await ana.locator('[data-self="true"][data-source="camera"] [data-testid="tile-name"]').textContent(), 'Ana (tú)');
  });

  it('switches one participant to Italian in the settings panel while the call keeps running', async () => {
    // Watched from before Bea's join finishes: the notice goes after a few seconds.
    const joinedNotice = notice(ana, 'Bea se ha unido').waitFor({ timeout: 45_000 });
    bea = await joinRoom(suite.browser, suite.server.url, ROOM, 'Bea');
    await joinedNotice;
    const anaId = await selfId(ana);
    await waitForMediaFrom(bea.page, [anaId]);
    await button(bea.page, 'Leave meeting').waitFor();
    await bea.page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await bea.page.getByTestId('device-settings').click();
    await bea.page.getByRole('dialog', { name: 'Settings' }).getByLabel('Language').selectOption('it');

    await bea.page.getByRole('dialog', { name: 'Impostazioni' }).waitFor();
    await bea.page.getByRole('group', { name: 'Controlli della riunione' }).waitFor();
    for (const name of ['Disattiva microfono', 'Spegni videocamera', 'Impostazioni', 'Lascia la riunione']) await button(bea.page, name).waitFor();
    assert.equal(await button(bea.page, 'Leave meeting').count(), 0, 'no English name is left on the toolbar');
    assert.equal(await pageLanguage(bea.page), 'it');
    assert.equal(await bea.page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'no reload');
    assert.equal(await bea.page.evaluate(() => window.tertulia!.conference.state.connection), 'joined');
    await waitForMediaFrom(bea.page, [anaId]);
    assert.equal(await button(ana, 'Salir de la reunión').count(), 1, 'Ana stays in Spanish');

    await bea.page.keyboard.press('Escape');
    await button(ana, 'Salir de la reunión').click();
    await notice(bea.page, 'Ana ha lasciato la riunione').waitFor({ timeout: 10_000 });
    await ana.getByTestId('left-page').getByText('Has salido de la reunión').waitFor();
  });

  it('keeps the chosen language after a reload', async () => {
    assert.equal(await storedLanguage(bea.page), 'it');
    await bea.page.reload();
    await bea.page.waitForFunction(() => window.tertulia?.conference.state.connection === 'joined', null, { timeout: 45_000 });
    await button(bea.page, 'Lascia la riunione').waitFor();
    assert.equal(await bea.page.locator('[data-self="true"][data-source="camera"] [data-testid="tile-name"]').textContent(), 'Bea (tu)');
  });

  it('takes #config.defaultLanguage and the iframe API’s lang for the page only', async () => {
    const carl = await joinRoom(suite.browser, suite.server.url, ROOM, 'Carl', '&config.defaultLanguage=%22it%22');
    await button(carl.page, 'Lascia la riunione').waitFor();
    assert.equal(await pageLanguage(carl.page), 'it');
    assert.equal(await storedLanguage(carl.page), null, 'not remembered');

    const page = await carl.context.newPage();
    await page.goto(`${suite.server.url}/${ROOM}#lang=%22es%22`);
    await page.getByRole('heading', { name: '¿Todo listo para entrar?' }).waitFor();
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Start meeting' }).waitFor();
    assert.equal(await pageLanguage(page), 'en', 'the next page without it is in the browser’s language again');
  });
});
