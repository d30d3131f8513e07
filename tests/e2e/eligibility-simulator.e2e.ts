import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  expectAccessible,
  expectAccessibleWithoutScripts,
  overflowsHorizontally,
  PHONE
} from './harness.js';

/** Fills the simulator as a student alone, living outside the town, with 7,00 € a day left to live on. */
async function fillStudent(page: Page): Promise<void> {
  await page.getByLabel('Nombre d’adultes').fill('1');
  await page.getByLabel('Nombre d’enfants').fill('0');
  await page.getByLabel('Votre situation').selectOption('etudiant');
  await page.getByLabel('Votre commune').selectOption('other');
  await page.getByLabel('Ressources du mois').fill('600');
  await page.getByLabel('Charges fixes du mois').fill('390');
}

/** The result card of a scheme, by its name. */
const card = (page: Page, name: string) => page.locator('li.scheme-result').filter({ has: page.getByRole('heading', { name, exact: true }) });

describe('eligibility simulator (/aide)', () => {
  const suite = browserSuite({ viewport: PHONE });

  it('a visitor on a phone sees anti-gaspi possible and why the épicerie sociale is not, without an account', async () => {
    const page = await suite.newPage();
    // Reached from the home page.
    await page.goto(suite.glane.url);
    await page.getByRole('main').getByRole('link', { name: 'Suis-je éligible aux aides ?' }).click();
    await page.waitForURL((u) => u.pathname === '/aide');
    expect(await page.locator('h1').textContent()).toBe('Suis-je éligible aux aides alimentaires ?');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Aides alimentaires' }).getAttribute('aria-current')).toBe('page');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'simulator form at 360 px');

    await fillStudent(page);
    await page.getByRole('button', { name: 'Voir à quoi j’ai droit' }).click();
    await page.locator('#resultats').waitFor();
    // Focus moves to the results, announced by their heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('resultats');
    expect(await page.locator('#resultats').textContent()).toContain('Votre reste à vivre : 7,00');

    const antiGaspi = card(page, 'Dons anti-gaspi');
    expect(await antiGaspi.textContent()).toContain('Vous pourriez y avoir droit');
    expect(await antiGaspi.textContent()).toContain('CCAS de Glaneville-en-Barœul');
    const epicerie = card(page, 'Épicerie sociale et solidaire');
    expect(await epicerie.textContent()).toContain('Pas pour l’instant');
    expect(await epicerie.textContent()).toContain('Ce dispositif est réservé aux habitants de : Glaneville-en-Barœul.');
    // Paniers needs the taxable income: the page says what to add.
    expect(await card(page, 'Dispositif Paniers').textContent()).toContain('indiquez votre revenu fiscal de l’année pour le savoir');
    // The form keeps what was typed.
    expect(await page.getByLabel('Ressources du mois').inputValue()).toBe('600');
    // Next step: sign up, then the request page.
    const signUp = page.getByRole('link', { name: 'Créer mon compte' });
    expect(await signUp.getAttribute('href')).toBe('/inscription?redirect=%2Fmon-dossier%2Fdemande');

    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'simulator results at 360 px');

    // A mistake is named next to its field, and stays accessible.
    await page.getByLabel('Ressources du mois').fill('beaucoup');
    await page.getByRole('button', { name: 'Voir à quoi j’ai droit' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Saisissez un montant en euros');
    expect(await page.getByLabel('Ressources du mois').getAttribute('aria-invalid')).toBe('true');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'simulator with an error at 360 px');
  });

  it('works without JavaScript, in English too', async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await page.goto(`${suite.glane.url}/aide`);
    await fillStudent(page);
    await page.getByRole('button', { name: 'Voir à quoi j’ai droit' }).click();
    await page.waitForLoadState('load');
    expect(await card(page, 'Dons anti-gaspi').textContent()).toContain('Vous pourriez y avoir droit');
    expect(await card(page, 'Épicerie sociale et solidaire').textContent()).toContain('réservé aux habitants de');
    await expectAccessibleWithoutScripts(suite.browser, page, 'simulator results without JavaScript');

    const en = await suite.newPage({ locale: 'en-GB' });
    await en.goto(`${suite.glane.url}/aide`);
    await en.getByLabel('Number of adults').fill('1');
    await en.getByLabel('Your town').selectOption('other');
    await en.getByLabel('Income this month').fill('600');
    await en.getByLabel('Fixed costs this month').fill('390');
    await en.getByRole('button', { name: 'See what I could get' }).click();
    await en.locator('#resultats').waitFor();
    expect(await card(en, 'Anti-waste donations').textContent()).toContain('You could be entitled');
    expect(await card(en, 'Social grocery').textContent()).toContain('This scheme is only for residents of');
    await expectAccessible(en, 'simulator results in English');
  });

  it('lets a CCAS owner change a threshold, and the simulator applies it', async () => {
    const page = await suite.signedIn('ccas@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/compte`);
    await page.getByRole('link', { name: 'Dispositifs d’aide et seuils d’éligibilité' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/dispositifs');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'schemes admin at 360 px');
    await page.getByRole('link', { name: 'Modifier « Dons anti-gaspi »' }).click();
    await page.waitForURL((u) => /^\/admin\/dispositifs\/[^/]+$/.test(u.pathname));
    await expectAccessible(page, 'scheme edit page at 360 px');
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.getByLabel('Reste à vivre maximum, par personne et par jour (€)').fill('6,50');
    await page.getByRole('button', { name: 'Enregistrer le dispositif' }).click();
    await expect.poll(() => page.getByText('Le dispositif est enregistré.').count()).toBe(1);

    await page.goto(`${suite.glane.url}/aide`);
    await fillStudent(page);
    await page.getByRole('button', { name: 'Voir à quoi j’ai droit' }).click();
    await page.locator('#resultats').waitFor();
    const antiGaspi = card(page, 'Dons anti-gaspi');
    expect(await antiGaspi.textContent()).toContain('Pas pour l’instant');
    expect((await antiGaspi.textContent())?.replace(/[\u00a0\u202f]/g, ' ')).toContain(
      'Votre reste à vivre, 7,00 € par personne et par jour, dépasse le plafond de 6,50 €.'
    );
    // Living in town, the épicerie sociale is possible (7,00 € ≤ 9,00 €); signed in, the next step is the request page itself.
    await page.getByLabel('Votre commune').selectOption('59999');
    await page.getByRole('button', { name: 'Voir à quoi j’ai droit' }).click();
    await expect.poll(() => card(page, 'Épicerie sociale et solidaire').textContent()).toContain('Vous pourriez y avoir droit');
    expect(await page.getByRole('link', { name: 'Faire ma demande' }).getAttribute('href')).toBe('/mon-dossier/demande');
  });
});
