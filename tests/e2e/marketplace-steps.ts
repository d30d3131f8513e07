import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DB } from '../../src/lib/server/db/schema.js';
import { insertTestOffer } from '../../src/lib/server/modules/marketplace/marketplace.testing.js';
import { organisationOfMember } from './harness.js';

/** The marketplace's steps shared by the browser journeys (French labels), with their assertions. */

/** The demo bakery's member (README "Demo accounts"). */
export const BAKER = 'boulangerie@demo.glane.localhost';
/** Both hold a running anti-gaspi access in the demo (README "Demo accounts"). */
export const ELODIE = 'beneficiaire4@demo.glane.localhost';
export const YOUSSEF = 'beneficiaire5@demo.glane.localhost';
/** The demo town's centre. */
export const DEMO_TOWN = { lat: 50.6405, lng: 3.0752 };
/** A pickup code as the pages show it: six letters and digits, without the ones easy to misread. */
export const PICKUP_CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/;

/**
 * A live offer of the demo bakery near the demo town (4 units, pickup from +1 h to +3 h), written
 * straight into the running Glane's database; returns its id.
 */
export async function offerNearTown(db: Kysely<DB>, title: string, extra: Parameters<typeof insertTestOffer>[1] = {}): Promise<string> {
  const now = Date.now();
  return insertTestOffer(db, {
    organisationId: await organisationOfMember(db, BAKER),
    title,
    quantity: 4,
    ...DEMO_TOWN,
    at: new Date(now).toISOString(),
    pickup_starts_at: new Date(now + 60 * 60_000).toISOString(),
    pickup_ends_at: new Date(now + 3 * 60 * 60_000).toISOString(),
    ...extra
  });
}

/** Fills the offer form's title, category and quantity (the rest as prefilled). */
export async function fillOffer(page: Page, offer: { title: string; quantity: number; category?: string }): Promise<void> {
  await page.getByLabel('Intitulé', { exact: true }).fill(offer.title);
  await page.getByLabel('Catégorie', { exact: true }).selectOption(offer.category ?? 'pain-viennoiserie');
  await page.getByLabel('Quantité', { exact: true }).fill(String(offer.quantity));
}

/** As the signed-in donor: posts a blank-form offer with the prefilled window (now + 15 min, one hour); waits for its page. */
export async function postOffer(page: Page, baseUrl: string, orgId: string, title: string, quantity: number): Promise<void> {
  await page.goto(`${baseUrl}/organisations/${orgId}/dons/nouveau?depuis=vide`);
  await fillOffer(page, { title, quantity });
  await page.getByRole('button', { name: 'Publier le don' }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText('Don publié.').waitFor();
}

/**
 * On an offer's page: reserves `quantity`, lands on /mes-reservations, and checks the newest pickup
 * code and its QR code image; returns the code.
 */
export async function reserveHere(page: Page, quantity = 1): Promise<string> {
  await page.getByLabel('Combien ?').fill(String(quantity));
  await page.getByRole('button', { name: 'Réserver' }).click();
  await page.waitForURL(/\/mes-reservations/);
  const code = (await page.getByTestId('pickup-code').first().textContent())?.trim() ?? '';
  expect(code).toMatch(PICKUP_CODE);
  const qr = page.getByRole('img', { name: /QR code du code de retrait/ }).first();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  return code;
}

/** On /remise: types a code as given and looks it up. */
export async function lookUpCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Code de retrait ou de carte').fill(code);
  await page.getByRole('button', { name: 'Chercher' }).click();
}
