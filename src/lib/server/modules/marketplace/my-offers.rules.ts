/**
 * Pure rules of a private person's pickup address (dons entre particuliers). A donor organisation's
 * offers are picked up at its stored place; a private person types an address, located through the
 * national address API. An address the person already used (and that was located then) is known
 * locally: it needs no look-up, and still works when the address API does not answer.
 */

/** A pickup place already located (from one of the person's earlier offers). */
export interface KnownPickup {
  addressLine: string;
  postalCode: string | null;
  city: string | null;
  lat: number;
  lng: number;
}

/** How many earlier addresses are proposed to the person. */
export const KNOWN_PICKUPS_MAX = 5;

/** Compares addresses as a person types them: case, accents, punctuation and spaces do not count. */
export function addressKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The distinct located addresses among earlier offers (given newest first), newest first, at most
 * KNOWN_PICKUPS_MAX; offers without an address line are skipped.
 */
export function distinctPickups(
  offers: readonly { addressLine: string | null; postalCode: string | null; city: string | null; lat: number; lng: number }[]
): KnownPickup[] {
  const seen = new Set<string>();
  const out: KnownPickup[] = [];
  for (const o of offers) {
    if (!o.addressLine || !Number.isFinite(o.lat) || !Number.isFinite(o.lng)) continue;
    const key = addressKey(o.addressLine);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push({ addressLine: o.addressLine, postalCode: o.postalCode, city: o.city, lat: o.lat, lng: o.lng });
    if (out.length >= KNOWN_PICKUPS_MAX) break;
  }
  return out;
}

/** The earlier pickup whose address is the one typed (as compared by addressKey), if any. */
export function knownPickup(typed: string | null | undefined, known: readonly KnownPickup[]): KnownPickup | undefined {
  const key = addressKey(typed ?? '');
  if (!key) return undefined;
  return known.find((k) => addressKey(k.addressLine) === key);
}
