import { parseInput } from '../../http/errors.js';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ALLERGENS, DIETS, maskOf } from '../../../schemas/marketplace-vocabulary.js';
import {
  cancelOfferInput,
  createOfferInput,
  offersRangeQuery,
  updateOfferInput,
  type CreateOfferInput
} from '../../../schemas/offers.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { notifyUsers } from '../notifications/notify.js';
import { findMembership, findOrganisation, type OrganisationRecord } from '../organisations/organisations.repository.js';
import {
  checkOfferSafety,
  type MarketplaceSettings,
  type OfferSafetyInput
} from './marketplace.rules.js';
import { computeImpact, safeCell, type Impact } from './impact.rules.js';
import { toCsv } from '../opendata/csv.rules.js';
import {
  cancelLiveReservations,
  collectedUnitsByOffer,
  findOffer,
  insertOffer,
  listOfferReservations,
  listOrganisationOffers,
  listRecentOffers,
  markOfferCancelled,
  updateOfferRow,
  type OfferRecord,
  type OfferValues
} from './offers.repository.js';
import { canManageOrganisationOffers, canManageOwnOffer, maySeeOffer } from './offers.policy.js';
import { holdsMarketplaceAccess, isPartnerKind } from './reservations.rules.js';
import { hasReservationOn, readSettings } from './reservations.repository.js';
import { listGrantsOfUser, loadAgent } from '../eligibility/requests.repository.js';
import { parisDate } from '../eligibility/requests.rules.js';
import { toOfferReservationView, toOfferView, type OfferReservationView, type OfferView } from './offers.presenter.js';

/**
 * Offers (dons): post, read, edit, cancel, list by organisation. Every write passes the food-safety
 * rules (marketplace.rules.ts) with the territory's settings; a refusal is a 400 whose
 * `details.fields[]` name the field and the rule (`code`).
 */

export interface OffersDeps {
  db: Kysely<DB>;
  now: () => Date;
}

export interface OfferDetail {
  offer: OfferView;
  /** The donor's side only (null for others): first name, quantity, status. */
  reservations: OfferReservationView[] | null;
  permissions: { canEdit: boolean; canCancel: boolean };
}


function refuse(issues: { path: string; code: string; message: string }[]): never {
  const first = issues[0]!;
  throw new AppError('validation_failed', `${first.path}: ${first.message}`, {
    fields: issues.map((i) => ({ path: i.path, message: i.message, code: i.code }))
  });
}

/** A date or date-time the range schema accepted, as an ISO instant. */
const isoOf = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined);

/**
 * Whether `actor` manages `offer`: a member (any role) of its donor organisation, or the private
 * person who posted it. Shared by offers and their photos (one rule, offers.policy).
 */
export async function mayManageOffer(db: Kysely<DB>, actor: Pick<Actor, 'userId'>, offer: OfferRecord): Promise<boolean> {
  if (offer.organisationId) {
    const org = await findOrganisation(db, offer.organisationId);
    const membership = await findMembership(db, offer.organisationId, actor.userId);
    return org !== undefined && canManageOrganisationOffers({ organisationKind: org.kind, isMember: membership !== undefined });
  }
  return canManageOwnOffer({ donorUserId: offer.donorUserId, actorUserId: actor.userId });
}

/**
 * The offer `actor` manages: 404 when unknown or invisible to them (not published and not theirs),
 * 403 (`forbidden`, with `forbiddenMessage`) when published but not theirs.
 */
export async function findManagedOffer(
  db: Kysely<DB>,
  actor: Pick<Actor, 'userId'>,
  id: string,
  forbiddenMessage = 'Only the donor may change this offer'
): Promise<OfferRecord> {
  const offer = await findOffer(db, id);
  if (!offer) throw new AppError('not_found', 'No such offer');
  if (!(await mayManageOffer(db, actor, offer))) {
    if (offer.status === 'published') throw new AppError('forbidden', forbiddenMessage);
    throw new AppError('not_found', 'No such offer');
  }
  return offer;
}

