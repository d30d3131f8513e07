import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAMERA_MARKER, phoneJpeg } from '../../src/lib/server/photos/photos.testing.js';
import {
  DEMO_PASSWORD,
  expectAccessible,
  expectAccessibleWithoutScripts,
  launchBrowser,
  overflowsHorizontally,
  signInWithPassword,
  startGlane,
  type RunningGlane
} from './harness.js';

const PLACE_NAME = 'Restos du Cœur — centre de distribution';
const PHONE = { width: 360, height: 740 };
const ALT = 'Entrée du centre, porte bleue à côté de la boulangerie';

/** A partner adds a photo with its description; it shows on the public page, stripped of GPS data. */
describe('photos of places', () => {
  let glane: RunningGlane;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const signedIn = async (email: string, javaScriptEnabled = true): Promise<Page> => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: PHONE, javaScriptEnabled });
    contexts.push(context);
    const page = await context.newPage();
    await signInWithPassword(page, glane.url, email, DEMO_PASSWORD);
    return page;
  };
  /** From "Mes organisations" to the editing page of the Restos du Cœur's main place. */
  const openEditPage = async (page: Page) => {
    await page.goto(`${glane.url}/organisations`);
    await page.getByRole('link', { name: /Restos du C/ }).first().click();
    await page.getByRole('link', { name: 'Lieux et services' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/lieux'));
    await page.getByRole('link', { name: `Modifier ${PLACE_NAME}` }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
  };

  beforeAll(async () => {
    glane = await startGlane();
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await glane?.stop();
  });

  it('a partner uploads a phone photo without JavaScript at 360 px; the public page shows it lazily, sized, described', async () => {
    const page = await signedIn('restos@demo.glane.localhost', false);
    await openEditPage(page);
    const slug = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByRole('link', { name: 'Photos du lieu' }).click();
    await page.waitForURL((u) => u.pathname === `/lieux/${slug}/photos`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(PLACE_NAME);

    // Sent without a description: both problems are named, nothing is stored.
    await page.getByRole('button', { name: 'Ajouter la photo' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('Choisissez une photo.');
    expect(await summary.textContent()).toContain('Décrivez ce que montre la photo.');

    // A photo as a phone takes it: landscape with orientation 6, GPS position and camera name in EXIF.
    await page.getByLabel('Photo', { exact: true }).setInputFiles({
      name: 'IMG_2041.jpg',
      mimeType: 'image/jpeg',
      buffer: await phoneJpeg(1200, 800)
    });
    await page.getByLabel('Description de la photo (texte alternatif)', { exact: true }).fill(ALT);
    await page.getByRole('button', { name: 'Ajouter la photo' }).click();
    expect(await page.getByRole('status').filter({ hasText: 'La photo est ajoutée' }).count()).toBe(1);
    const listed = page.locator('ol.photos img');
    expect(await listed.getAttribute('alt')).toBe(ALT);
    expect(await overflowsHorizontally(page), 'photos page at 360 px').toBe(false);
    await expectAccessibleWithoutScripts(browser, page, 'photos page with one photo');

    // The public page, as anyone sees it (with JavaScript, at 360 px).
    const visitorContext = await browser.newContext({ locale: 'fr-FR', viewport: PHONE });
    contexts.push(visitorContext);
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${glane.url}/lieux/${slug}`);
    const img = visitor.getByRole('img', { name: ALT });
    expect(await img.count()).toBe(1);
    expect(await img.getAttribute('loading')).toBe('lazy');
    // Turned upright (orientation 6): a portrait thumbnail, its size given so the page does not jump.
    expect({ width: await img.getAttribute('width'), height: await img.getAttribute('height') }).toEqual({ width: '320', height: '480' });
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(320);
    const link = visitor.getByRole('link', { name: `${ALT} (voir en grand)` });
    const largeUrl = new URL((await link.getAttribute('href'))!, glane.url).href;
    expect(await overflowsHorizontally(visitor), 'public place page at 360 px').toBe(false);
    await expectAccessible(visitor, 'public place page with a photo');

    // The large image: WebP, upright, without the camera's EXIF (no GPS position leaves Glane).
    const response = await visitor.request.get(largeUrl);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('image/webp');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    const bytes = await response.body();
    expect(bytes.includes(CAMERA_MARKER)).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect({ width: meta.width, height: meta.height, exif: meta.exif }).toEqual({ width: 800, height: 1200, exif: undefined });
  });

  it('the photos page is accessible with JavaScript, and closed to a volunteer (403)', async () => {
    const page = await signedIn('restos@demo.glane.localhost');
    await openEditPage(page);
    const slug = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByRole('link', { name: 'Photos du lieu' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/photos'));
    await expectAccessible(page, 'photos page');
    expect(await overflowsHorizontally(page)).toBe(false);

    // A plain member keeps hours fresh but does not manage photos: no link, and the page refuses.
    const volunteer = await signedIn('restos.benevole@demo.glane.localhost');
    await volunteer.goto(`${glane.url}/lieux/${slug}/modifier`);
    expect(await volunteer.getByRole('link', { name: 'Photos du lieu' }).count()).toBe(0);
    expect((await volunteer.goto(`${glane.url}/lieux/${slug}/photos`))?.status()).toBe(403);
  });
});
