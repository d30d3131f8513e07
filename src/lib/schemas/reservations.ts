import { z } from 'zod';
import { ALLERGENS, DIETS, OFFER_CATEGORIES, RESERVATION_STATUSES } from './marketplace-vocabulary.js';
import { alertDailyCapSchema, quietTimeSchema } from './notifications.js';
import { offerPhotoThumbSchema } from './photos.js';

/**
 * Zod schemas of reserving donations (issue 5, M2): the reserve request and the reservation as its
 * owner sees it, shared by the API routes and the pages.
 */

/** Most units one request may ask for (limits from the settings apply below this). */
export const RESERVE_QUANTITY_MAX = 1000;

export const reserveInputSchema = z.object({
  quantity: z.number().int().min(1).max(RESERVE_QUANTITY_MAX),
  forUserId: z.string().min(1).max(100).optional(),
  organisationId: z.string().min(1).max(100).optional(),
  waitingList: z.boolean().optional()
});
export type ReserveInputBody = z.infer<typeof reserveInputSchema>;

export const idempotencyKeySchema = z.string().trim().min(1).max(200);

export const reservationViewSchema = z.object({
  id: z.string(),
  offerId: z.string(),
  offerTitle: z.string(),
  unit: z.string(),
  organisationName: z.string().nullable(),
  status: z.enum(RESERVATION_STATUSES),
  quantity: z.number().int(),
  collectedQuantity: z.number().int().nullable(),
  waitingPosition: z.number().int().nullable(),
  code: z.string().nullable(),
  pickupStartsAt: z.string(),
  pickupEndsAt: z.string(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
  storage: z.string(),
  forUserId: z.string().nullable(),
  partnerOrganisationId: z.string().nullable(),
  actedByUserId: z.string().nullable(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  cancelReason: z.string().nullable(),
  canCancel: z.boolean()
});

/**
 * Which of a partner association's reservations to list: `active` (pooled, waiting or confirmed,
 * pickup window not ended: what its page shows) or `all` (history included).
 */
export const ORGANISATION_RESERVATION_FILTERS = ['active', 'all'] as const;
export type OrganisationReservationFilter = (typeof ORGANISATION_RESERVATION_FILTERS)[number];
export const ORGANISATION_RESERVATIONS_MAX_LIMIT = 100;

/** Query of a partner association's reservations (`GET /organisations/{orgId}/reservations`, and its page). */
export const organisationReservationsQuery = z.strictObject({
  status: z.enum(ORGANISATION_RESERVATION_FILTERS).default('active'),
  limit: z.coerce.number().int().min(1).max(ORGANISATION_RESERVATIONS_MAX_LIMIT).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0)
});
export type OrganisationReservationsQuery = z.input<typeof organisationReservationsQuery>;

/**
 * A partner association's reservation as its members see it: the offer, window, status and code, and
 * only the first name of the member who reserved (no user ids: the page shows no more).
 */
export const organisationReservationSchema = reservationViewSchema
  .omit({ forUserId: true, actedByUserId: true })
  .extend({
    reservedBy: z.object({
      firstName: z.string().nullable(),
      /** The caller made it (only they may cancel it). */
      isMe: z.boolean()
    })
  });

export const personLimitsSchema = z.object({
  maxActiveReservations: z.number().int(),
  maxUnitsPerOfferPerPerson: z.number().int(),
  maxPickupsPerWeek: z.number().int(),
  penaltyUntil: z.string().nullable()
});

/** What makes a reservation a no-show and what repeated ones cost (the territory's settings). */
export const noShowRulesSchema = z.object({
  graceMinutes: z.number().int(),
  threshold: z.number().int(),
  windowDays: z.number().int(),
  penaltyDays: z.number().int(),
  penaltyMaxActiveReservations: z.number().int()
});

// ───────────────────────── the feed and its saved preferences ─────────────────────────

/** Largest radius of the feed, in kilometres (a person collects on foot, by bike or bus). */
export const FEED_MAX_RADIUS_KM = 50;
export const FEED_DEFAULT_RADIUS_KM = 3;
export const FEED_MAX_LIMIT = 100;
/**
 * Radii an agent chooses from where they reserve for others (a partner association, an accompanied
 * person): kept in the page's URL as `rayon`; the feed still answers nearest first within it.
 */
export const AGENT_RADII_KM = [5, 10, 20, 50] as const;
export const FEED_SORTS = ['distance', 'ending'] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

/** What a person saves for the feed (and, M4, for "new offers near me" notifications). */
export const feedPreferencesInputSchema = z.object({
  lat: z.number().min(-90).max(90).nullable(),
  lng: z.number().min(-180).max(180).nullable(),
  radiusKm: z.number().gt(0).max(FEED_MAX_RADIUS_KM),
  categories: z.array(z.enum(OFFER_CATEGORIES)).max(OFFER_CATEGORIES.length),
  diets: z.array(z.enum(DIETS)).max(DIETS.length),
  excludeAllergens: z.array(z.enum(ALLERGENS)).max(ALLERGENS.length),
  notifyNewOffers: z.boolean().optional(),
  quietStart: quietTimeSchema.nullable().optional(),
  quietEnd: quietTimeSchema.nullable().optional(),
  dailyCap: alertDailyCapSchema.optional()
});
export type FeedPreferencesInput = z.infer<typeof feedPreferencesInputSchema>;

export const feedPreferencesSchema = feedPreferencesInputSchema.extend({
  notifyNewOffers: z.boolean(),
  quietStart: quietTimeSchema.nullable(),
  quietEnd: quietTimeSchema.nullable(),
  dailyCap: z.number().int(),
  isSaved: z.boolean(),
  updatedAt: z.string().nullable()
});
export type FeedPreferences = z.infer<typeof feedPreferencesSchema>;

export const feedItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  category: z.enum(OFFER_CATEGORIES),
  unit: z.string(),
  quantity: z.number().int(),
  remaining: z.number().int(),
  weightGrams: z.number().int().nullable(),
  dateKind: z.string(),
  dateOn: z.string().nullable(),
  allergens: z.array(z.string()),
  diets: z.array(z.string()),
  storage: z.string(),
  origins: z.array(z.string()),
  organisationName: z.string().nullable(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
  distanceKm: z.number(),
  pickupStartsAt: z.string(),
  pickupEndsAt: z.string(),
  poolingEndsAt: z.string().nullable(),
  audience: z.string(),
  /** The offer's first photo (thumbnail), if any. */
  photo: offerPhotoThumbSchema.nullable()
});
export type FeedItem = z.infer<typeof feedItemSchema>;
