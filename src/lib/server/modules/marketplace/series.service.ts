import { parseInput } from '../../http/errors.js';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createSeriesInput, seriesTemplateSchema, updateSeriesInput, type SeriesTemplate } from '../../../schemas/offers.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { parisDate } from '../eligibility/requests.rules.js';
import { findMembership, findOrganisation, type OrganisationRecord } from '../organisations/organisations.repository.js';
import { checkOfferSafety } from './marketplace.rules.js';
import { insertOffer, listOrganisationOffers, type OfferRecord } from './offers.repository.js';
import { canManageOrganisationOffers } from './offers.policy.js';
import { toOfferView, type OfferView } from './offers.presenter.js';
import { offerValues } from './offers.service.js';
import { readSettings } from './reservations.repository.js';
import * as repo from './series.repository.js';
import type { SeriesRow } from './series.repository.js';
import { addDays, occurrenceDays, occurrenceWindow, SERIES_HORIZON_DAYS, seriesProblems } from './series.rules.js';

/**
 * Recurring offers: a weekly rule (ISO weekdays, HH:MM window in Europe/Paris) and a template. A job
 * keeps occurrences generated SERIES_HORIZON_DAYS ahead; the unique (series_id, occurrence_on) makes
 * generation idempotent (a skipped — cancelled — occurrence is never generated again). One occurrence
 * is edited or skipped through the offers API (PATCH /offers/{id}, POST /offers/{id}/cancel).
 */

export interface SeriesView {
  id: string;
  organisationId: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  startsOn: string;
  endsOn: string | null;
  generatedUntil: string | null;
  stoppedAt: string | null;
  template: SeriesTemplate;
  /** Occurrences not yet over, soonest first. */
  occurrences: OfferView[];
}

function refuse(issues: { path: string; code: string; message: string }[]): never {
  throw new AppError('validation_failed', `${issues[0]!.path}: ${issues[0]!.message}`, {
    fields: issues.map((i) => ({ path: i.path, message: i.message, code: i.code }))
  });
}

function templateOf(row: SeriesRow): SeriesTemplate {
  return seriesTemplateSchema.parse(JSON.parse(row.template));
}

