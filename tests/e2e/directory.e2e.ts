import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addressStub,
  browserSuite,
  DESKTOP,
  expectAccessible,
  expectAccessibleWithoutScripts,
  NO_TILES,
  overflowsHorizontally,
  PHONE
} from './harness.js';

const DEMO_TOWN = { latitude: 50.6405, longitude: 3.0752 };

/** The result cards of the list, in order. */
const cards = (page: Page) => page.locator('ol.result-list > li');

describe('public directory: search, map, place pages', () => {
  const stub = addressStub();
  const suite = browserSuite({ env: () => ({ ADDRESS_API_URL: stub.url, TILE_URL: NO_TILES }) });

  it('a visitor searches near the demo town, filters "open now" and a category, sees the map and the list, and opens a place page', async () => {
    const page = await suite.newPage({ viewport: DESKTOP, geolocation: DEMO_TOWN, permissions: ['geolocation'] });
    await page.goto(`${suite.glane.url}/annuaire`);
    await expectAccessible(page, 'directory, first visit');

    // "Near me": the browser's position fills the form and searches.
    await page.getByRole('button', { name: 'Près de moi' }).click();
    await page.waitForURL((u) => u.searchParams.get('lat') === '50.6405' && u.searchParams.get('lng') === '3.0752');
    await expect.poll(() => cards(page).count()).toBeGreaterThan(3);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Autour de votre position' }).count()).toBe(1);
    // Nearest first: the distances shown never decrease.
    const distances = await page.locator('.place-card .distance').allTextContents();
    const metres = distances.map((d) => {
      const [, value = '0', unit] = /à ([\d,\s ]+)\s?(k?m)/.exec(d.replace(/\u202f|\u00a0/g, ' ')) ?? [];
      return Number(value.replace(/\s/g, '').replace(',', '.')) * (unit === 'km' ? 1000 : 1);
    });
    expect(metres.length).toBeGreaterThan(3);
    expect([...metres].sort((a, b) => a - b)).toEqual(metres);

    // Filters: a category (in the folded filters) and "open now". The demo's market-hall fridge is open 24/7.
    await page.getByText('Type d’aide, public, conditions, langue').click();
    await page.getByRole('checkbox', { name: 'Frigo solidaire' }).check();
    await page.getByRole('checkbox', { name: 'Ouvert maintenant' }).check();
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((u) => u.searchParams.get('ouvert') === '1' && u.searchParams.getAll('categories').includes('frigo-solidaire'));
    expect(new URL(page.url()).searchParams.get('lat')).toBe('50.6405');
    await expect.poll(() => page.getByRole('link', { name: 'Frigo solidaire de la halle' }).count()).toBe(1);
    const shown = await cards(page).count();
    expect(shown).toBeGreaterThanOrEqual(1);
    for (const badge of await page.locator('.place-card .badge').allTextContents()) expect(badge).toMatch(/^Ouvert/);
    for (const chips of await page.locator('.place-card .chips').allTextContents()) expect(chips).toContain('Frigo solidaire');

    // The map beside the list, with one keyboard-reachable pin per result, even without tiles.
    const map = page.getByRole('region', { name: /Carte des lieux/ });
    await map.waitFor();
    await expect.poll(() => page.locator('.leaflet-marker-icon').count()).toBe(shown);
    const mapBox = await map.boundingBox();
    const listBox = await page.locator('ol.result-list').boundingBox();
    expect(mapBox && listBox && mapBox.x > listBox.x + listBox.width - 1, 'map is beside the list on a wide screen').toBe(true);
    await expect.poll(() => page.getByText('Le fond de carte ne s’affiche pas').count()).toBe(1);
    // A pin's popup links to the place page.
    await page.locator('.leaflet-marker-icon[title="Frigo solidaire de la halle"]').click();
    await expect.poll(() => page.locator('.leaflet-popup a.popup-link').getAttribute('href')).toBe('/lieux/frigo-solidaire-de-la-halle');
    await expectAccessible(page, 'directory with filters and map');

    // The place page.
    await cards(page).getByRole('link', { name: 'Frigo solidaire de la halle' }).click();
    await page.waitForURL(`${suite.glane.url}/lieux/frigo-solidaire-de-la-halle`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Frigo solidaire de la halle');
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('Géré par');
    expect(await main.textContent()).toContain('place du Marché-aux-Grains');
    expect(await page.getByRole('table').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('table.week tbody tr').count()).toBe(7);
    expect(await page.locator('.opening .badge').first().textContent()).toMatch(/^Ouvert/);
    expect(await page.getByRole('link', { name: /Itinéraire vers Frigo solidaire de la halle/ }).getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/directions\?to=50\.6389%2C3\.0701$/
    );
    expect(await page.getByRole('heading', { name: 'Services' }).count()).toBe(1);
    expect(await main.textContent()).toContain('Accueil de tous les publics');
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${suite.glane.url}/lieux/frigo-solidaire-de-la-halle`);
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/^Frigo solidaire de la halle, /);
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe('Frigo solidaire de la halle');
    await expectAccessible(page, 'place page');

    // Printable: no navigation, no map, no share box.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.map-frame').first().isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Horaires' }).isVisible()).toBe(true);
  });

  it('works without JavaScript: the GET form searches, the server looks the address up, and no map is sent', async () => {
    const page = await suite.newPage({ viewport: PHONE, javaScriptEnabled: false });
    await page.goto(`${suite.glane.url}/annuaire`);
    expect(await page.getByRole('button', { name: 'Près de moi' }).count()).toBe(0);
    expect(await page.locator('.map-panel').count()).toBe(0);
    await page.getByLabel('Adresse ou ville').fill('rue du moulin');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((u) => u.searchParams.get('adresse') === 'rue du moulin');
    expect(stub.queries).toContain('rue du moulin');
    expect(await page.locator('main').textContent()).toContain('Autour de : 2 Rue du Moulin 59999 Glaneville-en-Barœul.');
    expect(await cards(page).count()).toBeGreaterThan(3);
    // The next search keeps the point found, without asking the address API again.
    const asked = stub.queries.length;
    await page.getByRole('checkbox', { name: 'Accessible en fauteuil roulant' }).check();
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL((u) => u.searchParams.get('accessible') === '1');
    expect(new URL(page.url()).searchParams.get('lat')).toBe('50.63990');
    expect(stub.queries.length).toBe(asked);
    expect(await page.locator('.place-card .tag.accessible').count()).toBe(await cards(page).count());
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessibleWithoutScripts(suite.browser, page, 'directory without JavaScript');

    // An address the API does not know: a message, and the search still answers.
    await page.goto(`${suite.glane.url}/annuaire?adresse=nulle+part+ailleurs`);
    expect(await page.locator('main').textContent()).toContain('Adresse introuvable');
    expect(await cards(page).count()).toBeGreaterThan(0);
  });

  it('suggests addresses through Glane’s own endpoint and searches around the one picked', async () => {
    const page = await suite.newPage({ viewport: DESKTOP });
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(suite.glane.url) && !r.url().startsWith('http://127.0.0.1:9/')) outside.push(r.url());
    });
    await page.goto(`${suite.glane.url}/annuaire`);
    await page.getByLabel('Adresse ou ville').pressSequentially('mairie de glaneville', { delay: 10 });
    const suggestion = page.getByRole('button', { name: '2 Rue du Moulin 59999 Glaneville-en-Barœul' });
    await suggestion.waitFor();
    await suggestion.click();
    await page.waitForURL((u) => u.searchParams.get('lieu') === '2 Rue du Moulin 59999 Glaneville-en-Barœul');
    const url = new URL(page.url());
    expect(url.searchParams.get('lat')).toBe('50.63990');
    expect(url.searchParams.get('lng')).toBe('3.07410');
    expect(url.searchParams.get('adresse') ?? '', 'the typed text is not sent once an address is picked').toBe('');
    expect(outside, 'the browser only talks to Glane').toEqual([]);
  });

  it('fits a 360 px phone: list first, map folded below, no sideways scrolling, in French and English', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    await page.goto(`${suite.glane.url}/annuaire?lat=50.6405&lng=3.0752&categories=epicerie-sociale`);
    await cards(page).first().waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    const map = page.locator('.map-panel details');
    await map.waitFor();
    expect(await map.getAttribute('open'), 'the map starts folded on a phone').toBeNull();
    expect(await page.locator('.leaflet-container').count(), 'Leaflet is not even loaded while folded').toBe(0);
    const listBottom = await page.locator('ol.result-list').boundingBox();
    const mapTop = await map.boundingBox();
    expect(listBottom && mapTop && mapTop.y >= listBottom.y + listBottom.height, 'the map comes after the list').toBe(true);
    await page.getByText('Carte', { exact: true }).click();
    await page.locator('.leaflet-container').waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'directory at 360 px with the map open');

    const place = await cards(page).first().getByRole('link').getAttribute('href');
    await page.goto(`${suite.glane.url}${place}`);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'place page at 360 px');

    // English.
    await page.context().addCookies([{ name: 'glane_locale', value: 'en', url: suite.glane.url }]);
    await page.goto(`${suite.glane.url}/annuaire?lat=50.6405&lng=3.0752&ouvert=1&categories=frigo-solidaire`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Solidarity directory');
    expect(await page.locator('main').textContent()).toContain('Around your position.');
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.goto(`${suite.glane.url}${place}`);
    expect(await page.locator('main').textContent()).toContain('Run by');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'place page in English at 360 px');
  });

  it('answers 404 for an unknown place, redirects an id to the slug URL, and ignores invalid criteria', async () => {
    const unknown = await fetch(`${suite.glane.url}/lieux/lieu-qui-n-existe-pas`);
    expect(unknown.status).toBe(404);
    const search = await fetch(`${suite.glane.url}/annuaire?lat=500&lng=3&categories=inconnue&page=-2`);
    expect(search.status).toBe(200);
    expect(await search.text()).toContain('Certains critères de recherche ne sont pas valides');
    const api = (await (await fetch(`${suite.glane.url}/api/v1/directory/search?q=frigo`)).json()) as { results: { place: { id: string; slug: string } }[] };
    const first = api.results[0]!;
    const byId = await fetch(`${suite.glane.url}/lieux/${first.place.id}`, { redirect: 'manual' });
    expect(byId.status).toBe(301);
    expect(byId.headers.get('location')).toBe(`/lieux/${first.place.slug}`);
  });
});
