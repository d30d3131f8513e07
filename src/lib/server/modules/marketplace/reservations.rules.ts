import { createHash } from 'node:crypto';
import {
  MARKETPLACE_SCHEME,
  PICKUP_CODE_ALPHABET,
  PICKUP_CODE_LENGTH,
  type Audience,
  type ReservationStatus
} from '../../../schemas/marketplace-vocabulary.js';
import { isGrantActive } from '../eligibility/requests.rules.js';
import { parisWallToInstant } from '../directory/hours.rules.js';
import type { MarketplaceSettings } from './marketplace.rules.js';

/**
 * Pure rules of reserving a donation: pickup codes, the limits a person meets (lowered while a
 * no-show penalty runs), who may reserve an offer now (its audience), the pickup week, the pooling
 * lottery. No I/O, no clock: `now` and random bytes are passed in.
 */

// ───────────────────────────── pickup codes ─────────────────────────────

/**
 * A pickup code of PICKUP_CODE_LENGTH characters of PICKUP_CODE_ALPHABET (no 0/O, 1/I/L), drawn from
 * `randomBytes` without modulo bias (bytes at or above the largest multiple of the alphabet's size
 * are rejected).
 */
export function generatePickupCode(randomBytes: (n: number) => Uint8Array): string {
  const size = PICKUP_CODE_ALPHABET.length;
  const limit = 256 - (256 % size);
  let code = '';
  while (code.length < PICKUP_CODE_LENGTH) {
    for (const byte of randomBytes(PICKUP_CODE_LENGTH * 2)) {
      if (byte < limit && code.length < PICKUP_CODE_LENGTH) code += PICKUP_CODE_ALPHABET[byte % size];
    }
  }
  return code;
}

/** Upper case, without spaces or dashes: what a donor types is compared in this form. */
export function normalisePickupCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

/** What is stored of a code: sha256(offerId + code), hex. Unique per offer is enough to find it back. */
export function hashPickupCode(offerId: string, code: string): string {
  return createHash('sha256').update(`${offerId}${normalisePickupCode(code)}`).digest('hex');
}

// ───────────────────────────── limits ─────────────────────────────

/** The limits that apply to one person now. */
export interface PersonLimits {
  maxActiveReservations: number;
  maxUnitsPerOfferPerPerson: number;
  maxPickupsPerWeek: number;
  /** Set while a no-show penalty runs: the instant it ends (ISO). */
  penaltyUntil: string | null;
}

/**
 * The limits of a person who had `noShowTimes` (ISO instants, any order) no-shows: when at least
 * `noShowThreshold` fell within the last `noShowWindowDays`, the active-reservation limit drops to
 * `penaltyMaxActiveReservations` for `noShowPenaltyDays` after the no-show that reached the threshold.
 */
export function limitsFor(settings: MarketplaceSettings, noShowTimes: readonly string[], now: Date): PersonLimits {
  const base: PersonLimits = {
    maxActiveReservations: settings.maxActiveReservations,
    maxUnitsPerOfferPerPerson: settings.maxUnitsPerOfferPerPerson,
    maxPickupsPerWeek: settings.maxPickupsPerWeek,
    penaltyUntil: null
  };
  if (settings.noShowPenaltyDays === 0) return base;
  const windowStart = now.getTime() - settings.noShowWindowDays * 86_400_000;
  const recent = noShowTimes
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t) && t >= windowStart && t <= now.getTime())
    .sort((a, b) => a - b);
  if (recent.length < settings.noShowThreshold) return base;
  const reached = recent[settings.noShowThreshold - 1]!;
  const latest = recent[recent.length - 1]!;
  // The penalty runs from the no-show that reached the threshold, and again from each later one.
  const until = Math.max(reached, latest) + settings.noShowPenaltyDays * 86_400_000;
  if (until <= now.getTime()) return base;
  return {
    ...base,
    maxActiveReservations: Math.min(base.maxActiveReservations, settings.penaltyMaxActiveReservations),
    penaltyUntil: new Date(until).toISOString()
  };
}

/** Statuses of a reservation still to pick up: confirmed, in a pooling draw, or waiting. */
export const LIVE_RESERVATION_STATUSES: ReservationStatus[] = ['confirmed', 'pooled', 'waiting'];

/** A reservation still to pick up whose window has not ended. */
export function isActiveReservation(r: { status: ReservationStatus; pickupEndsAt: string }, now: number): boolean {
  return LIVE_RESERVATION_STATUSES.includes(r.status) && Date.parse(r.pickupEndsAt) > now;
}

export type LimitName = 'maxActiveReservations' | 'maxUnitsPerOfferPerPerson' | 'maxPickupsPerWeek';

/** What a person already holds when they ask for `quantity` more units of an offer. */
export interface LimitUsage {
  /** Reservations pooled, waiting or confirmed whose window has not ended. */
  active: number;
  /** Units of this offer already held (pooled, waiting, confirmed, collected). */
  unitsOnOffer: number;
  /** Pickups (reservations not cancelled) in the Paris week of this offer's window. */
  pickupsThisWeek: number;
  /** Whether the person already holds a reservation of this offer (it then counts no new pickup). */
  holdsOffer: boolean;
}

