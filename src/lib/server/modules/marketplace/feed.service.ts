import type { Kysely } from 'kysely';
import { ALLERGENS, DIETS, valuesOf, type OfferCategory } from '../../../schemas/marketplace-vocabulary.js';
import {
  FEED_DEFAULT_RADIUS_KM,
  type FeedItem,
  type FeedPreferences,
  type FeedPreferencesInput
} from '../../../schemas/reservations.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { checkQuietHours } from '../notifications/alerts.rules.js';
import { dueLotteriesNear, findFeed, findFeedPreference, liveOffersCentre, saveFeedPreference } from './feed.repository.js';
import { findOffer } from './offers.repository.js';
import { firstOfferPhotos, type OfferPhotoRecord } from './offer-photos.repository.js';
import { presentOfferPhoto } from './offer-photos.presenter.js';
import { toOfferView, type OfferView } from './offers.presenter.js';
import { parseFeedQuery, type FeedQuery, type RawFeedQuery } from './feed.rules.js';
import type { ReservationsService } from './reservations.service.js';
import { defaultAlertDailyCap } from './reservations.repository.js';
import { isPartnerKind } from './reservations.rules.js';
import { canActFor } from '../eligibility/eligibility.policy.js';
import { findAccompaniment } from '../eligibility/people.repository.js';
import { loadAgent } from '../eligibility/requests.repository.js';

/**
 * The feed of donations for eligible people (use cases): live offers near a point, filtered and
 * sorted, and the person's saved area and preferences.
 */

export interface FeedActor {
  userId: string;
  isPlatformAdmin: boolean;
}

export interface FeedDeps {
  db: Kysely<DB>;
  now: () => Date;
  reservations: Pick<ReservationsService, 'isEligible' | 'allocateOffer'>;
}

export interface FeedPage {
  items: FeedItem[];
  /** Matches within the radius, at most FEED_TOTAL_CAP (then `totalCapped`). */
  total: number;
  /** More matches than FEED_TOTAL_CAP ("more than 1,000"). */
  totalCapped: boolean;
  query: FeedQuery;
}

/** The feed's thumbnail of an offer's first photo, or null. */
function thumbOf(p: OfferPhotoRecord | undefined): FeedItem['photo'] {
  if (!p) return null;
  const view = presentOfferPhoto(p);
  return { url: view.thumb.url, width: view.thumb.width, height: view.thumb.height, alt: view.alt };
}

/**
 * The feed query itself, without eligibility: live offers open to people near `query`'s point.
 * Exported for the feed benchmark (bench/feed.bench.ts) and the pages.
 */
export async function searchFeed(
  db: Kysely<DB>,
  query: FeedQuery,
  at: Date,
  as: 'person' | 'partner' = 'person'
): Promise<{ items: FeedItem[]; total: number; totalCapped: boolean }> {
  const { items, total, totalCapped } = await findFeed(db, query, at.toISOString(), { as });
  const photos = await firstOfferPhotos(db, items.map((r) => r.id));
  return {
    total,
    totalCapped,
    items: items.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      category: r.category as OfferCategory,
      unit: r.unit,
      quantity: r.quantity,
      remaining: r.remaining,
      weightGrams: r.weightGrams,
      dateKind: r.dateKind,
      dateOn: r.dateOn,
      allergens: r.allergens,
      diets: r.diets,
      storage: r.storage,
      origins: r.origins,
      organisationName: r.organisationName,
      addressLine: r.addressLine,
      postalCode: r.postalCode,
      city: r.city,
      lat: r.lat,
      lng: r.lng,
      distanceKm: r.distanceKm,
      pickupStartsAt: r.pickupStartsAt,
      pickupEndsAt: r.pickupEndsAt,
      poolingEndsAt: r.allocatedAt ? null : r.poolingEndsAt,
      audience: r.audience,
      photo: thumbOf(photos.get(r.id))
    }))
  };
}

