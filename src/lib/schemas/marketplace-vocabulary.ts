/**
 * The closed lists of the anti-waste marketplace (issue 5), without zod: pages import them from here.
 * Labels are i18n keys (`market.category.<value>`, `market.allergen.<value>`, `market.diet.<value>`,
 * `market.storage.<value>`, `market.dateKind.<value>`, `market.audience.<value>`, `market.origin.<value>`,
 * `market.reservationStatus.<value>`) in src/lib/i18n/fr.ts and en.ts.
 */

/** Categories of an offer (don). */
export const OFFER_CATEGORIES = [
  'produits-frais',
  'fruits-legumes',
  'plats-cuisines',
  'pain-viennoiserie',
  'produits-laitiers',
  'epicerie-seche',
  'boissons',
  'bebe',
  'autre'
] as const;
export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

/**
 * The 14 allergens of EU Regulation 1169/2011 (Annex II). The position in this list is the bit of
 * `offer.allergen_mask`: NEVER reorder or remove, only append.
 */
export const ALLERGENS = [
  'gluten',
  'crustaces',
  'oeufs',
  'poissons',
  'arachides',
  'soja',
  'lait',
  'fruits-a-coque',
  'celeri',
  'moutarde',
  'sesame',
  'sulfites',
  'lupin',
  'mollusques'
] as const;
export type Allergen = (typeof ALLERGENS)[number];

/** Diet tags; the position is the bit of `offer.diet_mask`: only append. */
export const DIETS = ['vegetarien', 'vegan', 'halal', 'casher', 'sans-porc', 'sans-gluten', 'sans-lactose'] as const;
export type Diet = (typeof DIETS)[number];

/** Bit mask of a list of values of `list` (allergens or diets); unknown values are ignored. */
export function maskOf<T extends string>(list: readonly T[], values: readonly string[]): number {
  let mask = 0;
  for (const v of values) {
    const i = list.indexOf(v as T);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

/** The values of `list` set in `mask`. */
export function valuesOf<T extends string>(list: readonly T[], mask: number): T[] {
  return list.filter((_, i) => (mask & (1 << i)) !== 0);
}

export const STORAGES = ['ambient', 'chilled', 'frozen'] as const;
export type Storage = (typeof STORAGES)[number];

/** DLC: use-by (à consommer jusqu'au); DDM: best-before (à consommer de préférence avant); none. */
export const DATE_KINDS = ['dlc', 'ddm', 'none'] as const;
export type DateKind = (typeof DATE_KINDS)[number];

export const OFFER_UNITS = ['unit', 'portion'] as const;
export type OfferUnit = (typeof OFFER_UNITS)[number];

export const ORIGINS = ['local', 'bio'] as const;
export type Origin = (typeof ORIGINS)[number];

/** Who may reserve: eligible people; partner associations first, then people; partners only. */
export const AUDIENCES = ['people', 'partners-first', 'partners'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const OFFER_STATUSES = ['published', 'cancelled', 'closed'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * Life of a reservation: pooled (asked during the pooling window, waits for the lottery) →
 * confirmed | not_allocated (→ waiting); waiting (waiting list) → confirmed when promoted;
 * confirmed → collected | cancelled | no_show.
 */
export const RESERVATION_STATUSES = [
  'pooled',
  'waiting',
  'confirmed',
  'collected',
  'cancelled',
  'no_show',
  'not_allocated'
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Pickup codes: letters and digits that cannot be confused (no 0/O, 1/I/L). */
export const PICKUP_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PICKUP_CODE_LENGTH = 6;

/** The scheme that opens the marketplace to a person. */
export const MARKETPLACE_SCHEME = 'anti-gaspi';