export function createOffersService(deps: OffersDeps) {
  const { db, now } = deps;

  /** The donor organisation an actor posts for: 404 unknown, 403 not a member of a donor organisation. */
  async function donorOrganisation(actor: Actor, organisationId: string): Promise<OrganisationRecord> {
    const org = await findOrganisation(db, organisationId);
    if (!org) throw new AppError('not_found', 'No such organisation');
    const membership = await findMembership(db, org.id, actor.userId);
    if (!canManageOrganisationOffers({ organisationKind: org.kind, isMember: membership !== undefined })) {
      throw new AppError('forbidden', 'Only members of a donor organisation may post and manage its offers');
    }
    return org;
  }

  const mayManage = (actor: Actor, offer: OfferRecord) => mayManageOffer(db, actor, offer);

  /** Whether a published offer is in some feed of `actor`'s (offers.policy maySeeOffer). */
  async function maySee(actor: Actor, offer: OfferRecord): Promise<boolean> {
    const [agent, grants, reserved] = await Promise.all([
      loadAgent(db, actor),
      listGrantsOfUser(db, actor.userId),
      hasReservationOn(db, offer.id, actor.userId)
    ]);
    return maySeeOffer({
      audience: offer.audience,
      holdsMarketplaceAccess: holdsMarketplaceAccess(grants, parisDate(now())),
      isPartnerMember: agent.memberships.some((m) => isPartnerKind(m.kind)),
      hasReserved: reserved,
      isPlatformAdmin: actor.isPlatformAdmin
    });
  }
  const managedOffer = (actor: Actor, id: string) => findManagedOffer(db, actor, id);

  function safetyInput(
    v: Omit<OfferSafetyInput, 'postedBy'>,
    postedBy: OfferSafetyInput['postedBy']
  ): OfferSafetyInput {
    return { ...v, postedBy };
  }

  return {
    /** The territory's marketplace settings (defaults where unset). */
    settings: (): Promise<MarketplaceSettings> => readSettings(db),

    /** Posts an offer for a donor organisation (any member) or, territory permitting, a private person. */
    async postOffer(actor: Actor, raw: CreateOfferInput | unknown): Promise<OfferView> {
      const input = parseInput(createOfferInput, raw);
      const at = now();
      const s = await readSettings(db);
      let org: OrganisationRecord | null = null;
      if (input.organisationId) org = await donorOrganisation(actor, input.organisationId);
      const postedBy = org ? 'organisation' : 'individual';
      const issues: { path: string; code: string; message: string }[] = checkOfferSafety(
        safetyInput({ ...input, dateOn: input.dateOn ?? null }, postedBy),
        s,
        at
      );
      if (postedBy === 'individual' && issues.some((i) => i.code === 'individuals_may_not_post')) {
        throw new AppError('forbidden', 'Private people may not post offers in this territory; post for a donor organisation', {
          fields: [{ path: 'organisationId', message: 'required in this territory', code: 'individuals_may_not_post' }]
        });
      }
      const pickup = input.pickup ?? (org?.address?.lat != null && org.address.lng != null
        ? { addressLine: org.address.line, postalCode: org.address.postalCode, city: org.address.city, lat: org.address.lat, lng: org.address.lng }
        : null);
      if (!pickup) issues.push({ path: 'pickup', code: 'pickup_required', message: 'A pickup place with coordinates is required (the organisation has none).' });
      if (issues.length > 0) refuse(issues);

      const id = randomUUID();
      const iso = at.toISOString();
      const startsAt = new Date(input.pickupStartsAt).toISOString();
      const endsAt = new Date(input.pickupEndsAt).toISOString();
      // Fair allocation: people's requests in the first minutes after the offer opens to them go to the lottery.
      const opensToPeople = input.audience === 'partners-first' ? Math.max(at.getTime(), Date.parse(startsAt)) : at.getTime();
      const pooling =
        s.poolingMinutes > 0 && input.audience !== 'partners' ? new Date(opensToPeople + s.poolingMinutes * 60_000).toISOString() : null;
      await insertOffer(db, {
        id,
        at: iso,
        ...offerValues(input, pickup!),
        organisation_id: org?.id ?? null,
        donor_user_id: org ? null : actor.userId,
        posted_by_user_id: actor.userId,
        series_id: null,
        occurrence_on: null,
        pickup_starts_at: startsAt,
        pickup_ends_at: endsAt,
        partners_until: input.audience === 'partners-first' ? startsAt : null,
        pooling_ends_at: pooling
      });
      return toOfferView((await findOffer(db, id))!, { forDonor: true });
    },

    /** An offer: the donor's side sees the value and the reservations; others a published offer only. */
    async getOffer(actor: Actor, id: string): Promise<OfferDetail> {
      const offer = await findOffer(db, id);
      if (!offer) throw new AppError('not_found', 'No such offer');
      const manager = await mayManage(actor, offer);
      if (!manager && (offer.status !== 'published' || !(await maySee(actor, offer)))) throw new AppError('not_found', 'No such offer');
      const live = offer.status === 'published' && Date.parse(offer.pickupEndsAt) > now().getTime();
      return {
        offer: toOfferView(offer, { forDonor: manager }),
        reservations: manager ? (await listOfferReservations(db, id)).map(toOfferReservationView) : null,
        permissions: { canEdit: manager && live, canCancel: manager && offer.status === 'published' }
      };
    },

    /** Edits a published offer; the merged offer passes the rules again; 409 on a stale version or a quantity below what is reserved. */
    async updateOffer(actor: Actor, id: string, raw: unknown): Promise<OfferView> {
      const patch = parseInput(updateOfferInput, raw);
      const offer = await managedOffer(actor, id);
      if (offer.status !== 'published') throw new AppError('conflict', `The offer is ${offer.status}: it cannot be edited`);
      const at = now();
      const merged = {
        title: patch.title ?? offer.title,
        description: patch.description === undefined ? offer.description : patch.description,
        category: patch.category ?? offer.category,
        unit: patch.unit ?? offer.unit,
        quantity: patch.quantity ?? offer.quantity,
        weightGrams: patch.weightGrams === undefined ? offer.weightGrams : patch.weightGrams,
        dateKind: patch.dateKind ?? offer.dateKind,
        dateOn: patch.dateOn === undefined ? offer.dateOn : patch.dateOn,
        allergens: patch.allergens ?? offer.allergens,
        diets: patch.diets ?? offer.diets,
        origins: patch.origins ?? offer.origins,
        storage: patch.storage ?? offer.storage,
        pickupStartsAt: patch.pickupStartsAt ?? offer.pickupStartsAt,
        pickupEndsAt: patch.pickupEndsAt ?? offer.pickupEndsAt,
        audience: patch.audience ?? offer.audience,
        // The stored declarations unless the edit changes them: the rules re-run with what the offer says.
        partnerAcceptsShorter: patch.partnerAcceptsShorter ?? offer.partnerAcceptsShorter,
        isRawAnimalProduct: patch.isRawAnimalProduct ?? offer.isRawAnimalProduct,
        valueCents: patch.valueCents === undefined ? offer.valueCents : patch.valueCents
      };
      const issues = checkOfferSafety(
        safetyInput({ ...merged, dateOn: merged.dateOn ?? null }, offer.organisationId ? 'organisation' : 'individual'),
        await readSettings(db),
        at
      ).filter((i) => i.code !== 'individuals_may_not_post');
      if (issues.length > 0) refuse(issues);
      const reserved = offer.quantity - offer.remaining;
      if (merged.quantity < reserved) {
        throw new AppError('conflict', `${reserved} already reserved: the quantity cannot go below that`, {
          fields: [{ path: 'quantity', message: `at least ${reserved} (already reserved)`, code: 'quantity_below_reserved' }],
          reserved
        });
      }
      const pickup = patch.pickup ?? { addressLine: offer.addressLine, postalCode: offer.postalCode, city: offer.city, lat: offer.lat, lng: offer.lng };
      const values = offerValues(merged, pickup);
      const ok = await updateOfferRow(
        db,
        id,
        patch.version ?? offer.version,
        {
          ...values,
          pickup_starts_at: new Date(merged.pickupStartsAt).toISOString(),
          pickup_ends_at: new Date(merged.pickupEndsAt).toISOString(),
          partners_until: merged.audience === 'partners-first' ? (offer.partnersUntil ?? new Date(merged.pickupStartsAt).toISOString()) : null
        },
        at.toISOString()
      );
      if (!ok) throw new AppError('conflict', 'The offer changed meanwhile (edited, reserved or cancelled): reload it and try again');
      return toOfferView((await findOffer(db, id))!, { forDonor: true });
    },

    /**
     * Cancels an offer with a reason: in one transaction the offer, its confirmed, pooled and waiting
     * reservations (cancelled by the donor) and a notification to each person (outbox).
     */
    async cancelOffer(actor: Actor, id: string, raw: unknown): Promise<OfferView> {
      const { reason } = parseInput(cancelOfferInput, raw);
      const offer = await managedOffer(actor, id);
      const at = now();
      const iso = at.toISOString();
      await db.transaction().execute(async (trx) => {
        if (!(await markOfferCancelled(trx, id, reason, iso))) {
          throw new AppError('conflict', `The offer is ${offer.status === 'published' ? 'no longer published' : offer.status}: it cannot be cancelled`);
        }
        const cancelled = await cancelLiveReservations(trx, id, reason, iso);
        const userIds = cancelled.map((r) => r.userId).filter((u): u is string => u !== null);
        await notifyUsers(trx, at, userIds, {
          kind: 'offer.cancelled',
          params: {
            offerTitle: offer.title,
            placeName: offer.organisationName ?? offer.city,
            pickupStartsAt: offer.pickupStartsAt,
            pickupEndsAt: offer.pickupEndsAt,
            reason
          },
          link: '/mes-reservations'
        });
      });
      return toOfferView((await findOffer(db, id))!, { forDonor: true });
    },

    /** An organisation's offers whose window overlaps [from, to) (default: today's and later, 500 at most). */
    async listOrganisationOffers(actor: Actor, organisationId: string, raw: unknown = {}): Promise<OfferView[]> {
      const range = parseInput(offersRangeQuery, raw);
      await donorOrganisation(actor, organisationId);
      const rows = await listOrganisationOffers(db, organisationId, {
        from: isoOf(range.from),
        to: isoOf(range.to)
      });
      return rows.map((o) => toOfferView(o, { forDonor: true }));
    },

    /** The organisation's latest offers, newest first: templates for a new one (members only). */
    async recentOffers(actor: Actor, organisationId: string, limit = 10): Promise<OfferView[]> {
      await donorOrganisation(actor, organisationId);
      return (await listRecentOffers(db, organisationId, limit)).map((o) => toOfferView(o, { forDonor: true }));
    },

    /**
     * The organisation's offers over a period (default: all) with what was handed over, and the
     * impact: kg saved, meals, CO2e avoided, value at cost price (impact.rules.ts, factors sourced).
     */
    async history(actor: Actor, organisationId: string, raw: unknown = {}): Promise<{ impact: Impact; offers: (OfferView & { collectedUnits: number })[] }> {
      const range = parseInput(offersRangeQuery, raw);
      await donorOrganisation(actor, organisationId);
      const rows = await listOrganisationOffers(db, organisationId, {
        from: isoOf(range.from),
        to: isoOf(range.to),
        limit: 10_000
      });
      const collected = await collectedUnitsByOffer(db, rows.map((o) => o.id));
      const offers = rows
        .map((o) => ({ ...toOfferView(o, { forDonor: true }), collectedUnits: collected.get(o.id) ?? 0 }))
        .reverse();
      const impact = computeImpact(offers.filter((o) => o.status !== 'cancelled'));
      return { impact, offers };
    },

    /** The history as CSV (RFC 4180, UTF-8 BOM; cells that could run as formulas are defused). */
    async historyCsv(actor: Actor, organisationId: string, raw: unknown = {}): Promise<string> {
      const { offers } = await this.history(actor, organisationId, raw);
      const records = offers.map((o) => ({
        pickup_starts_at: o.pickupStartsAt,
        pickup_ends_at: o.pickupEndsAt,
        title: safeCell(o.title),
        category: o.category,
        unit: o.unit,
        quantity: o.quantity,
        collected_units: o.collectedUnits,
        weight_kg: o.weightGrams === null ? null : o.weightGrams / 1000,
        value_eur: o.valueCents === null ? null : (o.valueCents / 100).toFixed(2),
        date_kind: o.dateKind,
        date_on: o.dateOn,
        allergens: o.allergens,
        status: o.status,
        cancel_reason: safeCell(o.cancelReason)
      }));
      const columns = [
        'pickup_starts_at', 'pickup_ends_at', 'title', 'category', 'unit', 'quantity', 'collected_units', 'weight_kg',
        'value_eur', 'date_kind', 'date_on', 'allergens', 'status', 'cancel_reason'
      ] as const;
      return toCsv<(typeof records)[number]>(columns, records);
    },

    /** Whether the actor may post for this organisation (for pages: show the "Donner" button). */
    async canPost(actor: Actor, organisationId: string): Promise<boolean> {
      try {
        await donorOrganisation(actor, organisationId);
        return true;
      } catch {
        return false;
      }
    }
  };
}

