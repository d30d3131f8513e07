import { z } from 'zod';
import {
  FRAIS_VALUES,
  MODES_ACCUEIL_VALUES,
  MODES_MOBILISATION_VALUES,
  PERSONNES_MOBILISATRICES_VALUES,
  PUBLICS_VALUES,
  THEMATIQUES_VALUES,
  TYPES_DE_SERVICES_VALUES
} from './data-inclusion.js';
import {
  ACCESS_KINDS,
  ADMIN_STATUSES,
  CATEGORIES,
  CHOICE_DEGREES,
  DELIVERY_MODES,
  DIETS,
  FAMILY_SITUATIONS,
  GENDERS,
  LANGUAGES,
  MODALITIES,
  NOTICE_KINDS,
  PRODUCT_KINDS,
  SATURATION_LEVELS
} from './directory-vocabulary.js';

/**
 * The directory's input schemas, shared by the API routes, the service and the pages (forms can
 * validate in the browser with the same rules). Nothing here imports `$lib/server`: opening hours
 * are checked for syntax by the service (`hours.rules.ts`), here only for length.
 * Closed lists come from the vocabulary files; an unknown value is reported on the list's own
 * field (`categories`), with the value in the message, so a form can show it beside the right input.
 * In section and update schemas an absent field is unchanged and `null` clears an optional one.
 */

/** Marker value of data·inclusion: "everyone"; must stand alone in `publics`. */
export const ALL_PUBLICS = 'tous-publics';

/** The editing sections of a place, each with its own schema and its own revision. */
export const PLACE_SECTIONS = ['identity', 'address', 'contact', 'hours', 'access', 'status'] as const;
export type PlaceSection = (typeof PLACE_SECTIONS)[number];

// Closed lists of the conditions of access live in directory-vocabulary.ts (pages import them without zod).
export { ADMIN_STATUSES, FAMILY_SITUATIONS, GENDERS } from './directory-vocabulary.js';

export const OPENING_HOURS_MAX = 1000;
export const MAX_STOPS = 50;
/** A temporary notice lasts at most this many days. */
export const NOTICE_MAX_DAYS = 366;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const phoneSchema = z
  .string()
  .transform((v) => v.replace(/[\s.\-()]/g, ''))
  .pipe(z.string().regex(/^(\+\d{8,15}|0\d{9})$/, 'Phone must be 10 digits (0…) or international (+…)'));

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Invalid email address').max(254));

/** An http(s) URL of at most 500 characters. */
export const urlSchema = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Must be a URL starting with http:// or https://');

const postalCodeSchema = z.string().trim().regex(/^\d{5}$/, 'Postal code must have 5 digits');
const inseeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{5}|2[AB]\d{3})$/, 'INSEE code must have 5 characters (2A/2B for Corsica)');
const latSchema = z.number().min(-90).max(90);
const lngSchema = z.number().min(-180).max(180);
const openingHoursSchema = z.string().trim().min(1).max(OPENING_HOURS_MAX);
/** A Paris calendar day. */
export const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date must be YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'Not a real date');

/**
 * A list of values from a closed vocabulary, without duplicates. An unknown value is reported on
 * the list itself ("Unknown value "x" in categories") rather than on its index.
 */
export function vocabList(values: readonly string[], field: string, max = 50) {
  const known = new Set(values);
  return z
    .array(z.string())
    .max(max)
    .superRefine((list, ctx) => {
      for (const v of list) {
        if (!known.has(v)) {
          ctx.addIssue({ code: 'custom', message: `Unknown value "${v}" in ${field}`, params: { value: v } });
        }
      }
    })
    .transform((list) => [...new Set(list)]);
}

/** One value of a closed vocabulary, the unknown value named in the message. */
export function vocabValue(values: readonly string[], field: string) {
  const known = new Set(values);
  return z.string().refine((v) => known.has(v), { error: (iss) => `Unknown value "${String(iss.input)}" for ${field}` });
}

/** Adds the "both lat and lng or neither" issue. */
function bothOrNone(o: { lat?: number | null; lng?: number | null }, ctx: z.RefinementCtx): void {
  const hasLat = o.lat !== undefined && o.lat !== null;
  const hasLng = o.lng !== undefined && o.lng !== null;
  if (hasLat !== hasLng) {
    ctx.addIssue({ code: 'custom', path: [hasLat ? 'lng' : 'lat'], message: 'Give both lat and lng, or neither' });
  }
}

// ---------------------------------------------------------------- place sections