/** The first limit `quantity` more units would break, or null. */
export function brokenLimit(limits: PersonLimits, usage: LimitUsage, quantity: number): LimitName | null {
  if (usage.unitsOnOffer + quantity > limits.maxUnitsPerOfferPerPerson) return 'maxUnitsPerOfferPerPerson';
  if (!usage.holdsOffer && usage.active + 1 > limits.maxActiveReservations) return 'maxActiveReservations';
  if (!usage.holdsOffer && usage.pickupsThisWeek + 1 > limits.maxPickupsPerWeek) return 'maxPickupsPerWeek';
  return null;
}

/**
 * The Paris week (Monday 00:00 to next Monday 00:00, Europe/Paris) containing `at`, as UTC instants.
 * "Pickups per week" counts the reservations whose window starts in the same week as the new one.
 */
export function parisWeekOf(at: Date): { start: string; end: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short'
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  const year = Number(get('year'));
  const month = Number(get('month'));
  const day = Number(get('day'));
  const wall = (plus: number) => {
    const d = new Date(Date.UTC(year, month - 1, day - weekday + plus));
    return parisWallToInstant({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0
    });
  };
  return { start: wall(0).toISOString(), end: wall(7).toISOString() };
}

// ───────────────────────────── audience ─────────────────────────────

/** The offer fields that decide who may reserve it, and when. */
export interface AudienceOffer {
  audience: Audience;
  partnersUntil: string | null;
}

/**
 * Whether a reservation as `as` ('person': an eligible person for themself or an accompanied person;
 * 'partner': a partner association) is open now: `people` → persons only; `partners` → partners only;
 * `partners-first` → partners only until `partnersUntil`, then both.
 */
export function audienceAllows(offer: AudienceOffer, as: 'person' | 'partner', now: Date): boolean {
  if (offer.audience === 'people') return as === 'person';
  if (offer.audience === 'partners') return as === 'partner';
  if (as === 'partner') return true;
  return offer.partnersUntil !== null && Date.parse(offer.partnersUntil) <= now.getTime();
}

/** Organisation kinds that count as partner associations of the territory. */
export const PARTNER_KINDS = ['association', 'ccas'] as const;

/** Whether an organisation of this kind is a partner association (PARTNER_KINDS). */
export function isPartnerKind(kind: string): boolean {
  return (PARTNER_KINDS as readonly string[]).includes(kind);
}

/** Whether a person's grants hold a running anti-gaspi access on `today` (YYYY-MM-DD, Europe/Paris). */
export function holdsMarketplaceAccess(
  grants: readonly { schemeCode: string; validFrom: string; validUntil: string; revokedAt: string | null }[],
  today: string
): boolean {
  return grants.some((g) => g.schemeCode === MARKETPLACE_SCHEME && isGrantActive(g, today));
}

// ───────────────────────────── cancellation ─────────────────────────────

/** A person may cancel a pooled, waiting or confirmed reservation until the pickup window starts. */
export function personMayCancel(status: string, pickupStartsAt: string, now: Date): boolean {
  return ['pooled', 'waiting', 'confirmed'].includes(status) && now.getTime() < Date.parse(pickupStartsAt);
}

// ───────────────────────────── fair allocation ─────────────────────────────

/** A request made during the pooling window, with what the person received lately. */
export interface PoolEntry {
  id: string;
  quantity: number;
  /** Units collected in the last `lotteryLookbackDays`. */
  recentUnits: number;
  createdAt: string;
}

/** The lottery's weight of a request: people who received least come first more often. */
export function lotteryWeight(recentUnits: number): number {
  return 1 / (1 + Math.max(0, recentUnits));
}


/**
 * The order of the lottery: weighted sampling without replacement (Efraimidis–Spirakis: key
 * u^(1/w), highest first), so each draw picks a remaining request with probability proportional to
 * its weight. Ties are broken by arrival, then id.
 */
export function lotteryOrder(entries: readonly PoolEntry[], random: () => number): PoolEntry[] {
  return entries
    .map((e) => {
      const u = Math.max(random(), Number.MIN_VALUE);
      return { e, key: Math.log(u) / lotteryWeight(e.recentUnits) };
    })
    .sort((a, b) => b.key - a.key || a.e.createdAt.localeCompare(b.e.createdAt) || a.e.id.localeCompare(b.e.id))
    .map((x) => x.e);
}

/**
 * Allocates `remaining` units in lottery order: each request is served whole when it fits, else it
 * goes to the waiting list (in lottery order, positions from 1).
 */
export function allocate(
  ordered: readonly PoolEntry[],
  remaining: number
): { confirmed: PoolEntry[]; waiting: PoolEntry[]; left: number } {
  const confirmed: PoolEntry[] = [];
  const waiting: PoolEntry[] = [];
  let left = remaining;
  for (const e of ordered) {
    if (e.quantity <= left) {
      confirmed.push(e);
      left -= e.quantity;
    } else waiting.push(e);
  }
  return { confirmed, waiting, left };
}

/** A 32-bit seed from an offer id and the instant its pooling ended: reproducible, different per offer. */
export function lotterySeed(offerId: string, poolingEndsAt: string): number {
  return createHash('sha256').update(`${offerId}|${poolingEndsAt}`).digest().readUInt32BE(0);
}
