import { knownPickup, type KnownPickup } from '../../../lib/server/modules/marketplace/my-offers.rules';
import type { AddressSearchResult } from '../../annuaire/adresse/address';

/**
 * Where a private person's offer is picked up, from the address typed on `/mes-dons/nouveau`.
 * An address the person already used is taken as located then (no look-up); any other is asked of
 * the national address API (first match). The outcomes are kept apart because the page must say
 * the truth: an address the API does not know (`not_found`) is not an API that does not answer
 * (`unavailable`) nor a client that asked too often (`rate_limited`). Relative imports only:
 * unit-tested without SvelteKit.
 */
export type PickupLocation =
  | { pickup: KnownPickup; source: 'known' | 'address_api' }
  | { problem: 'required' | 'not_found' | 'unavailable' | 'rate_limited' };

export async function locatePickup(
  typed: string | null | undefined,
  known: readonly KnownPickup[],
  search: (query: string) => Promise<AddressSearchResult>
): Promise<PickupLocation> {
  const text = (typed ?? '').trim();
  if (!text) return { problem: 'required' };
  const already = knownPickup(text, known);
  if (already) return { pickup: already, source: 'known' };
  const found = await search(text);
  const first = found.suggestions[0];
  if (first) {
    return {
      pickup: { addressLine: first.label, postalCode: first.postcode, city: first.city, lat: first.lat, lng: first.lng },
      source: 'address_api'
    };
  }
  return { problem: found.error ?? 'not_found' };
}