const identityShape = {
  name: z.string().trim().min(3).max(150),
  description: optionalText(5000)
};
const addressShape = {
  addressLine: optionalText(200),
  addressComplement: optionalText(200),
  postalCode: postalCodeSchema.nullable().optional(),
  city: optionalText(120),
  inseeCode: inseeSchema.nullable().optional(),
  lat: latSchema.nullable().optional(),
  lng: lngSchema.nullable().optional()
};
const contactShape = {
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  website: urlSchema.nullable().optional()
};
const hoursShape = {
  openingHours: openingHoursSchema.nullable().optional()
};
const accessShape = {
  isAccessible: z.boolean().nullable().optional(),
  accessibilityUrl: urlSchema.nullable().optional(),
  languages: vocabList(LANGUAGES, 'languages', LANGUAGES.length).optional()
};
const statusShape = {
  saturation: z.enum(SATURATION_LEVELS).nullable().optional()
};

/** Section schemas of `PATCH /places/{id}/{section}`: absent = unchanged, null = cleared. */
export const placeSectionSchemas = {
  identity: z.strictObject({ ...identityShape, name: identityShape.name.optional() }),
  address: z.strictObject(addressShape).superRefine(bothOrNone),
  contact: z.strictObject(contactShape),
  hours: z.strictObject(hoursShape),
  access: z.strictObject(accessShape),
  status: z.strictObject(statusShape)
} as const;
export type PlaceSectionInput<S extends PlaceSection> = z.input<(typeof placeSectionSchemas)[S]>;

/** The fields each section owns (what its revision records before → after). */
export const PLACE_SECTION_FIELDS: Record<PlaceSection, readonly string[]> = {
  identity: Object.keys(identityShape),
  address: Object.keys(addressShape),
  contact: Object.keys(contactShape),
  hours: Object.keys(hoursShape),
  access: Object.keys(accessShape),
  status: Object.keys(statusShape)
};

/**
 * Body of `POST /places`: the organisation, every section's fields, `isMobile`, and
 * `confirmDuplicate: true` to create despite a similar place nearby (after a 409).
 */
export const createPlaceSchema = z
  .strictObject({
    organisationId: z.string().min(1).max(100),
    ...identityShape,
    ...addressShape,
    postalCode: postalCodeSchema,
    city: z.string().trim().min(1).max(120),
    ...contactShape,
    ...hoursShape,
    ...accessShape,
    ...statusShape,
    isMobile: z.boolean().optional(),
    confirmDuplicate: z.boolean().optional()
  })
  .superRefine(bothOrNone);
export type CreatePlaceInput = z.input<typeof createPlaceSchema>;
export type CreatePlace = z.output<typeof createPlaceSchema>;

// ---------------------------------------------------------------- services

export const conditionsSchema = z
  .strictObject({
    ageMin: z.number().int().min(0).max(120).optional(),
    ageMax: z.number().int().min(0).max(120).optional(),
    gender: z.enum(GENDERS).optional(),
    family: z.array(z.enum(FAMILY_SITUATIONS)).max(FAMILY_SITUATIONS.length).optional(),
    status: z.enum(ADMIN_STATUSES).optional(),
    students: z.boolean().optional(),
    details: z.string().trim().max(1000).optional()
  })
  .superRefine((c, ctx) => {
    if (c.ageMin !== undefined && c.ageMax !== undefined && c.ageMin > c.ageMax) {
      ctx.addIssue({ code: 'custom', path: ['ageMax'], message: 'ageMax must be at least ageMin' });
    }
  });

export const foodSchema = z.strictObject({
  products: vocabList(PRODUCT_KINDS, 'food.products').optional(),
  diets: vocabList(DIETS, 'food.diets').optional(),
  choice: vocabValue(CHOICE_DEGREES, 'food.choice').optional(),
  mealTypes: z.array(z.string().trim().min(1).max(60)).max(10).optional(),
  delivery: vocabList(DELIVERY_MODES, 'food.delivery').optional()
});

const serviceShape = {
  name: z.string().trim().min(2).max(150),
  description: z.string().trim().min(1).max(5000),
  type: vocabValue(TYPES_DE_SERVICES_VALUES, 'type').nullable().optional(),
  thematiques: vocabList(THEMATIQUES_VALUES, 'thematiques').optional(),
  categories: vocabList(CATEGORIES, 'categories').optional(),
  frais: vocabValue(FRAIS_VALUES, 'frais').nullable().optional(),
  fraisDetails: optionalText(1000),
  publics: vocabList(PUBLICS_VALUES, 'publics').optional(),
  publicsDetails: optionalText(1000),
  access: z.enum(ACCESS_KINDS).optional(),
  conditions: conditionsSchema.optional(),
  modalities: vocabList(MODALITIES, 'modalities').optional(),
  modalitiesDetails: optionalText(1000),
  modesAccueil: vocabList(MODES_ACCUEIL_VALUES, 'modesAccueil').optional(),
  modesMobilisation: vocabList(MODES_MOBILISATION_VALUES, 'modesMobilisation').optional(),
  mobilisablePar: vocabList(PERSONNES_MOBILISATRICES_VALUES, 'mobilisablePar').optional(),
  mobilisationDetails: optionalText(1000),
  mobilisationUrl: urlSchema.nullable().optional(),
  zoneEligibilite: z
    .array(z.string().trim().regex(/^(\d{5}|2[AB]\d{3}|\d{2,3}|2[AB])$/, 'INSEE code (5 characters) or department code'))
    .max(500)
    .optional(),
  food: foodSchema.optional(),
  /** Languages spoken at this service, besides the place's (same vocabulary). */
  languages: vocabList(LANGUAGES, 'languages', LANGUAGES.length).optional(),
  openingHours: openingHoursSchema.nullable().optional(),
  contactName: optionalText(150),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional()
};

