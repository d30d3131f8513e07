import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { insertTestUser } from '../organisations/organisations.testing.js';
import { messageFor } from './messages.js';
import { notifyUser, notifyUsers } from './notify.js';

const params = {
  offerTitle: 'Pain du jour',
  placeName: 'Boulangerie',
  pickupStartsAt: '2026-11-29T18:00:00.000Z',
  pickupEndsAt: '2026-11-29T19:00:00.000Z',
  reason: 'Four en panne'
};

describe.each(DIALECTS)('notifying people on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.destroy());

  const inbox = (userId: string) =>
    database.db.selectFrom('inbox_item').select(['kind', 'title', 'body', 'link']).where('user_id', '=', userId).execute();

  it('tells each person once, in their own language, with the link', async () => {
    const fr = await insertTestUser(database.db);
    const en = await insertTestUser(database.db, { locale: 'en' });
    const at = new Date('2026-11-29T10:00:00.000Z');
    await notifyUsers(database.db, at, [fr.userId, en.userId, fr.userId], { kind: 'offer.cancelled', params, link: '/mes-reservations' });

    const [toFr] = await inbox(fr.userId);
    const [toEn, extra] = await inbox(en.userId);
    expect((await inbox(fr.userId)).length).toBe(1);
    expect(extra).toBeUndefined();
    expect(toFr).toEqual({ kind: 'offer.cancelled', link: '/mes-reservations', ...messageFor('offer.cancelled', 'fr', params) });
    expect(toEn).toEqual({ kind: 'offer.cancelled', link: '/mes-reservations', ...messageFor('offer.cancelled', 'en', params) });
    expect(toFr!.title).not.toBe(toEn!.title);
    // An outbox row per channel: both have an email address.
    const outbox = await database.db.selectFrom('outbox').select('user_id').where('user_id', 'in', [fr.userId, en.userId]).execute();
    expect(outbox.length).toBe(2);
  });

  it('writes French for one person whose locale is not known, and nothing for no one', async () => {
    const person = await insertTestUser(database.db);
    await database.db.updateTable('user').set({ locale: 'de' }).where('id', '=', person.userId).execute();
    await notifyUser(database.db, new Date('2026-11-29T10:00:00.000Z'), person.userId, {
      kind: 'reservation.cancelled',
      params,
      link: '/mes-reservations'
    });
    const [item] = await inbox(person.userId);
    expect(item).toMatchObject(messageFor('reservation.cancelled', 'fr', params));
    await expect(notifyUsers(database.db, new Date(), [], { kind: 'offer.cancelled', params, link: '/x' })).resolves.toBeUndefined();
  });
});
