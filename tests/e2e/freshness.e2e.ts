import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  DEMO_PASSWORD,
  expectAccessible,
  overflowsHorizontally,
  PHONE,
  readMailbox,
  signInWithPassword
} from './harness.js';

describe('freshness campaign', () => {
  const suite = browserSuite();

  it('an admin starts a campaign from its page; each organisation gets a link that confirms "nothing changed" without a password', async () => {
    // The platform admin reaches the campaigns page from the header and starts one for every organisation.
    const admin = await suite.newContext();
    const adminPage = await admin.newPage();
    await signInWithPassword(adminPage, suite.glane.url, 'admin@demo.glane.localhost', DEMO_PASSWORD);
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

    const messages = await readMailbox(admin, suite.glane.url);
    const link = messages.map((m) => /https?:\/\/\S+\/mise-a-jour\/[A-Za-z0-9_-]+/.exec(m.body)?.[0]).find(Boolean);
    expect(link, 'a campaign email with a /mise-a-jour/ link').toBeTruthy();

    // The organisation opens it signed out, on a phone, and confirms its first place.
    const visitor = await suite.newContext({ viewport: PHONE });
    const page = await visitor.newPage();
    await page.goto(link as string);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Mise à jour de vos lieux');
    await expectAccessible(page, 'freshness link page');
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.getByRole('button', { name: 'Rien n’a changé' }).first().click();
    await expect.poll(() => page.getByText(/Merci : « .+ » est confirmé\./).count()).toBe(1);
    await expectAccessible(page, 'freshness link page after confirming');

    // An unknown token says so.
    const unknown = await page.goto(`${suite.glane.url}/mise-a-jour/inconnu${'x'.repeat(30)}`);
    expect(unknown?.status()).toBe(404);
    await visitor.close();

    // Back on the campaigns page (on a phone), the admin sees one organisation answered and one place confirmed.
    await adminPage.setViewportSize(PHONE);
    await adminPage.goto(`${suite.glane.url}/admin/campagnes`);
    const campaign = adminPage.locator('ul.campaigns > li', { hasText: 'e2e-automne' });
    const counts = await campaign.textContent();
    expect(counts).toMatch(/Organisations qui ont répondu\s*1/);
    expect(counts).toMatch(/Lieux confirmés « rien n’a changé »\s*1/);
    expect(await overflowsHorizontally(adminPage), 'campaigns page at 360 px').toBe(false);
    await admin.close();

    // Anyone else: the page is refused (signed in) or asks to sign in first.
    const partner = await suite.newContext();
    const partnerPage = await partner.newPage();
    expect((await partnerPage.goto(`${suite.glane.url}/admin/campagnes`))?.url()).toContain('/connexion');
    await signInWithPassword(partnerPage, suite.glane.url, 'restos.benevole@demo.glane.localhost', DEMO_PASSWORD);
    expect(await partnerPage.getByRole('link', { name: 'Campagnes' }).count()).toBe(0);
    expect((await partnerPage.goto(`${suite.glane.url}/admin/campagnes`))?.status()).toBe(403);
    await partner.close();
  });
});
