import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildDemoTerritory } from '../../src/lib/server/demo/territory.js';
import {
  browserSuite,
  expectAccessible,
  expectAccessibleWithoutScripts,
  overflowsHorizontally,
  PHONE
} from './harness.js';
import { BAKER } from './marketplace-steps.js';

const CCAS_ID = buildDemoTerritory().organisationIds.ccas!;

/** Accompanied accounts: a CCAS agent creates one, prints the card, revokes and reissues it; the person's rights pages. */
describe('accompanied people and printed cards in the browser', () => {
  const suite = browserSuite({ env: { DOCUMENT_KEY: randomBytes(32).toString('base64') }, viewport: PHONE });
  const agentPage = (options: { javaScriptEnabled?: boolean } = {}): Promise<Page> => suite.signedIn('ccas@demo.glane.localhost', options);
  const fits = async (page: Page, where: string) => {
    expect(await overflowsHorizontally(page), `${where} scrolls sideways at 360 px`).toBe(false);
  };

  it('lets a CCAS agent create an accompanied account and download its printable card', async () => {
    const page = await agentPage();
    await page.goto(`${suite.glane.url}/organisations/${CCAS_ID}`);
    await page.getByRole('link', { name: 'Personnes accompagnées' }).click();
    await page.waitForURL(`${suite.glane.url}/organisations/${CCAS_ID}/personnes`);
    // The demo's accompanied person is listed with her card and access.
    const demo = page.locator('ul.people > li', { hasText: 'Josiane' });
    expect(await demo.textContent()).toMatch(/Carte active depuis le/);
    expect(await demo.textContent()).toMatch(/Dons anti-gaspi : jusqu’au/);
    await fits(page, 'accompanied list');
    await expectAccessible(page, 'accompanied list');

    // A refused form names the missing field.
    await page.getByRole('button', { name: 'Créer le compte et sa carte' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#field-firstName').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'accompanied list, refused form');

    await page.getByLabel('Prénom').fill('Marcelle');
    await page.getByLabel('Nombre d’adultes').fill('1');
    await page.getByLabel('Nombre d’enfants').fill('0');
    await page.getByLabel('Votre situation').selectOption({ label: 'Retraité ou retraitée' });
    await page.getByRole('button', { name: 'Créer le compte et sa carte' }).click();
    await page.waitForURL(new RegExp(`/organisations/${CCAS_ID}/personnes/[^/?]+\\?cree=1$`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Marcelle, personne accompagnée');
    expect(await page.getByText('Le compte est créé et sa carte émise.').isVisible()).toBe(true);
    expect(await page.getByText(/^Carte active, émise le/).isVisible()).toBe(true);
    await fits(page, 'person page');
    await expectAccessible(page, 'person page');

    for (const name of ['Imprimer la carte (A6)', 'Imprimer au format carte bancaire']) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      expect(href).toMatch(/\/carte\?format=(a6|id1)$/);
      const pdf = await page.request.get(`${suite.glane.url}${href}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      const body = await pdf.body();
      expect(body.byteLength).toBeGreaterThan(1000);
      expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }

    // The person's page shows the active card after a reload, and the list too.
    const personUrl = page.url().replace(/\?cree=1$/, '');
    await page.goto(personUrl);
    expect(await page.getByText(/^Carte active, émise le/).isVisible()).toBe(true);
    await page.goto(`${suite.glane.url}/organisations/${CCAS_ID}/personnes`);
    expect(await page.locator('ul.people > li', { hasText: 'Marcelle' }).textContent()).toMatch(/Carte active depuis le/);

    // Lost card: revoke it, then issue a new one.
    await page.goto(personUrl);
    await page.getByRole('button', { name: 'Désactiver la carte' }).click();
    await page.getByText('La carte est désactivée.').waitFor();
    expect(await page.getByText('Pas de carte active.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Émettre une carte' }).click();
    await page.getByText(/^Nouvelle carte émise, code [A-Z2-9]{4}-[A-Z2-9]{4}\./).waitFor();
    expect(await page.getByText('1 ancienne carte désactivée').isVisible()).toBe(true);
    await expectAccessible(page, 'person page after a reissue');
  });

  it('works without JavaScript: create, print, and a donor cannot open the page', async () => {
    const page = await agentPage({ javaScriptEnabled: false });
    await page.goto(`${suite.glane.url}/organisations/${CCAS_ID}/personnes`);
    await page.getByLabel('Prénom').fill('Gilbert');
    await page.getByLabel('Nombre d’adultes').fill('2');
    await page.getByLabel('Nombre d’enfants').fill('1');
    await page.getByLabel('Votre situation').selectOption({ label: 'Demandeur ou demandeuse d’emploi' });
    await page.getByRole('button', { name: 'Créer le compte et sa carte' }).click();
    await page.waitForURL(/\/personnes\/[^/?]+\?cree=1$/);
    const personPath = new URL(page.url()).pathname;
    await expectAccessibleWithoutScripts(suite.browser, page, 'person page without JavaScript');
    const pdf = await page.request.get(`${suite.glane.url}${personPath}/carte?format=id1`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.getByRole('button', { name: 'Carte perdue : en émettre une nouvelle' }).click();
    await page.getByText(/^Nouvelle carte émise, code/).waitFor();

    const donor = await suite.signedIn(BAKER);
    expect((await donor.goto(`${suite.glane.url}${personPath}`))?.status()).toBe(404);
    expect((await donor.request.get(`${suite.glane.url}${personPath}/carte?format=a6`)).status()).toBe(404);
    expect((await donor.goto(`${suite.glane.url}/organisations/${CCAS_ID}/personnes`))?.status()).toBe(403);
  });

  it('shows a person who read their file, and lets them export their data', async () => {
    // The CCAS agent opens the demo person's file; a beneficiary sees an empty list (nobody read theirs).
    const page = await suite.signedIn('beneficiaire2@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/compte`);
    await page.getByRole('link', { name: 'Qui a consulté mon dossier' }).first().click();
    await page.waitForURL(`${suite.glane.url}/mon-dossier/consultations`);
    expect(await page.getByText('Personne n’a consulté votre dossier pour l’instant.').isVisible()).toBe(true);
    await fits(page, 'who read my file');
    await expectAccessible(page, 'who read my file');

    await page.goto(`${suite.glane.url}/compte`);
    expect(await page.getByRole('heading', { name: 'Supprimer mon compte' }).isVisible()).toBe(true);
    expect(await page.getByText(/le journal d’audit garde les traces des actions/).isVisible()).toBe(true);
    await fits(page, 'account page');
    await expectAccessible(page, 'account page');
    const href = await page.getByRole('link', { name: 'Exporter mes données' }).getAttribute('href');
    const exported = await page.request.get(`${suite.glane.url}${href}`);
    expect(exported.headers()['content-type']).toContain('application/json');
    expect(exported.headers()['content-disposition']).toMatch(/^attachment; filename="glane-donnees-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = (await exported.json()) as { account: { email: string }; fileReads: unknown[] };
    expect(data.account.email).toBe('beneficiaire2@demo.glane.localhost');

    // Erasing asks for a confirmation, then says what is kept.
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Je veux supprimer mon compte et mes données.').check();
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await page.waitForURL(`${suite.glane.url}/compte/supprime`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Compte supprimé');
    await expectAccessible(page, 'account deleted');
  });
});
