/**
 * The closed lists of eligibility (issue 4), without zod: pages import them from here. Labels are
 * not here: each value has an i18n key (`eligibility.profile.<value>`, `eligibility.status.<value>`,
 * `eligibility.outcome.<value>`, `eligibility.reason.<code>`) in src/lib/i18n/fr.ts and en.ts.
 */

/** Profiles a person declares (profil). `autre` when none fits. */
export const PROFILES = [
  'etudiant',
  'famille-monoparentale',
  'travailleur-precaire',
  'demandeur-emploi',
  'retraite',
  'autre'
] as const;
export type Profile = (typeof PROFILES)[number];

/** Life of a request (demande): submitted → incomplete ↔ submitted → granted | refused; or withdrawn by the person. */
export const REQUEST_STATUSES = ['submitted', 'incomplete', 'granted', 'refused', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Outcomes of a decision (décision): accordée, refusée, incomplète. */
export const DECISION_OUTCOMES = ['granted', 'refused', 'incomplete'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/**
 * Codes of the four built-in schemes (dispositifs). A territory may add more: a scheme code is any
 * lowercase slug (SCHEME_CODE_PATTERN); these four have translated descriptions in the catalogues.
 */
export const BUILT_IN_SCHEME_CODES = ['anti-gaspi', 'epicerie-sociale', 'paniers', 'aide-urgence'] as const;
export type BuiltInSchemeCode = (typeof BUILT_IN_SCHEME_CODES)[number];
export const SCHEME_CODE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SCHEME_CODE_MAX = 40;

/**
 * Machine codes of the reasons why a household cannot get a scheme (a "no"), or why the rules
 * cannot tell (a "cannot tell": missing data). Pages and API clients phrase them from the code and
 * its figures (see `Reason` in eligibility.rules.ts); labels are `eligibility.reason.<code>`.
 */
export const NO_REASON_CODES = [
  'profile_not_accepted',
  'commune_not_covered',
  'reste_a_vivre_over',
  'quotient_familial_over'
] as const;
export const CANNOT_TELL_REASON_CODES = [
  'profile_unknown',
  'commune_unknown',
  'reste_a_vivre_unknown',
  'quotient_familial_unknown',
  'data_invalid'
] as const;
export const REASON_CODES = [...NO_REASON_CODES, ...CANNOT_TELL_REASON_CODES] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** What the rules say of one scheme for one household. */
export const SIMULATION_OUTCOMES = ['eligible', 'not_eligible', 'cannot_tell'] as const;
export type SimulationOutcome = (typeof SIMULATION_OUTCOMES)[number];

/**
 * The simulator's commune when the person lives outside the communes the territory lists: no
 * scheme's list contains it, so a scheme limited to some communes answers "commune not covered".
 */
export const COMMUNE_ELSEWHERE = 'other';

/** Limits of the household and money inputs (the simulator and the person's file). */
export const HOUSEHOLD_SIZE_MAX = 30;
/** 1,000,000 € a month: beyond that, a typing mistake. */
export const MONEY_MAX_CENTS = 100_000_000;
/** Longest validity any scheme may grant (2 years + leap day, the domain's upper bound). */
export const VALIDITY_DAYS_MAX = 731;
/** Territory settings keys. */
export const SETTING_QF_PARTS = 'eligibility.qfParts';
/** Limits of a scheme's settings. */
export const SCHEME_NAME_MAX = 100;
export const SCHEME_DESCRIPTION_MAX = 1000;
export const SCHEME_COMMUNES_MAX = 500;
export const SCHEME_DECIDERS_MAX = 200;
/** A value of the table of parts is a multiple of a quarter part, at most PART_VALUE_MAX. */
export const PART_STEP = 0.25;
export const PART_VALUE_MAX = 10;
/** The entries of the table of parts (quotient familial), in the order forms show them. */
export const QF_PART_KEYS = ['firstAdult', 'secondAdult', 'otherAdult', 'child', 'furtherChild', 'singleParent'] as const;
export type QfPartKey = (typeof QF_PART_KEYS)[number];
/** How many children count at the `child` rate before `furtherChild` applies: at most this. */
export const QF_FIRST_CHILDREN_MAX = 20;

/** Euro cents → "7,50 €" (fr) or "€7.50" (en); a page-safe helper for figures of reasons and thresholds. */
export function formatCents(cents: number, locale: 'fr' | 'en'): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/**
 * What a person types as an amount of euros ("1 234,50", "812.5", "700 €") → integer cents, or null
 * when it is not an amount (the form then names the field). Rounds to the nearest cent.
 */
export function parseEurosToCents(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [units, decimals = ''] = cleaned.split('.');
  const cents = Number(units) * 100 + Number(decimals.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

// ───────────────────────── E2: household, requests, documents, decisions ─────────────────────────

/** Types of proof documents accepted, as detected from the file's bytes (never its name). */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];
/** What a person may type, in characters. */
export const FIRST_NAME_MAX = 60;
export const COMMUNE_NAME_MAX = 100;
export const DOCUMENT_LABEL_MAX = 120;
export const REQUEST_MESSAGE_MAX = 2000;
export const DECISION_TEXT_MAX = 2000;
/** Schemes one request may ask for. */
export const REQUEST_SCHEMES_MAX = 10;
/** Statuses in which a request waits for the organisation (documents readable, decision possible). */
export const OPEN_REQUEST_STATUSES = ['submitted', 'incomplete'] as const;
