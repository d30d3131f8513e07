import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, codeIn, expectAccessible, expectAccessibleWithoutScripts, latestMessageTo, overflowsHorizontally, PHONE } from './harness.js';

/** Sign-up with a phone number alone (no email, no password), on a 360 px phone, in a real Chromium. */
describe('sign-up by phone in the browser', () => {
  const suite = browserSuite({ viewport: PHONE });
  /** Width and axe of the page as it stands; `where` names the state in failures. */
  const check = async (page: Page, where: string) => {
    expect(await overflowsHorizontally(page), `${where} scrolls horizontally at 360 px`).toBe(false);
    await expectAccessible(page, `${where} at 360 px`);
  };
  /** Fills and sends the phone form of /inscription (French labels). */
  const signUpByPhone = async (page: Page, name: string, phone: string) => {
    await page.getByLabel('Votre nom ou prénom').fill(name);
    await page.getByLabel('Numéro de portable').fill(phone);
    await page.getByRole('button', { name: 'Recevoir un code par SMS' }).click();
  };
  /** Types the SMS code read from the dev mailbox on the code page, and waits for the account page. */
  const enterSmsCode = async (context: BrowserContext, page: Page, e164: string) => {
    const sms = await latestMessageTo(context, suite.glane.url, e164, 'code de connexion');
    expect(sms.to).toBe(`${e164} (SMS)`);
    await page.getByLabel('Code à 6 chiffres').fill(codeIn(sms));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.waitForURL((u) => u.pathname === '/compte');
  };

  it('signs up with a phone number, reads the SMS code in the dev mailbox, lands signed in, then adds an email', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.glane.url}/inscription`);
    await check(page, 'sign-up, email way');
    const ways = page.getByRole('navigation', { name: 'Manière de créer votre compte' });
    expect(await ways.getByRole('link', { name: 'Avec mon e-mail' }).getAttribute('aria-current')).toBe('page');
    await ways.getByRole('link', { name: 'Avec mon numéro de téléphone' }).click();
    await page.waitForURL(/\/inscription\?methode=telephone$/);
    expect(await ways.getByRole('link', { name: 'Avec mon numéro de téléphone' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByLabel('Mot de passe').count()).toBe(0);
    expect(await page.getByLabel('Adresse e-mail').count()).toBe(0);
    await check(page, 'sign-up, phone way');

    // A landline cannot take the SMS: the field says so, the summary links to it.
    await signUpByPhone(page, 'Nadia Test', '01 23 45 67 89');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const field = page.getByLabel('Numéro de portable');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-phone-error').textContent()).toBe(
      'Saisissez un numéro de portable français en 06 ou 07, par exemple 06 12 34 56 78.'
    );
    expect(await alert.getByRole('link', { name: /Numéro de portable/ }).getAttribute('href')).toBe('#field-phone');
    expect(await page.getByLabel('Votre nom ou prénom').inputValue()).toBe('Nadia Test');
    await check(page, 'sign-up by phone, error state');

    await signUpByPhone(page, 'Nadia Test', '06 41 00 00 01');
    await page.waitForURL(/\/connexion\/code\?inscription=1$/);
    expect(await page.getByRole('status').textContent()).toContain('Un code vient d’être envoyé par SMS au 06 41 00 00 01.');
    // The number is remembered by the page (an HttpOnly cookie), never put in the address.
    // (Only the path and query are looked at: the test server's port may contain the same digits.)
    const address = new URL(page.url());
    expect(`${address.pathname}${address.search}`).not.toContain('41');
    expect(await page.getByLabel('Adresse e-mail ou numéro de téléphone').count()).toBe(0);
    await check(page, 'code page after a sign-up by phone');

    await enterSmsCode(context, page, '+33641000001');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await expect.poll(() => nav.getByRole('link', { name: 'Mon compte' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Téléphone portable' }).isVisible()).toBe(true);
    expect(await page.getByText('06 41 00 00 01', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Aucune adresse e-mail.').isVisible()).toBe(true);
    expect(await page.getByLabel('Nom affiché').inputValue()).toBe('Nadia Test');
    await check(page, 'account page of a phone-only account');

    // Later, an email address: asked for (the page reads the same whether another account holds it or
    // not), then added, confirmed, with the code sent to it.
    await page.getByRole('textbox', { name: 'Adresse e-mail' }).fill('nadia@example.test');
    await page.getByRole('button', { name: 'Ajouter cette adresse' }).click();
    await page
      .getByText('Si l’adresse nadia@example.test peut être utilisée, un code de confirmation vient d’y être envoyé.', { exact: false })
      .waitFor();
    expect(await page.getByText('Aucune adresse e-mail.').isVisible()).toBe(true);
    await check(page, 'account page after asking to add an email');
    const mail = await latestMessageTo(context, suite.glane.url, 'nadia@example.test', 'confirmez votre adresse');
    await page.getByLabel('Code de vérification').fill(codeIn(mail));
    await page.getByRole('button', { name: 'Vérifier mon adresse' }).click();
    await page.getByText('Votre adresse e-mail est vérifiée.').waitFor();
  });

  it('answers a sign-up with a number that has an account exactly like a new one, and the code opens that account', async () => {
    const first = await suite.newContext();
    const firstPage = await first.newPage();
    await firstPage.goto(`${suite.glane.url}/inscription?methode=telephone`);
    await signUpByPhone(firstPage, 'Karim', '07 41 00 00 02');
    await firstPage.waitForURL(/\/connexion\/code\?inscription=1$/);
    const firstNotice = await firstPage.getByRole('status').textContent();
    await enterSmsCode(first, firstPage, '+33741000002');

    const second = await suite.newContext();
    const page = await second.newPage();
    await page.goto(`${suite.glane.url}/inscription?methode=telephone`);
    await signUpByPhone(page, 'Quelqu’un d’autre', '07 41 00 00 02');
    await page.waitForURL(/\/connexion\/code\?inscription=1$/);
    expect(await page.getByRole('status').textContent()).toBe(firstNotice);
    await enterSmsCode(second, page, '+33741000002');
    expect(await page.getByLabel('Nom affiché').inputValue()).toBe('Karim');
  });

  it('works without JavaScript: a refused number keeps the phone form, a good one reaches the code page', async () => {
    const context = await suite.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${suite.glane.url}/inscription?methode=telephone`);
    await signUpByPhone(page, 'Sans script', '12');
    await page.waitForURL(/\/inscription\?\/phone$/);
    expect(await page.getByLabel('Numéro de portable').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('heading', { name: 'Avec mon numéro de téléphone' }).isVisible()).toBe(true);
    await expectAccessibleWithoutScripts(suite.browser, page, 'sign-up by phone refused, no JavaScript');

    await signUpByPhone(page, 'Sans script', '06 41 00 00 03');
    await page.waitForURL(/\/connexion\/code\?inscription=1$/);
    await enterSmsCode(context, page, '+33641000003');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mon compte');
  });
});
