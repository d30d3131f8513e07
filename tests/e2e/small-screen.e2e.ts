import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, DEMO_PASSWORD, expectAccessible, overflowsHorizontally, PHONE, signInWithPassword } from './harness.js';

/** Every page of the foundation on a 360 px phone: no sideways scrolling, no serious axe violation, and the keyboard path. */
describe('pages on a small screen, and by keyboard', () => {
  const suite = browserSuite({ viewport: PHONE });
  let owner: BrowserContext;
  let ownerPage: Page;
  let orgPath: string;
  let invitationLink: string;

  /** Opens the page, then checks width and axe; `where` names it in failures. */
  const check = async (page: Page, path: string, where = path) => {
    const res = await page.goto(`${suite.glane.url}${path}`);
    expect(res?.status(), `${where} status`).toBeLessThan(500);
    expect(await overflowsHorizontally(page), `${where} scrolls horizontally at 360 px`).toBe(false);
    await expectAccessible(page, `${where} at 360 px`);
  };

  beforeAll(async () => {
    // The CCAS owner, signed in, makes an invitation link (shown once) for the pages below; its
    // context lives through the describe (not one of the suite's, closed after each test).
    owner = await suite.browser.newContext({ locale: 'fr-FR', viewport: PHONE });
    ownerPage = await owner.newPage();
    await signInWithPassword(ownerPage, suite.glane.url, 'ccas@demo.glane.localhost', DEMO_PASSWORD);
    await ownerPage.goto(`${suite.glane.url}/organisations`);
    orgPath = (await ownerPage.getByRole('link', { name: /^CCAS de / }).getAttribute('href')) ?? '';
    expect(orgPath).toMatch(/^\/organisations\/[^/]+$/);
    await ownerPage.goto(`${suite.glane.url}${orgPath}/membres`);
    await ownerPage.getByRole('button', { name: 'Inviter', exact: true }).click();
    invitationLink = await ownerPage.locator('#invitation-link').inputValue();
  });
  afterAll(async () => {
    await owner?.close();
  });

  it('shows the signed-out pages without sideways scrolling at 360 px', async () => {
    const page = await suite.newPage();
    for (const path of [
      '/',
      '/annuaire',
      '/inscription',
      '/connexion',
      '/connexion?methode=code',
      '/connexion/code',
      '/mot-de-passe-oublie',
      '/mot-de-passe-oublie/nouveau?email=a%40example.test&envoye=1',
      '/deconnexion',
      '/dev/boite-mail',
      new URL(invitationLink).pathname,
      '/page-qui-n-existe-pas'
    ]) {
      await check(page, path);
    }

    // An error state: the summary and field errors must fit too.
    await page.goto(`${suite.glane.url}/inscription`);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('[aria-invalid="true"]').count()).toBeGreaterThanOrEqual(3);
    expect(await overflowsHorizontally(page), 'sign-up errors scroll horizontally').toBe(false);
    await expectAccessible(page, 'sign-up with every field in error at 360 px');
  });

  it('shows the signed-in pages without sideways scrolling at 360 px, in French and English', async () => {
    for (const path of ['/', '/compte', '/organisations', orgPath, `${orgPath}/membres`, '/deconnexion']) {
      await check(ownerPage, path);
    }
    // The invitation link (a long URL) shown once on the members page.
    await ownerPage.goto(`${suite.glane.url}${orgPath}/membres`);
    await ownerPage.getByLabel('Adresse e-mail de la personne').fill('une-adresse-assez-longue-pour-un-petit-ecran@example.test');
    await ownerPage.getByRole('button', { name: 'Inviter', exact: true }).click();
    await ownerPage.locator('#invitation-link').waitFor();
    expect(await overflowsHorizontally(ownerPage), 'invitation link scrolls horizontally').toBe(false);
    await expectAccessible(ownerPage, 'members page with a link at 360 px');

    await ownerPage.goto(`${suite.glane.url}/langue?l=en&redirect=/compte`);
    expect(await ownerPage.getAttribute('html', 'lang')).toBe('en');
    for (const path of ['/', '/compte', '/organisations', `${orgPath}/membres`]) {
      await check(ownerPage, path, `${path} (English)`);
    }
    await ownerPage.goto(`${suite.glane.url}/langue?l=fr&redirect=/`);
    expect(await ownerPage.getAttribute('html', 'lang')).toBe('fr');
  });

  it('makes the skip link the first Tab stop, and it moves focus to the main content', async () => {
    const page = await suite.newPage();
    for (const path of ['/', '/connexion', '/inscription']) {
      await page.goto(`${suite.glane.url}${path}`);
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Aller au contenu' });
      expect(await skip.evaluate((el) => el === document.activeElement), `${path}: first Tab stop`).toBe(true);
      // Visible once focused, inside the screen.
      const box = await skip.boundingBox();
      expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width, `${path}: skip link on screen`).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), { message: `${path}: focus on main` }).toBe('main');
      // The next Tab goes into the content, not back to the header.
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.getElementById('main')?.contains(document.activeElement) ?? false),
        `${path}: Tab after the skip link stays in main`
      ).toBe(true);
    }
    // Signed in, on the owner's pages too.
    await ownerPage.goto(`${suite.glane.url}${orgPath}/membres`);
    await ownerPage.keyboard.press('Tab');
    expect(await ownerPage.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Aller au contenu');
    await ownerPage.keyboard.press('Enter');
    await expect.poll(() => ownerPage.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});
