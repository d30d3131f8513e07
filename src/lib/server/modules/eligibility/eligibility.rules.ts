import {
  CANNOT_TELL_REASON_CODES,
  PART_STEP,
  type SimulationOutcome
} from '../../../schemas/eligibility-vocabulary.js';
import { qfPartsSchema } from '../../../schemas/eligibility.js';

/**
 * The arithmetic of eligibility, pure (no I/O, no clock: `today` is passed in). Money is integer euro
 * cents everywhere; every division rounds DOWN to the cent (towards minus infinity), in one step, so
 * the figure shown is the figure compared, and a household on the edge is never refused by a
 * rounding. Thresholds are inclusive: eligible when the figure is AT MOST the scheme's maximum.
 *
 * - Reste à vivre per person per day = (monthly resources − monthly charges) ÷ household size ÷ 30.
 *   Charges above resources give a negative figure: below any threshold, so eligible on that rule.
 * - Quotient familial per month = (annual taxable income ÷ 12 + monthly benefits) ÷ parts, parts
 *   from the territory's table (a setting; DEFAULT_QF_PARTS otherwise). Benefits not declared count
 *   as none; the income is required.
 * - Missing data never crashes nor guesses: the rule that needs it answers "cannot tell" with the
 *   names of the missing fields.
 */

/** Days in the month of the reste à vivre formula (the practice divides by 30, whatever the month). */
export const DAYS_PER_MONTH = 30;

// ───────────────────────────── integer arithmetic ─────────────────────────────

/** ⌊n ÷ d⌋ for safe integers, d > 0, exact (float division is only a first guess, then corrected). */
export function floorDiv(n: number, d: number): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0) throw new RangeError('floorDiv needs safe integers and d > 0');
  let q = Math.floor(n / d);
  while (q * d > n) q -= 1;
  while ((q + 1) * d <= n) q += 1;
  return q;
}

const isCents = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

// ───────────────────────────── inputs ─────────────────────────────

/** A household as the rules see it (the person's file, a request, or the simulator). */
export interface HouseholdFacts {
  /** Number of people; must equal adults + children. */
  size: number;
  adults: number;
  children: number;
  isSingleParent: boolean;
  /** One of PROFILES, or null when not said. */
  profile: string | null;
  /** INSEE code of the commune of residence, `other` (outside the listed communes), or null when not said. */
  communeInsee: string | null;
}

/** Resources in cents; null when not declared. */
export interface ResourcesFacts {
  monthlyResourcesCents: number | null;
  monthlyChargesCents: number | null;
  annualTaxableIncomeCents: number | null;
  monthlyBenefitsCents: number | null;
}

/** A scheme's rules as stored (the `scheme` table through the repository). */
export interface SchemeRules {
  id: string;
  code: string;
  /** [] = every profile. */
  acceptedProfiles: readonly string[];
  /** INSEE codes; [] = anywhere. */
  communes: readonly string[];
  maxResteAVivreCents: number | null;
  maxQuotientFamilialCents: number | null;
  defaultValidityDays: number;
  maxValidityDays: number;
  isRenewable: boolean;
}

/** The table of parts of the quotient familial (see qfPartsSchema for the meaning of each entry). */
export interface QfPartsTable {
  firstAdult: number;
  secondAdult: number;
  otherAdult: number;
  child: number;
  firstChildren: number;
  furtherChild: number;
  singleParent: number;
}

/**
 * The default table, CAF-like: 1 part for a single adult, 2 for a couple (+0.5 for each further
 * adult), +0.5 for each of the first two children, +1 from the third, +0.5 for a single parent.
 */
export const DEFAULT_QF_PARTS: Readonly<QfPartsTable> = Object.freeze({
  firstAdult: 1,
  secondAdult: 1,
  otherAdult: 0.5,
  child: 0.5,
  firstChildren: 2,
  furtherChild: 1,
  singleParent: 0.5
});

/** A field of a table of parts that is not acceptable, with why. */
export interface QfPartsIssue {
  path: string;
  message: string;
}

/** Checks a custom table of parts (the same schema as the API); [] when it may be saved. */
export function validateQfParts(table: unknown): QfPartsIssue[] {
  const result = qfPartsSchema.safeParse(table);
  if (result.success) return [];
  return result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(table)'),
    message: i.message
  }));
}

/**
 * The table stored in the `eligibility.qfParts` setting (JSON text), or the default when there is
 * none or it is not a valid table (a hand-edited row must not break every simulation).
 */
