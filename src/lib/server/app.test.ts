import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createTestServices, type TestServices } from '../../../tests/helpers/services.js';

describe('the HTTP app (API only, SQLite)', () => {
  let t: TestServices;
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    t = await createTestServices('sqlite', { BODY_LIMIT_KB: '1' });
    app = buildApp(t.services);
  });
  afterAll(async () => t.destroy());

  it('answers /api/health and /api/ready', async () => {
    expect(await (await app.request('/api/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.request('/api/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('gives every answer a request id, echoing a well-formed incoming one', async () => {
    const res = await app.request('/api/health', { headers: { 'X-Request-Id': 'abcdef123456' } });
    expect(res.headers.get('x-request-id')).toBe('abcdef123456');
    const bad = await app.request('/api/health', { headers: { 'X-Request-Id': '<script>' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and a strict CSP on API answers, and no CORS by default', async () => {
    const res = await app.request('/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown API routes with the JSON error model', async () => {
    const res = await app.request('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('refuses writes that are not JSON with 415', async () => {
    const res = await app.request('/api/v1/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'Content-Length': '5' },
      body: 'hello'
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('unsupported_media_type');
  });

  it('refuses bodies over the configured limit with 413', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(2048) });
    const res = await app.request('/api/v1/anything', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
      body
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('serves an OpenAPI 3.1 document whose every operation documents its errors', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health']).toBeDefined();
    expect(doc.paths['/ready'].get.responses['503']).toBeDefined();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      for (const [method, op] of Object.entries(item)) {
        expect(Object.keys(op.responses), `${method} ${path}`).toContain('500');
      }
    }
    expect(doc.components.schemas.Error).toBeDefined();
  });

  it('serves the API docs page with its assets from this process (no CDN)', async () => {
    const page = await app.request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const js = await app.request('/api/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    const plain = Buffer.from(await js.arrayBuffer());
    expect(plain.byteLength).toBeGreaterThan(100_000);
    expect(js.headers.get('content-encoding')).toBeNull();
    // Gzipped for clients that accept it (a few times smaller), the same bytes once inflated.
    const { gunzipSync } = await import('node:zlib');
    for (let i = 0; i < 2; i++) {
      const gz = await app.request('/api/docs/assets/swagger-ui-bundle.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gz.headers.get('vary')).toBe('Accept-Encoding');
      const body = Buffer.from(await gz.arrayBuffer());
      expect(body.byteLength).toBeLessThan(plain.byteLength / 3);
      expect(gunzipSync(body).equals(plain)).toBe(true);
    }
    expect((await app.request('/api/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('answers /api/ready with 503 when the database is gone', async () => {
    const other = await createTestServices('sqlite');
    const otherApp = buildApp(other.services);
    await other.destroy();
    const res = await otherApp.request('/api/ready');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('unavailable');
  });
});

describe('handing pages to SvelteKit', () => {
  it('passes requests with their body and the services as platform; behind a trusted proxy, with the public origin', async () => {
    const t = await createTestServices('sqlite', { TRUST_PROXY: 'true', PUBLIC_URL: 'https://glane.ville.fr' });
    const seen: { url: string; body: string; hasServices: boolean }[] = [];
    const app = buildApp(t.services, {
      pages: {
        clientDir: '/nonexistent',
        prerenderedDir: '/nonexistent',
        respond: async (request, { platform }) => {
          seen.push({ url: request.url, body: await request.text(), hasServices: platform.services === t.services });
          return new Response('page');
        }
      }
    });
    const res = await app.request('http://10.0.0.5:3000/connexion?/password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.fr'
    });
    expect(await res.text()).toBe('page');
    expect(seen).toEqual([{ url: 'https://glane.ville.fr/connexion?/password', body: 'email=a%40b.fr', hasServices: true }]);
    await t.destroy();
  });
});

describe('static assets', () => {
  it('serves hashed build assets as immutable, other files briefly cached, the service worker uncached', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'glane-static-'));
    mkdirSync(join(dir, '_app', 'immutable', 'chunks'), { recursive: true });
    writeFileSync(join(dir, '_app', 'immutable', 'chunks', 'a1b2.js'), 'export {};');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(join(dir, 'service-worker.js'), '//sw');
    const t = await createTestServices('sqlite');
    const app = buildApp(t.services, {
      pages: { clientDir: dir, prerenderedDir: join(dir, 'none'), respond: async () => new Response('page') }
    });
    const hashed = await app.request('/_app/immutable/chunks/a1b2.js');
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/favicon.svg')).headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await app.request('/service-worker.js')).headers.get('cache-control')).toBe('no-cache');
    expect(await (await app.request('/_app/immutable/chunks/missing.js')).text()).toBe('page');
    await t.destroy();
  });

  it('serves the build’s brotli or gzip copy to clients that accept it, and gzips pages, not the API', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { brotliCompressSync, gunzipSync, gzipSync } = await import('node:zlib');
    const dir = mkdtempSync(join(tmpdir(), 'glane-static-'));
    mkdirSync(join(dir, '_app', 'immutable', 'chunks'), { recursive: true });
    const source = `export const messages = ${JSON.stringify('Aller au contenu '.repeat(200))};`;
    const chunk = join(dir, '_app', 'immutable', 'chunks', 'c3d4.js');
    writeFileSync(chunk, source);
    writeFileSync(`${chunk}.br`, brotliCompressSync(source));
    writeFileSync(`${chunk}.gz`, gzipSync(source));
    const html = `<!doctype html><html lang="fr"><body>${'<p>Lieu solidaire</p>'.repeat(200)}</body></html>`;
    const t = await createTestServices('sqlite');
    const app = buildApp(t.services, {
      pages: { clientDir: dir, prerenderedDir: join(dir, 'none'), respond: async () => new Response(html, { headers: { 'content-type': 'text/html' } }) }
    });

    const br = await app.request('/_app/immutable/chunks/c3d4.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const gz = await app.request('/_app/immutable/chunks/c3d4.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(source);
    const plain = await app.request('/_app/immutable/chunks/c3d4.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(source);

    const page = await app.request('/annuaire', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(page.headers.get('content-encoding')).toBe('gzip');
    const body = Buffer.from(await page.arrayBuffer());
    expect(body.length).toBeLessThan(html.length / 10);
    expect(gunzipSync(body).toString()).toBe(html);
    expect((await app.request('/annuaire')).headers.get('content-encoding')).toBeNull();

    const api = await app.request('/api/v1/openapi.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-encoding')).toBeNull();
    await t.destroy();
  });
});
