import { describe, expect, it } from 'vitest';
import { buildDemoTerritory } from '../../src/lib/server/demo/territory.js';
import { putSetting } from '../../src/lib/server/modules/eligibility/schemes.repository.js';
import { insertTestMembership } from '../../src/lib/server/modules/organisations/organisations.testing.js';
import { insertTestPerson, testReservationRow } from '../../src/lib/server/modules/marketplace/marketplace.testing.js';
import { phoneJpeg } from '../../src/lib/server/photos/photos.testing.js';
import {
  addressStub,
  browserSuite,
  expectAccessible,
  expectAccessibleWithoutScripts,
  organisationOfMember,
  overflowsHorizontally,
  PHONE
} from './harness.js';
import { BAKER, DEMO_TOWN, ELODIE, offerNearTown, YOUSSEF } from './marketplace-steps.js';

const CCAS_ID = buildDemoTerritory().organisationIds.ccas!;

/**
 * The marketplace's newer pages on a 360 px phone, with axe: a donor's offer photos (without
 * JavaScript) seen by an eligible person in the feed; a recurring offer created, one day skipped,
 * stopped; an agent reserving for an accompanied person (widening the distance) and printing the code;
 * a partner association reserving an offer addressed to partners and seeing its members' reservations; a private person posting once the territory allows it.
 */