export function readQfParts(stored: string | null | undefined): { table: QfPartsTable; isDefault: boolean } {
  if (stored) {
    try {
      const result = qfPartsSchema.safeParse(JSON.parse(stored));
      if (result.success) return { table: result.data, isDefault: false };
    } catch {
      // not JSON: fall back to the default
    }
  }
  return { table: { ...DEFAULT_QF_PARTS }, isDefault: true };
}

// ───────────────────────────── household checks ─────────────────────────────

/** The first field that makes a household unusable by the rules, or null when it is usable. */
export function householdProblem(h: HouseholdFacts): { field: string } | null {
  if (!isCount(h.size) || h.size < 1) return { field: 'size' };
  if (!isCount(h.adults)) return { field: 'adults' };
  if (!isCount(h.children)) return { field: 'children' };
  if (h.adults + h.children !== h.size) return { field: 'size' };
  if (h.isSingleParent && (h.adults !== 1 || h.children < 1)) return { field: 'isSingleParent' };
  return null;
}

// ───────────────────────────── figures ─────────────────────────────

/** A computed figure, or why there is none. */
export type Figure =
  | { kind: 'value'; cents: number }
  | { kind: 'missing'; missing: string[] }
  | { kind: 'invalid'; field: string };

/**
 * Reste à vivre per person per day, in cents, rounded down: (resources − charges) ÷ size ÷ 30.
 * May be negative (charges above resources). Needs resources and charges and a size ≥ 1.
 */
export function resteAVivre(
  resources: Pick<ResourcesFacts, 'monthlyResourcesCents' | 'monthlyChargesCents'>,
  householdSize: number
): Figure {
  if (!isCount(householdSize) || householdSize < 1) return { kind: 'invalid', field: 'size' };
  const missing: string[] = [];
  const { monthlyResourcesCents: income, monthlyChargesCents: charges } = resources;
  if (income === null || income === undefined) missing.push('monthlyResourcesCents');
  else if (!isCents(income)) return { kind: 'invalid', field: 'monthlyResourcesCents' };
  if (charges === null || charges === undefined) missing.push('monthlyChargesCents');
  else if (!isCents(charges)) return { kind: 'invalid', field: 'monthlyChargesCents' };
  if (missing.length > 0) return { kind: 'missing', missing };
  return { kind: 'value', cents: floorDiv(income! - charges!, householdSize * DAYS_PER_MONTH) };
}

/** Parts of a household from the table, in quarters of a part (an integer), so sums stay exact. */
export function partsInQuarters(h: Pick<HouseholdFacts, 'adults' | 'children' | 'isSingleParent'>, table: QfPartsTable): number {
  const q = (parts: number) => Math.round(parts / PART_STEP);
  let quarters = 0;
  if (h.adults >= 1) quarters += q(table.firstAdult);
  if (h.adults >= 2) quarters += q(table.secondAdult);
  if (h.adults >= 3) quarters += (h.adults - 2) * q(table.otherAdult);
  const atChildRate = Math.min(h.children, table.firstChildren);
  quarters += atChildRate * q(table.child) + (h.children - atChildRate) * q(table.furtherChild);
  if (h.isSingleParent) quarters += q(table.singleParent);
  return quarters;
}

/** Parts of a household from the table (e.g. 2.5 for a couple with one child under the default table). */
export function parts(h: Pick<HouseholdFacts, 'adults' | 'children' | 'isSingleParent'>, table: QfPartsTable = DEFAULT_QF_PARTS): number {
  return partsInQuarters(h, table) * PART_STEP;
}

/**
 * Quotient familial per month, in cents, rounded down once:
 * (annual income + 12 × monthly benefits) ÷ (12 × parts), computed in quarters of a part.
 * Needs the annual taxable income; benefits not declared count as none.
 */
export function quotientFamilial(
  h: Pick<HouseholdFacts, 'adults' | 'children' | 'isSingleParent'>,
  resources: Pick<ResourcesFacts, 'annualTaxableIncomeCents' | 'monthlyBenefitsCents'>,
  table: QfPartsTable = DEFAULT_QF_PARTS
): Figure {
  const { annualTaxableIncomeCents: income, monthlyBenefitsCents: benefits } = resources;
  if (income === null || income === undefined) return { kind: 'missing', missing: ['annualTaxableIncomeCents'] };
  if (!isCents(income)) return { kind: 'invalid', field: 'annualTaxableIncomeCents' };
  if (benefits !== null && benefits !== undefined && !isCents(benefits)) return { kind: 'invalid', field: 'monthlyBenefitsCents' };
  const quarters = partsInQuarters(h, table);
  if (quarters <= 0) return { kind: 'invalid', field: 'parts' };
  const numerator = (income + 12 * (benefits ?? 0)) * 4;
  return { kind: 'value', cents: floorDiv(numerator, 12 * quarters) };
}

