import { describe, expect, it } from 'vitest';
import { browserSuite, describeViolations, overflowsHorizontally, PHONE, seriousViolations } from './harness.js';

describe('web shell', () => {
  const suite = browserSuite();

  it('serves the home page in French, server-rendered, with no serious accessibility violation at 360 px', async () => {
    const page = await suite.newPage({ viewport: PHONE });
    const res = await page.goto(`${suite.glane.url}/`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(await overflowsHorizontally(page)).toBe(false);
  });
});
