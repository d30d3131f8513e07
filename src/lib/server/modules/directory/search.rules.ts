import { z } from 'zod';
import { PUBLICS_VALUES } from '../../../schemas/data-inclusion.js';
import { CATEGORIES, LANGUAGES, MODALITIES } from '../../../schemas/directory-vocabulary.js';
import { toQueryTerms } from '../../db/text-search.rules.js';

/**
 * Pure rules of the public directory search (no I/O): the query-string contract, the synonym table
 * that widens what people type into what partners write, and how the opening states of a place's
 * services combine into one "open now" answer. Imported by the API route and by the pages.
 */

/** Largest search radius, in kilometres (the issue's contract; the widening search stops there too). */
export const MAX_SEARCH_RADIUS_KM = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
/** Deepest page served: beyond it a person refines the search rather than paging. */
export const MAX_PAGE = 500;
/** Most values a list filter takes. */
export const MAX_LIST_VALUES = 30;
/** Most alternatives a synonym expansion produces (each one is an OR branch of the text query). */
export const MAX_QUERY_ALTERNATIVES = 8;
/** Longest `q` accepted. */
export const MAX_Q_LENGTH = 200;
/** A place unverified for this many months is shown as "information à vérifier". */
export const DEFAULT_STALE_AFTER_MONTHS = 6;

/**
 * What people type → what partners write. Keys and alternatives are folded (lowercase, no accents)
 * word sequences; a key matches whole words of the query. The original wording is always searched
 * too, so a synonym only ever adds results.
 */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  restos: ['restos du coeur', 'restaurants du coeur'],
  resto: ['restos du coeur', 'restaurants du coeur'],
  'resto du coeur': ['restos du coeur', 'restaurants du coeur'],
  'restos du coeur': ['restaurants du coeur'],
  'restaurant du coeur': ['restos du coeur'],
  'restaurants du coeur': ['restos du coeur'],
  colis: ['colis alimentaire'],
  epicerie: ['epicerie sociale', 'epicerie solidaire'],
  'epicerie solidaire': ['epicerie sociale'],
  'epicerie sociale': ['epicerie solidaire'],
  frigo: ['frigo solidaire', 'refrigerateur solidaire'],
  bebe: ['colis bebe'],
  repas: ['repas solidaire', 'restauration solidaire'],
  cantine: ['repas solidaire', 'restauration solidaire'],
  'secours pop': ['secours populaire'],
  'secours catho': ['secours catholique'],
  'croix rouge': ['croix rouge francaise'],
  banque: ['banque alimentaire'],
  bons: ['bons alimentaires', 'cheques alimentaires'],
  jardin: ['jardin partage', 'jardin solidaire'],
  vetements: ['vestiaire', 'vetements'],
  vestiaire: ['vetements']
};

/** The synonym keys as folded word lists, longest first (so "resto du coeur" wins over "resto"). */
const SYNONYM_KEYS = Object.keys(SYNONYMS)
  .map((key) => ({ key, words: toQueryTerms(key) }))
  .sort((a, b) => b.words.length - a.words.length);

function startsWithAt(terms: string[], at: number, words: string[]): boolean {
  return words.every((w, i) => terms[at + i] === w);
}

/**
 * The text query as alternatives (OR of ANDs): the folded terms the person typed first, then each
 * variant where a synonym phrase is replaced by one of its alternatives. Returns [] for a query
 * without any word. At most MAX_QUERY_ALTERNATIVES, no duplicates.
 * e.g. "Restos Lille" → [["restos","lille"], ["restos","du","coeur","lille"], ["restaurants","du","coeur","lille"]].
 */
export function expandQuery(q: string): string[][] {
  const terms = toQueryTerms(q);
  if (terms.length === 0) return [];
  // Segment the query: each position either starts a synonym phrase (longest first) or is a plain word.
  const segments: string[][][] = [];
  for (let i = 0; i < terms.length; ) {
    const hit = SYNONYM_KEYS.find((k) => startsWithAt(terms, i, k.words));
    if (hit) {
      const alternatives = [hit.words, ...(SYNONYMS[hit.key] ?? []).map((a) => toQueryTerms(a))];
      segments.push(alternatives);
      i += hit.words.length;
    } else {
      segments.push([[terms[i] as string]]);
      i += 1;
    }
  }
  let combos: string[][] = [[]];
  for (const alternatives of segments) {
    const next: string[][] = [];
    for (const combo of combos) for (const alt of alternatives) next.push([...combo, ...alt]);
    combos = next.slice(0, MAX_QUERY_ALTERNATIVES * 4);
  }
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const combo of combos) {
    const unique = [...new Set(combo)];
    const key = unique.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(unique);
    if (out.length >= MAX_QUERY_ALTERNATIVES) break;
  }
  return out;
}