// ───────────────────────────── evaluation ─────────────────────────────

/** One reason why a household cannot get a scheme, or why the rules cannot tell; figures in cents. */
export type Reason =
  | { code: 'profile_not_accepted'; profile: string; accepted: string[] }
  | { code: 'profile_unknown'; accepted: string[] }
  | { code: 'commune_not_covered'; commune: string; communes: string[] }
  | { code: 'commune_unknown'; communes: string[] }
  | { code: 'reste_a_vivre_over'; value: number; max: number }
  | { code: 'reste_a_vivre_unknown'; max: number; missing: string[] }
  | { code: 'quotient_familial_over'; value: number; max: number }
  | { code: 'quotient_familial_unknown'; max: number; missing: string[] }
  | { code: 'data_invalid'; field: string };

/** What the rules say of one scheme. */
export interface SchemeEvaluation {
  schemeId: string;
  code: string;
  /** eligible: no reason; cannot_tell: only "cannot tell" reasons; not_eligible: at least one "no". */
  outcome: SimulationOutcome;
  eligible: boolean;
  /** Every reason, "no" reasons first, in a fixed order: profile, commune, reste à vivre, quotient familial. */
  reasons: Reason[];
  /** The end of a grant of this scheme made today with its default validity (inclusive). */
  defaultValidUntil: string;
}

/** The household's figures (null when they cannot be computed) and one evaluation per scheme, in order. */
export interface Evaluation {
  resteAVivreCents: number | null;
  quotientFamilialCents: number | null;
  parts: number | null;
  schemes: SchemeEvaluation[];
}

const CANNOT_TELL: ReadonlySet<string> = new Set(CANNOT_TELL_REASON_CODES);

/** Whether a reason only says the rules cannot tell (missing or unusable data), rather than "no". */
export function isCannotTell(reason: Reason): boolean {
  return CANNOT_TELL.has(reason.code);
}

/**
 * Tells, for every scheme, whether the household could get it, with EVERY reason of no (so a page
 * can list them all, not just the first). Pure: `today` (YYYY-MM-DD, the territory's date) dates
 * the default validity; `qfParts` is the territory's table.
 */
export function evaluateSchemes(
  household: HouseholdFacts,
  resources: ResourcesFacts,
  schemes: readonly SchemeRules[],
  today: string,
  qfParts: QfPartsTable = DEFAULT_QF_PARTS
): Evaluation {
  const problem = householdProblem(household);
  const rav: Figure = problem ? { kind: 'invalid', field: problem.field } : resteAVivre(resources, household.size);
  const qf: Figure = problem ? { kind: 'invalid', field: problem.field } : quotientFamilial(household, resources, qfParts);

  const evaluations = schemes.map((scheme): SchemeEvaluation => {
    const reasons: Reason[] = [];
    const accepted = [...scheme.acceptedProfiles];
    if (accepted.length > 0) {
      if (household.profile === null || household.profile === '') reasons.push({ code: 'profile_unknown', accepted });
      else if (!accepted.includes(household.profile)) reasons.push({ code: 'profile_not_accepted', profile: household.profile, accepted });
    }
    const communes = [...scheme.communes];
    if (communes.length > 0) {
      if (household.communeInsee === null || household.communeInsee === '') reasons.push({ code: 'commune_unknown', communes });
      else if (!communes.includes(household.communeInsee)) {
        reasons.push({ code: 'commune_not_covered', commune: household.communeInsee, communes });
      }
    }
    const invalid = new Set<string>();
    const threshold = (
      figure: Figure,
      max: number | null,
      over: 'reste_a_vivre_over' | 'quotient_familial_over',
      unknown: 'reste_a_vivre_unknown' | 'quotient_familial_unknown'
    ) => {
      if (max === null) return;
      if (figure.kind === 'value') {
        if (figure.cents > max) reasons.push({ code: over, value: figure.cents, max });
      } else if (figure.kind === 'missing') {
        reasons.push({ code: unknown, max, missing: figure.missing });
      } else if (!invalid.has(figure.field)) {
        invalid.add(figure.field);
        reasons.push({ code: 'data_invalid', field: figure.field });
      }
    };
    threshold(rav, scheme.maxResteAVivreCents, 'reste_a_vivre_over', 'reste_a_vivre_unknown');
    threshold(qf, scheme.maxQuotientFamilialCents, 'quotient_familial_over', 'quotient_familial_unknown');
    if (problem && !invalid.has(problem.field)) reasons.push({ code: 'data_invalid', field: problem.field });

    const ordered = [...reasons.filter((r) => !isCannotTell(r)), ...reasons.filter(isCannotTell)];
    const outcome: SimulationOutcome =
      ordered.length === 0 ? 'eligible' : ordered.some((r) => !isCannotTell(r)) ? 'not_eligible' : 'cannot_tell';
    return {
      schemeId: scheme.id,
      code: scheme.code,
      outcome,
      eligible: outcome === 'eligible',
      reasons: ordered,
      defaultValidUntil: defaultValidUntil(scheme, today)
    };
  });

  return {
    resteAVivreCents: rav.kind === 'value' ? rav.cents : null,
    quotientFamilialCents: qf.kind === 'value' ? qf.cents : null,
    parts: problem ? null : parts(household, qfParts),
    schemes: evaluations
  };
}

