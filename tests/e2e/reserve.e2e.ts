import { describe, expect, it } from 'vitest';
import { browserSuite, expectAccessible, overflowsHorizontally, PHONE } from './harness.js';
import { ELODIE, offerNearTown, reserveHere } from './marketplace-steps.js';

/**
 * An eligible demo person (beneficiaire4, anti-gaspi access from the demo CCAS) on a 360 px phone:
 * opens /dons, opens a donation, reserves one, and sees the pickup code in large letters and its QR
 * code on /mes-reservations. Each page is checked with axe and for horizontal overflow. The offer
 * is written straight into the running Glane's database, near the demo town.
 */
describe('reserving a donation in the browser', () => {
  const suite = browserSuite({ database: true, viewport: PHONE });

  it('lets an eligible student reserve at 360 px and see the code and its QR', async () => {
    const { glane, db } = suite;
    await offerNearTown(db, 'Pains au chocolat du jour');

    const page = await suite.signedIn(ELODIE);
    await page.goto(`${glane.url}/dons`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Dons anti-gaspi');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, '/dons');
    await page.getByRole('link', { name: 'Pains au chocolat du jour' }).click();
    await page.waitForURL(/\/dons\/[^/]+$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pains au chocolat du jour');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, '/dons/[offerId]');

    await reserveHere(page, 1);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, '/mes-reservations');

    // The unit reserved left the offer atomically.
    const remaining = await db.selectFrom('offer').select('remaining').where('title', '=', 'Pains au chocolat du jour').executeTakeFirstOrThrow();
    expect(Number(remaining.remaining)).toBe(3);
  }, 120_000);

  it('explains to a signed-in person without access how to get it', async () => {
    const page = await suite.signedIn('beneficiaire2@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/dons`);
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toContain('accès en cours');
    expect(await page.getByRole('link', { name: 'Vérifier si j’y ai droit' }).getAttribute('href')).toBe('/aide');
    expect(await page.getByRole('link', { name: 'Mon dossier et mes demandes' }).getAttribute('href')).toBe('/mon-dossier');
    await expectAccessible(page, '/dons (not eligible)');
  }, 60_000);
});