/**
 * The cross-field rules of a service, on the merged result (create: the input; update: the stored
 * service with the changes): `tous-publics` stands alone; preferential or exclusive access names
 * its publics (other than `tous-publics`). Returns [path, message] problems.
 */
export function serviceProblems(s: { publics?: string[]; access?: string }): [string, string][] {
  const problems: [string, string][] = [];
  const publics = s.publics ?? [];
  if (publics.includes(ALL_PUBLICS) && publics.length > 1) {
    problems.push(['publics', `"${ALL_PUBLICS}" must stand alone`]);
  }
  if ((s.access === 'preferential' || s.access === 'exclusive') && publics.filter((p) => p !== ALL_PUBLICS).length === 0) {
    problems.push(['publics', `Access "${s.access}" needs the publics it concerns`]);
  }
  return problems;
}

/** Body of `POST /places/{id}/services`. */
export const createServiceSchema = z.strictObject(serviceShape).superRefine((s, ctx) => {
  for (const [path, message] of serviceProblems(s)) ctx.addIssue({ code: 'custom', path: [path], message });
});
export type CreateServiceInput = z.input<typeof createServiceSchema>;
export type CreateService = z.output<typeof createServiceSchema>;

/** Body of `PATCH /services/{id}`: any subset of the fields (rules checked on the merged result). */
export const updateServiceSchema = z.strictObject({
  ...serviceShape,
  name: serviceShape.name.optional(),
  description: serviceShape.description.optional()
});
export type UpdateServiceInput = z.input<typeof updateServiceSchema>;
export type UpdateService = z.output<typeof updateServiceSchema>;

// ---------------------------------------------------------------- notices and stops

/** Body of `POST /places/{id}/notices`. */
export const createNoticeSchema = z
  .strictObject({
    kind: z.enum(NOTICE_KINDS),
    startsOn: daySchema,
    endsOn: daySchema,
    openingHours: openingHoursSchema.optional(),
    message: z.string().trim().max(500).optional(),
    serviceId: z.string().min(1).max(100).optional()
  })
  .superRefine((n, ctx) => {
    if (n.endsOn < n.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'endsOn must not be before startsOn' });
    else {
      const days = (Date.parse(`${n.endsOn}T00:00:00Z`) - Date.parse(`${n.startsOn}T00:00:00Z`)) / 86_400_000 + 1;
      if (days > NOTICE_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'A notice lasts at most one year' });
    }
    if (n.kind === 'hours' && !n.openingHours) {
      ctx.addIssue({ code: 'custom', path: ['openingHours'], message: 'Temporary hours need openingHours' });
    }
    if (n.kind === 'closure' && n.openingHours) {
      ctx.addIssue({ code: 'custom', path: ['openingHours'], message: 'A closure has no openingHours' });
    }
  });
export type CreateNoticeInput = z.input<typeof createNoticeSchema>;

/**
 * One stop of a mobile place. `id`, when given, must be one of the place's current stops: it keeps
 * that stop's id (and its links) across the replacement; a stop without id gets a new one.
 * `validFrom` / `validTo` (Paris days, inclusive, each optional): the stop only runs then (a summer
 * tour); `validTo` must not be before `validFrom`.
 */
export const stopSchema = z
  .strictObject({
    id: z.string().min(1).max(100).optional(),
    name: z.string().trim().min(1).max(150),
    addressLine: optionalText(200),
    postalCode: postalCodeSchema.nullable().optional(),
    city: optionalText(120),
    lat: latSchema.nullable().optional(),
    lng: lngSchema.nullable().optional(),
    openingHours: openingHoursSchema.nullable().optional(),
    validFrom: daySchema.nullable().optional(),
    validTo: daySchema.nullable().optional()
  })
  .superRefine((s, ctx) => {
    bothOrNone(s, ctx);
    if (s.validFrom && s.validTo && s.validTo < s.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo must not be before validFrom' });
    }
  });

/**
 * Body of `PUT /places/{id}/stops`: the whole ordered list, with the `version` of the list the
 * editor saw (`stopsVersion` of the place): a list changed since then is refused (409).
 */
export const setStopsSchema = z.strictObject({
  version: z.number().int().min(0),
  stops: z.array(stopSchema).max(MAX_STOPS)
});
export type SetStopsInput = z.input<typeof setStopsSchema>;
