import type { NoticeRecord, PlaceRecord, ServiceRecord } from './directory.repository.js';
import { openingState, type OpeningState, type TemporaryOverride } from './hours.rules.js';
import { combineOpening, type OpeningSummary } from './search.rules.js';

/**
 * How a search result is made, shared by the SQL path (search.service.ts) and the in-memory
 * directory index (search.index.ts), so both give the same answers: which hours decide whether a
 * place is open, and the result of one place. Pure (no I/O).
 */

export interface SearchResultService {
  id: string;
  name: string;
  categories: string[];
  publics: string[];
  modalities: string[];
  access: ServiceRecord['access'];
  frais: ServiceRecord['frais'];
  openingHours: string | null;
}

export interface SearchResultPlace {
  id: string;
  slug: string;
  name: string;
  organisation: { id: string; name: string };
  addressLine: string | null;
  addressComplement: string | null;
  postalCode: string | null;
  city: string | null;
  inseeCode: string | null;
  lat: number | null;
  lng: number | null;
  isAccessible: boolean | null;
  languages: string[];
  saturation: PlaceRecord['saturation'];
  isMobile: boolean;
  openingHours: string | null;
  isStale: boolean;
}

export interface SearchNotice {
  kind: 'closure' | 'hours';
  startsOn: string;
  endsOn: string;
  message: string | null;
}

export interface SearchResult {
  place: SearchResultPlace;
  services: SearchResultService[];
  distanceKm: number | null;
  /** null: no hours known. */
  openNow: boolean | null;
  nextChange: string | null;
  notice: SearchNotice | null;
}

export interface SearchPage {
  results: SearchResult[];
  page: number;
  pageSize: number;
  total: number;
  center: { lat: number; lng: number } | null;
  radiusKm: number | null;
}

/** The filters of a search that decide which services of a place match. */
export interface ServiceFilter {
  categories: string[];
  publics: string[];
  modalities: string[];
  /** A service matches when it speaks one (its own languages or its place's). */
  languages: string[];
}

/**
 * Whether only some services of a place match: then those services (not the place on its own) are
 * listed and decide whether the place is open, so a result never says closed for a place kept open.
 */
export const hasServiceFilter = (f: ServiceFilter) =>
  f.categories.length > 0 || f.publics.length > 0 || f.modalities.length > 0 || f.languages.length > 0;

export const toOverride = (n: NoticeRecord): TemporaryOverride => ({
  kind: n.kind,
  startsOn: n.startsOn,
  endsOn: n.endsOn,
  ...(n.openingHours ? { openingHours: n.openingHours } : {}),
  ...(n.message ? { message: n.message } : {})
});

/** What to evaluate for one place: its own hours and each matching service's (own hours or the place's). */
export interface HoursTarget {
  hours: string;
  overrides: TemporaryOverride[];
}

/**
 * The hours that decide whether a place is open at an instant: with service filters, each matching
 * service's (its own hours, else the place's); without, the place's and each service's own. The
 * place's notices apply to all; a service's notices to it only. No hours at all → [] (unknown).
 */
export function hoursTargets(
  placeHours: string | null,
  services: { id: string; openingHours: string | null }[],
  notices: NoticeRecord[],
  filtered: boolean
): HoursTarget[] {
  // No closure here (a helper made per call costs a name definition per call under tsx): the place's
  // own target is added once, first when there are no service filters.
  const placeNotices = notices.filter((n) => n.serviceId === null).map(toOverride);
  const targets: HoursTarget[] = [];
  let placeAdded = false;
  if (!filtered && placeHours) {
    placeAdded = true;
    targets.push({ hours: placeHours, overrides: placeNotices });
  }
  for (const s of services) {
    const own = notices.length === 0 ? [] : notices.filter((n) => n.serviceId === s.id).map(toOverride);
    const hours = s.openingHours ?? placeHours;
    if (!hours) continue;
    if (s.openingHours === null && own.length === 0) {
      if (!placeAdded) {
        placeAdded = true;
        targets.push({ hours, overrides: placeNotices });
      }
    } else targets.push({ hours, overrides: [...placeNotices, ...own] });
  }
  return targets;
}

/** A key per distinct (hours, overrides): places sharing one are evaluated once. */
export const targetKey = (t: HoursTarget) =>
  t.overrides.length === 0 ? t.hours : `${t.hours}\u0000${JSON.stringify(t.overrides)}`;

/** A place as a result shows it (the SQL path and the index both give this). */
export type ResultPlaceFields = Omit<SearchResultPlace, 'organisation' | 'isStale'> & {
  verifiedAt: string | null;
  createdAt: string;
};

/**
 * One result: the place, its matching services (in name order), the distance, the opening state
 * at `at` from hoursTargets, and the notice shown (the first in force from the states, else a
 * notice of the place in force on `day`). `notices`: the place's notices from `day` to the lookahead.
 */
export function buildResult(
  place: ResultPlaceFields,
  organisation: { id: string; name: string },
  services: (SearchResultService & { id: string })[],
  notices: NoticeRecord[],
  distanceKm: number | null,
  at: Date,
  day: string,
  filtered: boolean,
  /** A place verified (else created) before this instant (ISO: directory.rules' staleSince) is stale. */
  staleBefore: string,
  /** The opening state of a target at `at` (the index passes one that remembers them per minute). */
  stateOf: (t: HoursTarget) => OpeningState = (t) => openingState(t.hours, at, t.overrides)
): SearchResult {
  const targets = hoursTargets(place.openingHours, services, notices, filtered);
  const states = targets.map(stateOf);
  const opening = combineOpening(states as OpeningSummary[]);
  const shown =
    states.find((s) => s.notice !== null)?.notice ??
    // A notice on a place without hours still tells people it is closed.
    notices.map(toOverride).find((n) => n.startsOn <= day && n.endsOn >= day) ??
    null;
  return {
    place: {
      id: place.id,
      slug: place.slug,
      name: place.name,
      organisation,
      addressLine: place.addressLine,
      addressComplement: place.addressComplement,
      postalCode: place.postalCode,
      city: place.city,
      inseeCode: place.inseeCode,
      lat: place.lat,
      lng: place.lng,
      isAccessible: place.isAccessible,
      languages: place.languages,
      saturation: place.saturation,
      isMobile: place.isMobile,
      openingHours: place.openingHours,
      isStale: (place.verifiedAt ?? place.createdAt) < staleBefore
    },
    services: services.map((s) => ({
      id: s.id,
      name: s.name,
      categories: s.categories,
      publics: s.publics,
      modalities: s.modalities,
      access: s.access,
      frais: s.frais,
      openingHours: s.openingHours
    })),
    distanceKm: distanceKm === null ? null : Math.round(distanceKm * 1000) / 1000,
    openNow: opening.openNow,
    nextChange: opening.nextChange ? opening.nextChange.toISOString() : null,
    notice: shown ? { kind: shown.kind, startsOn: shown.startsOn, endsOn: shown.endsOn, message: shown.message ?? null } : null
  };
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
