import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, launchBrowser, overflowsHorizontally, seriousViolations, startGlane, type RunningGlane } from './harness.js';

describe('web shell', () => {
  let glane: RunningGlane;
  let browser: Browser;
  beforeAll(async () => {
    glane = await startGlane();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await glane?.stop();
  });

  it('serves the home page in French, server-rendered, with no serious accessibility violation at 360 px', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'fr-FR' });
    const res = await page.goto(`${glane.url}/`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.close();
  });
});