export type OffersService = ReturnType<typeof createOffersService>;

export type ValueFields = Pick<
  OfferValues,
  | 'title' | 'description' | 'category' | 'unit' | 'quantity' | 'weight_grams' | 'date_kind' | 'date_on' | 'allergens'
  | 'allergen_mask' | 'diets' | 'diet_mask' | 'storage' | 'origins' | 'address_line' | 'postal_code' | 'city' | 'lat'
  | 'lng' | 'audience' | 'value_cents' | 'partner_accepts_shorter' | 'is_raw_animal_product'
>;

/** Columns from validated fields (closed lists already checked by the rules). */
export function offerValues(
  v: {
    title: string;
    description?: string | null;
    category: string;
    unit: 'unit' | 'portion';
    quantity: number;
    weightGrams?: number | null;
    dateKind: string;
    dateOn?: string | null;
    allergens: readonly string[];
    diets: readonly string[];
    origins: readonly string[];
    storage: string;
    audience: string;
    valueCents?: number | null;
    partnerAcceptsShorter?: boolean;
    isRawAnimalProduct?: boolean;
  },
  pickup: { addressLine?: string | null; postalCode?: string | null; city?: string | null; lat: number; lng: number }
): ValueFields {
  const allergens = [...new Set(v.allergens)];
  const diets = [...new Set(v.diets)];
  return {
    title: v.title,
    description: v.description || null,
    category: v.category,
    unit: v.unit,
    quantity: v.quantity,
    weight_grams: v.weightGrams ?? null,
    date_kind: v.dateKind as ValueFields['date_kind'],
    date_on: v.dateKind === 'none' ? null : (v.dateOn ?? null),
    allergens: JSON.stringify(allergens),
    allergen_mask: maskOf(ALLERGENS, allergens),
    diets: JSON.stringify(diets),
    diet_mask: maskOf(DIETS, diets),
    storage: v.storage as ValueFields['storage'],
    origins: JSON.stringify([...new Set(v.origins)]),
    address_line: pickup.addressLine ?? null,
    postal_code: pickup.postalCode ?? null,
    city: pickup.city ?? null,
    lat: pickup.lat,
    lng: pickup.lng,
    audience: v.audience as ValueFields['audience'],
    value_cents: v.valueCents ?? null,
    partner_accepts_shorter: v.partnerAcceptsShorter ? 1 : 0,
    is_raw_animal_product: v.isRawAnimalProduct ? 1 : 0
  };
}
