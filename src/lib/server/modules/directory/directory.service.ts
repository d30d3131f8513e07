import { parseInput } from '../../http/errors.js';
import type { Kysely } from 'kysely';
import {
  createNoticeSchema,
  createPlaceSchema,
  createServiceSchema,
  PLACE_SECTIONS,
  placeSectionSchemas,
  serviceProblems,
  setStopsSchema,
  updateServiceSchema,
  type PlaceSection
} from '../../../schemas/directory.js';
import type { Config } from '../../config.js';
import type { DatabaseKind } from '../../db/database.js';
import { findNearby } from '../../db/geosearch.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { findMembership, isUniqueViolation } from '../organisations/organisations.repository.js';
import { uniqueSlug } from '../organisations/organisations.rules.js';
import {
  canCreatePlace,
  canDeletePlace,
  canEditPlaceSection,
  canManageNotices,
  canManageServices,
  canVerifyPlace,
  canViewRevisions,
  placePermissionsFor,
  type PlacePermissions,
  type Standing
} from './directory.policy.js';
import {
  presentPlace,
  presentPlaceDetail,
  presentService,
  type PlaceDetail,
  type PlaceView,
  type ServiceView
} from './directory.presenter.js';
import * as repo from './directory.repository.js';
import type { NoticeRecord, PlaceFields, PlaceRecord, RevisionRecord, ServiceFields, StopRecord } from './directory.repository.js';
import {
  changedKeys,
  decodeCursor,
  DUPLICATE_RADIUS_KM,
  encodeCursor,
  isSimilarName,
  placeSlugBase,
  sectionValues,
  serviceWarnings,
  type EditWarning
} from './directory.rules.js';
import { parisDateKey, validateOpeningHours } from './hours.rules.js';

/**
 * Editing of the directory by partners (places section by section, services, notices, stops),
 * its change history, and the public place page. Every write checks the policy, validates with the
 * shared schemas, and runs in one transaction with its revision and the re-indexing of the place,
 * so a failure leaves nothing half-done. An edit by the organisation counts as a verification.
 */

export interface DirectoryDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  config: Pick<Config, 'DIRECTORY_STALE_MONTHS'>;
  now: () => Date;
}

/** A possible duplicate found when creating a place. */
export interface DuplicateCandidate {
  id: string;
  slug: string;
  name: string;
  /** Null when the new place has no coordinates (matched by postal code). */
  distanceKm: number | null;
}

export interface PlaceWriteResult {
  place: PlaceDetail;
  /** Saved, but worth a second look (sloppy opening hours corrected…). */
  warnings: EditWarning[];
}

export interface ServiceWriteResult {
  service: ServiceView;
  warnings: EditWarning[];
}

export interface StopsWriteResult {
  /** The stops as saved, by position. */
  stops: StopRecord[];
  /** The list's new version (send it back with the next replacement). */
  version: number;
  /** Corrections of the stops' hours (`stops.N.openingHours`). */
  warnings: EditWarning[];
}

export interface RevisionPage {
  items: RevisionRecord[];
  nextCursor: string | null;
}

export const REVISIONS_MAX_LIMIT = 100;

/**
 * Validates opening hours at `path`: throws a validation error naming it, or returns the
 * normalised value and the package's warnings as editor warnings. Null stays null.
 */
function checkHours(value: string | null | undefined, path: string, warnings: EditWarning[]): string | null | undefined {
  if (value === undefined || value === null) return value;
  const result = validateOpeningHours(value);
  if (!result.ok) throw fieldError(path, result.error, 'invalid_opening_hours');
  for (const message of result.warnings) warnings.push({ field: path, code: 'opening_hours_warning', message });
  return result.normalised;
}

/** Keeps only the keys present in `input` (absent = unchanged). */
function presentKeys<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const placeNotFound = () => new AppError('not_found', 'Place not found');
const serviceNotFound = () => new AppError('not_found', 'Service not found');
const forbidden = (what: string) => new AppError('forbidden', `You may not ${what} of this organisation`);