// ───────────────────────────── validity of a grant ─────────────────────────────

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `date` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const t = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === date;
}

/** `date` (YYYY-MM-DD) plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The end (inclusive) of a grant starting `from` with the scheme's default validity: `from` plus
 * `defaultValidityDays` (30 days from 1 March ends on 31 March). Validity of N days always means
 * "until from + N", for the default and the maximum alike.
 */
export function defaultValidUntil(scheme: Pick<SchemeRules, 'defaultValidityDays'>, from: string): string {
  return addDays(from, scheme.defaultValidityDays);
}

/** The latest end a grant starting `from` may have. */
export function latestValidUntil(scheme: Pick<SchemeRules, 'maxValidityDays'>, from: string): string {
  return addDays(from, scheme.maxValidityDays);
}

/** Why an end date of validity is refused. */
export type ValidityRefusal =
  | { code: 'validity_not_a_date'; value: string }
  | { code: 'validity_in_past'; value: string; earliest: string }
  | { code: 'validity_over_max'; value: string; latest: string; maxDays: number };

/**
 * Checks the end date (inclusive) of a grant of `scheme` starting `from` (today, or the day after a
 * renewed grant ends): a real date, not before today nor before the start, at most `maxValidityDays`
 * after the start. Null when acceptable.
 */
export function validityRefusal(
  scheme: Pick<SchemeRules, 'maxValidityDays'>,
  validUntil: string,
  today: string,
  from: string = today
): ValidityRefusal | null {
  if (!isIsoDate(validUntil)) return { code: 'validity_not_a_date', value: validUntil };
  const earliest = from > today ? from : today;
  if (validUntil < earliest) return { code: 'validity_in_past', value: validUntil, earliest };
  const latest = latestValidUntil(scheme, from);
  if (validUntil > latest) return { code: 'validity_over_max', value: validUntil, latest, maxDays: scheme.maxValidityDays };
  return null;
}

/** A grant as the renewal rule sees it. */
export interface GrantFacts {
  validUntil: string;
  revokedAt: string | null;
}

/** A renewal's answer: where the new validity starts, or why there is none. */
export type RenewalCheck =
  | { ok: true; validFrom: string; defaultValidUntil: string; latestValidUntil: string }
  | { ok: false; code: 'not_renewable' | 'grant_revoked' };

/**
 * Whether a grant of `scheme` may be renewed today, and from when: a renewal follows on from the
 * current grant (the day after it ends) while it runs, or starts today once it has ended. Refused
 * when the scheme is not renewable (e.g. emergency parcels) or the grant was revoked.
 */
export function checkRenewal(
  scheme: Pick<SchemeRules, 'isRenewable' | 'defaultValidityDays' | 'maxValidityDays'>,
  grant: GrantFacts,
  today: string
): RenewalCheck {
  if (!scheme.isRenewable) return { ok: false, code: 'not_renewable' };
  if (grant.revokedAt !== null) return { ok: false, code: 'grant_revoked' };
  const validFrom = grant.validUntil >= today ? addDays(grant.validUntil, 1) : today;
  return {
    ok: true,
    validFrom,
    defaultValidUntil: defaultValidUntil(scheme, validFrom),
    latestValidUntil: latestValidUntil(scheme, validFrom)
  };
}
