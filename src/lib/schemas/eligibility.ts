import { z } from 'zod';

/**
 * Zod schemas of the eligibility area (issue 4), shared by API routes, services and pages. Closed
 * lists come from eligibility-vocabulary.ts (pages import them without zod). Each helper keeps its
 * block together below: E1 schemes/settings/simulator, E2 household/requests/decisions, E3 people/cards.
 */

// ───────────────────────── E1: schemes, settings, simulator ─────────────────────────
import {
  COMMUNE_ELSEWHERE,
  HOUSEHOLD_SIZE_MAX,
  MONEY_MAX_CENTS,
  PART_STEP,
  PART_VALUE_MAX,
  PROFILES,
  QF_FIRST_CHILDREN_MAX,
  SCHEME_CODE_MAX,
  SCHEME_CODE_PATTERN,
  SCHEME_COMMUNES_MAX,
  SCHEME_DECIDERS_MAX,
  SCHEME_DESCRIPTION_MAX,
  SCHEME_NAME_MAX,
  VALIDITY_DAYS_MAX
} from './eligibility-vocabulary.js';

/** An INSEE commune code: 5 digits, or 2A/2B + 3 digits in Corsica. */
export const communeInseeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{5}|2[AB]\d{3})$/, { message: 'INSEE code must have 5 characters (2A/2B for Corsica)' });

/** A sum of money in integer euro cents (never a float of euros). */
export const moneyCentsSchema = z
  .number({ message: 'an amount in cents (integer)' })
  .int({ message: 'an amount in cents (integer)' })
  .min(0, { message: 'cannot be negative' })
  .max(MONEY_MAX_CENTS, { message: 'too large' });

const partValue = z
  .number({ message: 'a number of parts' })
  .min(0, { message: 'cannot be negative' })
  .max(PART_VALUE_MAX, { message: `at most ${PART_VALUE_MAX}` })
  .refine((v) => Number.isInteger(v / PART_STEP), { message: `a multiple of ${PART_STEP}` });

/**
 * The table of parts of the quotient familial, a setting of the territory (sources differ). Parts
 * of a household: `firstAdult` for the first adult, `secondAdult` for the second, `otherAdult` for
 * each further adult; `child` for each of the first `firstChildren` children, `furtherChild` for
 * each further one; plus `singleParent` for a single parent. Each value a multiple of 0.25.
 */
export const qfPartsSchema = z.strictObject({
  firstAdult: partValue.refine((v) => v > 0, { message: 'must be more than 0' }),
  secondAdult: partValue,
  otherAdult: partValue,
  child: partValue,
  firstChildren: z.number().int().min(0).max(QF_FIRST_CHILDREN_MAX),
  furtherChild: partValue,
  singleParent: partValue
});
export type QfPartsInput = z.input<typeof qfPartsSchema>;

/** Body of `PUT /eligibility/settings`: every territory setting of eligibility. */
export const eligibilitySettingsInput = z.strictObject({ qfParts: qfPartsSchema });
export type EligibilitySettingsInput = z.input<typeof eligibilitySettingsInput>;

const schemeName = z.string().trim().min(1, { message: 'required' }).max(SCHEME_NAME_MAX);
const optionalSchemeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable();
const validityDays = z.number().int().min(1).max(VALIDITY_DAYS_MAX);
const uniqueList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .transform((list) => [...new Set(list)]);

/** A scheme's fields other than its code (the code is fixed at creation: requests and grants name it). */
const schemeFields = {
  name: schemeName,
  nameEn: optionalSchemeText(SCHEME_NAME_MAX),
  description: optionalSchemeText(SCHEME_DESCRIPTION_MAX),
  /** [] = every profile. */
  acceptedProfiles: uniqueList(z.enum(PROFILES), PROFILES.length),
  /** INSEE codes of the communes of residence; [] = anywhere. */
  communes: uniqueList(communeInseeSchema, SCHEME_COMMUNES_MAX),
  /** Reste à vivre per person per day, at most (cents); null = no threshold. */
  maxResteAVivreCents: moneyCentsSchema.nullable(),
  /** Quotient familial per month, at most (cents); null = no threshold. */
  maxQuotientFamilialCents: moneyCentsSchema.nullable(),
  defaultValidityDays: validityDays,
  maxValidityDays: validityDays,
  isRenewable: z.boolean(),
  isActive: z.boolean(),
  position: z.number().int().min(0).max(10_000)
};

