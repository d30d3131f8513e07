import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, postgresLabel, type TestDatabase } from '../../../../../tests/helpers/db.js';
import type { ReservationStatus } from '../../db/schema.marketplace.js';
import { localesOf } from '../notifications/inbox.repository.js';
import { insertTestOffer, testReservationRow } from './marketplace.testing.js';
import { cancelLiveReservations } from './offers.repository.js';
import { recentUnits } from './reservations.repository.js';

const AT = '2026-11-29T10:00:00.000Z';

/**
 * An offer with more reservations than one statement may bind parameters (SQLite: 32,766; PGlite:
 * 32,767, then it answers wrong): the lists these reads and writes take grow with an
 * offer's waiting list and pooled requests, so they must answer whole past the limit.
 */
describe.each(DIALECTS)('an offer with more reservations than a query may bind parameters, on %s', (kind) => {
  const COUNT = 33_000;
  /** Every 33rd person collected from a past offer. */
  const COLLECTOR_STEP = 33;
  const person = (i: number) => `many-${String(i).padStart(5, '0')}`;
  const people = Array.from({ length: COUNT }, (_, i) => person(i));
  let t: TestDatabase;
  let past: string;
  let popular: string;
  const db = () => t.db;
  const label = kind === 'postgres' ? postgresLabel : kind;

  /** A reservation of `offerId` for every `step`-th person. */
  async function reservations(offerId: string, status: ReservationStatus, quantity: (i: number) => number, step = 1) {
    for (let start = 0; start < COUNT; start += 1_000 * step) {
      const rows = Array.from({ length: Math.min(1_000, Math.ceil((COUNT - start) / step)) }, (_, k) => {
        const i = start + k * step;
        const userId = person(i);
        return testReservationRow({
          id: `${offerId}-${i}`,
          offer_id: offerId,
          user_id: userId,
          quantity: quantity(i),
          status,
          waiting_position: status === 'waiting' ? i + 1 : null,
          created_at: AT,
          collected_at: status === 'collected' ? AT : null
        });
      });
      await db().insertInto('reservation').values(rows).execute();
    }
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    for (let start = 0; start < COUNT; start += 1_000) {
      const ids = people.slice(start, start + 1_000);
      await db()
        .insertInto('user')
        .values(ids.map((id, k) => ({ id, email: `${id}@example.test`, phone: null, password_hash: null, display_name: id, locale: (start + k) % 2 === 0 ? 'en' : 'fr', email_verified_at: AT, phone_verified_at: null, is_platform_admin: 0, failed_sign_in_count: 0, locked_until: null, is_demo: 0, created_at: AT, updated_at: AT })))
        .execute();
    }
    past = await insertTestOffer(db(), { at: '2026-11-20T10:00:00.000Z', status: 'closed' });
    popular = await insertTestOffer(db(), { at: AT });
    await reservations(past, 'collected', (i) => 1 + (i % 3), COLLECTOR_STEP);
    await reservations(popular, 'waiting', () => 1);
  }, 120_000);
  afterAll(async () => t?.destroy());

  it(`reads everyone's recent units and language (${label})`, async () => {
    const units = await recentUnits(db(), [...people, 'nobody'], '2026-11-01T00:00:00.000Z');
    expect(units.size).toBe(COUNT / COLLECTOR_STEP);
    expect(people.every((id, i) => units.get(id) === (i % COLLECTOR_STEP === 0 ? 1 + (i % 3) : undefined))).toBe(true);
    const locales = await localesOf(db(), people);
    expect(locales.size).toBe(COUNT);
    expect(people.every((id, i) => locales.get(id) === (i % 2 === 0 ? 'en' : 'fr'))).toBe(true);
  });

  it(`cancels every live reservation of the offer and returns each person to tell (${label})`, async () => {
    const cancelled = await db()
      .transaction()
      .execute((trx) => cancelLiveReservations(trx, popular, 'Four en panne', AT));
    expect(cancelled.map((r) => r.userId).sort()).toEqual(people);
    const statuses = await db()
      .selectFrom('reservation')
      .select(['offer_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy(['offer_id', 'status'])
      .execute();
    const byOffer = Object.fromEntries(statuses.map((s) => [`${s.offer_id === past ? 'past' : 'popular'} ${s.status}`, Number(s.n)]));
    expect(byOffer).toEqual({ 'past collected': COUNT / COLLECTOR_STEP, 'popular cancelled': COUNT });
  });
});
