import { createHash } from 'node:crypto';
import { exportThematiques, placeUrl } from './datainclusion.rules.js';
import type { OdNotice, OdOrganisation, OdPlace, OdService } from './opendata.types.js';

/**
 * Mapping of Glane's directory to Open Referral HSDS 3.0 (the international standard; schemas in
 * ../shared/standards/hsds-3.0/compiled). organization = Glane organisation; location = place;
 * service = service; service_at_location = (service, its place); schedules are converted from OSM
 * opening_hours to HSDS's iCal RRULE fields. HSDS ids are UUIDs: Glane's own ids are used, and ids
 * of derived rows (service_at_location, schedule, address…) are name-based UUIDs, stable across calls.
 * HSDS fields are not nullable: an unknown value is left out, never sent as null. Pure: no I/O.
 */

/** A name-based UUID (version 5 layout, SHA-1 of a fixed namespace + name): the same name gives the same id. */
export function stableUuid(name: string): string {
  const hash = createHash('sha1').update(`glane-hsds:${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Drops keys whose value is null or undefined (HSDS fields are typed, never null). */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

// ------------------------------------------------------------------ schedules: OSM → RRULE fields

export interface HsdsSchedule {
  id: string;
  service_id?: string;
  location_id?: string;
  service_at_location_id?: string;
  valid_from?: string;
  valid_to?: string;
  freq?: 'WEEKLY' | 'MONTHLY';
  interval?: number;
  wkst?: 'MO';
  byday?: string;
  opens_at?: string;
  closes_at?: string;
  description?: string;
  notes?: string;
}

/** Where a schedule belongs; every schedule gets the ids given. */
export interface ScheduleLinks {
  service_id?: string;
  location_id?: string;
  service_at_location_id?: string;
}

const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const TIME = '(?:[01]\\d|2[0-4]):[0-5]\\d';
const RANGE_RE = new RegExp(`^(${TIME})-(${TIME})$`);
const DAY_TOKEN_RE = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su)|\[(-1|[1-5](?:,(?:-1|[1-5]))*)\])?$/;

interface Interval {
  opens: string;
  closes: string;
}

/** What the converter understood of an OSM value: weekly intervals per weekday, monthly ones, PH off. */
export interface ParsedWeek {
  /** Index 0 = Monday. */
  days: Interval[][];
  /** Nth weekday of the month, e.g. { day: 0, nth: [1] } = first Monday. */
  monthly: { day: number; nth: number[]; intervals: Interval[] }[];
  publicHolidaysClosed: boolean;
}

function hhmmss(t: string, isClose: boolean): string {
  if (t === '24:00' && isClose) return '23:59:59';
  return `${t}:00`;
}

function parseIntervals(value: string): Interval[] | null {
  const out: Interval[] = [];
  for (const part of value.split(',')) {
    const m = RANGE_RE.exec(part.trim());
    if (!m) return null;
    out.push({ opens: hhmmss(m[1] as string, false), closes: hhmmss(m[2] as string, true) });
  }
  return out;
}

/**
 * The subset of OSM opening_hours that RRULE fields express exactly: `;`-separated rules of weekday
 * ranges/lists (`Mo-Fr`, `Mo,We`, `Mo[1]` = first Monday) with time ranges, or `off`, `24/7`, and
 * `PH off`. Later rules replace earlier ones for the days they name (OSM semantics). Anything else
 * (months, weeks, dates, comments, fallback rules `||`, open-ended times…) → null.
 */
export function parseSimpleOpeningHours(hours: string): ParsedWeek | null {
  const result: ParsedWeek = { days: OSM_DAYS.map(() => []), monthly: [], publicHolidaysClosed: false };
  const rules = hours
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  if (rules.length === 0 || hours.includes('||') || hours.includes('"')) return null;
  for (const rule of rules) {
    if (/^PH\s+(off|closed)$/.test(rule)) {
      result.publicHolidaysClosed = true;
      continue;
    }
    if (rule === '24/7') {
      for (let d = 0; d < 7; d++) result.days[d] = [{ opens: '00:00:00', closes: '23:59:59' }];
      result.monthly = [];
      continue;
    }
    const m = /^(?:(\S+)\s+)?(\S+)$/.exec(rule);
    if (!m) return null;
    const selector = m[1];
    const spec = m[2] as string;
    const off = spec === 'off' || spec === 'closed';
    const intervals = off ? [] : parseIntervals(spec);
    if (intervals === null) return null;
    const weekly = new Set<number>();
    const monthly: { day: number; nth: number[] }[] = [];
    if (selector === undefined) {
      for (let d = 0; d < 7; d++) weekly.add(d);
    } else {
      for (const token of selector.split(/,(?![^[]*\])/)) {
        const t = DAY_TOKEN_RE.exec(token);
        if (!t) return null;
        const from = OSM_DAYS.indexOf(t[1] as (typeof OSM_DAYS)[number]);
        if (t[3] !== undefined) {
          monthly.push({ day: from, nth: t[3].split(',').map(Number) });
        } else if (t[2] !== undefined) {
          const to = OSM_DAYS.indexOf(t[2] as (typeof OSM_DAYS)[number]);
          for (let d = from; ; d = (d + 1) % 7) {
            weekly.add(d);
            if (d === to) break;
          }
        } else {
          weekly.add(from);
        }
      }
    }
    for (const d of weekly) {
      result.days[d] = intervals;
      result.monthly = result.monthly.filter((x) => x.day !== d);
    }
    for (const x of monthly) {
      if (off) {
        // "Mo[1] off" on top of weekly Monday hours is not expressible with RRULE fields alone.
        if ((result.days[x.day] ?? []).length > 0) return null;
        result.monthly = result.monthly.filter((y) => !(y.day === x.day && y.nth.join() === x.nth.join()));
      } else {
        if ((result.days[x.day] ?? []).length > 0) return null; // both weekly and monthly on one day
        result.monthly.push({ ...x, intervals });
      }
    }
  }
  return result;
}

const PH_NOTE = 'Fermé les jours fériés / Closed on public holidays';

/**
 * HSDS schedules for an OSM opening_hours value: one WEEKLY schedule per distinct time range with
 * the weekdays sharing it (`byday` "MO,TU"), one MONTHLY schedule per nth-weekday rule (`byday`
 * "1MO"). `PH off` becomes a note. A value the converter cannot express exactly becomes one schedule
 * whose `description` holds the OSM text, so nothing is lost or made up. `key` seeds the stable ids.
 */
export function osmToSchedules(hours: string | null, key: string, links: ScheduleLinks): HsdsSchedule[] {
  const value = hours?.trim();
  if (!value) return [];
  const parsed = parseSimpleOpeningHours(value);
  if (!parsed) {
    return [compact({ id: stableUuid(`${key}:schedule:osm`), ...links, description: `Horaires (OpenStreetMap opening_hours) : ${value}` })];
  }
  const notes = parsed.publicHolidaysClosed ? PH_NOTE : undefined;
  const groups = new Map<string, { interval: Interval; days: number[] }>();
  parsed.days.forEach((intervals, day) => {
    for (const interval of intervals) {
      const k = `${interval.opens}-${interval.closes}`;
      const g = groups.get(k) ?? { interval, days: [] };
      g.days.push(day);
      groups.set(k, g);
    }
  });
  const out: HsdsSchedule[] = [];
  const sorted = [...groups.values()].sort(
    (a, b) => (a.days[0] ?? 0) - (b.days[0] ?? 0) || a.interval.opens.localeCompare(b.interval.opens)
  );
  for (const g of sorted) {
    const byday = g.days.map((d) => ICAL_DAYS[d]).join(',');
    out.push(
      compact({
        id: stableUuid(`${key}:schedule:W:${byday}:${g.interval.opens}`),
        ...links,
        freq: 'WEEKLY' as const,
        interval: 1,
        wkst: 'MO' as const,
        byday,
        opens_at: g.interval.opens,
        closes_at: g.interval.closes,
        notes
      })
    );
  }
  for (const m of parsed.monthly) {
    const byday = m.nth.map((n) => `${n}${ICAL_DAYS[m.day]}`).join(',');
    for (const interval of m.intervals) {
      out.push(
        compact({
          id: stableUuid(`${key}:schedule:M:${byday}:${interval.opens}`),
          ...links,
          freq: 'MONTHLY' as const,
          interval: 1,
          wkst: 'MO' as const,
          byday,
          opens_at: interval.opens,
          closes_at: interval.closes,
          notes
        })
      );
    }
  }
  if (out.length === 0) {
    // Only "off" rules: closed every day.
    return [compact({ id: stableUuid(`${key}:schedule:closed`), ...links, description: `Fermé / Closed (${value})` })];
  }
  return out;
}

/**
 * Temporary notices as schedules bounded by `valid_from`/`valid_to`: temporary hours are converted
 * like regular hours; a closure is a schedule whose description says so.
 */
export function noticeSchedules(notices: OdNotice[], key: string, links: ScheduleLinks): HsdsSchedule[] {
  const out: HsdsSchedule[] = [];
  for (const n of notices) {
    const bounds = { valid_from: n.startsOn, valid_to: n.endsOn };
    if (n.kind === 'hours' && n.openingHours) {
      for (const s of osmToSchedules(n.openingHours, `${key}:notice:${n.id}`, links)) out.push({ ...s, ...bounds });
    } else {
      out.push(
        compact({
          id: stableUuid(`${key}:notice:${n.id}`),
          ...links,
          ...bounds,
          description: `Fermeture temporaire / Temporarily closed${n.message ? ` : ${n.message}` : ''}`
        })
      );
    }
  }
  return out;
}

// ------------------------------------------------------------------ entities

/** `state_province` of a French address: the département, from the postal code. */
export function departementOf(postalCode: string | null, inseeCode: string | null): string | null {
  const code = inseeCode ?? postalCode;
  if (!code || code.length < 2) return null;
  if (code.startsWith('97') || code.startsWith('98')) return code.slice(0, 3);
  if (inseeCode?.startsWith('2A') || inseeCode?.startsWith('2B')) return inseeCode.slice(0, 2);
  if (!inseeCode && postalCode?.startsWith('20')) return Number(postalCode) < 20200 ? '2A' : '2B';
  return code.slice(0, 2);
}

function validUrl(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? v : undefined;
  } catch {
    return undefined;
  }
}

function validEmail(v: string | null | undefined): string | undefined {
  return v && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : undefined;
}

const KIND_LABELS: Record<string, string> = {
  ccas: 'Centre communal d’action sociale (CCAS)',
  association: 'Association',
  donor: 'Donateur',
  platform: 'Plateforme'
};

/** An organisation as an HSDS organization (list form: one-to-one fields only). */
export function toHsdsOrganizationBasic(org: OdOrganisation) {
  return compact({
    id: org.id,
    name: org.name,
    description: `${KIND_LABELS[org.kind] ?? org.kind} — ${org.name}`,
    email: validEmail(org.email),
    tax_id: org.siret ?? undefined
  });
}

/** A place as an HSDS location, with its address, languages, accessibility and phone. */
export function toHsdsLocation(place: OdPlace, publicUrl: string, schedules: HsdsSchedule[] = []) {
  const department = departementOf(place.postalCode, place.inseeCode);
  const addresses =
    place.addressLine && place.city && place.postalCode && department
      ? [
          compact({
            id: stableUuid(`${place.id}:address`),
            location_id: place.id,
            address_1: place.addressLine,
            address_2: place.addressComplement ?? undefined,
            city: place.city,
            state_province: department,
            postal_code: place.postalCode,
            country: 'FR',
            address_type: 'physical'
          })
        ]
      : [];
  return compact({
    id: place.id,
    location_type: 'physical' as const,
    url: validUrl(placeUrl(publicUrl, place.slug)),
    organization_id: place.organisationId,
    name: place.name,
    description: place.description ?? undefined,
    latitude: place.lat ?? undefined,
    longitude: place.lng ?? undefined,
    external_identifier: place.inseeCode ?? undefined,
    external_identifier_type: place.inseeCode ? 'code_insee' : undefined,
    addresses,
    languages: place.languages.map((code) => ({ id: stableUuid(`${place.id}:language:${code}`), location_id: place.id, code })),
    accessibility:
      place.isAccessible !== null || place.accessibilityUrl
        ? [
            compact({
              id: stableUuid(`${place.id}:accessibility`),
              location_id: place.id,
              description:
                place.isAccessible === true
                  ? 'Accessible aux personnes à mobilité réduite / Wheelchair accessible'
                  : place.isAccessible === false
                    ? 'Non accessible aux personnes à mobilité réduite / Not wheelchair accessible'
                    : undefined,
              url: validUrl(place.accessibilityUrl)
            })
          ]
        : [],
    phones: place.phone ? [{ id: stableUuid(`${place.id}:phone`), location_id: place.id, number: place.phone }] : [],
    schedules
  });
}

/** The id of the (service, place) pair. */
export function serviceAtLocationId(serviceId: string): string {
  return stableUuid(`${serviceId}:service_at_location`);
}

function ageOf(conditions: Record<string, unknown>, key: 'ageMin' | 'ageMax'): number | undefined {
  const v = conditions[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function closedNow(notices: OdNotice[], today: string): boolean {
  return notices.some((n) => n.kind === 'closure' && n.startsOn <= today && n.endsOn >= today);
}

/** A service as an HSDS service (list form: one-to-one fields plus its organization). */
export function toHsdsServiceBasic(
  service: OdService,
  org: OdOrganisation,
  publicUrl: string,
  place: OdPlace,
  notices: OdNotice[],
  today: string
) {
  const eligibility = [service.publicsDetails, service.modalitiesDetails].filter(Boolean).join(' — ');
  return compact({
    id: service.id,
    organization_id: service.organisationId,
    name: service.name,
    description: service.description,
    url: validUrl(placeUrl(publicUrl, place.slug)),
    email: validEmail(service.email),
    status: closedNow(notices, today) ? ('temporarily closed' as const) : ('active' as const),
    application_process: service.mobilisationDetails ?? undefined,
    fees_description: service.fraisDetails ?? (service.frais === 'gratuit' ? 'Gratuit / Free' : undefined),
    eligibility_description: eligibility || undefined,
    minimum_age: ageOf(service.conditions, 'ageMin'),
    maximum_age: ageOf(service.conditions, 'ageMax'),
    last_modified: service.updatedAt,
    organization: toHsdsOrganizationBasic(org)
  });
}

/** The schedules of a service at its place: its own hours (or the place's) plus current notices. */
export function serviceSchedules(service: OdService, place: OdPlace, notices: OdNotice[]): HsdsSchedule[] {
  const links = { service_id: service.id, location_id: place.id, service_at_location_id: serviceAtLocationId(service.id) };
  const ownNotices = notices.filter((n) => n.serviceId === null || n.serviceId === service.id);
  return [
    ...osmToSchedules(service.openingHours ?? place.openingHours, service.id, links),
    ...noticeSchedules(ownNotices, service.id, links)
  ];
}

/** A (service, place) pair as an HSDS service_at_location, list form (location and service nested). */
export function toHsdsServiceAtLocationBasic(
  service: OdService,
  place: OdPlace,
  org: OdOrganisation,
  notices: OdNotice[],
  publicUrl: string,
  today: string
) {
  const { organization: _org, ...serviceBasic } = toHsdsServiceBasic(service, org, publicUrl, place, notices, today);
  void _org;
  const { addresses: _a, languages: _l, accessibility: _x, phones: _p, schedules: _s, ...location } = toHsdsLocation(place, publicUrl);
  void [_a, _l, _x, _p, _s];
  return { id: serviceAtLocationId(service.id), service_id: service.id, location_id: place.id, location, service: serviceBasic };
}

/** The fully nested HSDS service (`GET /services/{id}`). */
export function toHsdsServiceFull(
  service: OdService,
  place: OdPlace,
  org: OdOrganisation,
  notices: OdNotice[],
  publicUrl: string,
  today: string
) {
  const schedules = serviceSchedules(service, place, notices);
  const salId = serviceAtLocationId(service.id);
  const taxonomy = exportThematiques(service);
  return {
    ...toHsdsServiceBasic(service, org, publicUrl, place, notices, today),
    phones: service.phone ? [{ id: stableUuid(`${service.id}:phone`), service_id: service.id, number: service.phone }] : [],
    schedules,
    service_areas: service.zoneEligibilite.map((code) => ({
      id: stableUuid(`${service.id}:area:${code}`),
      service_id: service.id,
      name: code === 'france' ? 'France' : `Code géographique INSEE ${code}`,
      extent: code,
      extent_type: 'text'
    })),
    service_at_locations: [
      {
        id: salId,
        service_id: service.id,
        location_id: place.id,
        schedules,
        location: toHsdsLocation(place, publicUrl)
      }
    ],
    // Spoken at the service: its own languages, then its place's (HSDS has one list per service).
    languages: [...new Set([...service.languages, ...place.languages])].map((code) => ({
      id: stableUuid(`${service.id}:language:${code}`),
      service_id: service.id,
      code
    })),
    cost_options: service.frais
      ? [
          compact({
            id: stableUuid(`${service.id}:cost`),
            service_id: service.id,
            option: service.frais,
            amount: service.frais === 'gratuit' ? 0 : undefined,
            currency: 'EUR',
            amount_description: service.fraisDetails ?? undefined
          })
        ]
      : [],
    contacts: service.contactName
      ? [compact({ id: stableUuid(`${service.id}:contact`), service_id: service.id, name: service.contactName, email: validEmail(service.email) })]
      : [],
    attributes: taxonomy.map((value) => ({
      id: stableUuid(`${service.id}:attribute:${value}`),
      link_id: service.id,
      link_type: 'service',
      link_entity: 'service',
      value,
      taxonomy_term: {
        id: stableUuid(`taxonomy:data-inclusion-thematiques:${value}`),
        name: value,
        description: `data·inclusion thématique ${value}`,
        code: value,
        taxonomy: 'data-inclusion-thematiques'
      }
    }))
  };
}

/** The fully nested HSDS organization (`GET /organizations/{id}`): identifiers, locations, services. */
export function toHsdsOrganizationFull(
  org: OdOrganisation,
  places: OdPlace[],
  services: OdService[],
  notices: OdNotice[],
  publicUrl: string,
  today: string
) {
  const placeById = new Map(places.map((p) => [p.id, p]));
  return {
    ...toHsdsOrganizationBasic(org),
    organization_identifiers: org.siret
      ? [{ id: stableUuid(`${org.id}:siret`), organization_id: org.id, identifier_scheme: 'FR-RCS', identifier_type: 'SIRET', identifier: org.siret }]
      : [],
    phones: org.phone ? [{ id: stableUuid(`${org.id}:phone`), organization_id: org.id, number: org.phone }] : [],
    locations: places.map((p) => toHsdsLocation(p, publicUrl)),
    services: services.flatMap((s) => {
      const place = placeById.get(s.placeId);
      if (!place) return [];
      const { organization: _o, ...rest } = toHsdsServiceFull(s, place, org, notices.filter((n) => n.placeId === place.id), publicUrl, today);
      void _o;
      return [rest];
    })
  };
}

/** HSDS's paging object around one page of contents. */
export function hsdsPage<T>(contents: T[], totalItems: number, pageNumber: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(totalItems / perPage));
  return {
    total_items: totalItems,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents
  };
}
