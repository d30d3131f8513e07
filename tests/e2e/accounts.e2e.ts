import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  codeIn,
  DEMO_PASSWORD,
  expectAccessible,
  expectAccessibleWithoutScripts,
  fillSignUp,
  latestMessageTo,
  launchBrowser,
  signInWithPassword,
  startGlane,
  uniqueEmail,
  type RunningGlane
} from './harness.js';

/** Journeys of the accounts pages, in a real Chromium over the real built app. */
describe('accounts in the browser', () => {
  let glane: RunningGlane;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** A fresh context per journey (its own cookies), closed after the journey. */
  const freshContext = async (options: Parameters<Browser['newContext']>[0] = {}) => {
    const context = await browser.newContext({ locale: 'fr-FR', ...options });
    contexts.push(context);
    return context;
  };

  beforeAll(async () => {
    glane = await startGlane();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await glane?.stop();
  });

  it('signs up, lands signed in, and verifies the email with the code from the mailbox', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    const email = uniqueEmail('signup');
    await page.goto(`${glane.url}/inscription`);
    await expect.poll(() => page.title()).toBe('Créer un compte · Glane');
    await expectAccessible(page, 'sign-up form');

    await fillSignUp(page, { name: 'Camille Test', email, password: 'une phrase facile à retenir' });
    await page.waitForURL(/\/compte\?bienvenue=1$/);
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await expect.poll(() => nav.getByRole('link', { name: 'Mon compte' }).isVisible()).toBe(true);
    expect(await nav.getByRole('link', { name: 'Se connecter' }).count()).toBe(0);
    expect(await page.getByText('Votre compte est créé.').isVisible()).toBe(true);
    expect(await page.getByText('Adresse pas encore vérifiée.').isVisible()).toBe(true);
    await expectAccessible(page, 'account page after sign-up');

    const message = await latestMessageTo(context, glane.url, email, 'confirmez votre adresse');
    await page.getByLabel('Code de vérification').fill(codeIn(message));
    await page.getByRole('button', { name: 'Vérifier mon adresse' }).click();
    await page.getByText('Votre adresse e-mail est vérifiée.').waitFor();
    await expectAccessible(page, 'account page after verification');

    await page.reload();
    expect(await page.getByText('Adresse vérifiée.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Vérifier mon adresse' }).count()).toBe(0);
  });

  it('refuses a duplicate email with a field error next to the email field and an alert summary', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${glane.url}/inscription`);
    await fillSignUp(page, { name: 'Double', email: 'ccas@demo.glane.localhost', password: 'une phrase facile à retenir' });

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Le formulaire n’a pas pu être envoyé');
    expect(await alert.getByRole('link', { name: /Adresse e-mail : Un compte existe déjà/ }).getAttribute('href')).toBe('#field-email');
    // The enhanced form moves focus to the summary so it is read out.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');

    const field = page.getByLabel('Adresse e-mail', { exact: true });
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('field-email-error');
    expect(await page.locator('#field-email-error').textContent()).toBe('Un compte existe déjà avec cette adresse e-mail.');
    // What was typed comes back, except the password.
    expect(await field.inputValue()).toBe('ccas@demo.glane.localhost');
    expect(await page.getByLabel('Votre nom ou prénom').inputValue()).toBe('Double');
    await expectAccessible(page, 'sign-up error state');
    expect(page.url()).toBe(`${glane.url}/inscription`);
  });

  it('gives the same generic error for a wrong password and an unknown email, then signs in and out', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${glane.url}/connexion`);
    await expectAccessible(page, 'sign-in form');

    const attempt = async (email: string, password: string) => {
      await page.getByLabel('Adresse e-mail').fill(email);
      await page.getByLabel('Mot de passe', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      return text;
    };
    const wrongPassword = await attempt('restos.benevole@demo.glane.localhost', 'pas le bon mot de passe');
    expect(wrongPassword).toContain('Adresse e-mail ou mot de passe incorrect');
    await expectAccessible(page, 'sign-in error state');
    await page.goto(`${glane.url}/connexion`);
    const unknown = await attempt('personne-inconnue@example.test', 'pas le bon mot de passe');
    expect(unknown).toBe(wrongPassword);
    expect(page.url()).toContain('/connexion');

    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByLabel('Adresse e-mail').fill('restos.benevole@demo.glane.localhost');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/compte$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mon compte');
    expect(await page.getByText('restos.benevole@demo.glane.localhost').isVisible()).toBe(true);
    await expectAccessible(page, 'account page signed in');

    await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await page.waitForURL(/\/connexion\?deconnecte=1$/);
    expect(await page.getByText('Vous êtes déconnecté.').isVisible()).toBe(true);
    await page.goto(`${glane.url}/compte`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByRole('link', { name: 'Mon compte' }).count()).toBe(0);
  });

  it('signs out from the /deconnexion page', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await signInWithPassword(page, glane.url, 'ccas.agent@demo.glane.localhost', DEMO_PASSWORD);
    await page.goto(`${glane.url}/deconnexion`);
    await expectAccessible(page, 'sign-out page');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/connexion\?deconnecte=1$/);
    await page.goto(`${glane.url}/deconnexion`);
    expect(await page.getByText('Vous n’êtes pas connecté.').isVisible()).toBe(true);
  });

  it('signs in with a one-time code read in the dev mailbox', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    const email = 'restos@demo.glane.localhost';
    await page.goto(`${glane.url}/connexion`);
    await page.getByRole('link', { name: 'Recevoir un code' }).click();
    await page.waitForURL(/methode=code/);
    await expectAccessible(page, 'sign-in by code, request form');
    expect(await page.getByRole('radio', { name: 'E-mail' }).isChecked()).toBe(true);
    await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(email);
    await page.getByRole('button', { name: 'Recevoir un code' }).click();
    await page.waitForURL(/\/connexion\/code$/);
    expect(await page.getByText(`Si un compte correspond à ${email}`).isVisible()).toBe(true);
    await expectAccessible(page, 'code entry page');

    // A wrong code first: the generic error, and the field stays.
    await page.getByLabel('Code à 6 chiffres').fill('000000');
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('code non valide');

    const message = await latestMessageTo(context, glane.url, email, 'code de connexion');
    await page.getByLabel('Code à 6 chiffres').fill(codeIn(message));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.waitForURL(/\/compte$/);
    expect(await page.getByText(email).isVisible()).toBe(true);
  });

  it('switches the language to English and back, remembered across pages', async () => {
    const context = await freshContext();
    const page = await context.newPage();
    await page.goto(`${glane.url}/connexion`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    const toEnglish = nav.getByRole('link', { name: 'English' });
    expect(await toEnglish.getAttribute('hreflang')).toBe('en');
    await toEnglish.click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect(await page.getByLabel('Email address').count()).toBe(1);
    await expectAccessible(page, 'sign-in page in English');

    // The cookie keeps English on the next page, served by the server.
    await page.goto(`${glane.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Glane: local food aid');
    expect(await page.getByRole('link', { name: 'Skip to content' }).count()).toBe(1);
    await expectAccessible(page, 'home page in English');
    await page.goto(`${glane.url}/inscription`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Create an account');
    await expectAccessible(page, 'sign-up page in English');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Français' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    expect(new URL(page.url()).pathname).toBe('/inscription');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Créer un compte');
    await page.goto(`${glane.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  });

  it('signs in by password without JavaScript (progressive enhancement)', async () => {
    const context = await freshContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${glane.url}/connexion`);
    // A wrong password: the server renders the error summary and the email typed.
    await page.getByLabel('Adresse e-mail').fill('ccas@demo.glane.localhost');
    await page.getByLabel('Mot de passe', { exact: true }).fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Adresse e-mail ou mot de passe incorrect');
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe('ccas@demo.glane.localhost');
    // The server never echoes a password.
    expect(await page.getByLabel('Mot de passe', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Mot de passe', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    await expectAccessibleWithoutScripts(browser, page, 'sign-in error without JavaScript');

    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/compte$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mon compte');
    expect(await page.getByText('ccas@demo.glane.localhost').isVisible()).toBe(true);

    // The language switch is a plain link: it works without JavaScript too.
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/compte$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My account');

    // And sign-out is a plain form.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/connexion\?deconnecte=1$/);
  });
});