/**
 * Whether a stored search document (folded words separated by single spaces, as `toSearchText`
 * writes it) matches the alternatives: every term of one alternative begins a word. The same rule
 * as the full-text index (terms AND-ed, each a word prefix); the search applies it in SQL to the
 * places of a geo box (search.repository's textInDocument), this is its reference.
 */
export function matchesText(body: string, alternatives: string[][]): boolean {
  const padded = ` ${body}`;
  return alternatives.some((terms) => terms.every((t) => padded.includes(` ${t}`)));
}

// ---------------------------------------------------------------- query-string contract

/** Parses a decimal number written in a query string ("48.85", "-1.5"); anything else is an issue. */
function decimal(min: number, max: number, what: string) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim();
    const n = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a number between ${min} and ${max}` });
      return z.NEVER;
    }
    return n;
  });
}

function integer(min: number, max: number, what: string) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim();
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a whole number between ${min} and ${max}` });
      return z.NEVER;
    }
    return n;
  });
}

const flag = z
  .string()
  .transform((raw, ctx) => {
    const v = raw.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    ctx.addIssue({ code: 'custom', message: 'Must be true or false' });
    return z.NEVER;
  });

/** A list filter: repeated (`?categories=a&categories=b`) or comma-separated (`?categories=a,b`), closed vocabulary. */
function list(values: readonly string[], what: string) {
  const allowed = new Set(values);
  return z.union([z.string(), z.array(z.string())]).transform((raw, ctx) => {
    const items = [...new Set((Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim()))].filter(
      (v) => v.length > 0
    );
    const unknown = items.filter((v) => !allowed.has(v));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Unknown ${what}: ${unknown.slice(0, 5).map((v) => JSON.stringify(v.slice(0, 60))).join(', ')}`
      });
      return z.NEVER;
    }
    if (items.length > MAX_LIST_VALUES) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_LIST_VALUES} values` });
      return z.NEVER;
    }
    return items;
  });
}

/** INSEE code of a commune: 5 digits, or 2A/2B + 3 digits in Corsica. */
export const INSEE_CODE_RE = /^(\d{5}|2[AB]\d{3})$/;

/**
 * The query string of `GET /api/v1/directory/search` (strict: an unknown parameter is a 400 naming it).
 * Every value arrives as a string (a list filter may also be repeated); the output is typed and
 * normalised. Cross-field rules (lat with lng, radiusKm needs a point, commune or a point, openNow or
 * openAt) name the parameter at fault.
 */
export const searchQuerySchema = z
  .strictObject({
    lat: decimal(-90, 90, 'Latitude').optional().describe('Latitude of the point searched around (WGS 84), with lng'),
    lng: decimal(-180, 180, 'Longitude').optional().describe('Longitude of the point searched around (WGS 84), with lat'),
    radiusKm: z
      .string()
      .transform((raw, ctx) => {
        const v = raw.trim();
        const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v) ? Number(v) : NaN;
        if (!Number.isFinite(n) || n <= 0 || n > MAX_SEARCH_RADIUS_KM) {
          ctx.addIssue({ code: 'custom', message: `Radius must be above 0 and at most ${MAX_SEARCH_RADIUS_KM} km` });
          return z.NEVER;
        }
        return n;
      })
      .optional()
      .describe('Largest radius in km, above 0 and at most 100 (default 100); the search widens from 1 km until the page is full'),
    commune: z
      .string()
      .trim()
      .toUpperCase()
      .regex(INSEE_CODE_RE, 'Commune must be an INSEE code (5 characters, e.g. 59350)')
      .optional()
      .describe("INSEE code of a commune: its places, nearest its centre first (instead of lat/lng)"),
    q: z
      .string()
      .max(MAX_Q_LENGTH, `At most ${MAX_Q_LENGTH} characters`)
      .optional()
      .describe('Text, accent-insensitive, words as prefixes, with synonyms ("restos" → Restos du cœur)'),
    categories: list(CATEGORIES, 'category').optional().describe(`Any of: ${CATEGORIES.join(', ')}`),
    publics: list(PUBLICS_VALUES, 'public')
      .optional()
      .describe('Any of the data·inclusion publics; a service open to all (access unconditional) matches any'),
    modalities: list(MODALITIES, 'modality').optional().describe(`Any of: ${MODALITIES.join(', ')}`),
    languages: list(LANGUAGES, 'language').optional().describe('Any of these languages spoken (ISO 639-1, or lsf)'),
    accessible: flag.optional().describe('true: only places accessible to people with reduced mobility'),
    openNow: flag.optional().describe('true: only places open now (temporary notices applied)'),
    openAt: z.iso
      .datetime({ offset: true, message: 'Must be an ISO date-time with an offset, e.g. 2026-12-01T10:00:00+01:00' })
      .optional()
      .describe('Only places open at this instant (ISO date-time with offset); not with openNow'),
    page: integer(1, MAX_PAGE, 'Page').optional().describe(`Page number, from 1 (at most ${MAX_PAGE})`),
    pageSize: integer(1, MAX_PAGE_SIZE, 'Page size')
      .optional()
      .describe(`Results per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`)
  })
  .superRefine((v, ctx) => {
    if (v.lat !== undefined && v.lng === undefined)
      ctx.addIssue({ code: 'custom', path: ['lng'], message: 'lng is required with lat' });
    if (v.lng !== undefined && v.lat === undefined)
      ctx.addIssue({ code: 'custom', path: ['lat'], message: 'lat is required with lng' });
    if (v.radiusKm !== undefined && v.lat === undefined && v.lng === undefined)
      ctx.addIssue({ code: 'custom', path: ['radiusKm'], message: 'radiusKm needs lat and lng' });
    if (v.commune !== undefined && (v.lat !== undefined || v.lng !== undefined))
      ctx.addIssue({ code: 'custom', path: ['commune'], message: 'Give either commune or lat/lng, not both' });
    if (v.openNow === true && v.openAt !== undefined)
      ctx.addIssue({ code: 'custom', path: ['openAt'], message: 'Give either openNow or openAt, not both' });
  });

