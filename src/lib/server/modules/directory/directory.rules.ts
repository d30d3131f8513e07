import { PLACE_SECTION_FIELDS, type PlaceSection } from '../../../schemas/directory.js';
import { foldText } from '../../db/text-search.rules.js';
import { slugify } from '../organisations/organisations.rules.js';
import type { NoticeRecord, PlaceRecord } from './directory.repository.js';
import type { TemporaryOverride } from './hours.rules.js';

/** Pure rules of directory editing: slugs, duplicates, staleness, sections, warnings. No I/O. */

/** Places with a similar name within this distance are possible duplicates. */
export const DUPLICATE_RADIUS_KM = 0.3;

/** A warning shown to the editor: the value was saved, but look again. */
export interface EditWarning {
  field: string;
  code: string;
  message: string;
}

/**
 * The slug base of a place: its name and city (`Épicerie du Pont`, `Lille` →
 * `epicerie-du-pont-lille`). Chosen once at creation and never changed, so links stay stable
 * when a place is renamed.
 */
export function placeSlugBase(name: string, city: string | null | undefined): string {
  const folded = foldText(name);
  const withCity = city && !folded.includes(foldText(city)) ? `${name} ${city}` : name;
  const slug = slugify(withCity);
  return slug === 'organisation' ? 'lieu' : slug;
}

const STOP_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'et', 'a', 'au', 'aux', 'en', 'sur', 'the', 'of']);

/** The significant folded words of a name (articles and prepositions dropped). */
export function nameTokens(name: string): string[] {
  return (foldText(name).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP_WORDS.has(w));
}

/**
 * Whether two place names probably name the same place: same significant words, one name's
 * words all within the other's ("Restos du cœur" / "Les Restos du Coeur de Lille"), or most
 * words shared (Jaccard ≥ 0.6). Accents, case and articles never matter.
 */
export function isSimilarName(a: string, b: string): boolean {
  const ta = new Set(nameTokens(a));
  const tb = new Set(nameTokens(b));
  if (ta.size === 0 || tb.size === 0) return foldText(a) === foldText(b);
  const inter = [...ta].filter((w) => tb.has(w)).length;
  if (inter === Math.min(ta.size, tb.size)) return true;
  const union = new Set([...ta, ...tb]).size;
  return inter / union >= 0.6;
}

/** The instant `months` months before `now` (ISO): a place verified before it is stale. */
export function staleSince(now: Date, months: number): string {
  const limit = new Date(now.getTime());
  limit.setUTCMonth(limit.getUTCMonth() - months);
  return limit.toISOString();
}

/** True when a place was never verified or not within the last `months` months. */
export function isStale(verifiedAt: string | null, now: Date, months: number): boolean {
  if (!verifiedAt) return true;
  return verifiedAt < staleSince(now, months);
}

/** The fields of one section of a place, as stored (what its revision shows before → after). */
export function sectionValues(place: PlaceRecord, section: PlaceSection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const record = place as unknown as Record<string, unknown>;
  for (const field of PLACE_SECTION_FIELDS[section]) out[field] = record[field] ?? null;
  return out;
}

/** Deep equality of JSON-like values (section snapshots). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The keys whose values differ between two snapshots. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => !sameJson(before[k] ?? null, after[k] ?? null));
}

/** The temporary overrides that apply to a place (`serviceId` null) or to one service (place ones + its own). */
export function overridesFor(notices: NoticeRecord[], serviceId: string | null): TemporaryOverride[] {
  return notices
    .filter((n) => n.serviceId === null || n.serviceId === serviceId)
    .map((n) => ({
      kind: n.kind,
      startsOn: n.startsOn,
      endsOn: n.endsOn,
      ...(n.openingHours ? { openingHours: n.openingHours } : {}),
      ...(n.message ? { message: n.message } : {})
    }));
}

/** Notices still worth showing on `today` (YYYY-MM-DD, Paris): in effect or upcoming. */
export function currentNotices(notices: NoticeRecord[], today: string): NoticeRecord[] {
  return notices.filter((n) => n.endsOn >= today);
}

/** Where a stop's validity stands on `today` (YYYY-MM-DD, Paris): no dates = current. */
export type StopPeriod = 'current' | 'upcoming' | 'past';

export function stopPeriod(stop: { validFrom: string | null; validTo: string | null }, today: string): StopPeriod {
  if (stop.validTo !== null && stop.validTo < today) return 'past';
  if (stop.validFrom !== null && stop.validFrom > today) return 'upcoming';
  return 'current';
}

/**
 * Soft rules of a service: saved, but shown to the editor. A paying service should say so in its
 * modalities (`participation-financiere`) so people filtering on it find it.
 */
export function serviceWarnings(s: { frais?: string | null; modalities?: string[] }): EditWarning[] {
  const warnings: EditWarning[] = [];
  if (s.frais === 'payant' && !(s.modalities ?? []).includes('participation-financiere')) {
    warnings.push({
      field: 'modalities',
      code: 'paying_without_participation',
      message: 'A paying service usually lists the modality "participation-financiere"'
    });
  }
  return warnings;
}

/** Opaque keyset cursor of the revision list. */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): { at: string; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [at, id, ...rest] = text.split('|');
  if (!at || !id || rest.length > 0 || !/^\d{4}-\d{2}-\d{2}T/.test(at)) return undefined;
  return { at, id };
}
