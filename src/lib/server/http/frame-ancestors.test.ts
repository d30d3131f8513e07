import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// app.js first: it loads @hono/zod-openapi, which the schemas pulled in by the services extend.
import { buildApp, type PageRenderer } from '../app.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { loadConfig } from '../config.js';
import { isWidgetPath, widgetFrameSources, withFrameAncestors } from './frame-ancestors.js';

const EMPTY_DIR = mkdtempSync(join(tmpdir(), 'glane-frame-'));
const KIT_CSP =
  "default-src 'self'; script-src 'self' 'nonce-abc123'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'";

describe('withFrameAncestors', () => {
  it('replaces the frame-ancestors directive and keeps every other one, nonces included', () => {
    const out = withFrameAncestors(KIT_CSP, ["'self'", 'https://ville.example']);
    expect(out).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123'; style-src 'self' 'unsafe-inline'; frame-ancestors 'self' https://ville.example; form-action 'self'"
    );
  });

  it('appends the directive when the policy has none', () => {
    expect(withFrameAncestors("default-src 'self';", ['*'])).toBe("default-src 'self'; frame-ancestors *");
  });

  it("writes 'none' for an empty list and keeps a single directive when there were two", () => {
    const out = withFrameAncestors("frame-ancestors 'none'; default-src 'self'; FRAME-ANCESTORS https://a.example", []);
    expect(out).toBe("frame-ancestors 'none'; default-src 'self'");
  });
});

describe('widgetFrameSources and isWidgetPath', () => {
  it("lets anyone frame with *, else Glane itself and the listed origins", () => {
    expect(widgetFrameSources(['*'])).toEqual(['*']);
    expect(widgetFrameSources(['https://ville.example', '*'])).toEqual(['*']);
    expect(widgetFrameSources(['https://ville.example'])).toEqual(["'self'", 'https://ville.example']);
    expect(widgetFrameSources([])).toEqual(["'self'"]);
  });

  it('matches the widget page and its data requests only', () => {
    expect(isWidgetPath('/widget')).toBe(true);
    expect(isWidgetPath('/widget/__data.json')).toBe(true);
    expect(isWidgetPath('/widgets')).toBe(false);
    expect(isWidgetPath('/annuaire/integrer')).toBe(false);
  });
});

describe('WIDGET_FRAME_ORIGINS', () => {
  it('defaults to any origin, takes none and a list, and refuses what could break the header', () => {
    expect(loadConfig({}).WIDGET_FRAME_ORIGINS).toEqual(['*']);
    expect(loadConfig({ WIDGET_FRAME_ORIGINS: 'none' }).WIDGET_FRAME_ORIGINS).toEqual([]);
    expect(loadConfig({ WIDGET_FRAME_ORIGINS: 'https://ville.example/, http://127.0.0.1:8080' }).WIDGET_FRAME_ORIGINS).toEqual([
      'https://ville.example',
      'http://127.0.0.1:8080'
    ]);
    expect(() => loadConfig({ WIDGET_FRAME_ORIGINS: "https://a.example; script-src 'unsafe-inline'" })).toThrow(/WIDGET_FRAME_ORIGINS/);
    expect(() => loadConfig({ WIDGET_FRAME_ORIGINS: 'ville.example' })).toThrow(/WIDGET_FRAME_ORIGINS/);
  });
});

describe('framing headers of the HTTP app', () => {
  let t: TestServices | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });

  /** A stand-in for SvelteKit: every page answers with the CSP kit.csp produces. */
  const pages: PageRenderer = {
    respond: async () => new Response('<p>page</p>', { headers: { 'content-type': 'text/html', 'content-security-policy': KIT_CSP } }),
    clientDir: EMPTY_DIR,
    prerenderedDir: EMPTY_DIR
  };

  it('lets the configured origins frame /widget, and nothing else', async () => {
    t = await createTestServices('sqlite', { WIDGET_FRAME_ORIGINS: 'https://ville.example' });
    const app = buildApp(t.services, { pages });

    for (const path of ['/widget', '/widget?commune=59350', '/widget/__data.json']) {
      const res = await app.request(path);
      expect(res.headers.get('x-frame-options'), path).toBeNull();
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'self' https://ville.example;");
      expect(res.headers.get('content-security-policy'), path).toContain("'nonce-abc123'");
    }

    for (const path of ['/annuaire', '/annuaire/integrer', '/widgets', '/']) {
      const res = await app.request(path);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('lets any website frame /widget by default', async () => {
    t = await createTestServices('sqlite');
    const res = await buildApp(t.services, { pages }).request('/widget');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *;');
  });
});
