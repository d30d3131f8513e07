import { describe, expect, it } from 'vitest';
import { enqueueNotification } from '../../src/lib/server/modules/notifications/inbox.repository.js';
import {
  browserSuite,
  expectAccessible,
  expectAccessibleWithoutScripts,
  fillSignUp,
  overflowsHorizontally,
  PHONE,
  uniqueEmail
} from './harness.js';

/**
 * The inbox in a real Chromium over the real built app: a notification written by the outbox
 * contract (enqueueNotification, into the same SQLite file) shows in the header badge and on
 * /notifications at 360 px; marking it read works with and without JavaScript.
 */
describe('notifications in the browser', () => {
  const suite = browserSuite({ env: { DEMO_DATA: 'false' }, database: true, viewport: PHONE });

  async function signedUp(javaScriptEnabled: boolean) {
    const context = await suite.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const email = uniqueEmail('inbox');
    await page.goto(`${suite.glane.url}/inscription`);
    await fillSignUp(page, { name: 'Inès Test', email, password: 'une phrase facile à retenir' });
    await page.waitForURL(/\/compte/);
    const user = await suite.db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return { context, page, userId: user.id };
  }

  it('shows a new notification in the header and the inbox, and marks it read', async () => {
    const { page, userId } = await signedUp(true);
    await enqueueNotification(suite.db, new Date(), {
      userId,
      kind: 'reservation.confirmed',
      title: 'Réservation confirmée : Baguettes',
      body: 'Retrait du sam. 29 nov., 19:00 à 20:00.',
      link: '/mes-reservations',
      channels: []
    });
    await page.goto(`${suite.glane.url}/compte`);
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await expect.poll(() => nav.getByRole('link', { name: 'Notifications, 1 non lue' }).isVisible()).toBe(true);
    await nav.getByRole('link', { name: 'Notifications, 1 non lue' }).click();
    await page.waitForURL(/\/notifications$/);
    expect(await page.getByRole('heading', { level: 1, name: 'Notifications' }).isVisible()).toBe(true);
    expect(await page.getByText('1 notification non lue.').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: /Réservation confirmée : Baguettes/ }).isVisible()).toBe(true);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'inbox with an unread notification');

    await page.getByRole('button', { name: 'Marquer comme lue' }).click();
    await expect.poll(() => page.getByText('Tout est lu.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Marquer comme lue' }).count()).toBe(0);
    await page.reload();
    expect(await nav.getByRole('link', { name: 'Notifications', exact: true }).isVisible()).toBe(true);
    await expectAccessible(page, 'inbox all read');

    // The settings page: alerts form without a saved area yet.
    await page.goto(`${suite.glane.url}/compte/notifications`);
    expect(await page.getByRole('heading', { name: 'Nouveaux dons près de chez moi' }).isVisible()).toBe(true);
    await page.getByLabel('Me prévenir des nouveaux dons').check();
    await page.getByLabel('Nombre maximum d’alertes par jour').fill('3');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => page.getByText('Réglages enregistrés.').isVisible()).toBe(true);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'notification settings');
  });

  it('marks everything read without JavaScript', async () => {
    const { page, userId } = await signedUp(false);
    for (const title of ['Nouveau don : Pain', 'Nouveau don : Pommes']) {
      await enqueueNotification(suite.db, new Date(), { userId, kind: 'offer.new', title, body: 'À 1 km.', link: '/dons', channels: [] });
    }
    await page.goto(`${suite.glane.url}/notifications`);
    expect(await page.getByText('2 notifications non lues.').isVisible()).toBe(true);
    await expectAccessibleWithoutScripts(suite.browser, page, 'inbox without JavaScript');
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByText('Toutes les notifications sont marquées comme lues.').isVisible()).toBe(true);
    expect(await page.getByText('Tout est lu.').isVisible()).toBe(true);
  });
});
