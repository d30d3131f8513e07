import { z } from 'zod';
import { OFFER_UNITS } from './marketplace-vocabulary.js';

/**
 * Zod schemas of offers (dons) posted by donors, shared by the API and the donor pages. Closed lists
 * (category, allergens, diets, storage, date kind, audience, origins) are accepted as strings here and
 * checked by the food-safety rules (marketplace.rules.ts), so a refusal carries the rule's code.
 */

const shortText = (max: number) => z.string().trim().min(1).max(max);
const code = z.string().trim().max(40);

export const pickupPlaceSchema = z.object({
  addressLine: z.string().trim().max(200).nullable().optional(),
  postalCode: z.string().trim().max(10).nullable().optional(),
  city: z.string().trim().max(100).nullable().optional(),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180)
});
export type PickupPlaceInput = z.infer<typeof pickupPlaceSchema>;

const offerFields = {
  title: z.string().trim().min(2).max(120),
  description: z.string().trim().max(2000).nullable().optional(),
  category: code,
  unit: z.enum(OFFER_UNITS).default('unit'),
  /** Checked by the rules (integer ≥ 1) so the refusal names the rule. */
  quantity: z.number().max(100_000),
  weightGrams: z.number().int().min(1).max(10_000_000).nullable().optional(),
  dateKind: code.default('none'),
  dateOn: z.string().trim().max(10).nullable().optional(),
  allergens: z.array(code).max(20).default([]),
  diets: z.array(code).max(20).default([]),
  origins: z.array(code).max(10).default([]),
  storage: code.default('ambient'),
  pickupStartsAt: shortText(40),
  pickupEndsAt: shortText(40),
  audience: code.default('people'),
  /** The partner association accepts a DLC closer than the 48 h rule (it can redistribute in time). */
  partnerAcceptsShorter: z.boolean().default(false),
  /** Raw meat, fish, shellfish… (refused from private people). */
  isRawAnimalProduct: z.boolean().default(false),
  /** The whole offer at cost price, in euro cents (for tax receipts). */
  valueCents: z.number().int().min(0).max(100_000_000).nullable().optional(),
  /** Default: the organisation's address and coordinates. */
  pickup: pickupPlaceSchema.nullable().optional()
};

export const createOfferInput = z.object({
  /** The donor organisation; absent for a private person (territory permitting). */
  organisationId: z.string().min(1).max(100).nullable().optional(),
  ...offerFields
});
export type CreateOfferInput = z.input<typeof createOfferInput>;
export type CreateOffer = z.output<typeof createOfferInput>;

/** PATCH: every field optional; `version` guards against a concurrent edit. */
export const updateOfferInput = z.object({
  version: z.number().int().min(1).optional(),
  title: offerFields.title.optional(),
  description: offerFields.description,
  category: code.optional(),
  unit: z.enum(OFFER_UNITS).optional(),
  quantity: offerFields.quantity.optional(),
  weightGrams: offerFields.weightGrams,
  dateKind: code.optional(),
  dateOn: offerFields.dateOn,
  allergens: z.array(code).max(20).optional(),
  diets: z.array(code).max(20).optional(),
  origins: z.array(code).max(10).optional(),
  storage: code.optional(),
  pickupStartsAt: shortText(40).optional(),
  pickupEndsAt: shortText(40).optional(),
  audience: code.optional(),
  partnerAcceptsShorter: z.boolean().optional(),
  isRawAnimalProduct: z.boolean().optional(),
  valueCents: offerFields.valueCents,
  pickup: pickupPlaceSchema.optional()
});
export type UpdateOffer = z.output<typeof updateOfferInput>;

export const cancelOfferInput = z.object({ reason: z.string().trim().min(3).max(500) });

const dateOrDateTime = z
  .string()
  .trim()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'not a date or date-time' });
export const offersRangeQuery = z.object({ from: dateOrDateTime.optional(), to: dateOrDateTime.optional() });

/** A recurring offer's template: the offer's fields without its window; a DLC/DDM `dateOffsetDays` after each occurrence's day. */
export const seriesTemplateSchema = createOfferInput.omit({ organisationId: true, pickupStartsAt: true, pickupEndsAt: true }).extend({
  dateOffsetDays: z.number().int().min(0).max(60).default(0)
});
export type SeriesTemplate = z.output<typeof seriesTemplateSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'HH:MM expected');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD expected');

export const createSeriesInput = z.object({
  organisationId: z.string().min(1).max(100),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: z.array(z.number().int()).min(1).max(7),
  startTime: hhmm,
  endTime: hhmm,
  /** Default: today (Europe/Paris). */
  startsOn: isoDay.optional(),
  endsOn: isoDay.nullable().optional(),
  template: seriesTemplateSchema
});

export const updateSeriesInput = z.object({
  weekdays: z.array(z.number().int()).min(1).max(7).optional(),
  startTime: hhmm.optional(),
  endTime: hhmm.optional(),
  endsOn: isoDay.nullable().optional(),
  template: seriesTemplateSchema.optional()
});