export type SearchQueryInput = z.input<typeof searchQuerySchema>;

/** A search, validated and normalised: what the search service takes. */
export interface SearchParams {
  point: { lat: number; lng: number } | null;
  /** Largest radius searched (null: MAX_SEARCH_RADIUS_KM); the search widens from 1 km until the page is full. */
  radiusKm: number | null;
  commune: string | null;
  /** Text alternatives from expandQuery; [] = no text filter. */
  text: string[][];
  categories: string[];
  publics: string[];
  modalities: string[];
  languages: string[];
  accessible: boolean;
  /** "open now" (the service's clock) */
  openNow: boolean;
  /** "open at" this instant */
  openAt: Date | null;
  page: number;
  pageSize: number;
}

/** The normalised search from the parsed query string. */
export function toSearchParams(v: z.output<typeof searchQuerySchema>): SearchParams {
  return {
    point: v.lat !== undefined && v.lng !== undefined ? { lat: v.lat, lng: v.lng } : null,
    radiusKm: v.radiusKm ?? null,
    commune: v.commune ?? null,
    text: v.q ? expandQuery(v.q) : [],
    categories: v.categories ?? [],
    publics: v.publics ?? [],
    modalities: v.modalities ?? [],
    languages: v.languages ?? [],
    accessible: v.accessible === true,
    openNow: v.openNow === true,
    openAt: v.openAt ? new Date(v.openAt) : null,
    page: v.page ?? 1,
    pageSize: v.pageSize ?? DEFAULT_PAGE_SIZE
  };
}

/** One field problem, the way errors.ts reports them. */
export interface SearchFieldIssue {
  path: string;
  message: string;
  code?: string;
}

/**
 * Validates a raw query (strings or repeated strings) into SearchParams, or lists every bad field
 * (path = the parameter's name). Pages use it with `url.searchParams`; the API route uses the schema.
 */
export function parseSearchQuery(
  raw: Record<string, string | string[] | undefined>
): { ok: true; params: SearchParams } | { ok: false; fields: SearchFieldIssue[] } {
  const result = searchQuerySchema.safeParse(raw);
  if (result.success) return { ok: true, params: toSearchParams(result.data) };
  return {
    ok: false,
    fields: result.error.issues.flatMap((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => ({
        path: [...issue.path.map(String), ...(key ? [key] : [])].join('.') || '(query)',
        message: issue.message,
        code: issue.code
      }));
    })
  };
}

/** `URLSearchParams` → the raw record parseSearchQuery takes (repeated keys become arrays). */
export function searchParamsRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

// ---------------------------------------------------------------- combining opening states

/** The part of an opening state the search combines (hours.rules' OpeningState fits). */
export interface OpeningSummary {
  isOpen: boolean;
  unknown: boolean;
  closesAt: Date | null;
  opensAt: Date | null;
  nextChange: Date | null;
}

/**
 * One answer for a place from the states of its place hours and matching services: open when any is
 * open (then the next change is the latest closing among them: the place stays open while one
 * service is); else closed when any is known (next change: the earliest opening); null when
 * nothing is known (no hours, or only "maybe").
 */
export function combineOpening(states: OpeningSummary[]): { openNow: boolean | null; nextChange: Date | null } {
  const open = states.filter((s) => s.isOpen);
  if (open.length > 0) {
    const closes = open.map((s) => s.closesAt ?? s.nextChange).filter((d): d is Date => d !== null);
    return {
      openNow: true,
      nextChange: closes.length > 0 ? new Date(Math.max(...closes.map((d) => d.getTime()))) : null
    };
  }
  const known = states.filter((s) => !s.unknown);
  if (known.length === 0) return { openNow: null, nextChange: null };
  const opens = known.map((s) => s.opensAt).filter((d): d is Date => d !== null);
  return {
    openNow: false,
    nextChange: opens.length > 0 ? new Date(Math.min(...opens.map((d) => d.getTime()))) : null
  };
}
