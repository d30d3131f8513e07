import { z } from 'zod';
import {
  ALLERGENS,
  AUDIENCES,
  DATE_KINDS,
  DIETS,
  OFFER_CATEGORIES,
  ORIGINS,
  STORAGES,
  type Audience,
  type DateKind,
  type Storage
} from '../../../schemas/marketplace-vocabulary.js';
import { parisWallToInstant } from '../directory/hours.rules.js';

/**
 * The anti-waste marketplace's pure rules: the territory's settings (JSON in the `setting` row
 * `marketplace.settings`) and the food-safety checks every offer passes before it is stored.
 * No I/O, no clock: `now` is passed in.
 */

// ───────────────────────────── settings ─────────────────────────────

/** The setting key of the marketplace settings. */
export const MARKETPLACE_SETTINGS_KEY = 'marketplace.settings';

const count = (min = 0) => z.number().int().min(min).max(100_000);

/** One schema for the settings; every value is a local choice of the territory, never law. */
export const marketplaceSettingsSchema = z.object({
  /** Whether private people may post offers (territory permitting). */
  individualsMayPost: z.boolean(),
  /** Partner associations: minimum hours between the end of the pickup window and the DLC (D.541-310: 48 h). */
  partnerMinDlcHours: count(0),
  /** Chilled or frozen items: longest pickup window, in hours (cold chain). */
  maxChilledWindowHours: count(1),
  /** Fair allocation: requests in the first minutes of an offer go to a lottery. 0 = off. */
  poolingMinutes: count(0),
  maxActiveReservations: count(1),
  maxUnitsPerOfferPerPerson: count(1),
  maxPickupsPerWeek: count(1),
  noShowThreshold: count(1),
  noShowWindowDays: count(1),
  noShowPenaltyDays: count(0),
  penaltyMaxActiveReservations: count(0),
  lotteryLookbackDays: count(1),
  newOfferDailyCapDefault: count(0),
  reminderMinutesBeforeEnd: count(0)
});

export type MarketplaceSettings = z.infer<typeof marketplaceSettingsSchema>;

export const DEFAULT_MARKETPLACE_SETTINGS: Readonly<MarketplaceSettings> = Object.freeze({
  individualsMayPost: false,
  partnerMinDlcHours: 48,
  maxChilledWindowHours: 4,
  poolingMinutes: 10,
  maxActiveReservations: 3,
  maxUnitsPerOfferPerPerson: 2,
  maxPickupsPerWeek: 4,
  noShowThreshold: 2,
  noShowWindowDays: 30,
  noShowPenaltyDays: 14,
  penaltyMaxActiveReservations: 1,
  lotteryLookbackDays: 30,
  newOfferDailyCapDefault: 5,
  reminderMinutesBeforeEnd: 30
});

/**
 * The settings stored in `marketplace.settings` (JSON text). Missing, unparsable or invalid values
 * fall back to their default one by one (a hand-edited row must not stop the marketplace, nor wipe
 * the values that are right).
 */
export function readMarketplaceSettings(stored: string | null | undefined): MarketplaceSettings {
  const settings: MarketplaceSettings = { ...DEFAULT_MARKETPLACE_SETTINGS };
  if (!stored) return settings;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return settings;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return settings;
  const shape = marketplaceSettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof MarketplaceSettings)[]) {
    const result = shape[key].safeParse((parsed as Record<string, unknown>)[key]);
    if (result.success) (settings as Record<string, unknown>)[key] = result.data;
  }
  return settings;
}

// ───────────────────────────── food safety ─────────────────────────────

/** The codes of the rules an offer can break; `details.fields[].code` carries one of them. */
export const OFFER_RULE_CODES = [
  'quantity_not_positive_integer',
  'window_invalid_date',
  'window_ends_before_start',
  'window_in_past',
  'date_required',
  'date_invalid',
  'dlc_before_window_end',
  'dlc_too_close_for_partners',
  'chilled_window_too_long',
  'raw_animal_product_from_individual',
  'individuals_may_not_post',
  'unknown_allergen',
  'unknown_diet',
  'unknown_origin',
  'unknown_category',
  'unknown_storage',
  'unknown_date_kind',
  'unknown_audience'
] as const;
export type OfferRuleCode = (typeof OFFER_RULE_CODES)[number];

