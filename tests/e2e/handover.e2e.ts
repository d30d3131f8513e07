import { describe, expect, it } from 'vitest';
import { insertTestHousehold, insertTestOffer, insertTestReservation } from '../../src/lib/server/modules/marketplace/marketplace.testing.js';
import { browserSuite, expectAccessible, organisationOfMember, overflowsHorizontally, PHONE } from './harness.js';
import { BAKER, ELODIE, lookUpCode, YOUSSEF } from './marketplace-steps.js';

/**
 * The baker's handover at closing time, on a phone: types the code a student shows, sees her first name,
 * the quantity and the offer, and confirms. The reservation is written straight into the running
 * Glane's database (the offers and reservations services of issue 5 are built alongside).
 */
describe('handover (remise) in the browser', () => {
  const suite = browserSuite({ database: true, viewport: PHONE });
  /**
   * An offer of the demo bakery whose pickup window is open now (from 10 minutes ago, for an hour),
   * and the demo person's reservation on it, written straight into the database.
   */
  const reservedOffer = async (
    email: string,
    offer: { title: string; quantity: number },
    reservation: { quantity: number; code: string; at?: string }
  ) => {
    const db = suite.db;
    const bakerOrgId = await organisationOfMember(db, BAKER);
    const student = await db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const now = Date.now();
    const offerId = await insertTestOffer(db, {
      organisationId: bakerOrgId,
      ...offer,
      pickupStartsAt: new Date(now - 10 * 60_000).toISOString(),
      pickupEndsAt: new Date(now + 50 * 60_000).toISOString()
    });
    await insertTestReservation(db, { offerId, userId: student.id, ...reservation });
    return { bakerOrgId, offerId, studentId: student.id };
  };

  it('lets the demo baker type a code at 360 px and confirm the pickup', async () => {
    const { glane, db } = suite;
    const { bakerOrgId, offerId, studentId } = await reservedOffer(
      ELODIE,
      { title: 'Baguettes de la veille', quantity: 6 },
      { quantity: 2, code: 'KX7P3M', at: new Date(Date.now() - 60 * 60_000).toISOString() }
    );
    const household = await db.selectFrom('household').select('first_name').where('user_id', '=', studentId).executeTakeFirst();
    if (!household) await insertTestHousehold(db, studentId, 'Élodie');
    const firstName = household?.first_name ?? 'Élodie';

    const page = await suite.signedIn(BAKER);
    await page.goto(`${glane.url}/organisations/${bakerOrgId}`);
    await page.getByRole('link', { name: 'Remise des dons' }).click();
    await page.waitForURL(`${glane.url}/organisations/${bakerOrgId}/remise`);
    expect(await page.locator('ul.today').textContent()).toContain('Baguettes de la veille');
    expect(await overflowsHorizontally(page), 'handover page scrolls sideways at 360 px').toBe(false);
    await expectAccessible(page, 'handover page');

    // A misread code (O for 0) is refused, naming the field.
    await lookUpCode(page, 'KX7-P3O');
    await page.getByRole('alert').first().waitFor();
    expect(await page.locator('#field-code').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'handover page, refused code');

    await lookUpCode(page, 'kx7-p3m');
    await page.getByRole('heading', { name: `À remettre à ${firstName}` }).waitFor();
    expect(await page.locator('article.reservation h3').textContent()).toMatch(/2\s*×\s*Baguettes de la veille/);
    expect(await overflowsHorizontally(page), 'found reservation scrolls sideways at 360 px').toBe(false);
    await expectAccessible(page, 'handover page, reservation found');
    const button = page.getByRole('button', { name: 'Remis en entier (2)' });
    const box = await button.boundingBox();
    expect(box && box.height >= 44, 'the confirm button is a big touch target').toBe(true);
    await button.click();
    await page.getByText(`C’est noté : 2 × Baguettes de la veille remis à ${firstName}.`).waitFor();
    expect(await page.locator('ul.today').textContent()).toContain('Retirée');
    await expectAccessible(page, 'handover page, handed over');

    const row = await db.selectFrom('reservation').select(['status', 'collected_quantity']).where('offer_id', '=', offerId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'collected', collected_quantity: 2 });
  });

  it('works without JavaScript: a partial pickup gives the rest back to the offer', async () => {
    const { glane, db } = suite;
    const { bakerOrgId, offerId } = await reservedOffer(YOUSSEF, { title: 'Croissants', quantity: 5 }, { quantity: 3, code: 'PQ4R5S' });

    const page = await suite.signedIn(BAKER, { javaScriptEnabled: false });
    await page.goto(`${glane.url}/organisations/${bakerOrgId}/remise`);
    // No BarcodeDetector without scripts: the scan button is not offered.
    expect(await page.getByRole('button', { name: 'Scanner le QR code' }).count()).toBe(0);
    await lookUpCode(page, 'PQ4 R5S');
    await page.locator('article.reservation').waitFor();
    const html = await page.content();
    expect(html).toMatch(/<span class="qty[^"]*">3<\/span> × Croissants/);
    // The partial form as a browser without scripts sends it: a plain form POST with the page's fields.
    // (Playwright's actions stall on this JS-disabled page after a POST navigation, so the request is
    // sent from the same signed-in context instead of clicking.)
    const reservationId = /name="reservationId" value="([^"]+)"/.exec(html)?.[1];
    const response = await page.request.post(`${glane.url}/organisations/${bakerOrgId}/remise?/collect`, {
      form: { reservationId: reservationId ?? '', mode: 'part', quantity: '1' },
      headers: { Origin: glane.url, Accept: 'text/html' }
    });
    expect(response.status()).toBe(200);
    expect(await response.text()).toMatch(/C’est noté : 1 × Croissants remis à/);
    const offer = await db.selectFrom('offer').select('remaining').where('id', '=', offerId).executeTakeFirstOrThrow();
    expect(offer.remaining).toBe(4);
  });
});
