import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { AppError } from '../../errors.js';
import { insertTestMembership, insertTestOrganisation } from '../organisations/organisations.testing.js';
import { householdInputFor, insertTestScheme } from '../eligibility/requests.testing.js';
import { chosenRadius } from './feed.rules.js';
import { grantAntiGaspi, insertTestOffer, insertTestPerson } from './marketplace.testing.js';

/**
 * Reserving for someone else through the pages' use cases: an agent for an accompanied person (the
 * feed near the organisation, the person's reservations with codes, every act audited), and a member
 * of a partner association (the offers addressed to partners).
 */

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe.each(DIALECTS)('agents and partners reserving on %s', (kind) => {
  let t: TestServices;
  let ccasId: string;
  let associationId: string;
  let donorOrg: string;
  let schemeId: string;
  let agent: string;
  let stranger: string;
  let josiane: string;
  let keyN = 0;
  const key = () => `agent-key-${(keyN += 1)}`;
  const db = () => t.services.db;
  const as = (userId: string) => ({ userId, isPlatformAdmin: false, requestId: 'req-agent' });
  const near = { lat: '50.63', lng: '3.06', radiusKm: '5' };

  beforeAll(async () => {
    t = await createTestServices(kind);
    t.clock.set('2026-11-29T10:00:00.000Z');
    ccasId = await insertTestOrganisation(db(), 'ccas', 'CCAS');
    associationId = await insertTestOrganisation(db(), 'association', 'Épicerie solidaire');
    donorOrg = await insertTestOrganisation(db(), 'donor', 'Boulangerie');
    schemeId = await insertTestScheme(db(), 'anti-gaspi', [ccasId]);
    agent = await insertTestPerson(db(), 'Agent');
    stranger = await insertTestPerson(db(), 'Inconnu');
    await insertTestMembership(db(), ccasId, agent);
    await insertTestMembership(db(), associationId, stranger);
    josiane = (await t.services.people.createAccompanied(as(agent), ccasId, householdInputFor({ firstName: 'Josiane' }))).userId;
  }, 60_000);
  afterAll(async () => t?.destroy());

  it('shows the feed for an accompanied person once eligible, to agents who may act for them only', async () => {
    const forPeople = await insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString(), title: 'Pain' });
    const forPartners = await insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString(), audience: 'partners', title: 'Colis' });
    let page = await t.services.feed.feedForPerson(as(agent), josiane, near);
    expect(page.eligible).toBe(false);
    expect(page.items).toEqual([]);
    await grantAntiGaspi(db(), josiane, schemeId, ccasId);
    page = await t.services.feed.feedForPerson(as(agent), josiane, near);
    expect(page.eligible).toBe(true);
    const ids = page.items.map((i) => i.id);
    expect(ids).toContain(forPeople);
    expect(ids).not.toContain(forPartners);
    expect((await rejection(t.services.feed.feedForPerson(as(stranger), josiane, near))).code).toBe('not_found');
  });

  it('reserves for the person, lists their reservations with the code for any agent of the organisation, and audits both', async () => {
    const offerId = await insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString() });
    const { reservation } = await t.services.reservations.reserve(as(agent), offerId, { quantity: 1, forUserId: josiane }, key());
    const colleague = await insertTestPerson(db(), 'Collègue');
    await insertTestMembership(db(), ccasId, colleague);
    const list = await t.services.reservations.listForPerson(as(colleague), josiane);
    expect(list.find((r) => r.id === reservation.id)).toMatchObject({ code: reservation.code, forUserId: josiane, actedByUserId: agent });
    const audit = await db().selectFrom('audit_log').selectAll().where('subject_id', '=', josiane).where('action', '=', 'person.act_for').execute();
    const acts = audit.map((a) => `${a.actor_user_id}:${JSON.parse(a.details ?? '{}').action}`);
    expect(acts).toContain(`${agent}:marketplace.reserve`);
    expect(acts).toContain(`${colleague}:marketplace.reservations.read`);
    expect((await rejection(t.services.reservations.listForPerson(as(stranger), josiane))).code).toBe('not_found');
  });

  it('finds an offer beyond the default radius of the agent pages once the agent widens it (?rayon=)', async () => {
    await grantAntiGaspi(db(), josiane, schemeId, ccasId);
    // About 15 km north of the point: beyond the person page's 10 km, within 20 and 50.
    const farForPeople = await insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString(), title: 'Loin', lat: 50.765, lng: 3.06 });
    // About 35 km: beyond the partner page's 20 km, within 50.
    const farForPartners = await insertTestOffer(db(), {
      organisationId: donorOrg,
      at: t.clock.now().toISOString(),
      audience: 'partners',
      title: 'Très loin',
      lat: 50.945,
      lng: 3.06
    });
    const around = (rayon: string | null, fallback: number) => ({ lat: '50.63', lng: '3.06', radiusKm: String(chosenRadius(rayon, fallback)), limit: '30' });
    const forPerson = async (rayon: string | null) => (await t.services.feed.feedForPerson(as(agent), josiane, around(rayon, 10))).items.map((i) => i.id);
    expect(await forPerson(null)).not.toContain(farForPeople);
    expect(await forPerson('20')).toContain(farForPeople);
    const near = (await t.services.feed.feedForPerson(as(agent), josiane, around('50', 10))).items;
    // Still nearest first once widened.
    expect(near.map((i) => i.distanceKm)).toEqual([...near.map((i) => i.distanceKm)].sort((a, b) => a - b));
    expect(near.at(-1)?.id).toBe(farForPeople);
    const forPartners = async (rayon: string | null) => (await t.services.feed.partnerFeed(as(stranger), associationId, around(rayon, 20))).items.map((i) => i.id);
    expect(await forPartners(null)).not.toContain(farForPartners);
    expect(await forPartners('20')).not.toContain(farForPartners);
    expect(await forPartners('50')).toContain(farForPartners);
    await db().updateTable('offer').set({ status: 'cancelled' }).where('id', 'in', [farForPeople, farForPartners]).execute();
  });

  it('shows partner members the offers addressed to partners, and lets them reserve for their association', async () => {
    const forPartners = await insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString(), audience: 'partners', title: 'Petits pots' });
    const first = await insertTestOffer(db(), {
      organisationId: donorOrg,
      at: t.clock.now().toISOString(),
      audience: 'partners-first',
      partners_until: '2026-11-29T11:00:00.000Z'
    });
    const forPeople = await insertTestOffer(db(), { organisationId: donorOrg, at: t.clock.now().toISOString() });
    const page = await t.services.feed.partnerFeed(as(stranger), associationId, near);
    const ids = page.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([forPartners, first]));
    expect(ids).not.toContain(forPeople);
    expect((await rejection(t.services.feed.partnerFeed(as(agent), associationId, near))).code).toBe('forbidden');
    expect((await rejection(t.services.feed.partnerFeed(as(stranger), donorOrg, near))).code).toBe('forbidden');
    const { reservation } = await t.services.reservations.reserve(as(stranger), forPartners, { quantity: 2, organisationId: associationId }, key());
    expect(reservation).toMatchObject({ partnerOrganisationId: associationId, status: 'confirmed' });
    expect(reservation.code).not.toBeNull();
  });

  it("runs a due pooling lottery before the agent's feed and the partner feed search, as the people's feed does", async () => {
    t.clock.set('2026-11-29T10:00:00.000Z');
    await grantAntiGaspi(db(), josiane, schemeId, ccasId);
    const pooling = { organisationId: donorOrg, at: t.clock.now().toISOString(), quantity: 4, pooling_ends_at: '2026-11-29T10:10:00.000Z' };
    const forPeople = await insertTestOffer(db(), { ...pooling, title: 'Tirage personnes' });
    const forPartners = await insertTestOffer(db(), { ...pooling, title: 'Tirage associations', audience: 'partners' });
    const forJosiane = await t.services.reservations.reserve(as(agent), forPeople, { quantity: 1, forUserId: josiane }, key());
    const forAssociation = await t.services.reservations.reserve(as(stranger), forPartners, { quantity: 3, organisationId: associationId }, key());
    expect([forJosiane.reservation.status, forAssociation.reservation.status]).toEqual(['pooled', 'pooled']);
    const status = async (id: string) => (await db().selectFrom('reservation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    // The pooling window is over and the job has not run (it runs each minute): each feed runs the
    // lottery of the offers it would show, so it shows what remains after it, not the pool of before.
    t.clock.set('2026-11-29T10:10:30.000Z');
    const personPage = await t.services.feed.feedForPerson(as(agent), josiane, near);
    expect(personPage.items.find((i) => i.id === forPeople)).toMatchObject({ poolingEndsAt: null, remaining: 3 });
    expect(await status(forJosiane.reservation.id)).toBe('confirmed');
    const partnerPage = await t.services.feed.partnerFeed(as(stranger), associationId, near);
    expect(partnerPage.items.find((i) => i.id === forPartners)).toMatchObject({ poolingEndsAt: null, remaining: 1 });
    expect(await status(forAssociation.reservation.id)).toBe('confirmed');
    t.clock.set('2026-11-29T10:00:00.000Z');
  });
});
