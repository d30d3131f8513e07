import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  DEMO_PASSWORD,
  expectAccessible,
  fillSignUp,
  latestMessageTo,
  signInWithPassword,
  uniqueEmail
} from './harness.js';

/** A SIRET whose Luhn key is right (checked by isValidSiret in the rules tests). */
const VALID_SIRET = '73282932000074';

/** Organisation journeys: create one, invite someone who joins. */
describe('organisations in the browser', () => {
  const suite = browserSuite();
  /** A new account, signed in, in its own context. */
  const newAccount = async (name: string) => {
    const page = await suite.newPage();
    await page.goto(`${suite.glane.url}/inscription`);
    await fillSignUp(page, { name, email: uniqueEmail('org'), password: 'une phrase facile à retenir' });
    await page.waitForURL(/\/compte\?bienvenue=1$/);
    return page;
  };
  /** The error summary's text and the field's state after a refused submit. */
  const fieldProblem = async (page: Page, id: string) => {
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const input = page.locator(`#${id}`);
    return {
      summary: (await alert.textContent()) ?? '',
      invalid: await input.getAttribute('aria-invalid'),
      describedBy: (await input.getAttribute('aria-describedby')) ?? '',
      error: await page.locator(`#${id}-error`).textContent()
    };
  };

  it('creates an association with a valid SIRET and shows its page', async () => {
    const page = await newAccount('Dominique Créatrice');
    await page.goto(`${suite.glane.url}/organisations`);
    expect(await page.getByText('Vous n’êtes membre d’aucune organisation').isVisible()).toBe(true);
    await expectAccessible(page, 'organisations page, empty');

    await page.getByLabel('Nom', { exact: true }).fill('Épicerie solidaire du Marais');
    await page.getByLabel('Type d’organisation').selectOption({ label: 'Association' });
    await page.getByLabel('SIRET').fill('732 829 320 00074');
    await page.getByLabel('Numéro et rue').fill('3 rue des Glaneurs');
    await page.getByLabel('Code postal').fill('59999');
    await page.getByLabel('Ville').fill('Glaneville-en-Barœul');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();

    await page.waitForURL(/\/organisations\/[^/?]+\?cree=1$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Épicerie solidaire du Marais');
    expect(await page.getByText('L’organisation a été créée.').isVisible()).toBe(true);
    const details = (await page.locator('dl.details').textContent()) ?? '';
    expect(details).toContain('Association');
    expect(details).toContain(VALID_SIRET);
    expect(details).toContain('3 rue des Glaneurs, 59999 Glaneville-en-Barœul');
    await expectAccessible(page, 'new organisation page');

    await page.goto(`${suite.glane.url}/organisations`);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Épicerie solidaire du Marais' }) });
    expect(await card.textContent()).toContain('Votre rôle : Propriétaire');
    await expectAccessible(page, 'organisations page with one');
  });

  it('names the SIRET field when the SIRET is wrong', async () => {
    const page = await newAccount('Sam Siret');
    await page.goto(`${suite.glane.url}/organisations`);
    await page.getByLabel('Nom', { exact: true }).fill('Association au mauvais SIRET');
    await page.getByLabel('SIRET').fill('73282932000075');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();

    const checksum = await fieldProblem(page, 'field-siret');
    expect(checksum.summary).toContain('SIRET : Ce numéro SIRET n’existe pas (clé de contrôle incorrecte).');
    expect(checksum.invalid).toBe('true');
    expect(checksum.describedBy).toContain('field-siret-error');
    expect(checksum.error).toBe('Ce numéro SIRET n’existe pas (clé de contrôle incorrecte).');
    expect(await page.getByRole('link', { name: /^SIRET :/ }).getAttribute('href')).toBe('#field-siret');
    // The other values typed are kept, and nothing was created.
    expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe('Association au mauvais SIRET');
    expect(await page.getByText('Vous n’êtes membre d’aucune organisation').isVisible()).toBe(true);
    await expectAccessible(page, 'create form, SIRET error');

    await page.getByLabel('SIRET').fill('1234');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    await expect.poll(() => page.locator('#field-siret-error').textContent()).toBe('Le SIRET comporte 14 chiffres.');
  });

  it('asks for the donor kind when the organisation is a donor', async () => {
    const page = await newAccount('Dana Donatrice');
    await page.goto(`${suite.glane.url}/organisations`);
    await page.getByLabel('Nom', { exact: true }).fill('Boulangerie sans type');
    await page.getByLabel('Type d’organisation').selectOption({ label: 'Donateur' });
    await page.getByLabel('Type de donateur').selectOption({ label: 'Aucun' });
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();

    const problem = await fieldProblem(page, 'field-donorKind');
    expect(problem.summary).toContain('Type de donateur : Précisez le type de donateur.');
    expect(problem.invalid).toBe('true');
    expect(problem.describedBy).toContain('field-donorKind-error');
    // The kind chosen stays chosen.
    expect(await page.getByLabel('Type d’organisation').inputValue()).toBe('donor');
    await expectAccessible(page, 'create form, donor kind error');

    await page.getByLabel('Type de donateur').selectOption({ label: 'Commerce' });
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    await page.waitForURL(/\/organisations\/[^/?]+\?cree=1$/);
    expect(await page.locator('dl.details').textContent()).toContain('Commerce');
  });

  it('invites a person by email, who opens the link signed out, signs up, accepts and joins as a member', async () => {
    // The owner of the demo CCAS invites.
    const ownerContext = await suite.newContext();
    const owner = await ownerContext.newPage();
    await signInWithPassword(owner, suite.glane.url, 'ccas@demo.glane.localhost', DEMO_PASSWORD);
    await owner.goto(`${suite.glane.url}/organisations`);
    await owner.getByRole('link', { name: /^CCAS de / }).click();
    await owner.waitForURL(/\/organisations\/[^/]+$/);
    const orgName = (await owner.getByRole('heading', { level: 1 }).textContent()) ?? '';
    expect(orgName).toMatch(/^CCAS de /);
    await expectAccessible(owner, 'organisation page, owner');
    await owner.getByRole('link', { name: 'Membres et invitations' }).click();
    await owner.waitForURL(/\/membres$/);
    expect(await owner.getByRole('heading', { level: 1 }).textContent()).toBe(`Membres de ${orgName}`);
    await expectAccessible(owner, 'members page');

    const inviteeEmail = uniqueEmail('invitee');
    await owner.getByLabel('Adresse e-mail de la personne').fill(inviteeEmail);
    expect(await owner.getByLabel('Rôle proposé').inputValue()).toBe('member');
    await owner.getByRole('button', { name: 'Inviter', exact: true }).click();
    const created = owner.getByRole('status').filter({ hasText: 'Lien d’invitation créé' });
    await created.waitFor();
    expect(await created.textContent()).toContain(`L’invitation a été envoyée à ${inviteeEmail}.`);
    const link = await owner.locator('#invitation-link').inputValue();
    expect(link).toMatch(new RegExp(`^${suite.glane.url}/invitations/[A-Za-z0-9_-]{20,}$`));
    expect(await owner.getByLabel('Lien d’invitation').inputValue()).toBe(link);
    await expectAccessible(owner, 'members page with the invitation link');

    // The same link went by email (the dev mailbox captured it).
    const email = await latestMessageTo(ownerContext, suite.glane.url, inviteeEmail);
    expect(email.body).toContain(link);

    // The invitee, signed out, in another context.
    const invitee = await suite.newPage();
    await invitee.goto(link);
    expect(await invitee.getByRole('heading', { level: 1 }).textContent()).toBe('Invitation');
    expect(await invitee.getByText(`Vous êtes invité à rejoindre ${orgName} avec le rôle « Membre ».`).isVisible()).toBe(true);
    expect(await invitee.getByRole('button', { name: 'Accepter l’invitation' }).count()).toBe(0);
    await expectAccessible(invitee, 'invitation preview, signed out');

    await invitee.getByRole('main').getByRole('link', { name: 'Créer un compte' }).click();
    await invitee.waitForURL(/\/inscription\?redirect=/);
    await fillSignUp(invitee, { name: 'Noé Invité', email: inviteeEmail, password: 'une phrase facile à retenir' });
    await invitee.waitForURL((u) => u.pathname === new URL(link).pathname);
    await invitee.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await invitee.waitForURL(/\/organisations\/[^/?]+\?rejoint=1$/);
    expect(await invitee.getByText('Vous avez rejoint l’organisation.').isVisible()).toBe(true);
    expect(await invitee.getByRole('heading', { level: 1 }).textContent()).toBe(orgName);
    await expectAccessible(invitee, 'organisation page after joining');

    // The owner sees the new member, with the member role.
    await owner.reload();
    const card = owner.getByRole('listitem').filter({ has: owner.getByRole('heading', { name: 'Noé Invité' }) });
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('Rôle : Membre');
    expect(await card.textContent()).toContain(inviteeEmail);
    expect(await owner.locator('#invitation-link').count()).toBe(0); // shown once only

    // The link is used up.
    await invitee.goto(link);
    expect(await invitee.getByText('Cette invitation n’est plus valable').isVisible()).toBe(true);
  });
});
