import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  codeIn,
  DEMO_PASSWORD,
  expectAccessible,
  expectAccessibleWithoutScripts,
  fillSignUp,
  latestMessageTo,
  PHONE,
  uniqueEmail
} from './harness.js';

/** Journeys of the accounts pages, in a real Chromium over the real built app. */
describe('accounts in the browser', () => {
  /** Each journey opens its own contexts (their own cookies), closed after it. */
  const suite = browserSuite();

  it('signs up, enters the code sent to the address, and lands signed in with the address verified', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    const email = uniqueEmail('signup');
    await page.goto(`${suite.glane.url}/inscription`);
    await expect.poll(() => page.title()).toBe('Créer un compte · Glane');
    await expectAccessible(page, 'sign-up form');

    await fillSignUp(page, { name: 'Camille Test', email, password: 'une phrase facile à retenir' }, { enterCode: false });
    expect(await page.getByText(`un code vient d’être envoyé à ${email}`, { exact: false }).isVisible()).toBe(true);
    await expectAccessible(page, 'code page after sign-up');
    const message = await latestMessageTo(context, suite.glane.url, email, 'ouvrir votre compte');
    await page.getByLabel('Code à 6 chiffres').fill(codeIn(message));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.waitForURL(/\/compte\?bienvenue=1$/);
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await expect.poll(() => nav.getByRole('link', { name: 'Mon compte' }).isVisible()).toBe(true);
    expect(await nav.getByRole('link', { name: 'Se connecter' }).count()).toBe(0);
    expect(await page.getByText('Votre compte est ouvert et votre adresse e-mail est confirmée.').isVisible()).toBe(true);
    expect(await page.getByText('Adresse vérifiée.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Vérifier mon adresse' }).count()).toBe(0);
    await expectAccessible(page, 'account page after sign-up');
  });

  it('answers a taken email exactly like a new one, without JavaScript too, and tells the holder', async () => {
    const context = await suite.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    const fresh = uniqueEmail('fresh');
    const noticeFor = async (email: string) => {
      await page.goto(`${suite.glane.url}/inscription`);
      await fillSignUp(page, { name: 'Double', email, password: 'une phrase facile à retenir' }, { enterCode: false });
      return (await page.locator('main').textContent())?.replace(email, '<adresse>');
    };
    const taken = await noticeFor('ccas@demo.glane.localhost');
    expect(taken).toContain('Si cette adresse peut être utilisée, un code vient d’être envoyé à <adresse>');
    await expectAccessibleWithoutScripts(suite.browser, page, 'code page after a sign-up with a taken address');
    expect(await noticeFor(fresh)).toBe(taken);

    const told = await latestMessageTo(context, suite.glane.url, 'ccas@demo.glane.localhost', 'quelqu’un a essayé de créer un compte');
    expect(told.body).toContain(`${suite.glane.url}/mot-de-passe-oublie`);
    expect(() => codeIn(told)).toThrow();
    // The holder's password still works; the one typed in the attempt does not.
    const other = await suite.signedIn('ccas@demo.glane.localhost');
    expect(new URL(other.url()).pathname).not.toBe('/connexion');
  });

  it('gives the same generic error for a wrong password and an unknown email, then signs in and out', async () => {
    const page = await suite.newPage();
    await page.goto(`${suite.glane.url}/connexion`);
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
    await page.goto(`${suite.glane.url}/connexion`);
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
    await page.goto(`${suite.glane.url}/compte`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByRole('link', { name: 'Mon compte' }).count()).toBe(0);
  });

  it('signs out from the /deconnexion page', async () => {
    const page = await suite.signedIn('ccas.agent@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/deconnexion`);
    await expectAccessible(page, 'sign-out page');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/connexion\?deconnecte=1$/);
    await page.goto(`${suite.glane.url}/deconnexion`);
    expect(await page.getByText('Vous n’êtes pas connecté.').isVisible()).toBe(true);
  });

  it('signs in with a one-time code read in the dev mailbox', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    const email = 'restos@demo.glane.localhost';
    await page.goto(`${suite.glane.url}/connexion`);
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

    const message = await latestMessageTo(context, suite.glane.url, email, 'code de connexion');
    await page.getByLabel('Code à 6 chiffres').fill(codeIn(message));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.waitForURL(/\/compte$/);
    expect(await page.getByText(email).isVisible()).toBe(true);
  });

  it('switches the language to English and back, remembered across pages', async () => {
    const page = await suite.newPage();
    await page.goto(`${suite.glane.url}/connexion`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    const toEnglish = nav.getByRole('link', { name: 'English' });
    expect(await toEnglish.getAttribute('hreflang')).toBe('en');
    await toEnglish.click();
    await page.waitForFunction(() => document.documentElement?.lang === 'en');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect(await page.getByLabel('Email address').count()).toBe(1);
    await expectAccessible(page, 'sign-in page in English');

    // The cookie keeps English on the next page, served by the server.
    await page.goto(`${suite.glane.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Glane: local food aid');
    expect(await page.getByRole('link', { name: 'Skip to content' }).count()).toBe(1);
    await expectAccessible(page, 'home page in English');
    await page.goto(`${suite.glane.url}/inscription`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Create an account');
    await expectAccessible(page, 'sign-up page in English');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Français' }).click();
    await page.waitForFunction(() => document.documentElement?.lang === 'fr');
    expect(new URL(page.url()).pathname).toBe('/inscription');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Créer un compte');
    await page.goto(`${suite.glane.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  });

  it('signs in by password without JavaScript (progressive enhancement)', async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await page.goto(`${suite.glane.url}/connexion`);
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
    await expectAccessibleWithoutScripts(suite.browser, page, 'sign-in error without JavaScript');

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
