import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  DESKTOP,
  expectAccessible,
  expectAccessibleWithoutScripts,
  openPlaceEditing,
  overflowsHorizontally,
  PHONE
} from './harness.js';

const MARAUDE = 'Croix-Rouge — maraude du soir';
const RESTOS_PLACE = 'Restos du Cœur — centre de distribution';

/**
 * The whole service form (data·inclusion fields, conditions, food details), the stops of a mobile
 * place (without JavaScript, on a phone) and the hours warnings kept across a place's creation.
 */
describe('directory editing: service fields, stops, creation warnings', () => {
  const suite = browserSuite({ viewport: DESKTOP });

  it('a manager fills the data·inclusion fields of a service; a bad value is named beside its field and the ticks come back', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost');
    const slug = await openPlaceEditing(page, suite.glane.url, /Restos du C/, RESTOS_PLACE);
    await page.getByRole('link', { name: 'Ajouter un service' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/services/nouveau'));

    await page.getByLabel('Nom du service').fill('Petits déjeuners solidaires');
    await page.getByLabel('Description').fill('Petit-déjeuner chaud offert, sur place, pour les personnes à la rue.');
    await page.getByRole('combobox', { name: /^Type de service/ }).selectOption('aide-materielle');
    await page.getByRole('checkbox', { name: 'Repas solidaire' }).check();
    // Thematiques sit in closed fields: open "Équipement et alimentation" and tick "Alimentation".
    await page.locator('summary', { hasText: 'Équipement et alimentation' }).click();
    await page.getByRole('checkbox', { name: 'Alimentation', exact: true }).check();
    expect(await page.locator('summary', { hasText: 'Équipement et alimentation' }).textContent()).toContain('1 cochée');
    await page.getByRole('combobox', { name: "Conditions d'accès" }).selectOption('preferential');
    await page.getByRole('checkbox', { name: 'Personnes en situation d’urgence' }).check();
    await page.getByLabel('Âge minimum').fill('18');
    await page.getByRole('checkbox', { name: 'Familles monoparentales' }).check();
    await page.getByRole('checkbox', { name: 'Sans condition' }).check();
    await page.getByRole('checkbox', { name: 'Se présenter sur place' }).check();
    await page.getByRole('checkbox', { name: 'Les personnes elles-mêmes' }).check();
    await page.getByLabel(/^Zone d’éligibilité/).fill('59999, Lille');
    await page.getByRole('combobox', { name: /^Choix des produits/ }).selectOption('aucun');
    await page.getByLabel(/^Types de repas/).fill('petit-déjeuner');
    await page.getByRole('checkbox', { name: 'Sur place', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Ukrainien' }).check();
    await page.getByRole('button', { name: 'Ajouter le service' }).click();

    // "Lille" is no INSEE code: the summary links to the field, which says so; the ticks are kept.
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.count()).toBe(1);
    expect(await summary.getByRole('link').first().textContent()).toContain('Zone d’éligibilité');
    expect(await page.locator('#field-zoneEligibilite-error').count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Alimentation', exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Se présenter sur place' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Âge minimum').inputValue()).toBe('18');
    await expectAccessible(page, 'service form with an error');

    await page.getByLabel(/^Zone d’éligibilité/).fill('59999');
    await page.getByRole('button', { name: 'Ajouter le service' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Le service Petits déjeuners solidaires est ajouté' });
    await expect.poll(() => created.count()).toBe(1);

    // The editing form shows every saved value.
    await page.getByRole('link', { name: 'Modifier le service Petits déjeuners solidaires' }).click();
    await page.waitForURL((u) => /\/services\/[^/]+$/.test(u.pathname));
    expect(await page.getByRole('checkbox', { name: 'Alimentation', exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Les personnes elles-mêmes' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Familles monoparentales' }).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Zone d’éligibilité/).inputValue()).toBe('59999');
    expect(await page.getByLabel(/^Types de repas/).inputValue()).toBe('petit-déjeuner');
    expect(await page.getByRole('combobox', { name: /^Choix des produits/ }).inputValue()).toBe('aucun');
    expect(await page.getByRole('checkbox', { name: 'Ukrainien' }).isChecked()).toBe(true);
    await expectAccessible(page, 'service editing form');

    // The public page tells people how to get it and the conditions.
    await page.goto(`${suite.glane.url}/lieux/${slug}`);
    const service = page.locator('article', { hasText: 'Petits déjeuners solidaires' });
    const text = await service.textContent();
    expect(text).toContain('Se présenter sur place');
    expect(text).toContain('Familles monoparentales');
    expect(text).toContain('18');
    // Its own languages, beside the place's.
    expect(await service.locator('dt', { hasText: 'Langues parlées' }).count()).toBe(1);
    expect(text).toContain('Ukrainien');
  });

  it('the service form fits a 360 px screen', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost', { viewport: PHONE });
    await openPlaceEditing(page, suite.glane.url, /Restos du C/, RESTOS_PLACE);
    await page.getByRole('link', { name: 'Ajouter un service' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/services/nouveau'));
    expect(await overflowsHorizontally(page), 'service form at 360 px').toBe(false);
    await page.locator('summary', { hasText: 'Difficultés administratives ou juridiques' }).click();
    expect(await overflowsHorizontally(page), 'service form with a field open at 360 px').toBe(false);
  });

  it('without JavaScript, on a phone, a partner adds a stop with sloppy hours, sees the correction, and the public page lists it', async () => {
    const page = await suite.signedIn('croix-rouge@demo.glane.localhost', { viewport: PHONE, javaScriptEnabled: false });
    const slug = await openPlaceEditing(page, suite.glane.url, /Croix-Rouge/, MARAUDE);
    const editUrl = page.url();
    const stops = page.locator('ol.stops > li');
    expect(await stops.count()).toBe(3);
    expect(await overflowsHorizontally(page), 'stops section at 360 px').toBe(false);

    await page.getByRole('link', { name: 'Ajouter un arrêt' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/arrets/nouveau'));
    await expectAccessibleWithoutScripts(suite.browser, page, 'new stop form');
    // No name, then unreadable hours: each named beside its field, what was typed kept.
    await page.getByLabel('Horaires (format OpenStreetMap opening_hours)').fill('le mardi soir');
    await page.getByRole('button', { name: 'Ajouter l’arrêt' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/arrets/nouveau'));
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.locator('#field-name-error').count()).toBe(1);
    expect(await page.getByLabel('Horaires (format OpenStreetMap opening_hours)').inputValue()).toBe('le mardi soir');
    await page.getByLabel('Nom de l’arrêt').fill('Place de la mairie');
    await page.getByRole('button', { name: 'Ajouter l’arrêt' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/arrets/nouveau'));
    expect(await page.locator('#field-openingHours-error').count()).toBe(1);
    expect(await page.getByLabel('Nom de l’arrêt').inputValue()).toBe('Place de la mairie');
    await expectAccessibleWithoutScripts(suite.browser, page, 'new stop form with an error');

    await page.getByLabel(/^Adresse/).fill('1 place de la mairie');
    await page.getByLabel('Horaires (format OpenStreetMap opening_hours)').fill('tu 18:00-19:00');
    await page.getByRole('button', { name: 'Ajouter l’arrêt' }).click();
    const created = page.getByRole('status').filter({ hasText: 'L’arrêt Place de la mairie est ajouté' });
    await expect.poll(() => created.count()).toBe(1);
    expect(await created.textContent()).toContain('Les horaires seront enregistrés sous la forme : Tu 18:00-19:00');
    expect(await overflowsHorizontally(page), 'stop added at 360 px').toBe(false);

    // Last of the round; moved up one step.
    await page.goto(editUrl);
    expect(await stops.last().locator('h3').textContent()).toBe('Place de la mairie');
    await stops.last().getByRole('button', { name: 'Monter (Place de la mairie)' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
    expect(await stops.nth(2).locator('h3').textContent()).toBe('Place de la mairie');
    expect(await page.getByRole('status').filter({ hasText: 'L’ordre des arrêts est enregistré.' }).count()).toBe(1);
    await expectAccessibleWithoutScripts(suite.browser, page, 'place editing page with stops');

    // The public page lists it, in order, with its hours.
    const publicPage = await suite.newPage({ viewport: PHONE });
    await publicPage.goto(`${suite.glane.url}/lieux/${slug}`);
    const publicStops = publicPage.locator('ol.stops > li');
    expect(await publicStops.count()).toBe(4);
    expect(await publicStops.nth(2).textContent()).toContain('Place de la mairie');
    expect(await publicStops.nth(2).textContent()).toContain('Tu 18:00-19:00');

    // Renamed, then deleted.
    await stops.nth(2).getByRole('link', { name: 'Modifier l’arrêt (Place de la mairie)' }).click();
    await page.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    await page.getByLabel('Nom de l’arrêt').fill('Parvis de la mairie');
    await page.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await page.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    expect(await page.getByRole('status').filter({ hasText: 'Arrêt enregistré' }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Arrêt : Parvis de la mairie');
    await page.getByRole('button', { name: 'Supprimer l’arrêt Parvis de la mairie' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
    expect(await page.getByRole('status').filter({ hasText: 'L’arrêt est supprimé.' }).count()).toBe(1);
    expect(await stops.count()).toBe(3);
    await publicPage.reload();
    expect(await publicPage.locator('main').textContent()).not.toContain('mairie');

    // The unit's manager edits stops too; another organisation's owner may not open a stop form.
    const manager = await suite.signedIn('croix-rouge.responsable@demo.glane.localhost');
    await manager.goto(editUrl);
    expect(await manager.getByRole('heading', { name: 'Arrêts du service itinérant' }).count()).toBe(1);
    const other = await suite.signedIn('restos@demo.glane.localhost');
    expect((await other.goto(`${editUrl}/arrets/nouveau`))?.status()).toBe(403);
    // A volunteer (plain member) keeps hours fresh but does not manage stops.
    const volunteer = await suite.signedIn('restos.benevole@demo.glane.localhost');
    await openPlaceEditing(volunteer, suite.glane.url, /Restos du C/, RESTOS_PLACE);
    expect(await volunteer.getByRole('heading', { name: 'Arrêts du service itinérant' }).count()).toBe(0);
  });

  it('two editors change the same stop: the second sees the stop as it now is, keeps what was typed, saves again; dates of a stop on a phone', async () => {
    // The owner opens the first stop on a phone without JavaScript and starts typing…
    const owner = await suite.signedIn('croix-rouge@demo.glane.localhost', { viewport: PHONE, javaScriptEnabled: false });
    const slug = await openPlaceEditing(owner, suite.glane.url, /Croix-Rouge/, MARAUDE);
    const editUrl = owner.url();
    const firstName = (await owner.locator('ol.stops > li').first().locator('h3').textContent())!.trim();
    await owner.locator('ol.stops > li').first().getByRole('link', { name: `Modifier l’arrêt (${firstName})` }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    await owner.getByLabel('Nom de l’arrêt').fill(`${firstName} (côté gare)`);

    // …while the manager gives the same stop the dates of a summer tour and saves first.
    const manager = await suite.signedIn('croix-rouge.responsable@demo.glane.localhost');
    await manager.goto(owner.url());
    await manager.getByLabel('Premier jour de passage').fill('2027-07-01');
    await manager.getByLabel('Dernier jour de passage').fill('2027-08-31');
    await manager.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await expect.poll(() => manager.getByRole('status').filter({ hasText: 'Arrêt enregistré' }).count()).toBe(1);

    // The owner saves: refused, told why, shown the stop as it now is; the name typed is kept.
    await owner.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    const alert = owner.getByRole('alert');
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toContain('Quelqu’un a modifié les arrêts avant vous');
    const current = owner.locator('section', { has: owner.getByRole('heading', { name: 'L’arrêt tel qu’il est maintenant' }) });
    expect(await current.textContent()).toContain('Du 1 juillet 2027 au 31 août 2027');
    expect(await owner.getByLabel('Nom de l’arrêt').inputValue()).toBe(`${firstName} (côté gare)`);
    // The form holds what the owner typed (no dates), not the manager's values: the owner decides.
    expect(await owner.getByLabel('Premier jour de passage').inputValue()).toBe('');
    expect(await overflowsHorizontally(owner), 'stop conflict at 360 px').toBe(false);
    await expectAccessibleWithoutScripts(suite.browser, owner, 'stop form after a conflict, with its dates, at 360 px');

    // Keeping the manager's dates too, saving again now applies the owner's change over the current list.
    await owner.getByLabel('Premier jour de passage').fill('2027-07-01');
    await owner.getByLabel('Dernier jour de passage').fill('2027-08-31');
    await owner.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    expect(await owner.getByRole('status').filter({ hasText: 'Arrêt enregistré' }).count()).toBe(1);
    expect(await owner.getByRole('heading', { level: 1 }).textContent()).toBe(`Arrêt : ${firstName} (côté gare)`);

    // A day before the first: refused on the field.
    await owner.getByLabel('Dernier jour de passage').fill('2027-06-30');
    await owner.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    expect(await owner.locator('#field-validTo-error').count()).toBe(1);

    // The public page shows it as upcoming, with its dates.
    const publicPage = await suite.newPage({ viewport: PHONE });
    await publicPage.goto(`${suite.glane.url}/lieux/${slug}`);
    const summer = publicPage.locator('ol.stops > li', { hasText: `${firstName} (côté gare)` });
    expect(await summer.textContent()).toContain('Du 1 juillet 2027 au 31 août 2027');
    expect(await summer.textContent()).toContain('À venir');

    // Once over, it leaves the public page but stays on the editing page, marked as over.
    await owner.getByLabel('Premier jour de passage').fill('2020-07-01');
    await owner.getByLabel('Dernier jour de passage').fill('2020-08-31');
    await owner.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    expect(await owner.getByRole('status').filter({ hasText: 'Arrêt enregistré' }).count()).toBe(1);
    await publicPage.reload();
    expect(await publicPage.locator('main').textContent()).not.toContain('côté gare');
    await owner.goto(editUrl);
    const over = owner.locator('ol.stops > li', { hasText: 'côté gare' });
    expect(await over.textContent()).toContain('Terminé : n’est plus affiché au public');
    await expectAccessibleWithoutScripts(suite.browser, owner, 'place editing page with a past stop');

    // Removed by the manager while the owner edits it: the owner is told, and may add it again as typed.
    await over.getByRole('link', { name: /^Modifier l’arrêt/ }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    await owner.getByLabel('Nom de l’arrêt').fill('Parvis de la gare');
    await manager.goto(owner.url());
    await manager.getByRole('button', { name: /^Supprimer l’arrêt/ }).click();
    await manager.waitForURL((u) => u.pathname.endsWith('/modifier'));
    await owner.getByRole('button', { name: 'Enregistrer l’arrêt' }).click();
    await owner.waitForURL((u) => /\/arrets\/[^/]+$/.test(u.pathname));
    expect(await owner.getByRole('status').filter({ hasText: 'Cet arrêt a été supprimé entre-temps' }).count()).toBe(1);
    expect(await owner.getByLabel('Nom de l’arrêt').inputValue()).toBe('Parvis de la gare');
    await owner.getByRole('button', { name: 'Ajouter à nouveau cet arrêt' }).click();
    await owner.waitForURL((u) => u.pathname.endsWith('/arrets/nouveau'));
    expect(await owner.getByRole('status').filter({ hasText: 'L’arrêt Parvis de la gare est ajouté' }).count()).toBe(1);
  });

  it('a place created with sloppy hours shows their corrections on its editing page, once', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost');
    await page.goto(`${suite.glane.url}/organisations`);
    await page.getByRole('link', { name: /Restos du C/ }).first().click();
    await page.getByRole('link', { name: 'Lieux et services' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/lieux'));
    await page.getByLabel('Nom du lieu').fill('Point soupe du canal');
    await page.getByLabel('Code postal').fill('59999');
    await page.getByLabel('Commune').fill('Glaneville-en-Barœul');
    await page.getByRole('button', { name: 'Saisir le texte des horaires' }).click();
    await page.getByLabel('Horaires (format OpenStreetMap opening_hours)').fill('sa 9:00-11:00');
    await page.getByRole('button', { name: 'Ajouter le lieu' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
    const warning = page.getByRole('status').filter({ hasText: 'À vérifier' });
    expect(await warning.count()).toBe(1);
    expect(await warning.textContent()).toContain('Les horaires seront enregistrés sous la forme : Sa 09:00-11:00');
    await expectAccessible(page, 'place editing page after creation with warnings');
    await page.reload();
    expect(await page.getByRole('status').filter({ hasText: 'À vérifier' }).count()).toBe(0);
  });
});