export function createSeriesService(deps: { db: Kysely<DB>; now: () => Date }) {
  const { db, now } = deps;

  async function donorOrganisation(actor: Actor, organisationId: string): Promise<OrganisationRecord> {
    const org = await findOrganisation(db, organisationId);
    if (!org) throw new AppError('not_found', 'No such organisation');
    const membership = await findMembership(db, org.id, actor.userId);
    if (!canManageOrganisationOffers({ organisationKind: org.kind, isMember: membership !== undefined })) {
      throw new AppError('forbidden', 'Only members of a donor organisation may manage its recurring offers');
    }
    return org;
  }

  async function managedSeries(actor: Actor, id: string): Promise<{ row: SeriesRow; org: OrganisationRecord }> {
    const row = await repo.findSeries(db, id);
    if (!row || !row.organisation_id) throw new AppError('not_found', 'No such series');
    return { row, org: await donorOrganisation(actor, row.organisation_id) };
  }

  /** The template's rules checked on the first occurrence window (closed lists, cold chain, partners' DLC). */
  async function checkTemplate(template: SeriesTemplate, startTime: string, endTime: string, day: string) {
    const settings = await readSettings(db);
    const w = occurrenceWindow(day, startTime, endTime);
    const issues = checkOfferSafety(
      {
        ...template,
        dateOn: template.dateKind === 'none' ? null : addDays(day, template.dateOffsetDays),
        pickupStartsAt: w.startsAt,
        pickupEndsAt: w.endsAt,
        postedBy: 'organisation'
      },
      settings,
      new Date(Date.parse(w.startsAt) - 60_000)
    );
    if (issues.length > 0) refuse(issues.map((i) => ({ ...i, path: `template.${i.path}` })));
  }

  /** Inserts the missing occurrences of one series from today; returns how many were created. */
  async function generateFor(row: SeriesRow, org: OrganisationRecord | undefined, at: Date): Promise<number> {
    if (row.stopped_at || !row.organisation_id) return 0;
    const template = templateOf(row);
    const pickup = template.pickup ??
      (org?.address?.lat != null && org.address.lng != null
        ? { addressLine: org.address.line, postalCode: org.address.postalCode, city: org.address.city, lat: org.address.lat, lng: org.address.lng }
        : null);
    if (!pickup) return 0;
    const today = parisDate(at);
    const shape = { weekdays: JSON.parse(row.weekdays) as number[], startTime: row.start_time, endTime: row.end_time, startsOn: row.starts_on, endsOn: row.ends_on };
    let created = 0;
    const iso = at.toISOString();
    for (const day of occurrenceDays(shape, today)) {
      const w = occurrenceWindow(day, row.start_time, row.end_time);
      if (Date.parse(w.endsAt) <= at.getTime()) continue;
      const inserted = await insertOffer(db, {
        id: randomUUID(),
        at: iso,
        isDemo: row.is_demo !== 0,
        ...offerValues({ ...template, dateOn: template.dateKind === 'none' ? null : addDays(day, template.dateOffsetDays) }, pickup),
        organisation_id: row.organisation_id,
        donor_user_id: null,
        posted_by_user_id: row.created_by_user_id,
        series_id: row.id,
        occurrence_on: day,
        pickup_starts_at: w.startsAt,
        pickup_ends_at: w.endsAt,
        partners_until: template.audience === 'partners-first' ? w.startsAt : null,
        pooling_ends_at: null
      });
      if (inserted) created += 1;
    }
    await repo.markGenerated(db, row.id, addDays(today, SERIES_HORIZON_DAYS - 1), iso);
    return created;
  }

  /** A series as shown, with its occurrences not yet over among `offers` (the organisation's, from now). */
  function toView(row: SeriesRow, offers: OfferRecord[]): SeriesView {
    return {
      id: row.id,
      organisationId: row.organisation_id!,
      weekdays: JSON.parse(row.weekdays) as number[],
      startTime: row.start_time,
      endTime: row.end_time,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
      generatedUntil: row.generated_until,
      stoppedAt: row.stopped_at,
      template: templateOf(row),
      occurrences: offers.filter((o) => o.seriesId === row.id).map((o) => toOfferView(o, { forDonor: true }))
    };
  }

  async function view(id: string): Promise<SeriesView> {
    const row = (await repo.findSeries(db, id))!;
    return toView(row, await listOrganisationOffers(db, row.organisation_id!, { from: now().toISOString() }));
  }

  return {
    /** Creates a recurring offer and generates its occurrences of the next days at once. */
    async createSeries(actor: Actor, raw: unknown): Promise<SeriesView> {
      const input = parseInput(createSeriesInput, raw);
      const org = await donorOrganisation(actor, input.organisationId);
      const at = now();
      const startsOn = input.startsOn ?? parisDate(at);
      const shape = { weekdays: input.weekdays, startTime: input.startTime, endTime: input.endTime, startsOn, endsOn: input.endsOn ?? null };
      const problems = seriesProblems(shape);
      if (problems.length > 0) refuse(problems);
      await checkTemplate(input.template, input.startTime, input.endTime, startsOn);
      const id = randomUUID();
      const iso = at.toISOString();
      const row: SeriesRow = {
        id,
        organisation_id: org.id,
        donor_user_id: null,
        template: JSON.stringify(input.template),
        weekdays: JSON.stringify([...input.weekdays].sort()),
        start_time: input.startTime,
        end_time: input.endTime,
        starts_on: startsOn,
        ends_on: input.endsOn ?? null,
        generated_until: null,
        stopped_at: null,
        created_by_user_id: actor.userId,
        is_demo: 0,
        created_at: iso,
        updated_at: iso
      };
      await repo.insertSeries(db, row);
      await generateFor(row, org, at);
      return view(id);
    },

    /**
     * Changes the rule or the template: future occurrences nobody reserved are rewritten (withdrawn and
     * generated again); those with reservations stay as they are (edit them one by one).
     */
    async updateSeries(actor: Actor, id: string, raw: unknown): Promise<SeriesView> {
      const patch = parseInput(updateSeriesInput, raw);
      const { row, org } = await managedSeries(actor, id);
      if (row.stopped_at) throw new AppError('conflict', 'The series is stopped');
      const at = now();
      const shape = {
        weekdays: patch.weekdays ?? (JSON.parse(row.weekdays) as number[]),
        startTime: patch.startTime ?? row.start_time,
        endTime: patch.endTime ?? row.end_time,
        startsOn: row.starts_on,
        endsOn: patch.endsOn === undefined ? row.ends_on : patch.endsOn
      };
      const problems = seriesProblems(shape);
      if (problems.length > 0) refuse(problems);
      const template = patch.template ?? templateOf(row);
      await checkTemplate(template, shape.startTime, shape.endTime, parisDate(at) > row.starts_on ? parisDate(at) : row.starts_on);
      const iso = at.toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.updateSeriesRule(
          trx,
          id,
          {
            weekdays: JSON.stringify([...shape.weekdays].sort()),
            start_time: shape.startTime,
            end_time: shape.endTime,
            ends_on: shape.endsOn,
            template: JSON.stringify(template)
          },
          iso
        );
        await repo.deleteUntouchedFuture(trx, id, iso);
      });
      const updated = (await repo.findSeries(db, id))!;
      await generateFor(updated, org, at);
      return view(id);
    },

    /** Stops the series: no more occurrences; future ones nobody reserved are cancelled. */
    async stopSeries(actor: Actor, id: string): Promise<SeriesView> {
      const { row } = await managedSeries(actor, id);
      if (row.stopped_at) throw new AppError('conflict', 'The series is already stopped');
      const at = now();
      const iso = at.toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.markSeriesStopped(trx, id, iso);
        await repo.cancelUntouchedFuture(trx, id, iso);
      });
      return view(id);
    },

    /** The organisation's recurring offers, running first then stopped, newest first, each with its coming occurrences (members). */
    async listSeries(actor: Actor, organisationId: string): Promise<SeriesView[]> {
      await donorOrganisation(actor, organisationId);
      // Two queries whatever the number of series: the series, then the organisation's coming offers once.
      const rows = await repo.listSeriesOf(db, organisationId);
      const offers = rows.length > 0 ? await listOrganisationOffers(db, organisationId, { from: now().toISOString() }) : [];
      const views = rows.map((row) => toView(row, offers));
      return [...views.filter((v) => v.stoppedAt === null), ...views.filter((v) => v.stoppedAt !== null)];
    },

    async getSeries(actor: Actor, id: string): Promise<SeriesView> {
      await managedSeries(actor, id);
      return view(id);
    },

    /** The job: every running series keeps its occurrences of the next days (idempotent). */
    async generateDue(): Promise<{ series: number; created: number }> {
      const at = now();
      const today = parisDate(at);
      const rows = await repo.listRunningSeries(db, today);
      // One read per organisation, not per series.
      const orgs = new Map<string, Promise<OrganisationRecord | undefined>>();
      const orgOf = (id: string) => orgs.get(id) ?? orgs.set(id, findOrganisation(db, id)).get(id)!;
      let created = 0;
      for (const row of rows) {
        const org = row.organisation_id ? await orgOf(row.organisation_id) : undefined;
        created += await generateFor(row, org, at);
      }
      return { series: rows.length, created };
    }
  };
}

export type SeriesService = ReturnType<typeof createSeriesService>;
