import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type Database } from '../../src/lib/server/db/database.js';
import { insertTestOffer } from '../../src/lib/server/modules/marketplace/marketplace.testing.js';
import {
  DEMO_PASSWORD,
  expectAccessible,
  launchBrowser,
  overflowsHorizontally,
  signInWithPassword,
  organisationOfMember,
  startGlane,
  type RunningGlane
} from './harness.js';

const PHONE = { width: 360, height: 740 };

/**
 * An eligible demo person (beneficiaire4, anti-gaspi access from the demo CCAS) on a 360 px phone:
 * opens /dons, opens a donation, reserves one, and sees the pickup code in large letters and its QR
 * code on /mes-reservations. Each page is checked with axe and for horizontal overflow. The offer
 * is written straight into the running Glane's database, near the demo town.
 */
describe('reserving a donation in the browser', () => {
  let glane: RunningGlane;
  let browser: Browser;
  let database: Database;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    glane = await startGlane();
    browser = await launchBrowser();
    database = openSqlite(glane.sqlitePath);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await database?.close();
    await browser?.close();
    await glane?.stop();
  });

  it('lets an eligible student reserve at 360 px and see the code and its QR', async () => {
    const db = database.db;
    const donorOrgId = await organisationOfMember(db, 'boulangerie@demo.glane.localhost');
    const now = Date.now();
    await insertTestOffer(db, {
      organisationId: donorOrgId,
      title: 'Pains au chocolat du jour',
      quantity: 4,
      lat: 50.6405,
      lng: 3.0752,
      at: new Date(now).toISOString(),
      pickup_starts_at: new Date(now + 60 * 60_000).toISOString(),
      pickup_ends_at: new Date(now + 3 * 60 * 60_000).toISOString()
    });

    const context = await browser.newContext({ locale: 'fr-FR', viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await signInWithPassword(page, glane.url, 'beneficiaire4@demo.glane.localhost', DEMO_PASSWORD);

    await page.goto(`${glane.url}/dons`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Dons anti-gaspi');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, '/dons');
    await page.getByRole('link', { name: 'Pains au chocolat du jour' }).click();
    await page.waitForURL(/\/dons\/[^/]+$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pains au chocolat du jour');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, '/dons/[offerId]');

    await page.getByLabel('Combien ?').fill('1');
    await page.getByRole('button', { name: 'Réserver' }).click();
    await page.waitForURL(/\/mes-reservations/);
    const code = (await page.getByTestId('pickup-code').first().textContent())?.trim() ?? '';
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/);
    const qr = page.getByRole('img', { name: /QR code du code de retrait/ }).first();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, '/mes-reservations');

    // The unit reserved left the offer atomically.
    const remaining = await db.selectFrom('offer').select('remaining').where('title', '=', 'Pains au chocolat du jour').executeTakeFirstOrThrow();
    expect(Number(remaining.remaining)).toBe(3);
  }, 120_000);

  it('explains to a signed-in person without access how to get it', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await signInWithPassword(page, glane.url, 'beneficiaire2@demo.glane.localhost', DEMO_PASSWORD);
    await page.goto(`${glane.url}/dons`);
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toContain('accès en cours');
    expect(await page.getByRole('link', { name: 'Vérifier si j’y ai droit' }).getAttribute('href')).toBe('/aide');
    expect(await page.getByRole('link', { name: 'Mon dossier et mes demandes' }).getAttribute('href')).toBe('/mon-dossier');
    await expectAccessible(page, '/dons (not eligible)');
  }, 60_000);
});