const notEligible = () =>
  new AppError('forbidden', 'An active anti-waste access (anti-gaspi) is needed to see the donations', { reason: 'not_eligible' });

export function createFeedService(deps: FeedDeps) {
  const { db, now, reservations } = deps;

  async function preferencesOf(userId: string): Promise<FeedPreferences> {
    const p = await findFeedPreference(db, userId);
    if (!p) {
      return {
        lat: null,
        lng: null,
        radiusKm: FEED_DEFAULT_RADIUS_KM,
        categories: [],
        diets: [],
        excludeAllergens: [],
        notifyNewOffers: false,
        quietStart: null,
        quietEnd: null,
        dailyCap: await defaultAlertDailyCap(db),
        isSaved: false,
        updatedAt: null
      };
    }
    return {
      lat: p.lat,
      lng: p.lng,
      radiusKm: p.radiusKm,
      categories: p.categories as FeedPreferences['categories'],
      diets: valuesOf(DIETS, p.dietMask),
      excludeAllergens: valuesOf(ALLERGENS, p.excludedAllergenMask),
      notifyNewOffers: p.notifyNewOffers,
      quietStart: p.quietStart,
      quietEnd: p.quietEnd,
      dailyCap: p.dailyCap,
      isSaved: true,
      updatedAt: p.updatedAt
    };
  }

  /**
   * Every feed (a person's, an agent's for an accompanied person, a partner association's) shows an
   * offer's remaining units and pooling state: the lotteries within the query's radius whose pooling
   * window has ended and that the job (each minute) has not run yet are run first, so one search
   * shows their outcome. With none due (the usual case: one indexed look-up) a read writes nothing.
   */
  async function searchAfterDueLotteries(query: FeedQuery, as: 'person' | 'partner'): Promise<Omit<FeedPage, 'query'>> {
    const at = now();
    for (const id of await dueLotteriesNear(db, query, at.toISOString())) await reservations.allocateOffer(id);
    return searchFeed(db, query, at, as);
  }

  return {
    /**
     * The feed for an eligible person (403 otherwise): without a point, the saved area is used;
     * every bad parameter is named (400). Due lotteries in the radius are run first (searchAfterDueLotteries).
     */
    async feed(actor: FeedActor, raw: RawFeedQuery): Promise<FeedPage> {
      if (!(await reservations.isEligible(actor.userId, now()))) throw notEligible();
      const saved = await findFeedPreference(db, actor.userId);
      const parsed = parseFeedQuery(raw, saved ?? null);
      if (!parsed.query) {
        const first = parsed.issues[0]!;
        throw new AppError('validation_failed', `Invalid value for ${first.path}: ${first.message}`, { fields: parsed.issues });
      }
      return { ...(await searchAfterDueLotteries(parsed.query, 'person')), query: parsed.query };
    },

    /**
     * One donation as an eligible person sees it (403 otherwise; 404 when unknown, or not meant for
     * people: partners only). Gone or ended offers are returned with their status for the page to say so.
     */
    async offerForPerson(actor: FeedActor, offerId: string): Promise<OfferView> {
      if (!(await reservations.isEligible(actor.userId, now()))) throw notEligible();
      const offer = await findOffer(db, offerId);
      if (!offer || offer.audience === 'partners') throw new AppError('not_found', 'Offer not found');
      return toOfferView(offer);
    },

    /**
     * The feed for an accompanied person, as an agent who may act for them sees it (404 for anyone
     * else, like the person's file): offers open to people near the given point, due lotteries run
     * first (searchAfterDueLotteries). `eligible` false (and no offers) when the person holds no
     * running anti-gaspi access. Browsing is not audited; reserving is (reservations.reserve).
     */
    async feedForPerson(actor: FeedActor, personUserId: string, raw: RawFeedQuery): Promise<FeedPage & { eligible: boolean }> {
      const agent = await loadAgent(db, actor);
      if (!canActFor(agent, (await findAccompaniment(db, personUserId)) ?? null)) throw new AppError('not_found', 'Person not found');
      const parsed = parseFeedQuery(raw, null);
      if (!parsed.query) {
        const first = parsed.issues[0]!;
        throw new AppError('validation_failed', `Invalid value for ${first.path}: ${first.message}`, { fields: parsed.issues });
      }
      if (!(await reservations.isEligible(personUserId, now()))) return { eligible: false, items: [], total: 0, totalCapped: false, query: parsed.query };
      return { eligible: true, ...(await searchAfterDueLotteries(parsed.query, 'person')), query: parsed.query };
    },

    /**
     * Offers addressed to partner associations (audience `partners` or `partners-first`) near the
     * given point, for a member of a partner association (association or CCAS; 403 otherwise); due
     * lotteries run first (searchAfterDueLotteries).
     */
    async partnerFeed(actor: FeedActor, organisationId: string, raw: RawFeedQuery): Promise<FeedPage> {
      const agent = await loadAgent(db, actor);
      const member = agent.memberships.some((m) => m.organisationId === organisationId && isPartnerKind(m.kind));
      if (!member) throw new AppError('forbidden', 'Only members of a partner association see the offers addressed to partners');
      const parsed = parseFeedQuery(raw, null);
      if (!parsed.query) {
        const first = parsed.issues[0]!;
        throw new AppError('validation_failed', `Invalid value for ${first.path}: ${first.message}`, { fields: parsed.issues });
      }
      return { ...(await searchAfterDueLotteries(parsed.query, 'partner')), query: parsed.query };
    },

    /** Where a first feed is centred when the person gave no point and saved no area: the middle of the live offers. */
    defaultCentre(): Promise<{ lat: number; lng: number } | null> {
      return liveOffersCentre(db, now().toISOString());
    },

    /** Whether the person may use the marketplace now. */
    isEligible(userId: string): Promise<boolean> {
      return reservations.isEligible(userId, now());
    },

    /** The person's saved area and preferences (defaults when none are saved). */
    getPreferences(actor: FeedActor): Promise<FeedPreferences> {
      return preferencesOf(actor.userId);
    },

    /**
     * Saves the area and filters; notification fields (M4) are kept when not sent. Lat and lng go
     * together.
     */
    async savePreferences(actor: FeedActor, input: FeedPreferencesInput): Promise<FeedPreferences> {
      if ((input.lat === null) !== (input.lng === null)) {
        throw new AppError('validation_failed', 'Latitude and longitude go together', {
          fields: [{ path: input.lat === null ? 'lat' : 'lng', message: 'give both latitude and longitude, or neither' }]
        });
      }
      const current = await findFeedPreference(db, actor.userId);
      // The alert fields follow the rules of the alert settings (PUT /me/alert-settings): both ends of
      // the quiet hours or neither, once merged with what is kept; the territory's default cap at first.
      const quietStart = input.quietStart !== undefined ? input.quietStart : (current?.quietStart ?? null);
      const quietEnd = input.quietEnd !== undefined ? input.quietEnd : (current?.quietEnd ?? null);
      checkQuietHours(quietStart, quietEnd);
      await saveFeedPreference(db, actor.userId, {
        lat: input.lat,
        lng: input.lng,
        radiusKm: input.radiusKm,
        categories: [...new Set(input.categories)],
        dietMask: input.diets.reduce((m, d) => m | (1 << DIETS.indexOf(d)), 0),
        excludedAllergenMask: input.excludeAllergens.reduce((m, a) => m | (1 << ALLERGENS.indexOf(a)), 0),
        notifyNewOffers: input.notifyNewOffers ?? current?.notifyNewOffers ?? false,
        quietStart,
        quietEnd,
        dailyCap: input.dailyCap ?? current?.dailyCap ?? (await defaultAlertDailyCap(db)),
        updatedAt: now().toISOString()
      });
      return preferencesOf(actor.userId);
    }
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
