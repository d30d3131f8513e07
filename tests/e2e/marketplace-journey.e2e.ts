import { describe, expect, it } from 'vitest';
import { NO_SHOW_GRACE_MINUTES } from '../../src/lib/server/modules/marketplace/pickup.rules.js';
import { browserSuite, expectFitsPhone, moveClock, organisationOfMember, PHONE, runJob } from './harness.js';
import { BAKER, ELODIE, lookUpCode, postOffer, reserveHere, YOUSSEF } from './marketplace-steps.js';

/**
 * Issue 5 "done" as one journey, on 360 px phones, with the server's clock moved by the test
 * (NODE_ENV=test, TEST_CLOCK=1) and the no-show job run on demand:
 * the demo baker posts two offers from the pages → Élodie reserves the bread (code + QR) → the baker
 * types her code at /remise and confirms → Youssef no longer sees the bread, reserves the brioches and
 * does not come → after the window and its grace the no-show job marks it → Youssef reads the status,
 * the reason and the consequence on /mes-reservations, and the notification in his inbox. Every page: axe (WCAG A/AA) and no sideways scroll.
 */
describe('the marketplace journey (post → reserve → hand over → no-show)', () => {
  const suite = browserSuite({ env: { NODE_ENV: 'test', TEST_CLOCK: '1' }, database: true, viewport: PHONE });

  const offerOf = (title: string) =>
    suite.db
      .selectFrom('offer')
      .select(['id', 'remaining', 'pickup_starts_at', 'pickup_ends_at', 'pooling_ends_at'])
      .where('title', '=', title)
      .executeTakeFirstOrThrow();

  const reservationOn = (offerId: string) =>
    suite.db
      .selectFrom('reservation')
      .innerJoin('user', 'user.id', 'reservation.user_id')
      .select(['reservation.status', 'reservation.collected_quantity', 'user.email'])
      .where('reservation.offer_id', '=', offerId)
      .execute();

  it('goes from the baker’s offer to a handover and a no-show explained to the person', async () => {
    const { glane } = suite;
    // 14:00 in Paris (13:00 UTC in winter), today or tomorrow: the prefilled window stays within one day.
    const serverNow = await moveClock(glane, { advanceMinutes: 0 });
    const afternoon = new Date(serverNow);
    afternoon.setUTCHours(13, 0, 0, 0);
    if (afternoon <= serverNow) afternoon.setUTCDate(afternoon.getUTCDate() + 1);
    await moveClock(glane, { at: afternoon.toISOString() });

    // 1. The baker posts two offers from the pages.
    const orgId = await organisationOfMember(suite.db, BAKER);
    const baker = await suite.signedIn(BAKER);
    await postOffer(baker, glane.url, orgId, 'Pain de campagne du soir', 1);
    await expectFitsPhone(baker, 'offer posted');
    await postOffer(baker, glane.url, orgId, 'Brioches du soir', 1);
    const bread = await offerOf('Pain de campagne du soir');
    const brioches = await offerOf('Brioches du soir');
    expect(bread.pooling_ends_at, 'people’s first requests are pooled for a few minutes').not.toBeNull();

    // Past the pooling minutes, a reservation is confirmed at once.
    await moveClock(glane, { at: new Date(Date.parse(brioches.pooling_ends_at!) + 60_000).toISOString() });

    // 2. Élodie reserves the bread: code and QR code.
    const elodie = await suite.signedIn(ELODIE);
    await elodie.goto(`${glane.url}/dons`);
    await expectFitsPhone(elodie, '/dons (Élodie)');
    await elodie.getByRole('link', { name: 'Pain de campagne du soir' }).click();
    await elodie.waitForURL(`${glane.url}/dons/${bread.id}`);
    await expectFitsPhone(elodie, '/dons/[offerId]');
    const code = await reserveHere(elodie, 1);
    await expectFitsPhone(elodie, '/mes-reservations (confirmed)');
    expect(Number((await offerOf('Pain de campagne du soir')).remaining)).toBe(0);

    // 3. At the start of the window, the baker types her code and confirms the handover.
    await moveClock(glane, { at: bread.pickup_starts_at });
    await baker.goto(`${glane.url}/organisations/${orgId}/remise`);
    await expectFitsPhone(baker, '/remise');
    await lookUpCode(baker, code.toLowerCase());
    await baker.getByRole('heading', { name: /^À remettre à / }).waitFor();
    await expectFitsPhone(baker, '/remise, reservation found');
    await baker.getByRole('button', { name: 'Remis en entier (1)' }).click();
    await baker.getByText(/C’est noté : 1 × Pain de campagne du soir remis à/).waitFor();
    await expectFitsPhone(baker, '/remise, handed over');
    expect(await reservationOn(bread.id)).toEqual([{ status: 'collected', collected_quantity: 1, email: ELODIE }]);

    // 4. Youssef no longer sees the bread; he reserves the brioches.
    const youssef = await suite.signedIn(YOUSSEF);
    await youssef.goto(`${glane.url}/dons`);
    await youssef.getByRole('link', { name: 'Brioches du soir' }).waitFor();
    expect(await youssef.getByRole('link', { name: 'Pain de campagne du soir' }).count(), 'the collected bread is gone from the feed').toBe(0);
    await expectFitsPhone(youssef, '/dons (Youssef)');
    await youssef.goto(`${glane.url}/dons/${bread.id}`);
    await youssef.getByText('Ce don n’est plus disponible.').waitFor();
    expect(await youssef.getByRole('button', { name: 'Réserver' }).count()).toBe(0);
    await expectFitsPhone(youssef, '/dons/[offerId] (gone)');
    await youssef.goto(`${glane.url}/dons/${brioches.id}`);
    await reserveHere(youssef, 1);

    // 5. Nobody comes: after the window and its grace, the no-show job (run now) marks it.
    await moveClock(glane, { at: new Date(Date.parse(brioches.pickup_ends_at) + (NO_SHOW_GRACE_MINUTES + 1) * 60_000).toISOString() });
    expect(await reservationOn(brioches.id)).toEqual([{ status: 'confirmed', collected_quantity: null, email: YOUSSEF }]);
    expect(await runJob(glane, 'marketplace-no-shows')).toBe(1);
    expect((await reservationOn(brioches.id))[0]?.status).toBe('no_show');

    await youssef.goto(`${glane.url}/mes-reservations`);
    const past = youssef.locator('section[aria-labelledby="past-title"] li', { hasText: 'Brioches du soir' });
    await past.waitFor();
    const text = (await past.textContent()) ?? '';
    expect(text).toContain('Statut : Non retirée');
    expect(text).toContain('Motif : personne n’est venu retirer ce don avant la fin du créneau');
    expect(text).toContain(`ni dans les ${NO_SHOW_GRACE_MINUTES} minutes de tolérance`);
    // The demo territory's settings: a first no-show costs nothing yet, the page says when it would.
    expect(text).toMatch(/Conséquence : aucune pour l’instant\. Après 2 retraits manqués en 30 jours/);
    await expectFitsPhone(youssef, '/mes-reservations (no-show)');

    // He was also told in his inbox, in the words of notifications/messages.ts.
    await youssef.goto(`${glane.url}/notifications`);
    await youssef.getByRole('heading', { name: 'Réservation non retirée : Brioches du soir' }).waitFor();
    await expectFitsPhone(youssef, '/notifications (no-show)');
  }, 240_000);
});
