import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseAddressQuery, parseAddressCollection, searchAddresses } from './address';
import { RateLimiter } from '../../../lib/server/rate-limiter';
import { ADDRESS_RATE_LIMIT } from './address';
import { GET } from './+server';

/** A feature as api-adresse.data.gouv.fr returns it. */
const feature = (label: string, lng: number, lat: number, citycode = '59350') => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lng, lat] },
  properties: { label, score: 0.9, citycode, city: 'Lille', postcode: '59000', type: 'housenumber' }
});

/** A local stand-in for the national address API: behaviour chosen by the query text. */
let stub: Server;
let base: string;
const seen: URL[] = [];

beforeAll(async () => {
  stub = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    seen.push(url);
    const q = url.searchParams.get('q') ?? '';
    if (url.pathname !== '/search/') {
      res.writeHead(404).end();
    } else if (q.startsWith('panne')) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}');
    } else if (q.startsWith('lent')) {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"features":[]}'), 1500);
    } else if (q.startsWith('html')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          type: 'FeatureCollection',
          query: q,
          features: [
            feature('1 Place du Théâtre 59000 Lille', 3.0652, 50.6373),
            { type: 'Feature', geometry: { type: 'Point', coordinates: ['x', 1] }, properties: { label: 'broken' } },
            feature('Rue du Moulin 59999 Glaneville', 3.0752, 50.6405, '59999')
          ]
        })
      );
    }
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
});

describe('address search (national address API format)', () => {
  it('asks {base}/search/?q=…&limit=5 and returns the labelled points, longitude and latitude swapped back', async () => {
    const result = await searchAddresses(base, '  1 place du   théâtre ');
    expect(result.error).toBeUndefined();
    expect(result.suggestions).toEqual([
      { label: '1 Place du Théâtre 59000 Lille', citycode: '59350', city: 'Lille', postcode: '59000', lat: 50.6373, lng: 3.0652 },
      { label: 'Rue du Moulin 59999 Glaneville', citycode: '59999', city: 'Lille', postcode: '59000', lat: 50.6405, lng: 3.0752 }
    ]);
    const asked = seen.at(-1)!;
    expect(asked.searchParams.get('q')).toBe('1 place du théâtre');
    expect(asked.searchParams.get('limit')).toBe('5');
  });

  it('does not call the API for a query too short or starting with punctuation', async () => {
    const before = seen.length;
    expect(await searchAddresses(base, 'ab')).toEqual({ suggestions: [] });
    expect(await searchAddresses(base, '--- rue')).toEqual({ suggestions: [] });
    expect(seen.length).toBe(before);
    expect(normaliseAddressQuery('x'.repeat(500))).toHaveLength(200);
  });

  it('turns an error status, a body that is not GeoJSON, a timeout or an unreachable server into no suggestions and an error', async () => {
    expect(await searchAddresses(base, 'panne générale')).toEqual({ suggestions: [], error: 'unavailable' });
    expect(await searchAddresses(base, 'html page')).toEqual({ suggestions: [], error: 'unavailable' });
    expect(await searchAddresses(base, 'lent serveur', { timeoutMs: 200 })).toEqual({ suggestions: [], error: 'unavailable' });
    expect(await searchAddresses('http://127.0.0.1:1', 'rue de Paris')).toEqual({ suggestions: [], error: 'unavailable' });
  });

  it('skips features without a label or valid coordinates', () => {
    expect(parseAddressCollection({ features: [{ properties: {}, geometry: { coordinates: [1, 2] } }, feature('Ok', 3, 50)] })).toHaveLength(1);
    expect(parseAddressCollection({ features: [feature('Too far', 3, 95)] })).toEqual([]);
    expect(parseAddressCollection({ nope: true })).toBeNull();
  });
});

describe('GET /annuaire/adresse', () => {
  const limiter = new RateLimiter();
  const call = async (q: string, locale: 'fr' | 'en' = 'fr', ip = '192.0.2.1') => {
    const url = new URL(`http://glane.test/annuaire/adresse?q=${encodeURIComponent(q)}`);
    const event = { url, locals: { locale }, getClientAddress: () => ip, platform: { services: { limiter, config: { ADDRESS_API_URL: base } } } };
    const res = await GET(event as unknown as Parameters<typeof GET>[0]);
    return { status: res.status, cache: res.headers.get('cache-control'), body: (await res.json()) as { suggestions: unknown[]; message?: string } };
  };

  it('answers the suggestions as JSON', async () => {
    const { status, body, cache } = await call('rue du moulin');
    expect(status).toBe(200);
    expect(body.suggestions).toHaveLength(2);
    expect(body.message).toBeUndefined();
    expect(cache).toContain('max-age');
  });

  it('answers an empty list and a translated message when the address API fails', async () => {
    const fr = await call('panne totale');
    expect(fr.status).toBe(200);
    expect(fr.body).toEqual({ suggestions: [], message: expect.stringContaining('adresse') });
    const en = await call('panne totale', 'en');
    expect(en.body.message).toMatch(/address/i);
    expect(en.cache).toBe('no-store');
  });

  it('answers 429 and a message once a client has asked too often (it relays to a public service)', async () => {
    for (let i = 0; i < ADDRESS_RATE_LIMIT; i++) expect((await call('ab', 'fr', '198.51.100.7')).status).toBe(200);
    const refused = await call('rue du moulin', 'fr', '198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ suggestions: [], message: expect.stringContaining('Trop de demandes') });
    expect((await call('rue du moulin', 'fr', '198.51.100.8')).status).toBe(200);
  });
});