/** Body of `POST /eligibility/schemes`. */
export const createSchemeInput = z
  .strictObject({
    code: z
      .string()
      .trim()
      .min(1, { message: 'required' })
      .max(SCHEME_CODE_MAX)
      .regex(SCHEME_CODE_PATTERN, { message: 'lower-case letters, digits and dashes, e.g. anti-gaspi' }),
    ...schemeFields,
    nameEn: schemeFields.nameEn.optional(),
    description: schemeFields.description.optional(),
    acceptedProfiles: schemeFields.acceptedProfiles.default([]),
    communes: schemeFields.communes.default([]),
    maxResteAVivreCents: schemeFields.maxResteAVivreCents.default(null),
    maxQuotientFamilialCents: schemeFields.maxQuotientFamilialCents.default(null),
    isRenewable: schemeFields.isRenewable.default(true),
    isActive: schemeFields.isActive.default(true),
    position: schemeFields.position.default(0)
  })
  .superRefine((s, ctx) => {
    // Only between two acceptable numbers of days (zod runs this even when one of them failed).
    const days = (v: number) => Number.isInteger(v) && v >= 1 && v <= VALIDITY_DAYS_MAX;
    if (days(s.defaultValidityDays) && days(s.maxValidityDays) && s.defaultValidityDays > s.maxValidityDays) {
      ctx.addIssue({ code: 'custom', path: ['defaultValidityDays'], message: 'cannot exceed maxValidityDays' });
    }
  });
export type CreateSchemeInput = z.input<typeof createSchemeInput>;

/**
 * Body of `PATCH /eligibility/schemes/{id}`: any field but the code; an absent field is unchanged.
 * Default ≤ max validity is checked by the service on the merged scheme.
 */
export const updateSchemeInput = z.strictObject({
  name: schemeFields.name.optional(),
  nameEn: schemeFields.nameEn.optional(),
  description: schemeFields.description.optional(),
  acceptedProfiles: schemeFields.acceptedProfiles.optional(),
  communes: schemeFields.communes.optional(),
  maxResteAVivreCents: schemeFields.maxResteAVivreCents.optional(),
  maxQuotientFamilialCents: schemeFields.maxQuotientFamilialCents.optional(),
  defaultValidityDays: schemeFields.defaultValidityDays.optional(),
  maxValidityDays: schemeFields.maxValidityDays.optional(),
  isRenewable: schemeFields.isRenewable.optional(),
  isActive: schemeFields.isActive.optional(),
  position: schemeFields.position.optional()
});
export type UpdateSchemeInput = z.input<typeof updateSchemeInput>;

/** Body of `PUT /eligibility/schemes/{id}/deciders`: the organisations (CCAS, associations) that decide it. */
export const schemeDecidersInput = z.strictObject({
  organisationIds: uniqueList(z.string().min(1).max(100), SCHEME_DECIDERS_MAX)
});
export type SchemeDecidersInput = z.input<typeof schemeDecidersInput>;

/**
 * Body of `POST /eligibility/simulate` (the public simulator: nothing typed is stored). Household
 * composition as the person's file has it (size = adults + children); every money field optional:
 * a threshold that needs a missing figure answers "cannot tell", never a guess.
 */
export const simulateInput = z
  .strictObject({
    adults: z.number().int().min(1, { message: 'a household has at least one adult' }).max(HOUSEHOLD_SIZE_MAX),
    children: z.number().int().min(0).max(HOUSEHOLD_SIZE_MAX),
    /** Optional: when given, must equal adults + children. */
    size: z.number().int().min(1).max(HOUSEHOLD_SIZE_MAX).optional(),
    isSingleParent: z.boolean().default(false),
    profile: z.enum(PROFILES).nullable().default(null),
    /** An INSEE code, `other` (outside the listed communes), or null (not said). */
    communeInsee: z.union([communeInseeSchema, z.literal(COMMUNE_ELSEWHERE)]).nullable().default(null),
    monthlyResourcesCents: moneyCentsSchema.nullable().default(null),
    monthlyChargesCents: moneyCentsSchema.nullable().default(null),
    annualTaxableIncomeCents: moneyCentsSchema.nullable().default(null),
    monthlyBenefitsCents: moneyCentsSchema.nullable().default(null)
  })
  .superRefine((h, ctx) => {
    const total = h.adults + h.children;
    if (total > HOUSEHOLD_SIZE_MAX) ctx.addIssue({ code: 'custom', path: ['children'], message: `at most ${HOUSEHOLD_SIZE_MAX} people` });
    if (h.size !== undefined && Number.isInteger(h.size) && h.size >= 1 && h.size !== total) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'size must equal adults + children' });
    }
    if (h.isSingleParent && (h.adults !== 1 || h.children < 1)) {
      ctx.addIssue({ code: 'custom', path: ['isSingleParent'], message: 'a single parent household has one adult and at least one child' });
    }
  });
