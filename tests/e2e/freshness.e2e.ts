import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  expectAccessible,
  launchBrowser,
  overflowsHorizontally,
  readMailbox,
  signInWithPassword,
  startGlane,
  type RunningGlane
} from './harness.js';

describe('freshness campaign', () => {
  let glane: RunningGlane;
  let browser: Browser;
  beforeAll(async () => {
    glane = await startGlane();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await glane?.stop();
  });

  it('an admin starts a campaign from its page; each organisation gets a link that confirms "nothing changed" without a password', async () => {
    // The platform admin reaches the campaigns page from the header and starts one for every organisation.
    const admin = await browser.newContext({ locale: 'fr-FR' });
    const adminPage = await admin.newPage();
    await signInWithPassword(adminPage, glane.url, 'admin@demo.glane.localhost', DEMO_PASSWORD);
    await adminPage.getByRole('navigation').getByRole('link', { name: 'Campagnes' }).click();
    await adminPage.waitForURL((u) => u.pathname === '/admin/campagnes');
    expect(await adminPage.getByText('Aucune campagne pour l’instant.').count()).toBe(1);
    await expectAccessible(adminPage, 'campaigns page');
    await adminPage.getByLabel('Nom de la campagne').fill('e2e-automne');
    await adminPage.getByLabel('Validité du lien, en jours').fill('15');
    await adminPage.getByRole('button', { name: 'Lancer la campagne' }).click();
    const started = adminPage.getByRole('status').filter({ hasText: 'Campagne « e2e-automne » lancée.' });
    await expect.poll(() => started.count()).toBe(1);
    expect(await started.textContent()).toMatch(/Liens envoyés\s*[1-9]/);
    await expectAccessible(adminPage, 'campaigns page after starting one');

    const messages = await readMailbox(admin, glane.url);
    const link = messages.map((m) => /https?:\/\/\S+\/mise-a-jour\/[A-Za-z0-9_-]+/.exec(m.body)?.[0]).find(Boolean);
    expect(link, 'a campaign email with a /mise-a-jour/ link').toBeTruthy();

    // The organisation opens it signed out, on a phone, and confirms its first place.
    const visitor = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
    const page = await visitor.newPage();
    await page.goto(link as string);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Mise à jour de vos lieux');
    await expectAccessible(page, 'freshness link page');
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.getByRole('button', { name: 'Rien n’a changé' }).first().click();
    await expect.poll(() => page.getByText(/Merci : « .+ » est confirmé\./).count()).toBe(1);
    await expectAccessible(page, 'freshness link page after confirming');

    // An unknown token says so.
    const unknown = await page.goto(`${glane.url}/mise-a-jour/inconnu${'x'.repeat(30)}`);
    expect(unknown?.status()).toBe(404);
    await visitor.close();

    // Back on the campaigns page (on a phone), the admin sees one organisation answered and one place confirmed.
    await adminPage.setViewportSize({ width: 360, height: 740 });
    await adminPage.goto(`${glane.url}/admin/campagnes`);
    const campaign = adminPage.locator('ul.campaigns > li', { hasText: 'e2e-automne' });
    const counts = await campaign.textContent();
    expect(counts).toMatch(/Organisations qui ont répondu\s*1/);
    expect(counts).toMatch(/Lieux confirmés « rien n’a changé »\s*1/);
    expect(await overflowsHorizontally(adminPage), 'campaigns page at 360 px').toBe(false);
    await admin.close();

    // Anyone else: the page is refused (signed in) or asks to sign in first.
    const partner = await browser.newContext({ locale: 'fr-FR' });
    const partnerPage = await partner.newPage();
    expect((await partnerPage.goto(`${glane.url}/admin/campagnes`))?.url()).toContain('/connexion');
    await signInWithPassword(partnerPage, glane.url, 'restos.benevole@demo.glane.localhost', DEMO_PASSWORD);
    expect(await partnerPage.getByRole('link', { name: 'Campagnes' }).count()).toBe(0);
    expect((await partnerPage.goto(`${glane.url}/admin/campagnes`))?.status()).toBe(403);
    await partner.close();
  });
});
