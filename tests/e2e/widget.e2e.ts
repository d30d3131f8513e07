import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, DESKTOP, expectAccessible, NO_TILES, overflowsHorizontally } from './harness.js';

const DEMO_COMMUNE = '59999';

/** A city website on another origin: `/` embeds the widget, `/annuaire` tries to embed a normal page. */
function startCitySite(glane: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const target = req.url === '/annuaire' ? `${glane()}/annuaire` : `${glane()}/widget?commune=${DEMO_COMMUNE}&couleur=0b57d0`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="fr"><head><title>Ville</title></head><body><h1>Mairie</h1>` +
        `<iframe src="${target}" title="Annuaire" width="100%" height="600"></iframe></body></html>`
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
  );
}

/** The frame of the page's iframe, once it has loaded. */
async function embedded(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForLoadState('load');
  return frame;
}

describe('embeddable widget', () => {
  let city: Awaited<ReturnType<typeof startCitySite>>;
  // The city's site starts before Glane (which allows its origin) and stops after it.
  beforeAll(async () => {
    city = await startCitySite(() => suite.glane.url);
  });
  afterAll(async () => {
    await new Promise((resolve) => city?.server.close(resolve));
  });
  const suite = browserSuite({ env: () => ({ WIDGET_FRAME_ORIGINS: city.url, TILE_URL: NO_TILES }) });

  it('answers without cookies, without X-Frame-Options, with frame-ancestors for the configured origins', async () => {
    // A stale session cookie would normally be cleared (Set-Cookie): the widget never reads it.
    const headers = { cookie: 'glane_session=stale-token; glane_locale=en' };
    const widget = await fetch(`${suite.glane.url}/widget?commune=${DEMO_COMMUNE}`, { headers });
    expect(widget.status).toBe(200);
    expect(widget.headers.get('set-cookie')).toBeNull();
    expect(widget.headers.get('x-frame-options')).toBeNull();
    expect(widget.headers.get('content-security-policy')).toMatch(new RegExp(`frame-ancestors 'self' ${city.url}(;|$)`));
    const html = await widget.text();
    // The language cookie is ignored too: French by default.
    expect(html).toContain('Aide alimentaire près de chez vous');
    expect(html).not.toContain('Annuaire solidaire</a>'); // no site header

    const page = await fetch(`${suite.glane.url}/annuaire`, { headers });
    expect(page.headers.get('set-cookie')).toContain('glane_session=');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const english = await (await fetch(`${suite.glane.url}/widget?commune=${DEMO_COMMUNE}&langue=en`)).text();
    expect(english).toContain('Food aid near you');
  });

  it('is shown by a website of an allowed origin, with results and links opening the full site in a new tab', async () => {
    const context = await suite.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await page.goto(city.url);
    const frame = await embedded(page);
    await expect.poll(() => frame.locator('ol.result-list > li').count()).toBeGreaterThan(2);
    const link = frame.locator('ol.result-list > li').first().locator('h2 a');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');
    expect(await link.getAttribute('href')).toMatch(/^\/lieux\//);
    const powered = frame.getByRole('link', { name: /Propulsé par Glane/ });
    expect(await powered.getAttribute('target')).toBe('_blank');
    // The colour from the URL reaches CSS as a custom property.
    expect(await frame.locator('main.widget').evaluate((el) => getComputedStyle(el).getPropertyValue('--primary').trim())).toBe('#0b57d0');
    // Opening a place: a new tab on the full site.
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await tab.waitForLoadState('load');
    expect(tab.url()).toMatch(new RegExp(`^${suite.glane.url}/lieux/`));
  });

  it("the site's other pages refuse to be framed", async () => {
    const page = await suite.newPage();
    await page.goto(`${city.url}/annuaire`);
    const frame = await embedded(page);
    expect(await frame.locator('h1', { hasText: 'Annuaire solidaire' }).count()).toBe(0);
    expect(frame.url().startsWith(`${suite.glane.url}/annuaire`)).toBe(false);
  });

  it('is accessible and usable 320 px wide, with the map on demand', async () => {
    const page = await suite.newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(`${suite.glane.url}/widget?commune=${DEMO_COMMUNE}`);
    await expect.poll(() => page.locator('ol.result-list > li').count()).toBeGreaterThan(2);
    expect(await page.locator('.leaflet-container').count()).toBe(0);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'widget, 320 px');

    await page.goto(`${suite.glane.url}/widget?commune=${DEMO_COMMUNE}&carte=1&langue=en`);
    await expect.poll(() => page.locator('.leaflet-container').count()).toBe(1);
    expect(await page.locator('h1').textContent()).toBe('Food aid near you');
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessible(page, 'widget with map, 320 px, English');
  });

  it('the generator checks the colours, shows the preview and gives the iframe code', async () => {
    const page = await suite.newPage({ viewport: DESKTOP });
    await page.goto(`${suite.glane.url}/annuaire/integrer`);
    await expectAccessible(page, 'generator, first visit');

    await page.getByLabel('Code INSEE de la commune').fill(DEMO_COMMUNE);
    await page.getByRole('checkbox', { name: 'Colis alimentaire' }).check();
    await page.getByLabel('Couleur principale (liens, numéros)').fill('#ffcc00');
    await page.getByRole('button', { name: 'Mettre à jour l’aperçu et le code' }).click();
    await page.waitForURL((u) => u.searchParams.get('couleur') === '#ffcc00');
    // Yellow on white: refused, with the computed ratio.
    await expect.poll(() => page.getByText(/Contraste insuffisant entre la couleur principale et le fond blanc : 1,\d\d:1/).count()).toBe(1);
    expect(await page.locator('#embed-code').inputValue()).not.toContain('couleur=');
    await expectAccessible(page, 'generator, colour refused');

    await page.getByLabel('Couleur principale (liens, numéros)').fill('#0b57d0');
    await page.getByRole('button', { name: 'Mettre à jour l’aperçu et le code' }).click();
    await page.waitForURL((u) => u.searchParams.get('couleur') === '#0b57d0');
    await expect.poll(() => page.getByText(/Contrastes vérifiés/).count()).toBe(1);
    const code = await page.locator('#embed-code').inputValue();
    expect(code).toContain(`src="${suite.glane.url}/widget?commune=${DEMO_COMMUNE}&amp;categories=colis-alimentaire&amp;couleur=0b57d0"`);
    expect(code).toContain('title="Annuaire de l’aide alimentaire (Glane)"');
    expect(code).toContain('loading="lazy"');
    expect(code).toContain('width="100%"');

    const preview = await embedded(page);
    await expect.poll(() => preview.locator('ol.result-list > li').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'generator with preview');
  });
});
