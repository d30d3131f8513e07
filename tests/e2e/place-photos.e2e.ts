import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CAMERA_MARKER, phoneJpeg } from '../../src/lib/server/photos/photos.testing.js';
import {
  browserSuite,
  expectAccessible,
  expectAccessibleWithoutScripts,
  openPlaceEditing,
  overflowsHorizontally,
  PHONE
} from './harness.js';

const PLACE_NAME = 'Restos du Cœur — centre de distribution';
const ALT = 'Entrée du centre, porte bleue à côté de la boulangerie';

/** A partner adds a photo with its description; it shows on the public page, stripped of GPS data. */
describe('photos of places', () => {
  const suite = browserSuite({ viewport: PHONE });

  it('a partner uploads a phone photo without JavaScript at 360 px; the public page shows it lazily, sized, described', async () => {
    const page = await suite.signedIn('restos@demo.glane.localhost', { javaScriptEnabled: false });
    const slug = await openPlaceEditing(page, suite.glane.url, /Restos du C/, PLACE_NAME);
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
    await expectAccessibleWithoutScripts(suite.browser, page, 'photos page with one photo');

    // The public page, as anyone sees it (with JavaScript, at 360 px).
    const visitor = await suite.newPage();
    await visitor.goto(`${suite.glane.url}/lieux/${slug}`);
    const img = visitor.getByRole('img', { name: ALT });
    expect(await img.count()).toBe(1);
    expect(await img.getAttribute('loading')).toBe('lazy');
    // Turned upright (orientation 6): a portrait thumbnail, its size given so the page does not jump.
    expect({ width: await img.getAttribute('width'), height: await img.getAttribute('height') }).toEqual({ width: '320', height: '480' });
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(320);
    const link = visitor.getByRole('link', { name: `${ALT} (voir en grand)` });
    const largeUrl = new URL((await link.getAttribute('href'))!, suite.glane.url).href;
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
    const page = await suite.signedIn('restos@demo.glane.localhost');
    const slug = await openPlaceEditing(page, suite.glane.url, /Restos du C/, PLACE_NAME);
    await page.getByRole('link', { name: 'Photos du lieu' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/photos'));
    await expectAccessible(page, 'photos page');
    expect(await overflowsHorizontally(page)).toBe(false);

    // A plain member keeps hours fresh but does not manage photos: no link, and the page refuses.
    const volunteer = await suite.signedIn('restos.benevole@demo.glane.localhost');
    await volunteer.goto(`${suite.glane.url}/lieux/${slug}/modifier`);
    expect(await volunteer.getByRole('link', { name: 'Photos du lieu' }).count()).toBe(0);
    expect((await volunteer.goto(`${suite.glane.url}/lieux/${slug}/photos`))?.status()).toBe(403);
  });
});