describe('marketplace pages: photos, recurring offers, reserving for others, private donors', () => {
  const stub = addressStub();
  const suite = browserSuite({ env: () => ({ ADDRESS_API_URL: stub.url }), database: true, viewport: PHONE });

  it('a donor adds a described photo to an offer without JavaScript; the feed and the offer page show its thumbnail, lazy and sized, until the offer is cancelled', async () => {
    const orgId = await organisationOfMember(suite.db, BAKER);
    const offerId = await offerNearTown(suite.db, 'Tartes aux pommes du jour');
    const alt = 'Trois tartes aux pommes dans leur boîte';
    const baker = await suite.signedIn(BAKER, { javaScriptEnabled: false });
    await baker.goto(`${suite.glane.url}/organisations/${orgId}/dons/${offerId}`);
    await baker.getByRole('link', { name: 'Ajouter des photos' }).click();
    await baker.waitForURL(`${suite.glane.url}/organisations/${orgId}/dons/${offerId}/photos`);
    await baker.getByLabel('Photo', { exact: true }).setInputFiles({ name: 'IMG_1.jpg', mimeType: 'image/jpeg', buffer: await phoneJpeg(1200, 800) });
    await baker.getByLabel('Description de la photo (texte alternatif)', { exact: true }).fill(alt);
    await baker.getByRole('button', { name: 'Ajouter la photo' }).click();
    expect(await baker.getByRole('status').filter({ hasText: 'La photo est ajoutée' }).count()).toBe(1);
    expect(await overflowsHorizontally(baker), 'offer photos page at 360 px').toBe(false);
    await expectAccessibleWithoutScripts(suite.browser, baker, 'offer photos page');

    const person = await suite.signedIn(ELODIE);
    await person.goto(`${suite.glane.url}/dons?lat=${DEMO_TOWN.lat}&lng=${DEMO_TOWN.lng}&radiusKm=5`);
    const thumb = person.locator('li.offer', { hasText: 'Tartes aux pommes du jour' }).locator('img.thumb');
    expect(await thumb.getAttribute('alt')).toBe(alt);
    expect(await thumb.getAttribute('loading')).toBe('lazy');
    expect(Number(await thumb.getAttribute('width'))).toBeGreaterThan(0);
    expect(Number(await thumb.getAttribute('height'))).toBeGreaterThan(0);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await overflowsHorizontally(person)).toBe(false);
    await expectAccessible(person, 'feed with a photo');
    await person.goto(`${suite.glane.url}/dons/${offerId}`);
    expect(await person.locator('.offer-photos img').getAttribute('alt')).toBe(alt);
    await expectAccessible(person, 'offer page with a photo');

    // Once the offer is cancelled, its photo is the donor's only: gone from the page, 404 by its URL.
    const src = (await person.locator('.offer-photos img').getAttribute('src'))!;
    const at = new Date().toISOString();
    await suite.db.updateTable('offer').set({ status: 'cancelled', cancel_reason: 'Plus de tartes', cancelled_at: at, updated_at: at }).where('id', '=', offerId).execute();
    await person.goto(`${suite.glane.url}/dons/${offerId}`);
    expect(await person.locator('.offer-photos img').count()).toBe(0);
    expect((await person.request.get(`${suite.glane.url}${src}`)).status()).toBe(404);
    expect((await baker.request.get(`${suite.glane.url}${src}`)).status()).toBe(200);
  });

  it('a donor creates a recurring offer without JavaScript, skips one day and stops it', async () => {
    const orgId = await organisationOfMember(suite.db, BAKER);
    const page = await suite.signedIn(BAKER, { javaScriptEnabled: false });
    await page.goto(`${suite.glane.url}/organisations/${orgId}/dons`);
    await page.getByRole('link', { name: 'Dons récurrents' }).click();
    await page.waitForURL(`${suite.glane.url}/organisations/${orgId}/dons/recurrents`);
    await page.getByRole('link', { name: 'Nouveau don récurrent' }).click();
    expect(await overflowsHorizontally(page), 'recurring offer form at 360 px').toBe(false);
    await expectAccessibleWithoutScripts(suite.browser, page, 'new recurring offer form');

    await page.getByLabel('Intitulé', { exact: true }).fill('Pain du soir');
    await page.getByRole('button', { name: 'Créer le don récurrent' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain('Quantité');

    await page.getByLabel('Quantité', { exact: true }).fill('6');
    for (const day of ['samedi', 'dimanche']) await page.getByLabel(day, { exact: true }).check();
    await page.getByLabel('De', { exact: true }).fill('21:00');
    await page.getByLabel('À', { exact: true }).fill('22:00');
    await page.getByRole('button', { name: 'Créer le don récurrent' }).click();
    await page.waitForURL(/\/dons\/recurrents\/[^/?]+\?creee$/);
    expect(await page.getByRole('status').filter({ hasText: 'Don récurrent créé' }).count()).toBe(1);
    const skips = page.getByRole('button', { name: /^Sauter ce jour/ });
    const before = await skips.count();
    expect(before).toBeGreaterThanOrEqual(6);
    expect(await overflowsHorizontally(page), 'recurring offer page at 360 px').toBe(false);
    await expectAccessibleWithoutScripts(suite.browser, page, 'recurring offer page');

    await skips.first().click();
    expect(await page.getByRole('status').filter({ hasText: 'Ce jour est sauté' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Sauter ce jour/ }).count()).toBe(before - 1);
    expect(await page.locator('.occurrences').textContent()).toContain('Annulé');

    await page.getByRole('button', { name: 'Arrêter', exact: true }).click();
    await page.waitForURL(`${suite.glane.url}/organisations/${orgId}/dons/recurrents?arretee`);
    const card = page.locator('.series li', { hasText: 'Pain du soir' });
    expect(await card.textContent()).toContain('Arrêté');
    await expectAccessibleWithoutScripts(suite.browser, page, 'recurring offers list');
  });

  it('a CCAS agent reserves a donation for Josiane (accompanied, no phone) and gets her code to print; the act is audited', async () => {
    await offerNearTown(suite.db, 'Soupe de légumes');
    const page = await suite.signedIn('ccas@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/organisations/${CCAS_ID}/personnes`);
    await page.getByRole('link', { name: /Josiane/ }).first().click();
    await page.getByRole('link', { name: 'Réserver un don pour cette personne' }).click();
    await page.waitForURL(/\/personnes\/[^/]+\/dons$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Réserver un don pour Josiane');
    expect(await overflowsHorizontally(page), 'agent reserving page at 360 px').toBe(false);
    await expectAccessible(page, 'agent reserving page');

    // About 13 km north: beyond the page's default 10 km, found once the agent widens to 20 km (kept in the URL).
    await offerNearTown(suite.db, 'Compote du verger', { lat: DEMO_TOWN.lat + 0.12 });
    expect(await page.locator('li.card', { hasText: 'Compote du verger' }).count()).toBe(0);
    await page.getByLabel('Distance autour de la structure', { exact: true }).selectOption('20');
    await page.getByRole('button', { name: 'Afficher les dons' }).click();
    await page.waitForURL(/\/dons\?rayon=20$/);
    expect(await page.locator('li.card', { hasText: 'Compote du verger' }).count()).toBe(1);
    await expectAccessible(page, 'agent reserving page, widened');

    await page.getByRole('button', { name: 'Réserver pour Josiane (Soupe de légumes)' }).click();
    await page.getByRole('heading', { name: 'Code de retrait de Josiane' }).waitFor();
    const code = (await page.locator('.ticket .code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/);
    // The print button is added once the page has hydrated (it needs JavaScript): wait for it.
    await page.getByRole('button', { name: 'Imprimer le code' }).waitFor();
    expect(await page.getByRole('button', { name: 'Imprimer le code' }).count()).toBe(1);
    expect(await page.locator('#current-title + ul').textContent()).toContain(code);
    // The reserve form kept the distance: the far offer is still listed.
    expect(new URL(page.url()).searchParams.get('rayon')).toBe('20');
    expect(await page.locator('li.card', { hasText: 'Compote du verger' }).count()).toBe(1);
    await expectAccessible(page, 'agent reserving page with a code');

    const userId = new URL(page.url()).pathname.split('/')[4]!;
    const acts = await suite.db
      .selectFrom('audit_log')
      .select('details')
      .where('subject_id', '=', userId)
      .where('action', '=', 'person.act_for')
      .execute();
    const names = acts.map((a) => JSON.parse(a.details ?? '{}').action);
    expect(names).toContain('marketplace.reserve');
    expect(names).toContain('marketplace.reservations.read');
  });

  it("a member of a partner association sees the offers addressed to partners, reserves one for the association, and sees the other members' reservations", async () => {
    await offerNearTown(suite.db, 'Petits pots pour bébés', { audience: 'partners' });
    const restosId = await organisationOfMember(suite.db, 'restos@demo.glane.localhost');
    // Another member's reservation for the association (no code: still in the lottery).
    const colleague = await insertTestPerson(suite.db, 'Mireille Dupont');
    await insertTestMembership(suite.db, restosId, colleague);
    const yoghurts = await offerNearTown(suite.db, 'Yaourts nature', { audience: 'partners' });
    const at = new Date().toISOString();
    await suite.db
      .insertInto('reservation')
      .values(testReservationRow({ offer_id: yoghurts, user_id: colleague, partner_organisation_id: restosId, quantity: 2, status: 'pooled', created_at: at }))
      .execute();
    const page = await suite.signedIn('restos@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/organisations/${restosId}`);
    await page.getByRole('link', { name: 'Dons pour les associations' }).click();
    await page.waitForURL(`${suite.glane.url}/organisations/${restosId}/dons-partenaires`);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'partner offers page');
    await page.getByRole('button', { name: 'Réserver pour la structure (Petits pots pour bébés)' }).click();
    await page.getByRole('heading', { name: 'Réservé : Petits pots pour bébés' }).waitFor();
    const current = page.locator('#current-title + ul');
    expect(await current.locator('li', { hasText: 'Petits pots pour bébés' }).textContent()).toContain('Réservé par vous');
    const theirs = (await current.locator('li', { hasText: 'Yaourts nature' }).textContent()) ?? '';
    expect(theirs).toContain('Réservé par Mireille');
    expect(theirs).not.toContain('Dupont');
    await expectAccessible(page, 'partner offers page with the association reservations');
    // The people's feed never shows it.
    const person = await suite.signedIn(YOUSSEF);
    await person.goto(`${suite.glane.url}/dons?lat=${DEMO_TOWN.lat}&lng=${DEMO_TOWN.lng}&radiusKm=5`);
    expect(await person.locator('li.offer', { hasText: 'Petits pots pour bébés' }).count()).toBe(0);
  });

  it('a private person may post only once the territory allows it; raw animal products are refused', async () => {
    const page = await suite.signedIn('beneficiaire1@demo.glane.localhost');
    expect((await page.goto(`${suite.glane.url}/mes-dons`))?.status()).toBe(403);
    await page.goto(`${suite.glane.url}/compte`);
    expect(await page.getByRole('link', { name: 'Mes dons entre particuliers' }).count()).toBe(0);

    await putSetting(suite.db, {
      key: 'marketplace.settings',
      value: JSON.stringify({ individualsMayPost: true }),
      updatedByUserId: null,
      updatedAt: new Date().toISOString()
    });
    await page.goto(`${suite.glane.url}/compte`);
    await page.getByRole('link', { name: 'Mes dons entre particuliers' }).click();
    await page.waitForURL(`${suite.glane.url}/mes-dons`);
    await page.getByRole('link', { name: 'Donner', exact: true }).click();
    await page.waitForURL(`${suite.glane.url}/mes-dons/nouveau`);
    expect(await overflowsHorizontally(page), 'private offer form at 360 px').toBe(false);
    await expectAccessible(page, 'private offer form');

    await page.getByLabel('Intitulé', { exact: true }).fill('Confitures maison');
    await page.getByLabel('Catégorie', { exact: true }).selectOption('epicerie-seche');
    await page.getByLabel('Quantité', { exact: true }).fill('3');
    await page.getByLabel('Adresse de retrait', { exact: true }).fill('2 rue du Moulin, Glaneville');
    await page.getByText('Plus d’options').click();
    await page.getByLabel('Contient de la viande, du poisson ou des fruits de mer crus').check();
    await page.getByRole('button', { name: 'Publier le don' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain('Les produits animaux crus ne peuvent pas être donnés par un particulier.');
    await expectAccessible(page, 'private offer form with a refusal');

    await page.getByLabel('Contient de la viande, du poisson ou des fruits de mer crus').uncheck();
    await page.getByRole('button', { name: 'Publier le don' }).click();
    await page.waitForURL(`${suite.glane.url}/mes-dons?publie`);
    const card = page.locator('.offers li', { hasText: 'Confitures maison' });
    expect(await card.textContent()).toContain('2 Rue du Moulin 59999 Glaneville-en-Barœul');
    await expectAccessible(page, 'my offers');

    await card.getByLabel(/^Motif/).fill('Déjà donnés à une voisine');
    await card.getByRole('button', { name: /^Annuler le don/ }).click();
    expect(await page.getByRole('status').filter({ hasText: 'Don annulé' }).count()).toBe(1);
    expect(await page.locator('.offers li', { hasText: 'Confitures maison' }).textContent()).toContain('Annulé');

    // The national address API is down: a new address cannot be located, the page says so, keeps
    // what was typed and offers the address of the earlier offer, which is taken without a look-up.
    stub.unavailable = true;
    try {
      await page.goto(`${suite.glane.url}/mes-dons/nouveau`);
      await page.getByLabel('Intitulé', { exact: true }).fill('Pommes du jardin');
      await page.getByLabel('Quantité', { exact: true }).fill('2');
      await page.getByLabel('Adresse de retrait', { exact: true }).fill('5 place de la Gare, Glaneville');
      await page.getByRole('button', { name: 'Publier le don' }).click();
      const alert = page.getByRole('alert').first();
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Le service national des adresses ne répond pas');
      expect(await page.getByText('choisissez une adresse de vos dons précédents').count()).toBeGreaterThan(0);
      expect(await page.getByLabel('Intitulé', { exact: true }).inputValue()).toBe('Pommes du jardin');
      expect(await page.locator('#known-addresses option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
        '2 Rue du Moulin 59999 Glaneville-en-Barœul'
      ]);
      await expectAccessible(page, 'private offer form, address API down');
      const asked = stub.queries.length;
      await page.getByLabel('Adresse de retrait', { exact: true }).fill('2 Rue du Moulin 59999 Glaneville-en-Barœul');
      await page.getByRole('button', { name: 'Publier le don' }).click();
      await page.waitForURL(`${suite.glane.url}/mes-dons?publie`);
      expect(await page.locator('.offers li', { hasText: 'Pommes du jardin' }).textContent()).toContain('2 Rue du Moulin 59999 Glaneville-en-Barœul');
      expect(stub.queries.length, 'a known address is not looked up').toBe(asked);
    } finally {
      stub.unavailable = false;
    }
  });
});
