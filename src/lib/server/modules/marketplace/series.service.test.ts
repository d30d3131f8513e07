import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingQueries, DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { insertTestMembership, insertTestUser } from '../organisations/organisations.testing.js';
import { insertDonorOrganisation, insertTestReservation } from './marketplace.testing.js';
import { createSeriesService } from './series.service.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

const template = {
  title: 'Pain du soir',
  category: 'pain-viennoiserie',
  quantity: 8,
  allergens: ['gluten'],
  weightGrams: 2000
};

describe.each(DIALECTS)('recurring offers on %s', (kind) => {
  let t: TestServices;
  let baker: Actor;
  let stranger: Actor;
  let bakery: string;

  beforeAll(async () => {
    t = await createTestServices(kind);
    // Friday 27 March 2026, 10:00 in Paris; France moves to summer time on Sunday the 29th.
    t.clock.set('2026-03-27T09:00:00.000Z');
    baker = await insertTestUser(t.services.db);
    stranger = await insertTestUser(t.services.db);
    bakery = await insertDonorOrganisation(t.services.db);
    await insertTestMembership(t.services.db, bakery, baker.userId);
  });
  afterAll(async () => t?.destroy());

  it('generates weekday occurrences for the next 7 days at 19:00–20:00 Paris time across DST', async () => {
    const series = await t.services.offerSeries.createSeries(baker, {
      organisationId: bakery,
      weekdays: [1, 2, 3, 4, 5],
      startTime: '19:00',
      endTime: '20:00',
      template
    });
    expect(series.occurrences.map((o) => o.occurrenceOn)).toEqual(['2026-03-27', '2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02']);
    expect(series.occurrences[0]).toMatchObject({ pickupStartsAt: '2026-03-27T18:00:00.000Z', quantity: 8, seriesId: series.id, status: 'published' });
    expect(series.occurrences[1]!.pickupStartsAt).toBe('2026-03-30T17:00:00.000Z'); // summer time
    expect(series.generatedUntil).toBe('2026-04-02');

    // The job is idempotent, then moves the horizon with the clock.
    expect(await t.services.offerSeries.generateDue()).toEqual({ series: 1, created: 0 });
    t.clock.set('2026-03-28T09:00:00.000Z');
    const moved = await t.services.offerSeries.generateDue();
    const all = await t.services.db.selectFrom('offer').select(['occurrence_on', 'series_id']).where('series_id', '=', series.id).execute();
    expect(all.map((o) => o.occurrence_on).sort()).toContain('2026-04-03');
    expect(moved.created).toBe(1); // Friday 3 April
    t.clock.set('2026-03-27T09:00:00.000Z');
  });

  it("carries the template's safety declarations onto each occurrence (stored, so edits keep them)", async () => {
    const series = await t.services.offerSeries.createSeries(baker, {
      organisationId: bakery,
      weekdays: [6],
      startTime: '12:00',
      endTime: '13:00',
      template: { ...template, title: 'Poisson du marché', isRawAnimalProduct: true }
    });
    expect(series.occurrences.length).toBeGreaterThan(0);
    for (const o of series.occurrences) expect(o).toMatchObject({ isRawAnimalProduct: true, partnerAcceptsShorter: false });
    await t.services.offerSeries.stopSeries(baker, series.id);
  });

  it('lets one occurrence be skipped (never generated again) or edited', async () => {
    const series = await t.services.offerSeries.createSeries(baker, {
      organisationId: bakery,
      weekdays: [6],
      startTime: '12:00',
      endTime: '13:00',
      template: { ...template, title: 'Brioches du samedi' }
    });
    const saturday = series.occurrences[0]!;
    expect(saturday.occurrenceOn).toBe('2026-03-28');
    await t.services.offers.cancelOffer(baker, saturday.id, { reason: 'Boutique fermée' });
    await t.services.offerSeries.generateDue();
    const rows = await t.services.db.selectFrom('offer').select(['status']).where('series_id', '=', series.id).where('occurrence_on', '=', '2026-03-28').execute();
    expect(rows).toEqual([{ status: 'cancelled' }]);

    const weekly = await t.services.offerSeries.createSeries(baker, { organisationId: bakery, weekdays: [1], startTime: '18:00', endTime: '19:00', template });
    const edited = await t.services.offers.updateOffer(baker, weekly.occurrences[0]!.id, { quantity: 20 });
    expect(edited).toMatchObject({ quantity: 20, seriesId: weekly.id });
  });

  it('rewrites unreserved future occurrences when the rule changes, keeping reserved ones', async () => {
    const series = await t.services.offerSeries.createSeries(baker, {
      organisationId: bakery,
      weekdays: [1, 2],
      startTime: '17:00',
      endTime: '18:00',
      template: { ...template, title: 'Baguettes' }
    });
    const [monday, tuesday] = series.occurrences;
    const person = await insertTestUser(t.services.db);
    await insertTestReservation(t.services.db, { offerId: monday!.id, userId: person.userId, quantity: 1 });
    const updated = await t.services.offerSeries.updateSeries(baker, series.id, { startTime: '18:00', endTime: '19:00' });
    const byDay = new Map(updated.occurrences.map((o) => [o.occurrenceOn, o]));
    expect(byDay.get('2026-03-30')!.id).toBe(monday!.id); // reserved: kept as it was
    expect(byDay.get('2026-03-30')!.pickupStartsAt).toBe('2026-03-30T15:00:00.000Z');
    expect(byDay.get('2026-03-31')!.id).not.toBe(tuesday!.id);
    expect(byDay.get('2026-03-31')!.pickupStartsAt).toBe('2026-03-31T16:00:00.000Z');
  });

  it('stops a series: no more occurrences, unreserved ones cancelled', async () => {
    const series = await t.services.offerSeries.createSeries(baker, { organisationId: bakery, weekdays: [3], startTime: '19:00', endTime: '20:00', template });
    const stopped = await t.services.offerSeries.stopSeries(baker, series.id);
    expect(stopped.stoppedAt).not.toBeNull();
    expect(stopped.occurrences.every((o) => o.status === 'cancelled')).toBe(true);
    t.clock.set('2026-04-05T09:00:00.000Z');
    await t.services.offerSeries.generateDue();
    const count = await t.services.db.selectFrom('offer').select('id').where('series_id', '=', series.id).execute();
    expect(count).toHaveLength(1);
    t.clock.set('2026-03-27T09:00:00.000Z');
    expect((await refusal(t.services.offerSeries.stopSeries(baker, series.id))).code).toBe('conflict');
  });

  it('refuses bad rules and templates naming the field, and non-members', async () => {
    const bad = await refusal(
      t.services.offerSeries.createSeries(baker, { organisationId: bakery, weekdays: [0], startTime: '19:00', endTime: '19:00', template })
    );
    expect(bad.details?.fields?.map((f) => f.path)).toEqual(['weekdays', 'endTime']);
    const chilled = await refusal(
      t.services.offerSeries.createSeries(baker, {
        organisationId: bakery,
        weekdays: [1],
        startTime: '10:00',
        endTime: '18:00',
        template: { ...template, storage: 'chilled', allergens: ['kiwi'] }
      })
    );
    expect(chilled.details?.fields?.map((f) => `${f.path}:${f.code}`)).toEqual(['template.allergens:unknown_allergen', 'template.pickupEndsAt:chilled_window_too_long']);
    expect((await refusal(t.services.offerSeries.createSeries(stranger, { organisationId: bakery, weekdays: [1], startTime: '19:00', endTime: '20:00', template }))).code).toBe('forbidden');
    expect((await refusal(t.services.offerSeries.getSeries(baker, 'nope'))).code).toBe('not_found');
  });

  it("lists an organisation's series to its members, running ones first, stopped ones last", async () => {
    const shop = await insertDonorOrganisation(t.services.db);
    await insertTestMembership(t.services.db, shop, baker.userId);
    const first = await t.services.offerSeries.createSeries(baker, { organisationId: shop, weekdays: [2], startTime: '18:00', endTime: '19:00', template });
    const second = await t.services.offerSeries.createSeries(baker, { organisationId: shop, weekdays: [4], startTime: '18:00', endTime: '19:00', template });
    await t.services.offerSeries.stopSeries(baker, second.id);
    const list = await t.services.offerSeries.listSeries(baker, shop);
    expect(list.map((s) => [s.id, s.stoppedAt === null])).toEqual([
      [first.id, true],
      [second.id, false]
    ]);
    expect(list[0]!.occurrences.every((o) => o.seriesId === first.id)).toBe(true);
    expect(list[0]!.occurrences).toEqual((await t.services.offerSeries.getSeries(baker, first.id)).occurrences);
    expect((await refusal(t.services.offerSeries.listSeries(stranger, shop))).code).toBe('forbidden');

    // As many reads for three series as for two: not a query (or two) per series.
    const counting = countingQueries(t.services.db);
    const series = createSeriesService({ db: counting.db, now: t.clock.now });
    await series.listSeries(baker, shop);
    const forTwo = counting.count();
    await t.services.offerSeries.createSeries(baker, { organisationId: shop, weekdays: [5], startTime: '18:00', endTime: '19:00', template });
    counting.reset();
    expect(await series.listSeries(baker, shop)).toHaveLength(3);
    expect(counting.count()).toBe(forTwo);
  });
});