export type SimulateInput = z.input<typeof simulateInput>;

// ───────────────────────── E2: household, requests, documents, decisions ─────────────────────────
import {
  COMMUNE_ELSEWHERE as E2_COMMUNE_ELSEWHERE,
  COMMUNE_NAME_MAX,
  DECISION_OUTCOMES,
  DECISION_TEXT_MAX,
  DOCUMENT_LABEL_MAX,
  FIRST_NAME_MAX,
  HOUSEHOLD_SIZE_MAX as E2_HOUSEHOLD_SIZE_MAX,
  MONEY_MAX_CENTS as E2_MONEY_MAX_CENTS,
  PROFILES as E2_PROFILES,
  REQUEST_MESSAGE_MAX,
  REQUEST_SCHEMES_MAX,
  REQUEST_STATUSES,
  SCHEME_CODE_MAX as E2_SCHEME_CODE_MAX,
  SCHEME_CODE_PATTERN as E2_SCHEME_CODE_PATTERN
} from './eligibility-vocabulary.js';

// Control characters are what this refuses (tabs and newlines stay allowed).
// eslint-disable-next-line no-control-regex
const noControl = (v: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v);
/** A free text the person or the agent writes (trimmed, no control characters); empty → undefined. */
const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `at most ${max} characters` })
    .refine(noControl, { message: 'Control characters are not allowed' })
    .transform((v) => (v === '' ? undefined : v));

/** An amount in euro cents, per month or per year as the field says. */
const centsSchema = z
  .number({ message: 'an amount in cents (integer)' })
  .int({ message: 'an amount in cents (integer)' })
  .min(0, { message: 'cannot be negative' })
  .max(E2_MONEY_MAX_CENTS, { message: 'too large' });

const requestSchemeCode = z
  .string()
  .max(E2_SCHEME_CODE_MAX)
  .regex(E2_SCHEME_CODE_PATTERN, { message: 'a scheme code such as anti-gaspi' });

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD' })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
    message: 'not a real date'
  });

const inseeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{5}|2[AB]\d{3})$/, { message: 'INSEE code must have 5 characters (2A/2B for Corsica)' });

/** The person's household (foyer) as declared: `PUT /me/household`, and the desk form. */
export const householdInput = z
  .strictObject({
    firstName: z
      .string()
      .trim()
      .min(1, { message: 'required' })
      .max(FIRST_NAME_MAX)
      .refine(noControl, { message: 'Control characters are not allowed' }),
    size: z.number().int().min(1).max(E2_HOUSEHOLD_SIZE_MAX),
    adults: z.number().int().min(1).max(E2_HOUSEHOLD_SIZE_MAX),
    children: z.number().int().min(0).max(E2_HOUSEHOLD_SIZE_MAX),
    isSingleParent: z.boolean().default(false),
    profile: z.enum(E2_PROFILES),
    /** An INSEE code of the territory's list, `other` (another commune), or null (not said). */
    communeInsee: z.union([inseeSchema, z.literal(E2_COMMUNE_ELSEWHERE)]).nullable().optional(),
    communeName: z.string().trim().max(COMMUNE_NAME_MAX).refine(noControl).nullable().optional()
  })
  .superRefine((h, ctx) => {
    if (h.adults + h.children !== h.size) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'size must equal adults + children' });
    }
    if (h.isSingleParent && (h.adults !== 1 || h.children < 1)) {
      ctx.addIssue({ code: 'custom', path: ['isSingleParent'], message: 'a single parent household has one adult and at least one child' });
    }
  });
export type HouseholdInput = z.input<typeof householdInput>;
export type Household = z.output<typeof householdInput>;

/** Resources declared on a request, each optional (the agent may ask for them), in cents. */
export const resourcesFields = {
  monthlyResourcesCents: centsSchema.nullable().optional(),
  monthlyChargesCents: centsSchema.nullable().optional(),
  annualTaxableIncomeCents: centsSchema.nullable().optional(),
  monthlyBenefitsCents: centsSchema.nullable().optional()
};

const requestSchemes = z
  .array(requestSchemeCode)
  .min(1, { message: 'choose at least one scheme' })
  .max(REQUEST_SCHEMES_MAX)
  .transform((codes) => [...new Set(codes)]);