/** The directory core: see the module comment. */
export function createDirectoryService(deps: DirectoryDeps) {
  const { db, kind, config, now } = deps;
  const staleMonths = () => config.DIRECTORY_STALE_MONTHS;

  async function standingIn(actor: Actor | null, organisationId: string, d: Kysely<DB> = db): Promise<Standing> {
    if (!actor) return { isPlatformAdmin: false, role: null };
    const m = await findMembership(d, organisationId, actor.userId);
    return { isPlatformAdmin: actor.isPlatformAdmin, role: m?.role ?? null };
  }

  async function loadPlace(placeId: string): Promise<PlaceRecord> {
    const place = await repo.findPlace(db, placeId);
    if (!place) throw placeNotFound();
    return place;
  }

  async function detail(d: Kysely<DB>, placeId: string, actor: Actor | null): Promise<PlaceDetail> {
    const agg = await repo.loadPlaceAggregate(d, placeId);
    if (!agg) throw placeNotFound();
    const permissions = actor ? placePermissionsFor(await standingIn(actor, agg.place.organisationId, d), PLACE_SECTIONS) : null;
    return presentPlaceDetail(agg, now(), staleMonths(), permissions);
  }

  /** Marks a place as changed and verified by its organisation, re-indexes it. */
  async function touchPlace(trx: Kysely<DB>, placeId: string, at: string): Promise<void> {
    await repo.updatePlaceRow(trx, placeId, { updatedAt: at, verifiedAt: at });
    await repo.indexPlace(trx, kind, placeId);
  }

  /**
   * Places with a similar name within DUPLICATE_RADIUS_KM (or, without coordinates, with the same
   * postal code): what a partner must confirm before adding the place again.
   */
  async function findDuplicates(input: {
    name: string;
    lat?: number | null;
    lng?: number | null;
    postalCode: string;
  }): Promise<DuplicateCandidate[]> {
    if (input.lat !== undefined && input.lat !== null && input.lng !== undefined && input.lng !== null) {
      const near = await findNearby(db, kind, {
        entityType: repo.PLACE_ENTITY,
        lat: input.lat,
        lng: input.lng,
        radiusKm: DUPLICATE_RADIUS_KM,
        limit: 100
      });
      const places = new Map((await repo.findPlacesByIds(db, near.map((n) => n.entityId))).map((p) => [p.id, p]));
      return near.flatMap((n) => {
        const p = places.get(n.entityId);
        return p && isSimilarName(p.name, input.name)
          ? [{ id: p.id, slug: p.slug, name: p.name, distanceKm: Math.round(n.distanceKm * 1000) / 1000 }]
          : [];
      });
    }
    const samePostcode = await db
      .selectFrom('place')
      .select(['id', 'slug', 'name'])
      .where('postal_code', '=', input.postalCode)
      .limit(500)
      .execute();
    return samePostcode
      .filter((p) => isSimilarName(p.name, input.name))
      .map((p) => ({ id: p.id, slug: p.slug, name: p.name, distanceKm: null }));
  }

  /**
   * Creates a place of `organisationId` (owners, managers, admins). Opening hours are stored
   * normalised and their warnings returned. A similar name within 300 m answers 409 `conflict`
   * with `details.duplicates` unless `confirmDuplicate: true`. The slug (name + city) is unique
   * and never changes.
   */
  async function createPlace(actor: Actor, input: unknown): Promise<PlaceWriteResult> {
    const data = parseInput(createPlaceSchema, input);
    const org = await db.selectFrom('organisation').select('id').where('id', '=', data.organisationId).executeTakeFirst();
    if (!org) throw new AppError('not_found', 'Organisation not found', { fields: [{ path: 'organisationId', message: 'not found' }] });
    if (!canCreatePlace(await standingIn(actor, data.organisationId))) throw forbidden('add places');
    const warnings: EditWarning[] = [];
    const openingHours = checkHours(data.openingHours, 'openingHours', warnings) ?? null;

    if (data.confirmDuplicate !== true) {
      const duplicates = await findDuplicates(data);
      if (duplicates.length > 0) {
        throw new AppError('conflict', 'A place with a similar name already exists nearby: confirm to create it anyway', {
          duplicates
        });
      }
    }

    const at = now().toISOString();
    const fields: PlaceFields = {
      name: data.name,
      description: data.description ?? null,
      addressLine: data.addressLine ?? null,
      addressComplement: data.addressComplement ?? null,
      postalCode: data.postalCode,
      city: data.city,
      inseeCode: data.inseeCode ?? null,
      lat: data.lat ?? null,
      lng: data.lng ?? null,
      phone: data.phone ?? null,
      email: data.email ?? null,
      website: data.website ?? null,
      accessibilityUrl: data.accessibilityUrl ?? null,
      isAccessible: data.isAccessible ?? null,
      languages: data.languages ?? [],
      openingHours,
      saturation: data.saturation ?? null,
      isMobile: data.isMobile ?? false
    };
    const base = placeSlugBase(data.name, data.city);
    for (let attempt = 0; ; attempt++) {
      try {
        const placeId = await db.transaction().execute(async (trx) => {
          const slug = uniqueSlug(base, await repo.placeSlugsLike(trx, base));
          const place = await repo.insertPlace(trx, {
            ...fields,
            organisationId: data.organisationId,
            slug,
            verifiedAt: at,
            createdAt: at
          });
          await repo.insertRevision(trx, {
            placeId: place.id,
            actorUserId: actor.userId,
            at,
            action: 'create',
            section: null,
            before: null,
            after: fields
          });
          await repo.indexPlace(trx, kind, place.id);
          return place.id;
        });
        return { place: await detail(db, placeId, actor), warnings };
      } catch (err) {
        // Two creations raced for the same slug: pick the next one.
        if (attempt < 3 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /**
   * Updates one section of a place (identity, address, contact, hours, access, status), with its
   * own schema and policy (plain members: hours and status only). Writes one revision with that
   * section's values before → after, sets updatedAt and verifiedAt, re-indexes, in one transaction.
   * An edit that changes nothing is recorded as a verification.
   */
  async function updatePlaceSection(actor: Actor, placeId: string, section: string, input: unknown): Promise<PlaceWriteResult> {
    if (!(PLACE_SECTIONS as readonly string[]).includes(section)) {
      throw fieldError('section', `Unknown section "${section}" (one of ${PLACE_SECTIONS.join(', ')})`);
    }
    const s = section as PlaceSection;
    const place = await loadPlace(placeId);
    if (!canEditPlaceSection(await standingIn(actor, place.organisationId), s)) throw forbidden(`edit the ${s} of places`);
    const data = parseInput(placeSectionSchemas[s], input) as Partial<PlaceFields>;
    const warnings: EditWarning[] = [];
    const patch = presentKeys(data);
    if (s === 'hours' && patch.openingHours !== undefined) patch.openingHours = checkHours(patch.openingHours, 'openingHours', warnings);
    if (s === 'address') {
      const lat = patch.lat === undefined ? place.lat : patch.lat;
      const lng = patch.lng === undefined ? place.lng : patch.lng;
      if ((lat === null) !== (lng === null)) throw fieldError(lat === null ? 'lat' : 'lng', 'Give both lat and lng, or neither');
    }
    const before = sectionValues(place, s);
    const after = { ...before, ...patch };
    const changed = changedKeys(before, after);
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      if (changed.length > 0) {
        await repo.updatePlaceRow(trx, placeId, patch);
        await repo.insertRevision(trx, { placeId, actorUserId: actor.userId, at, action: 'update', section: s, before, after });
        if (changed.includes('languages')) await repo.syncPlaceTags(trx, placeId);
        await touchPlace(trx, placeId, at);
      } else {
        await repo.updatePlaceRow(trx, placeId, { verifiedAt: at });
        await repo.insertRevision(trx, { placeId, actorUserId: actor.userId, at, action: 'verify', section: s });
      }
    });
    return { place: await detail(db, placeId, actor), warnings };
  }

  /** "Rien n'a changé": the organisation confirms the place as it is (verifiedAt = now, revision 'verify'). */
  async function verifyPlace(actor: Actor, placeId: string): Promise<PlaceDetail> {
    const place = await loadPlace(placeId);
    if (!canVerifyPlace(await standingIn(actor, place.organisationId))) throw forbidden('verify places');
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.updatePlaceRow(trx, placeId, { verifiedAt: at });
      await repo.insertRevision(trx, { placeId, actorUserId: actor.userId, at, action: 'verify' });
    });
    return detail(db, placeId, actor);
  }

  /** Deletes a place with its services, notices and stops (owners, managers, admins); the history stays. */
  async function deletePlace(actor: Actor, placeId: string): Promise<void> {
    const place = await loadPlace(placeId);
    if (!canDeletePlace(await standingIn(actor, place.organisationId))) throw forbidden('delete places');
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      const services = await repo.listServicesOfPlace(trx, placeId);
      await repo.insertRevision(trx, {
        placeId,
        actorUserId: actor.userId,
        at,
        action: 'delete',
        before: { place, services }
      });
      await repo.deletePlaceRow(trx, kind, placeId);
    });
  }

  /** Checks a service input's hours and soft rules; returns the normalised hours. */
  function serviceHours(value: string | null | undefined, warnings: EditWarning[]) {
    return checkHours(value, 'openingHours', warnings);
  }

  /**
   * Adds a service to a place (owners, managers, admins). Every list is checked against its
   * vocabulary (unknown value → 400 naming the list and the value); `tous-publics` stands alone;
   * preferential or exclusive access needs publics. Soft rules come back as warnings.
   */
  async function createService(actor: Actor, placeId: string, input: unknown): Promise<ServiceWriteResult> {
    const place = await loadPlace(placeId);
    if (!canManageServices(await standingIn(actor, place.organisationId))) throw forbidden('manage services');
    const data = parseInput(createServiceSchema, input);
    const warnings: EditWarning[] = [];
    const openingHours = serviceHours(data.openingHours, warnings) ?? null;
    warnings.push(...serviceWarnings(data));
    const at = now().toISOString();
    const serviceId = await db.transaction().execute(async (trx) => {
      const service = await repo.insertService(trx, {
        ...(data as Partial<ServiceFields>),
        openingHours,
        placeId,
        organisationId: place.organisationId,
        name: data.name,
        description: data.description,
        createdAt: at
      });
      await repo.syncServiceTags(trx, service.id);
      const { id: _id, placeId: _p, organisationId: _o, createdAt: _c, updatedAt: _u, ...after } = service;
      await repo.insertRevision(trx, {
        placeId,
        serviceId: service.id,
        actorUserId: actor.userId,
        at,
        action: 'create',
        section: 'service',
        after
      });
      await touchPlace(trx, placeId, at);
      return service.id;
    });
    return { service: await serviceView(serviceId), warnings };
  }

  async function serviceView(serviceId: string): Promise<ServiceView> {
    const service = await repo.findService(db, serviceId);
    if (!service) throw serviceNotFound();
    const place = await loadPlace(service.placeId);
    const notices = await repo.listNotices(db, place.id, parisDateKey(now()));
    return presentService(service, place, notices, now());
  }

  async function loadService(serviceId: string) {
    const service = await repo.findService(db, serviceId);
    if (!service) throw serviceNotFound();
    return service;
  }

  /**
   * Updates any subset of a service's fields (a whole service or one form section). The
   * cross-field rules are checked on the merged result; the revision keeps the changed fields only.
   */
  async function updateService(actor: Actor, serviceId: string, input: unknown): Promise<ServiceWriteResult> {
    const service = await loadService(serviceId);
    if (!canManageServices(await standingIn(actor, service.organisationId))) throw forbidden('manage services');
    const data = parseInput(updateServiceSchema, input);
    const warnings: EditWarning[] = [];
    const patch = presentKeys(data) as Partial<ServiceFields>;
    if (patch.openingHours !== undefined) patch.openingHours = serviceHours(patch.openingHours, warnings) ?? null;
    const merged = { ...service, ...patch };
    const problems = serviceProblems(merged);
    if (problems.length > 0) {
      throw new AppError('validation_failed', `Invalid value for ${problems[0]![0]}: ${problems[0]![1]}`, {
        fields: problems.map(([path, message]) => ({ path, message }))
      });
    }
    warnings.push(...serviceWarnings(merged));
    const record = service as unknown as Record<string, unknown>;
    const changed = changedKeys(record, patch as Record<string, unknown>);
    if (changed.length > 0) {
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.updateServiceRow(trx, serviceId, { ...patch, updatedAt: at });
        await repo.syncServiceTags(trx, serviceId);
        await repo.insertRevision(trx, {
          placeId: service.placeId,
          serviceId,
          actorUserId: actor.userId,
          at,
          action: 'update',
          section: 'service',
          before: Object.fromEntries(changed.map((k) => [k, record[k] ?? null])),
          after: Object.fromEntries(changed.map((k) => [k, (patch as Record<string, unknown>)[k] ?? null]))
        });
        await touchPlace(trx, service.placeId, at);
      });
    }
    return { service: await serviceView(serviceId), warnings };
  }

  /** Deletes a service (owners, managers, admins); the place is re-indexed. */
  async function deleteService(actor: Actor, serviceId: string): Promise<void> {
    const service = await loadService(serviceId);
    if (!canManageServices(await standingIn(actor, service.organisationId))) throw forbidden('manage services');
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.deleteServiceRow(trx, serviceId);
      await repo.insertRevision(trx, {
        placeId: service.placeId,
        serviceId,
        actorUserId: actor.userId,
        at,
        action: 'delete',
        section: 'service',
        before: service
      });
      await touchPlace(trx, service.placeId, at);
    });
  }

  /**
   * Adds a temporary closure or temporary hours to a place or one of its services (members of the
   * organisation). Dates are Paris days, endsOn ≥ startsOn, at most a year, not already over.
   */
  async function addNotice(actor: Actor, placeId: string, input: unknown): Promise<NoticeRecord> {
    const place = await loadPlace(placeId);
    if (!canManageNotices(await standingIn(actor, place.organisationId))) throw forbidden('manage notices');
    const data = parseInput(createNoticeSchema, input);
    if (data.endsOn < parisDateKey(now())) throw fieldError('endsOn', 'This notice would already be over');
    if (data.serviceId) {
      const service = await repo.findService(db, data.serviceId);
      if (!service || service.placeId !== placeId) throw fieldError('serviceId', 'No such service at this place');
    }
    const openingHours = checkHours(data.openingHours, 'openingHours', []) ?? null;
    const at = now().toISOString();
    return db.transaction().execute(async (trx) => {
      const notice = await repo.insertNotice(trx, {
        placeId,
        serviceId: data.serviceId ?? null,
        kind: data.kind,
        startsOn: data.startsOn,
        endsOn: data.endsOn,
        openingHours,
        message: data.message || null,
        createdAt: at
      });
      await repo.insertRevision(trx, {
        placeId,
        serviceId: notice.serviceId,
        actorUserId: actor.userId,
        at,
        action: 'update',
        section: 'notices',
        before: null,
        after: notice
      });
      await repo.updatePlaceRow(trx, placeId, { updatedAt: at, verifiedAt: at });
      return notice;
    });
  }

  /** Removes a temporary notice (members of the organisation). */
  async function removeNotice(actor: Actor, noticeId: string): Promise<void> {
    const notice = await repo.findNotice(db, noticeId);
    if (!notice) throw new AppError('not_found', 'Notice not found');
    const place = await loadPlace(notice.placeId);
    if (!canManageNotices(await standingIn(actor, place.organisationId))) throw forbidden('manage notices');
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.deleteNoticeRow(trx, noticeId);
      await repo.insertRevision(trx, {
        placeId: place.id,
        serviceId: notice.serviceId,
        actorUserId: actor.userId,
        at,
        action: 'update',
        section: 'notices',
        before: notice,
        after: null
      });
      await repo.updatePlaceRow(trx, place.id, { updatedAt: at });
    });
  }

  /** The 409 of a stop list changed since the editor read it, with the list as it now is. */
  async function stopsConflict(placeId: string): Promise<AppError> {
    const [version, stops] = await Promise.all([repo.stopsVersionOf(db, placeId), repo.listStops(db, placeId)]);
    return new AppError('conflict', 'Someone changed the stops before you: here they are as they now are', {
      current: { version: version ?? 0, stops }
    });
  }

  /**
   * Replaces the ordered stops of a mobile place (owners, managers, admins); the place becomes
   * mobile. Optimistic concurrency: `version` is the list's version the editor saw; if another
   * replacement came first, 409 `conflict` with `details.current` (version, stops) and nothing
   * written (checked before the stop ids, which the other editor may have removed, and again by a
   * conditional UPDATE inside the transaction). A stop given with the `id` of one of the place's
   * current stops keeps it (pages edit one stop by its id); an unknown or repeated id is refused on
   * `stops.N.id`. Each stop's hours are validated and normalised like a place's; their corrections
   * come back as warnings on `stops.N.openingHours`. Validity dates are Paris days, to ≥ from.
   */
  async function setStops(actor: Actor, placeId: string, input: unknown): Promise<StopsWriteResult> {
    const place = await loadPlace(placeId);
    if (!canManageServices(await standingIn(actor, place.organisationId))) throw forbidden('manage stops');
    const data = parseInput(setStopsSchema, input);
    if ((await repo.stopsVersionOf(db, placeId)) !== data.version) throw await stopsConflict(placeId);
    const current = new Set((await repo.listStops(db, placeId)).map((s) => s.id));
    const seen = new Set<string>();
    const warnings: EditWarning[] = [];
    const stops = data.stops.map((s, i) => {
      if (s.id !== undefined) {
        if (!current.has(s.id) || seen.has(s.id)) throw fieldError(`stops.${i}.id`, 'Not a stop of this place (or given twice)');
        seen.add(s.id);
      }
      return {
        ...(s.id === undefined ? {} : { id: s.id }),
        name: s.name,
        addressLine: s.addressLine ?? null,
        postalCode: s.postalCode ?? null,
        city: s.city ?? null,
        lat: s.lat ?? null,
        lng: s.lng ?? null,
        openingHours: checkHours(s.openingHours, `stops.${i}.openingHours`, warnings) ?? null,
        validFrom: s.validFrom ?? null,
        validTo: s.validTo ?? null
      };
    });
    const at = now().toISOString();
    const saved = await db.transaction().execute(async (trx) => {
      const version = await repo.bumpStopsVersion(trx, placeId, data.version);
      if (version === null) return null;
      const before = await repo.listStops(trx, placeId);
      const result = await repo.replaceStops(trx, placeId, stops);
      await repo.insertRevision(trx, {
        placeId,
        actorUserId: actor.userId,
        at,
        action: 'update',
        section: 'stops',
        before: before.map(({ id: _i, placeId: _p, ...s }) => s),
        after: result.map(({ id: _i, placeId: _p, ...s }) => s)
      });
      if (stops.length > 0 && !place.isMobile) await repo.updatePlaceRow(trx, placeId, { isMobile: true });
      await repo.updatePlaceRow(trx, placeId, { updatedAt: at, verifiedAt: at });
      return { stops: result, version };
    });
    if (!saved) throw await stopsConflict(placeId);
    return { ...saved, warnings };
  }

  /** The change history of a place, newest first, with the actors' display names (members, admins). */
  async function listRevisions(
    actor: Actor,
    placeId: string,
    opts: { cursor?: string; limit?: number } = {}
  ): Promise<RevisionPage> {
    const place = await loadPlace(placeId);
    if (!canViewRevisions(await standingIn(actor, place.organisationId))) throw forbidden('see the history of places');
    const limit = opts.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > REVISIONS_MAX_LIMIT) {
      throw fieldError('limit', `Limit must be an integer between 1 and ${REVISIONS_MAX_LIMIT}`);
    }
    const cursor = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
    if (opts.cursor !== undefined && !cursor) throw fieldError('cursor', 'Invalid cursor');
    const rows = await repo.listRevisions(db, placeId, { cursor, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
  }

  /**
   * The public page of a place by slug or id, evaluated at `at` (default now): fields,
   * organisation, services with their opening state, current notices, stops, staleness, and the
   * caller's permissions when signed in.
   */
  async function getPublicPlace(slugOrId: string, actor: Actor | null = null, at?: Date): Promise<PlaceDetail> {
    const place = (await repo.findPlaceBySlug(db, slugOrId)) ?? (await repo.findPlace(db, slugOrId));
    if (!place) throw placeNotFound();
    const agg = await repo.loadPlaceAggregate(db, place.id);
    if (!agg) throw placeNotFound();
    const permissions = actor ? placePermissionsFor(await standingIn(actor, place.organisationId), PLACE_SECTIONS) : null;
    return presentPlaceDetail(agg, at ?? now(), staleMonths(), permissions);
  }

  /** The places of an organisation (public), by name, with opening state and staleness. */
  async function listOrganisationPlaces(organisationId: string): Promise<PlaceView[]> {
    const org = await db.selectFrom('organisation').select('id').where('id', '=', organisationId).executeTakeFirst();
    if (!org) throw new AppError('not_found', 'Organisation not found');
    const places = await repo.listPlacesOfOrganisation(db, organisationId);
    const at = now();
    const today = parisDateKey(at);
    return Promise.all(
      places.map(async (p) => presentPlace(p, await repo.listNotices(db, p.id, today), at, staleMonths()))
    );
  }

  /** The caller's permissions on a place (pages use it to show edit links). */
  async function placePermissions(actor: Actor | null, placeId: string): Promise<PlacePermissions> {
    const place = await loadPlace(placeId);
    return placePermissionsFor(await standingIn(actor, place.organisationId), PLACE_SECTIONS);
  }

  return {
    createPlace,
    findDuplicates,
    updatePlaceSection,
    verifyPlace,
    deletePlace,
    createService,
    updateService,
    deleteService,
    addNotice,
    removeNotice,
    setStops,
    listRevisions,
    getPublicPlace,
    listOrganisationPlaces,
    placePermissions
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
