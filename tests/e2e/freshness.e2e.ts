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

  it('sends each organisation a link that confirms "nothing changed" without a password', async () => {
    // The platform admin starts a campaign through the API, as the CCAS's software would.
    const admin = await browser.newContext({ locale: 'fr-FR' });
    const adminPage = await admin.newPage();
    await signInWithPassword(adminPage, glane.url, 'admin@demo.glane.localhost', DEMO_PASSWORD);
    const session = await adminPage.request.get(`${glane.url}/api/v1/auth/session`);
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const started = await adminPage.request.post(`${glane.url}/api/v1/directory/campaigns`, {
      data: { campaign: 'e2e-automne' },
      headers: { 'X-CSRF-Token': csrfToken, Origin: glane.url }
    });
    expect(started.status()).toBe(200);
    const messages = await readMailbox(admin, glane.url);
    const link = messages.map((m) => /https?:\/\/\S+\/mise-a-jour\/[A-Za-z0-9_-]+/.exec(m.body)?.[0]).find(Boolean);
    expect(link, 'a campaign email with a /mise-a-jour/ link').toBeTruthy();
    await admin.close();

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
  });
});