/** Body of `POST /eligibility/requests`: a request of the signed-in person to one organisation. */
export const createRequestInput = z.strictObject({
  organisationId: z.string().min(1, { message: 'required' }).max(100),
  schemes: requestSchemes,
  ...resourcesFields,
  message: freeText(REQUEST_MESSAGE_MAX).optional(),
  /** Set for a renewal: the grant that ends. */
  renewsGrantId: z.string().min(1).max(100).optional()
});
export type CreateRequestInput = z.input<typeof createRequestInput>;

/**
 * Who a desk request is for: an account found by email or phone, or (userId) a person the
 * organisation accompanies. Exactly one.
 */
export const deskPersonInput = z
  .strictObject({
    userId: z.string().min(1).max(100).optional(),
    email: z.string().trim().toLowerCase().pipe(z.email({ message: 'not a valid email address' }).max(254)).optional(),
    phone: z.string().trim().min(1).max(40).optional(),
    /**
     * `true`: a person without phone or email, met at the desk: an accompanied account (first name and
     * household from `household`) is created in the same transaction as the request.
     */
    new: z.literal(true).optional()
  })
  .superRefine((p, ctx) => {
    const given = [p.userId, p.email, p.phone, p.new].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['email'], message: 'give exactly one of userId, email, phone or new' });
  });

/** Body of `POST /organisations/{orgId}/eligibility/requests`: a request started at the desk by an agent. */
export const deskRequestInput = z.strictObject({
  person: deskPersonInput,
  household: householdInput,
  schemes: requestSchemes,
  ...resourcesFields,
  message: freeText(REQUEST_MESSAGE_MAX).optional()
});
export type DeskRequestInput = z.input<typeof deskRequestInput>;

/** The label sent with a proof document ("Avis d'imposition"); the file's name is never kept. */
export const documentLabelSchema = z
  .string({ message: 'required' })
  .trim()
  .min(1, { message: 'required' })
  .max(DOCUMENT_LABEL_MAX)
  .refine(noControl, { message: 'Control characters are not allowed' });

/** Body of `POST /eligibility/requests/{id}/decision`. `version` is the one the agent saw. */
export const decisionInput = z
  .strictObject({
    outcome: z.enum(DECISION_OUTCOMES),
    schemes: z.array(requestSchemeCode).max(REQUEST_SCHEMES_MAX).default([]),
    validUntil: isoDateSchema.optional(),
    reason: freeText(DECISION_TEXT_MAX).optional(),
    missing: freeText(DECISION_TEXT_MAX).optional(),
    version: z.number().int().min(1)
  })
  .superRefine((d, ctx) => {
    if (d.outcome === 'granted' && d.schemes.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['schemes'], message: 'choose at least one scheme to grant' });
    }
    if (d.outcome === 'refused' && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required: the person reads the reason of a refusal' });
    }
    if (d.outcome === 'incomplete' && !d.missing) {
      ctx.addIssue({ code: 'custom', path: ['missing'], message: 'required: say what is missing' });
    }
  });
export type DecisionInput = z.input<typeof decisionInput>;

/** Query of the organisation's queue. */
export const queueQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES).default('submitted'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0)
});
export type QueueQuery = z.output<typeof queueQuery>;

// ───────────────────────── E3: accompanied people, cards, rights ─────────────────────────

/**
 * Body of `POST /organisations/{orgId}/accompanied`: the person's first name and household, as the
 * person's own household form has them (an accompanied account has no email, phone or password).
 */
export const createAccompaniedInput = householdInput;
export type CreateAccompaniedInput = z.input<typeof createAccompaniedInput>;

/** Printed sizes of a card: A6 sheet, or ID-1 (credit-card size, 85.6 × 54 mm). */
export const cardFormatSchema = z.enum(['a6', 'id1']);

/** Body of `POST /cards/identify`: the code read on a card (dashes, spaces and case ignored). */
export const identifyCardInput = z.strictObject({
  code: z.string().trim().min(1, { message: 'required' }).max(40),
  /** The organisation the caller identifies for (the audit names it); default: their first membership. */
  organisationId: z.string().min(1).max(100).optional()
});
export type IdentifyCardInput = z.input<typeof identifyCardInput>;

/** The answer of an account erasure: what was erased, and what is kept and why (French and English). */
export const erasureReportSchema = z.object({
  deleted: z.literal(true),
  erased: z.object({
    household: z.number().int(),
    requests: z.number().int(),
    documents: z.number().int(),
    decisions: z.number().int(),
    grants: z.number().int(),
    cards: z.number().int(),
    accompaniment: z.number().int()
  }),
  summary: z.object({ fr: z.string(), en: z.string() }),
  kept: z.array(z.object({ what: z.literal('audit_log'), fr: z.string(), en: z.string() }))
});