/** One broken rule, on one field (dotted path of the API body). */
export interface OfferRuleIssue {
  path: string;
  code: OfferRuleCode;
  message: string;
}

/** What the food-safety rules look at. Times are ISO instants; `dateOn` is `YYYY-MM-DD` (Paris). */
export interface OfferSafetyInput {
  category: string;
  quantity: number;
  dateKind: string;
  dateOn: string | null;
  storage: string;
  audience: string;
  allergens: readonly string[];
  diets: readonly string[];
  origins?: readonly string[];
  pickupStartsAt: string;
  pickupEndsAt: string;
  /** The partner association says it can redistribute in time a DLC closer than partnerMinDlcHours. */
  partnerAcceptsShorter: boolean;
  /** Raw meat, fish, shellfish, raw-milk… declared by the donor. */
  isRawAnimalProduct: boolean;
  /** Who posts: a donor organisation's member, or a private person. */
  postedBy: 'organisation' | 'individual';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `s` is a real calendar date `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The last instant a DLC date allows: the end of that day in Europe/Paris (midnight of the next
 * day). "À consommer jusqu'au 12/03" means the food may still be eaten, hence given, on the 12th.
 */
export function dlcEndsAt(dateOn: string): Date {
  const [y, m, d] = dateOn.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return parisWallToInstant({
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0
  });
}

/** The values not in a closed list. */
function unknownValues(list: readonly string[], values: readonly string[]): string[] {
  return values.filter((v) => !list.includes(v));
}

/**
 * Every food-safety and consistency rule an offer breaks (empty when it may be published), each
 * naming its field and its rule:
 * - quantity: an integer ≥ 1;
 * - window: valid instants, ending after it starts, not ended yet (a window already started is
 *   accepted: a baker posts at 19:10 for 19:00–20:00);
 * - DLC (use-by) food: the DLC day must not end before the window ends (Reg. 852/2004; food is given
 *   only before its DLC); for partner associations (audience partners / partners-first) it must end
 *   at least `partnerMinDlcHours` after the window (Code de l'environnement D.541-310) unless the
 *   partner accepts shorter; DDM (best-before) food may be given after its date (Reg. 2021/382);
 * - chilled or frozen: a window no longer than `maxChilledWindowHours` (cold chain);
 * - from a private person: posting must be allowed, and no raw animal products (practice of
 *   citizen-to-citizen apps, arrêté of 7 Jan 2021 for businesses);
 * - closed lists (category, storage, date kind, audience, allergens, diets, origins).
 */
export function checkOfferSafety(input: OfferSafetyInput, settings: MarketplaceSettings, now: Date): OfferRuleIssue[] {
  const issues: OfferRuleIssue[] = [];
  const add = (path: string, code: OfferRuleCode, message: string) => issues.push({ path, code, message });

  if (!Number.isInteger(input.quantity) || input.quantity < 1)
    add('quantity', 'quantity_not_positive_integer', 'The quantity must be a whole number of at least 1.');

  if (!(OFFER_CATEGORIES as readonly string[]).includes(input.category))
    add('category', 'unknown_category', `Unknown category "${input.category}".`);
  if (!(STORAGES as readonly string[]).includes(input.storage))
    add('storage', 'unknown_storage', `Unknown storage "${input.storage}".`);
  if (!(DATE_KINDS as readonly string[]).includes(input.dateKind))
    add('dateKind', 'unknown_date_kind', `Unknown date kind "${input.dateKind}".`);
  if (!(AUDIENCES as readonly string[]).includes(input.audience))
    add('audience', 'unknown_audience', `Unknown audience "${input.audience}".`);
  for (const v of unknownValues(ALLERGENS, input.allergens))
    add('allergens', 'unknown_allergen', `Unknown allergen "${v}" (expected one of the 14 EU allergens).`);
  for (const v of unknownValues(DIETS, input.diets)) add('diets', 'unknown_diet', `Unknown diet "${v}".`);
  for (const v of unknownValues(ORIGINS, input.origins ?? [])) add('origins', 'unknown_origin', `Unknown origin "${v}".`);

  if (input.postedBy === 'individual') {
    if (!settings.individualsMayPost)
      add('organisationId', 'individuals_may_not_post', 'Private people may not post offers in this territory.');
    if (input.isRawAnimalProduct)
      add('isRawAnimalProduct', 'raw_animal_product_from_individual', 'Raw animal products (meat, fish…) may not be given by private people.');
  }

  const starts = Date.parse(input.pickupStartsAt);
  const ends = Date.parse(input.pickupEndsAt);
  if (Number.isNaN(starts)) add('pickupStartsAt', 'window_invalid_date', 'The start of the pickup window is not a valid date-time.');
  if (Number.isNaN(ends)) add('pickupEndsAt', 'window_invalid_date', 'The end of the pickup window is not a valid date-time.');
  const windowValid = !Number.isNaN(starts) && !Number.isNaN(ends);
  if (windowValid) {
    if (ends <= starts) add('pickupEndsAt', 'window_ends_before_start', 'The pickup window must end after it starts.');
    else if (ends <= now.getTime()) add('pickupEndsAt', 'window_in_past', 'The pickup window is already over.');
    if (ends > starts && (input.storage === 'chilled' || input.storage === 'frozen')) {
      const maxMs = settings.maxChilledWindowHours * 3600_000;
      if (ends - starts > maxMs)
        add(
          'pickupEndsAt',
          'chilled_window_too_long',
          `Chilled or frozen food needs a pickup window of at most ${settings.maxChilledWindowHours} h.`
        );
    }
  }

  const kind = input.dateKind as DateKind;
  if (kind === 'dlc' || kind === 'ddm') {
    if (!input.dateOn) add('dateOn', 'date_required', 'A DLC or DDM needs its date.');
    else if (!isIsoDate(input.dateOn)) add('dateOn', 'date_invalid', 'The date must be a real date YYYY-MM-DD.');
    else if (kind === 'dlc' && windowValid) {
      const dlcEnd = dlcEndsAt(input.dateOn).getTime();
      const audience = input.audience as Audience;
      if (dlcEnd < ends) add('dateOn', 'dlc_before_window_end', 'The DLC (use-by date) falls before the end of the pickup window.');
      else if (
        (audience === 'partners' || audience === 'partners-first') &&
        !input.partnerAcceptsShorter &&
        dlcEnd < ends + settings.partnerMinDlcHours * 3600_000
      )
        add(
          'dateOn',
          'dlc_too_close_for_partners',
          `A partner association needs the DLC at least ${settings.partnerMinDlcHours} h after the pickup window, unless it accepts shorter.`
        );
    }
  }
  return issues;
}

/** Whether food of this storage must show the cold-chain note. */
export function needsColdChain(storage: Storage): boolean {
  return storage === 'chilled' || storage === 'frozen';
}

// ───────────────────────────── offer photos ─────────────────────────────

/** What decides who sees an offer's photos. */
export interface OfferLiveFacts {
  status: string;
  pickupEndsAt: string;
}

/**
 * An offer is live while it is published and its pickup window has not ended: only then are its
 * photos public. A cancelled or ended offer's photos are its donor's only (data minimisation: a
 * photo may show a shop's back room or a person's kitchen).
 */
export function isOfferLive(offer: OfferLiveFacts, now: Date): boolean {
  return offer.status === 'published' && Date.parse(offer.pickupEndsAt) > now.getTime();
}

/**
 * Cache-Control of an offer photo: a live offer's photo is public, cached at most until its pickup
 * window ends (and never more than `maxSeconds`), so shared caches let it go with the offer; a
 * photo the donor alone may see is never kept by a shared cache.
 */
export function offerPhotoCacheControl(offer: OfferLiveFacts, now: Date, maxSeconds: number): string {
  if (!isOfferLive(offer, now)) return 'private, no-cache';
  const untilEnd = Math.floor((Date.parse(offer.pickupEndsAt) - now.getTime()) / 1000);
  return `public, max-age=${Math.max(0, Math.min(maxSeconds, untilEnd))}`;
}

/**
 * The instant before which an offer that ended or was cancelled loses its photos (retention of
 * OFFER_PHOTO_RETENTION_DAYS days).
 */
export function offerPhotoPurgeBefore(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
}
