import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  expectAccessible,
  expectAccessibleWithoutScripts,
  organisationOfMember,
  overflowsHorizontally,
  PHONE
} from './harness.js';
import { BAKER, fillOffer } from './marketplace-steps.js';

/**
 * The demo baker posts tonight's bread from a phone-sized screen: from the organisation page to
 * "Dons", "Donner", a form prefilled with today's window, a food-safety refusal named by its rule,
 * then the published offer with its counts; and the same without JavaScript, with a cancellation.
 */
describe('donor (dons) in the browser', () => {
  const suite = browserSuite({ database: true, viewport: PHONE });

  const bakeryId = () => organisationOfMember(suite.db, BAKER);

  it('lets the demo baker post bread at 360 px, refusing a DLC before the end of the pickup', async () => {
    const { glane } = suite;
    const orgId = await bakeryId();
    const page = await suite.signedIn(BAKER);
    await page.goto(`${glane.url}/organisations/${orgId}`);
    await page.getByRole('link', { name: 'Dons anti-gaspi' }).click();
    await page.waitForURL(`${glane.url}/organisations/${orgId}/dons`);
    expect(await overflowsHorizontally(page), 'dons page scrolls sideways at 360 px').toBe(false);
    await expectAccessible(page, 'dons page');

    await page.getByRole('link', { name: 'Donner', exact: true }).click();
    await page.waitForURL(`${glane.url}/organisations/${orgId}/dons/nouveau`);
    expect(await page.getByLabel('Jour', { exact: true }).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.getByLabel('De', { exact: true }).inputValue()).toMatch(/^\d{2}:\d{2}$/);
    expect(await overflowsHorizontally(page), 'new offer form scrolls sideways at 360 px').toBe(false);
    await expectAccessible(page, 'new offer form');

    await fillOffer(page, { title: 'Baguettes du soir', quantity: 12 });
    await page.getByLabel('Date', { exact: true }).selectOption('dlc');
    await page.getByLabel('Date limite (facultatif)').fill('2020-01-01');
    await page.getByRole('button', { name: 'Publier le don' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.locator('#field-dateOn').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-dateOn-error').textContent()).toContain('la DLC tombe avant la fin du retrait');
    await expectAccessible(page, 'new offer form, refused');

    await page.getByLabel('Date', { exact: true }).selectOption('none');
    await page.getByLabel('Date limite (facultatif)').fill('');
    await page.getByRole('checkbox', { name: 'Gluten', exact: true }).check();
    await page.getByRole('button', { name: 'Publier le don' }).click();
    await page.getByRole('heading', { level: 1, name: 'Baguettes du soir' }).waitFor();
    await page.getByText('Don publié.').waitFor();
    expect(await page.locator('dl').textContent()).toContain('0 réservé(s) · 12 restant(s) sur 12');
    expect(await overflowsHorizontally(page), 'offer page scrolls sideways at 360 px').toBe(false);
    await expectAccessible(page, 'offer page');

    const row = await suite.db
      .selectFrom('offer')
      .select(['title', 'quantity', 'allergen_mask', 'lat', 'status'])
      .where('organisation_id', '=', orgId)
      .where('title', '=', 'Baguettes du soir')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ quantity: 12, status: 'published' });
    expect(row.allergen_mask & 1, 'gluten is declared').toBe(1);
    expect(row.lat).not.toBeNull();

    await page.getByRole('link', { name: 'Retour aux dons' }).click();
    expect(await page.locator('ul.offers').first().textContent()).toContain('Baguettes du soir');

    await page.getByRole('link', { name: 'Historique et impact' }).click();
    await page.getByRole('heading', { level: 2, name: 'Ce que vos dons ont permis' }).waitFor();
    expect(await page.locator('table').textContent()).toContain('Baguettes du soir');
    expect(await page.getByRole('link', { name: 'Télécharger l’historique (CSV)' }).getAttribute('href')).toBe(`/api/v1/organisations/${orgId}/offers.csv`);
    const csv = await page.context().request.get(`${glane.url}/api/v1/organisations/${orgId}/offers.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('Baguettes du soir');
    expect(await overflowsHorizontally(page), 'history page scrolls sideways at 360 px').toBe(false);
    await expectAccessible(page, 'history page');
  });

  it('works without JavaScript: start from the last offer, post, then cancel with a reason', async () => {
    const { glane, browser } = suite;
    const orgId = await bakeryId();
    const page = await suite.signedIn(BAKER, { javaScriptEnabled: false });
    await page.goto(`${glane.url}/organisations/${orgId}/dons/nouveau`);
    // Prefilled from the organisation's last offer.
    expect(await page.getByLabel('Intitulé', { exact: true }).inputValue()).not.toBe('');
    await expectAccessibleWithoutScripts(browser, page, 'new offer form without scripts');
    await page.getByLabel('Intitulé', { exact: true }).fill('Viennoiseries sans JS');
    await page.getByLabel('Quantité', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Publier le don' }).click();
    await page.getByRole('heading', { level: 1, name: 'Viennoiseries sans JS' }).waitFor();

    await page.getByLabel('Motif').fill('Fournée ratée');
    await page.getByRole('button', { name: 'Annuler le don' }).click();
    await page.getByText('Don annulé ; les personnes concernées sont prévenues.').waitFor();
    expect(await page.locator('dl').textContent()).toContain('Annulé');
    await expectAccessibleWithoutScripts(browser, page, 'cancelled offer without scripts');
  });
});
