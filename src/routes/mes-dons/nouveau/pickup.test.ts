import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAddresses } from '../../annuaire/adresse/address';
import type { KnownPickup } from '../../../lib/server/modules/marketplace/my-offers.rules';
import { locatePickup } from './pickup';

/** A local stand-in for the national address API (ADDRESS_API_URL): behaviour chosen by the query. */
let stub: Server;
let base: string;
let asked = 0;

beforeAll(async () => {
  stub = createServer((req, res) => {
    asked += 1;
    const q = new URL(req.url ?? '/', 'http://stub').searchParams.get('q') ?? '';
    if (q.startsWith('panne')) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}');
    } else if (q.startsWith('inconnue')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":"FeatureCollection","features":[]}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [3.0652, 50.6373] },
              properties: { label: '1 Place du Théâtre 59000 Lille', citycode: '59350', city: 'Lille', postcode: '59000' }
            }
          ]
        })
      );
    }
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
});

const known: KnownPickup[] = [{ addressLine: '3 Rue Nationale 59000 Lille', postalCode: '59000', city: 'Lille', lat: 50.6368, lng: 3.0577 }];
const via = (url: string) => (q: string) => searchAddresses(url, q);

describe('locating a private person’s pickup address', () => {
  it('takes the first match of the address API', async () => {
    expect(await locatePickup('1 place du théâtre lille', known, via(base))).toEqual({
      pickup: { addressLine: '1 Place du Théâtre 59000 Lille', postalCode: '59000', city: 'Lille', lat: 50.6373, lng: 3.0652 },
      source: 'address_api'
    });
  });

  it('says "not found" only when the API answered without a match', async () => {
    expect(await locatePickup('inconnue rue des Songes', known, via(base))).toEqual({ problem: 'not_found' });
  });

  it('says "unavailable", not "not found", when the API answers an error (5xx) or cannot be reached', async () => {
    expect(await locatePickup('panne 12 rue du Moulin', known, via(base))).toEqual({ problem: 'unavailable' });
    expect(await locatePickup('12 rue du Moulin', known, via('http://127.0.0.1:1'))).toEqual({ problem: 'unavailable' });
  });

  it('uses an address the person already used without asking the API, so it works while the API is down', async () => {
    const before = asked;
    expect(await locatePickup(' 3, rue nationale 59000 LILLE', known, via('http://127.0.0.1:1'))).toEqual({ pickup: known[0], source: 'known' });
    expect(await locatePickup('3 Rue Nationale 59000 Lille', known, via(base))).toEqual({ pickup: known[0], source: 'known' });
    expect(asked).toBe(before);
  });

  it('passes a rate limit on and asks for an address when none is typed', async () => {
    expect(await locatePickup('1 place du théâtre', [], async () => ({ suggestions: [], error: 'rate_limited' }))).toEqual({ problem: 'rate_limited' });
    expect(await locatePickup('   ', known, via(base))).toEqual({ problem: 'required' });
  });
});
