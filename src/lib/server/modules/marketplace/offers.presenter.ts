import type { OfferRecord, OfferReservationRecord } from './offers.repository.js';

/**
 * What callers see of an offer. `valueCents` (cost price, for the donor's tax receipts) is shown to
 * the donor's side only; everyone else gets null.
 */
export interface OfferView {
  id: string;
  organisationId: string | null;
  organisationName: string | null;
  seriesId: string | null;
  occurrenceOn: string | null;
  title: string;
  description: string | null;
  category: string;
  unit: 'unit' | 'portion';
  quantity: number;
  remaining: number;
  reserved: number;
  weightGrams: number | null;
  dateKind: 'dlc' | 'ddm' | 'none';
  dateOn: string | null;
  allergens: string[];
  diets: string[];
  storage: 'ambient' | 'chilled' | 'frozen';
  origins: string[];
  pickup: { addressLine: string | null; postalCode: string | null; city: string | null; lat: number; lng: number };
  pickupStartsAt: string;
  pickupEndsAt: string;
  audience: 'people' | 'partners-first' | 'partners';
  partnersUntil: string | null;
  poolingEndsAt: string | null;
  valueCents: number | null;
  /** The partner association accepts a DLC closer than the territory's minimum (donor's declaration). */
  partnerAcceptsShorter: boolean;
  /** Raw meat, fish, shellfish… (donor's declaration). */
  isRawAnimalProduct: boolean;
  status: 'published' | 'cancelled' | 'closed';
  cancelReason: string | null;
  cancelledAt: string | null;
  version: number;
  isDemo: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Shapes an offer record for a caller; `forDonor` shows the value at cost price. */
export function toOfferView(o: OfferRecord, options: { forDonor?: boolean } = {}): OfferView {
  return {
    id: o.id,
    organisationId: o.organisationId,
    organisationName: o.organisationName,
    seriesId: o.seriesId,
    occurrenceOn: o.occurrenceOn,
    title: o.title,
    description: o.description,
    category: o.category,
    unit: o.unit,
    quantity: o.quantity,
    remaining: o.remaining,
    reserved: o.status === 'cancelled' ? 0 : o.quantity - o.remaining,
    weightGrams: o.weightGrams,
    dateKind: o.dateKind,
    dateOn: o.dateOn,
    allergens: o.allergens,
    diets: o.diets,
    storage: o.storage,
    origins: o.origins,
    pickup: { addressLine: o.addressLine, postalCode: o.postalCode, city: o.city, lat: o.lat, lng: o.lng },
    pickupStartsAt: o.pickupStartsAt,
    pickupEndsAt: o.pickupEndsAt,
    audience: o.audience,
    partnersUntil: o.partnersUntil,
    poolingEndsAt: o.poolingEndsAt,
    valueCents: options.forDonor ? o.valueCents : null,
    partnerAcceptsShorter: o.partnerAcceptsShorter,
    isRawAnimalProduct: o.isRawAnimalProduct,
    status: o.status,
    cancelReason: o.cancelReason,
    cancelledAt: o.cancelledAt,
    version: o.version,
    isDemo: o.isDemo,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt
  };
}

/** A reservation as the donor sees it: first name, quantity, status. */
export interface OfferReservationView {
  id: string;
  firstName: string;
  quantity: number;
  collectedQuantity: number | null;
  status: string;
  createdAt: string;
}

export function toOfferReservationView(r: OfferReservationRecord): OfferReservationView {
  return { ...r };
}
