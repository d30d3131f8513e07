import { describe, expect, it } from 'vitest';
import { browserSuite, DESKTOP, expectAccessible, openPlaceEditing, openPlaces, overflowsHorizontally, PHONE } from './harness.js';

const PLACE_NAME = 'Restos du Cœur — centre de distribution';

/** Partners edit their places: hours with a sloppy value, history, permissions, new place with duplicate check. */
describe('directory editing by partners', () => {
  const suite = browserSuite({ viewport: DESKTOP });

  it('a partner types sloppy hours, sees the warning, the public page and the history change; others get 403', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost');
    const slug = await openPlaceEditing(page, suite.glane.url, /Restos du C/, PLACE_NAME);
    const editUrl = page.url();
    // Before: closed on Mondays.
    const before = await page.context().newPage();
    await before.goto(`${suite.glane.url}/lieux/${slug}`);
    expect(await before.locator('table').first().textContent()).toMatch(/Lundi\s*Fermé/);
    await before.close();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(PLACE_NAME);
    await expectAccessible(page, 'place editing page');

    // The hours builder starts as a week form (JS); the partner switches to the text and types a sloppy value.
    await page.getByRole('button', { name: 'Saisir le texte des horaires' }).click();
    const raw = page.getByLabel('Horaires (format OpenStreetMap opening_hours)');
    await raw.fill('Mo-Fr 9:00-12:00');
    await page.getByRole('button', { name: "Enregistrer : Horaires d'ouverture" }).click();
    const saved = page.getByRole('status').filter({ hasText: "Enregistré : Horaires d'ouverture" });
    await expect.poll(() => saved.count()).toBe(1);
    expect(await saved.textContent()).toContain('Les horaires seront enregistrés sous la forme : Mo-Fr 09:00-12:00');
    await expectAccessible(page, 'place editing page after saving with a warning');

    // The public page shows the new hours (Monday is now open until noon) and an edit link for the partner.
    await page.goto(`${suite.glane.url}/lieux/${slug}`);
    // (This week's table also applies the demo's temporary winter hours to the other days.)
    const week = await page.locator('table').first().textContent();
    expect(week).toMatch(/Lundi\s*09:00–12:00/);
    expect(await page.getByRole('link', { name: 'Modifier ce lieu' }).count()).toBe(1);

    // The history lists the change, before → after.
    await page.goto(`${suite.glane.url}/lieux/${slug}/historique`);
    const latest = page.locator('ol.revisions > li').first();
    expect(await latest.locator('h2').textContent()).toContain("Horaires d'ouverture");
    expect(await latest.textContent()).toMatch(/Par .+, le /);
    expect(await latest.locator('del').first().textContent()).toBe('Tu,Fr 09:00-11:30; PH off');
    expect(await latest.locator('ins').first().textContent()).toBe('Mo-Fr 09:00-12:00');
    await expectAccessible(page, 'place history page');

    // Signed out: no edit link on the public page.
    const visitor = await suite.newPage();
    await visitor.goto(`${suite.glane.url}/lieux/${slug}`);
    expect(await visitor.getByRole('link', { name: 'Modifier ce lieu' }).count()).toBe(0);

    // A member of another organisation may not edit nor read the history.
    const other = await suite.signedIn('secours-populaire@demo.glane.localhost');
    expect((await other.goto(editUrl))?.status()).toBe(403);
    expect((await other.goto(`${suite.glane.url}/lieux/${slug}/historique`))?.status()).toBe(403);
  });

  it('the editing and history pages fit a 360 px screen', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost', { viewport: PHONE });
    await openPlaceEditing(page, suite.glane.url, /Restos du C/, PLACE_NAME);
    expect(await overflowsHorizontally(page), 'edit page at 360 px').toBe(false);
    await page.getByRole('link', { name: 'Historique des modifications' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/historique'));
    expect(await overflowsHorizontally(page), 'history page at 360 px').toBe(false);
  });

  it('a manager adds, edits and deletes a service and posts a temporary closure; a volunteer edits hours only', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost');
    const slug = await openPlaceEditing(page, suite.glane.url, /Restos du C/, PLACE_NAME);
    const editUrl = page.url();

    // A temporary closure shows on the public page.
    await page.getByLabel("Type d'avis").selectOption('closure');
    await page.getByLabel('Message aux personnes').fill('Inventaire annuel');
    await page.getByRole('button', { name: "Ajouter l'avis" }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: "L'avis est ajouté" }).count()).toBe(1);
    await page.goto(`${suite.glane.url}/lieux/${slug}`);
    expect(await page.locator('main').textContent()).toContain('Inventaire annuel');

    // A paying service without the "financial contribution" modality is saved with a warning.
    await page.goto(editUrl);
    await page.getByRole('link', { name: 'Ajouter un service' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/services/nouveau'));
    await expectAccessible(page, 'new service form');
    await page.getByLabel('Nom du service').fill('Épicerie du mardi');
    await page.getByLabel('Description').fill('Produits secs à petit prix, le mardi après-midi.');
    await page.getByRole('checkbox', { name: 'Épicerie sociale' }).check();
    await page.getByRole('combobox', { name: /^Frais/ }).selectOption('payant');
    await page.getByRole('button', { name: 'Ajouter le service' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Le service Épicerie du mardi est ajouté' });
    await expect.poll(() => created.count()).toBe(1);
    expect(await created.textContent()).toContain('Participation financière');

    await page.getByRole('link', { name: 'Modifier le service Épicerie du mardi' }).click();
    await page.getByLabel('Nom du service').fill('Épicerie solidaire du mardi');
    await page.getByRole('button', { name: 'Enregistrer le service' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Service enregistré' }).count()).toBe(1);
    await page.goto(`${suite.glane.url}/lieux/${slug}`);
    expect(await page.locator('main').textContent()).toContain('Épicerie solidaire du mardi');

    await page.goto(`${suite.glane.url}/lieux/${slug}/historique`);
    const latest = page.locator('ol.revisions > li').first();
    expect(await latest.locator('del').first().textContent()).toBe('Épicerie du mardi');
    expect(await latest.locator('ins').first().textContent()).toBe('Épicerie solidaire du mardi');

    await page.goto(editUrl);
    await page.getByRole('link', { name: 'Modifier ce service (Épicerie solidaire du mardi)' }).click();
    await page.getByRole('button', { name: 'Supprimer le service Épicerie solidaire du mardi' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
    expect(await page.locator('main').textContent()).not.toContain('Épicerie solidaire du mardi');

    // A volunteer (plain member) keeps hours, crowding and notices fresh, but not the identity or services.
    const volunteer = await suite.signedIn('restos.benevole@demo.glane.localhost');
    await volunteer.goto(editUrl);
    expect(await volunteer.getByRole('heading', { name: "Horaires d'ouverture" }).count()).toBe(1);
    expect(await volunteer.getByRole('heading', { name: 'Identité' }).count()).toBe(0);
    expect(await volunteer.getByRole('link', { name: 'Ajouter un service' }).count()).toBe(0);
  });

  // Last: it adds a second place with the demo place's name.
  it('adding a place with the name of a nearby one asks to confirm, then opens its editing page', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost');
    await openPlaces(page, suite.glane.url, /Restos du C/);
    await page.getByLabel('Nom du lieu').fill(PLACE_NAME);
    await page.getByLabel('Code postal').fill('59999');
    await page.getByLabel('Commune').fill('Glaneville-en-Barœul');
    await page.getByRole('button', { name: 'Ajouter le lieu' }).click();
    const warning = page.getByRole('alert').filter({ hasText: 'Un lieu au nom proche existe déjà' });
    await expect.poll(() => warning.count()).toBe(1);
    expect(await warning.getByRole('link', { name: PLACE_NAME }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'duplicate warning');
    await page.getByRole('button', { name: "Ce n'est pas le même : créer quand même" }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
    expect(await page.getByRole('status').filter({ hasText: 'Le lieu est créé' }).count()).toBe(1);
  });
});
