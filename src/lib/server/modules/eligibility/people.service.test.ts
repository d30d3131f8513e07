import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { JOBS } from '../../jobs/jobs.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import { actFor } from './people.service.js';
import { loadAgent } from './people.repository.js';
import { hashCardCode, normaliseCardCode } from './people.rules.js';
import { IDENTIFY_LIMITS } from './people.service.js';
import { insertTestDecision, insertTestDocument, insertTestGrant, insertTestRequest } from './people.testing.js';
import { householdInputFor, insertTestScheme } from './requests.testing.js';

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const DAY = 86_400_000;

describe.each(DIALECTS)('people service on %s', (kind) => {
  let t: TestServices;
  let ccasId: string;
  let otherCcasId: string;
  let assocId: string;
  let donorId: string;
  let platformOrgId: string;
  let antiGaspi: string;
  let paniers: string;
  let ccasAgent: Actor;
  let ccasColleague: Actor;
  let otherCcasAgent: Actor;
  let assocAgent: Actor;
  let donorAgent: Actor;
  let platformMember: Actor;
  let admin: Actor;
  let stranger: Actor;

  const people = () => t.services.people;
  const db = () => t.services.db;
  const label = kind === 'postgres' ? postgresLabel : kind;

  beforeAll(async () => {
    t = await createTestServices(kind, { PUBLIC_URL: 'http://glane.test', DEV_MAILBOX: 'true' });
    ccasId = await insertTestOrganisation(db(), 'ccas', 'CCAS de Glaneville');
    otherCcasId = await insertTestOrganisation(db(), 'ccas', 'CCAS voisin');
    assocId = await insertTestOrganisation(db(), 'association', 'Épicerie solidaire');
    donorId = await insertTestOrganisation(db(), 'donor', 'Boulangerie');
    platformOrgId = await insertTestOrganisation(db(), 'platform', 'Opérateur');
    antiGaspi = await insertTestScheme(db(), 'anti-gaspi', [ccasId, assocId]);
    paniers = await insertTestScheme(db(), 'paniers', [ccasId]);
    ccasAgent = await insertTestUser(db(), { displayName: 'Nadia Agent' });
    ccasColleague = await insertTestUser(db(), { displayName: 'Thomas Collègue' });
    otherCcasAgent = await insertTestUser(db());
    assocAgent = await insertTestUser(db());
    donorAgent = await insertTestUser(db());
    platformMember = await insertTestUser(db());
    admin = await insertTestUser(db(), { isPlatformAdmin: true });
    stranger = await insertTestUser(db());
    await insertTestMembership(db(), ccasId, ccasAgent.userId, 'member');
    await insertTestMembership(db(), ccasId, ccasColleague.userId, 'owner');
    await insertTestMembership(db(), otherCcasId, otherCcasAgent.userId, 'owner');
    await insertTestMembership(db(), assocId, assocAgent.userId, 'member');
    await insertTestMembership(db(), donorId, donorAgent.userId, 'owner');
    await insertTestMembership(db(), platformOrgId, platformMember.userId, 'member');
  });
  afterAll(async () => t.destroy());
  beforeEach(() => {
    t.clock.set('2026-11-29T10:00:00.000Z');
    t.services.limiter.clear();
  });

  async function accompanied(firstName = 'Josiane', orgId = ccasId, by: Actor = ccasAgent) {
    return people().createAccompanied(by, orgId, householdInputFor({ firstName, communeName: 'Glaneville', communeInsee: '59999' }));
  }

  async function auditOf(subjectId: string) {
    return db().selectFrom('audit_log').selectAll().where('subject_id', '=', subjectId).orderBy('at').orderBy('id').execute();
  }

  describe(`accompanied accounts (${label})`, () => {
    it('creates a user who cannot sign in, with household and accompaniment, audited', async () => {
      const created = await accompanied('Josiane');
      expect(created).toMatchObject({ firstName: 'Josiane', hasContact: false, activeCard: null, grants: [] });
      const user = await db().selectFrom('user').selectAll().where('id', '=', created.userId).executeTakeFirstOrThrow();
      expect(user).toMatchObject({ email: null, phone: null, password_hash: null, display_name: 'Josiane', is_platform_admin: 0 });
      const household = await db().selectFrom('household').selectAll().where('user_id', '=', created.userId).executeTakeFirstOrThrow();
      expect(household).toMatchObject({ first_name: 'Josiane', size: 1, profile: 'etudiant', commune_name: 'Glaneville' });
      const acc = await db().selectFrom('accompaniment').selectAll().where('user_id', '=', created.userId).executeTakeFirstOrThrow();
      expect(acc).toMatchObject({ organisation_id: ccasId, created_by_user_id: ccasAgent.userId });
      const audit = await auditOf(created.userId);
      expect(audit.map((a) => [a.action, a.subject_type, a.organisation_id, a.actor_user_id])).toEqual([
        ['person.accompanied.create', 'person', ccasId, ccasAgent.userId]
      ]);
      expect(audit[0]?.details ?? '').not.toContain('Josiane');
    });

    it('lets association members create for their association', async () => {
      const created = await accompanied('Marcel', assocId, assocAgent);
      expect(created.firstName).toBe('Marcel');
    });

    it.each([
      ['a member of another CCAS', () => otherCcasAgent, () => ccasId, 'forbidden'],
      ['a donor, even for the donor organisation', () => donorAgent, () => donorId, 'forbidden'],
      ['a platform organisation member', () => platformMember, () => platformOrgId, 'forbidden'],
      ['a platform admin who is not a member', () => admin, () => ccasId, 'forbidden'],
      ['anyone, for an unknown organisation', () => ccasAgent, () => 'nope', 'not_found']
    ])('refuses %s', async (_label, who, org, code) => {
      const err = await caught(people().createAccompanied(who(), org(), householdInputFor()));
      expect(err.code).toBe(code);
    });

    it('names each bad field of the household (400)', async () => {
      const err = await caught(people().createAccompanied(ccasAgent, ccasId, householdInputFor({ firstName: '', size: 3 })));
      expect(err.code).toBe('validation_failed');
      expect(err.details?.fields?.map((f) => f.path)).toEqual(expect.arrayContaining(['firstName', 'size']));
    });

    it('lists the organisation’s people by first name with card and running grants; “ends soon” for the organisation', async () => {
      const zoe = await accompanied('Zoé', otherCcasId, otherCcasAgent);
      const albert = await accompanied('Albert', otherCcasId, otherCcasAgent);
      await insertTestGrant(db(), { userId: albert.userId, schemeId: antiGaspi, organisationId: otherCcasId, validFrom: '2026-06-01', validUntil: '2026-12-05' });
      await insertTestGrant(db(), { userId: albert.userId, schemeId: paniers, organisationId: otherCcasId, validFrom: '2026-01-01', validUntil: '2026-03-01' });
      await people().issueCard(otherCcasAgent, zoe.userId);
      const list = await people().listAccompanied(otherCcasAgent, otherCcasId);
      expect(list.items.map((p) => p.firstName)).toEqual(['Albert', 'Zoé']);
      expect(list.items[0]?.grants).toEqual([
        { schemeCode: 'anti-gaspi', schemeName: 'Dispositif anti-gaspi', schemeNameEn: 'Scheme anti-gaspi', validUntil: '2026-12-05', endsSoon: true }
      ]);
      expect(list.items[0]?.endsSoon).toBe(true);
      expect(list.items[1]?.activeCard).not.toBeNull();
      expect(list.reminderDays).toBe(14);
      expect((await caught(people().listAccompanied(ccasAgent, otherCcasId))).code).toBe('forbidden');
    });
  });

  describe(`the person's summary (${label})`, () => {
    it('is read by members of the accompanying organisation, each read audited without personal data', async () => {
      const p = await accompanied('Huguette');
      await insertTestGrant(db(), { userId: p.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2026-11-01', validUntil: '2027-04-30' });
      const view = await people().getPerson(ccasColleague, p.userId);
      expect(view).toMatchObject({
        firstName: 'Huguette',
        hasContact: false,
        accompaniment: { organisationId: ccasId, organisationName: 'CCAS de Glaneville' },
        household: { size: 1, profile: 'etudiant', communeName: 'Glaneville' },
        permissions: { canIssueCard: true, canRevokeCard: true, canPrintCard: true, canExport: true, canErase: true }
      });
      expect(view.grants).toHaveLength(1);
      expect(view.grants[0]).toMatchObject({ schemeCode: 'anti-gaspi', isActive: true, validUntil: '2027-04-30' });
      const reads = (await auditOf(p.userId)).filter((a) => a.action === 'person.file.read');
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({ subject_type: 'person', actor_user_id: ccasColleague.userId, organisation_id: ccasId });
      expect(reads[0]?.details).toBe(JSON.stringify({ view: 'summary' }));
    });

    it.each([
      ['a member of another CCAS', () => otherCcasAgent],
      ['an association member', () => assocAgent],
      ['a donor', () => donorAgent],
      ['a platform admin', () => admin],
      ['someone without organisation', () => stranger]
    ])('answers 404 to %s, as for an unknown id, and audits nothing', async (_label, who) => {
      const p = await accompanied('Solange');
      expect((await caught(people().getPerson(who(), p.userId))).code).toBe('not_found');
      expect((await caught(people().getPerson(who(), 'unknown-id'))).code).toBe('not_found');
      expect((await auditOf(p.userId)).map((a) => a.action)).toEqual(['person.accompanied.create']);
    });

    it('answers 404 for an account nobody accompanies', async () => {
      expect((await caught(people().getPerson(ccasAgent, stranger.userId))).code).toBe('not_found');
    });
  });

  describe(`act for (${label})`, () => {
    it('records person.act_for with the action for the accompanying organisation, 404 for others', async () => {
      const p = await accompanied('Gisèle');
      const agent = await loadAgent(db(), ccasAgent);
      const acc = await actFor(db(), agent, p.userId, 'offer.reserve', { at: t.clock.now(), requestId: 'r1', details: { offerId: 'o1' } });
      expect(acc.organisationId).toBe(ccasId);
      const entry = (await auditOf(p.userId)).find((a) => a.action === 'person.act_for');
      expect(entry).toMatchObject({ organisation_id: ccasId, actor_user_id: ccasAgent.userId, request_id: 'r1' });
      expect(JSON.parse(entry?.details ?? '{}')).toEqual({ action: 'offer.reserve', offerId: 'o1' });
      const other = await loadAgent(db(), assocAgent);
      expect((await caught(actFor(db(), other, p.userId, 'offer.reserve', { at: t.clock.now() }))).code).toBe('not_found');
      expect((await caught(people().actFor(admin, p.userId, 'offer.reserve'))).code).toBe('not_found');
    });
  });

  describe(`cards (${label})`, () => {
    it('issues a card whose code is stored only hashed and sealed, audited as an act for the person', async () => {
      const p = await accompanied('Lucien');
      const issued = await people().issueCard(ccasAgent, p.userId);
      expect(issued.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(issued.card).toMatchObject({ organisationId: ccasId, isActive: true, revokedAt: null });
      const row = await db().selectFrom('person_card').selectAll().where('id', '=', issued.card.id).executeTakeFirstOrThrow();
      const code = normaliseCardCode(issued.code);
      expect(row.code_hash).toBe(hashCardCode(code));
      expect(row.code_ciphertext).not.toContain(code);
      expect(row.issued_by_user_id).toBe(ccasAgent.userId);
      const acts = (await auditOf(p.userId)).filter((a) => a.action === 'person.act_for');
      expect(JSON.parse(acts[0]?.details ?? '{}')).toEqual({ action: 'card.issue', cardId: issued.card.id });
    });

    it('keeps one active card: issuing again revokes the previous one, which stops identifying', async () => {
      const p = await accompanied('Roger');
      const first = await people().issueCard(ccasAgent, p.userId);
      const second = await people().issueCard(ccasColleague, p.userId);
      const cards = await db().selectFrom('person_card').selectAll().where('user_id', '=', p.userId).execute();
      expect(cards.filter((c) => c.revoked_at === null).map((c) => c.id)).toEqual([second.card.id]);
      expect((await caught(people().identifyByCard(ccasAgent, { code: first.code }))).code).toBe('not_found');
      expect((await people().identifyByCard(ccasAgent, { code: second.code })).firstName).toBe('Roger');
    });

    it('keeps one active card when two agents issue at once', async () => {
      const p = await accompanied('Simultané');
      await Promise.all([people().issueCard(ccasAgent, p.userId), people().issueCard(ccasColleague, p.userId)]);
      const active = await db()
        .selectFrom('person_card')
        .select('id')
        .where('user_id', '=', p.userId)
        .where('revoked_at', 'is', null)
        .execute();
      expect(active).toHaveLength(1);
    });

    it.each([
      ['a member of another CCAS', () => otherCcasAgent],
      ['an association member', () => assocAgent],
      ['a donor', () => donorAgent],
      ['a platform admin', () => admin]
    ])('refuses issuing, revoking and printing to %s with 404', async (_label, who) => {
      const p = await accompanied('Paulette');
      const issued = await people().issueCard(ccasAgent, p.userId);
      expect((await caught(people().issueCard(who(), p.userId))).code).toBe('not_found');
      expect((await caught(people().revokeCard(who(), issued.card.id))).code).toBe('not_found');
      expect((await caught(people().printCard(who(), issued.card.id, 'a6'))).code).toBe('not_found');
    });

    it('revokes once (then 410), and a revoked card neither prints (410) nor identifies (404)', async () => {
      const p = await accompanied('Yvette');
      const issued = await people().issueCard(ccasAgent, p.userId);
      t.clock.advance(1000);
      const revoked = await people().revokeCard(ccasColleague, issued.card.id);
      expect(revoked).toMatchObject({ id: issued.card.id, isActive: false, revokedAt: '2026-11-29T10:00:01.000Z' });
      expect((await caught(people().revokeCard(ccasAgent, issued.card.id))).code).toBe('gone');
      expect((await caught(people().printCard(ccasAgent, issued.card.id, 'a6'))).code).toBe('gone');
      expect((await caught(people().identifyByCard(ccasAgent, { code: issued.code }))).code).toBe('not_found');
      const acts = (await auditOf(p.userId)).filter((a) => a.action === 'person.act_for').map((a) => JSON.parse(a.details ?? '{}').action);
      expect(acts).toEqual(['card.issue', 'card.revoke']);
    });

    it('prints the active card (A6 and ID-1) with the first name, code and organisation only; audited', async () => {
      const p = await accompanied('Bérénice');
      const issued = await people().issueCard(ccasAgent, p.userId);
      for (const format of ['a6', 'id1'] as const) {
        const { pdf } = await people().printCard(ccasAgent, issued.card.id, format);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.byteLength).toBeGreaterThan(1000);
      }
      expect(await people().activeCardId(ccasAgent, p.userId)).toBe(issued.card.id);
      expect((await caught(people().printCard(ccasAgent, issued.card.id, 'a4'))).details?.fields?.[0]?.path).toBe('query.format');
      const prints = (await auditOf(p.userId)).filter((a) => a.action === 'person.act_for' && (a.details ?? '').includes('card.print'));
      expect(prints).toHaveLength(2);
    });

  });

  describe(`identify by card (${label})`, () => {
    it('gives the first name and running grants to social and platform members, the first name only to donors', async () => {
      const p = await accompanied('Henriette');
      await insertTestGrant(db(), { userId: p.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2026-11-01', validUntil: '2027-04-30' });
      await insertTestGrant(db(), { userId: p.userId, schemeId: paniers, organisationId: ccasId, validFrom: '2026-01-01', validUntil: '2026-06-30' });
      const { code } = await people().issueCard(ccasAgent, p.userId);
      const typed = code.toLowerCase().replace('-', ' ');
      const seen = await people().identifyByCard(assocAgent, { code: typed });
      expect(seen).toEqual({
        userId: p.userId,
        firstName: 'Henriette',
        grants: [{ schemeCode: 'anti-gaspi', schemeName: 'Dispositif anti-gaspi', schemeNameEn: 'Scheme anti-gaspi', validUntil: '2027-04-30', organisationName: 'CCAS de Glaneville' }]
      });
      expect((await people().identifyByCard(platformMember, { code })).grants).toHaveLength(1);
      const byDonor = await people().identifyByCard(donorAgent, { code });
      expect(byDonor).toEqual({ userId: p.userId, firstName: 'Henriette', grants: null });
      const entries = (await auditOf(p.userId)).filter((a) => a.action === 'person.card.identify');
      expect(entries.map((e) => e.organisation_id).sort()).toEqual([assocId, platformOrgId, donorId].sort());
    });

    it('refuses callers without organisation (403), bad codes (400), unknown codes (404)', async () => {
      expect((await caught(people().identifyByCard(stranger, { code: 'ABCD-2345' }))).code).toBe('forbidden');
      expect((await caught(people().identifyByCard(admin, { code: 'ABCD-2345' }))).code).toBe('forbidden');
      const bad = await caught(people().identifyByCard(ccasAgent, { code: 'ABCD-1O00' }));
      expect(bad.code).toBe('validation_failed');
      expect(bad.details?.fields?.[0]?.path).toBe('code');
      expect((await caught(people().identifyByCard(ccasAgent, { code: 'ZZZZ-ZZZZ' }))).code).toBe('not_found');
      expect((await caught(people().identifyByCard(ccasAgent, { code: '' }))).code).toBe('validation_failed');
      const notMine = await caught(people().identifyByCard(ccasAgent, { code: 'ZZZZ-ZZZZ', organisationId: assocId }));
      expect(notMine.code).toBe('forbidden');
    });

    it('rate limits failed attempts per caller (429 with retryAfter), not successful ones', async () => {
      const p = await accompanied('Raymonde');
      const { code } = await people().issueCard(ccasAgent, p.userId);
      for (let i = 0; i < IDENTIFY_LIMITS.perUser + 5; i++) await people().identifyByCard(assocAgent, { code }, { ip: '192.0.2.7' });
      for (let i = 0; i < IDENTIFY_LIMITS.perUser; i++) {
        expect((await caught(people().identifyByCard(assocAgent, { code: 'ZZZZ-ZZZZ' }, { ip: '192.0.2.7' }))).code).toBe('not_found');
      }
      const limited = await caught(people().identifyByCard(assocAgent, { code }, { ip: '192.0.2.7' }));
      expect(limited.code).toBe('rate_limited');
      expect(limited.details?.retryAfter).toBeGreaterThan(0);
      t.clock.advance(IDENTIFY_LIMITS.windowMs + 1000);
      expect((await people().identifyByCard(assocAgent, { code }, { ip: '192.0.2.7' })).firstName).toBe('Raymonde');
    });
  });

  describe(`what others see (${label})`, () => {
    it('is scheme, until, by whom for running grants only; for the person and social/platform members; 404 otherwise', async () => {
      const p = await accompanied('Armand');
      await insertTestGrant(db(), { userId: p.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2026-11-01', validUntil: '2027-04-30' });
      await insertTestGrant(db(), { userId: p.userId, schemeId: paniers, organisationId: ccasId, validFrom: '2026-11-01', validUntil: '2027-04-30', revokedAt: '2026-11-15T10:00:00.000Z' });
      await insertTestGrant(db(), { userId: p.userId, schemeId: paniers, organisationId: ccasId, validFrom: '2027-01-01', validUntil: '2027-06-30' });
      const expected = [{ schemeCode: 'anti-gaspi', schemeName: 'Dispositif anti-gaspi', schemeNameEn: 'Scheme anti-gaspi', validUntil: '2027-04-30', organisationName: 'CCAS de Glaneville' }];
      for (const who of [otherCcasAgent, assocAgent, platformMember]) expect(await people().grantSummary(who, p.userId)).toEqual(expected);
      for (const who of [donorAgent, admin, stranger]) expect((await caught(people().grantSummary(who, p.userId))).code).toBe('not_found');
      expect((await caught(people().grantSummary(ccasAgent, 'unknown'))).code).toBe('not_found');
      const self = await insertTestUser(db());
      expect(await people().grantSummary(self, self.userId)).toEqual([]);
    });
  });

  describe(`the person's rights (${label})`, () => {
    it('lists who read my file (others only) with organisation and agent names', async () => {
      const me = await insertTestUser(db(), { displayName: 'Moi' });
      const requestId = await insertTestRequest(db(), { userId: me.userId, organisationId: ccasId, at: '2026-11-20T10:00:00.000Z' });
      await t.services.audit.record({ at: new Date('2026-11-21T10:00:00Z'), actorUserId: ccasAgent.userId, organisationId: ccasId, action: 'person.file.read', subjectType: 'person', subjectId: me.userId, details: { requestId } });
      await t.services.audit.record({ at: new Date('2026-11-22T10:00:00Z'), actorUserId: me.userId, action: 'person.file.read', subjectType: 'person', subjectId: me.userId });
      await t.services.audit.record({ at: new Date('2026-11-23T10:00:00Z'), actorUserId: ccasColleague.userId, organisationId: ccasId, action: 'person.document.read', subjectType: 'person', subjectId: me.userId });
      await t.services.audit.record({ at: new Date('2026-11-23T11:00:00Z'), actorUserId: ccasColleague.userId, organisationId: ccasId, action: 'person.file.read', subjectType: 'person', subjectId: stranger.userId });
      expect(await people().listMyFileReads(me)).toEqual([
        { at: '2026-11-23T10:00:00.000Z', action: 'person.document.read', organisationName: 'CCAS de Glaneville', agentName: 'Thomas Collègue' },
        { at: '2026-11-21T10:00:00.000Z', action: 'person.file.read', organisationName: 'CCAS de Glaneville', agentName: 'Nadia Agent' }
      ]);
    });

    it('exports my data without document bytes or card codes', async () => {
      const p = await accompanied('Exportée');
      const requestId = await insertTestRequest(db(), { userId: p.userId, organisationId: ccasId, at: '2026-11-20T10:00:00.000Z' });
      await insertTestDocument(db(), requestId, '2026-11-20T10:00:00.000Z');
      await insertTestDecision(db(), { requestId, userId: p.userId, organisationId: ccasId, at: '2026-11-21T10:00:00.000Z', validUntil: '2027-05-20' });
      await insertTestGrant(db(), { userId: p.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2026-11-21', validUntil: '2027-05-20', requestId });
      const { code } = await people().issueCard(ccasAgent, p.userId);
      await people().getPerson(ccasAgent, p.userId);
      const data = await people().exportMyData({ userId: p.userId, isPlatformAdmin: false });
      expect(data.account).toMatchObject({ id: p.userId, displayName: 'Exportée', email: null });
      expect(data.accompaniment).toMatchObject({ organisationName: 'CCAS de Glaneville' });
      expect(data.household).toMatchObject({ firstName: 'Exportée', size: 1 });
      expect(data.requests).toHaveLength(1);
      expect(data.requests[0]).toMatchObject({ status: 'submitted', schemes: ['anti-gaspi'], resources: { monthlyResourcesCents: 95_000 } });
      expect(data.requests[0]?.documents).toEqual([{ label: "Avis d'imposition", mediaType: 'application/pdf', byteSize: 4, sentAt: '2026-11-20T10:00:00.000Z' }]);
      expect(data.decisions).toHaveLength(1);
      expect(data.grants).toHaveLength(1);
      expect(data.cards).toHaveLength(1);
      expect(Object.keys(data.cards[0] ?? {})).toEqual(['organisationName', 'issuedAt', 'revokedAt']);
      expect(data.fileReads.map((r) => r.action)).toEqual(expect.arrayContaining(['person.file.read', 'person.act_for', 'person.accompanied.create']));
      const json = JSON.stringify(data);
      expect(json).not.toContain(normaliseCardCode(code));
      expect(json).not.toContain('ciphertext');
      // The accompanying organisation can export it for the person (audited), others cannot.
      await people().exportPersonData(ccasAgent, p.userId);
      expect((await caught(people().exportPersonData(assocAgent, p.userId))).code).toBe('not_found');
    });

    it('erases an account with its eligibility data on DELETE /account, keeping only the audit log', async () => {
      const me = await insertTestUser(db());
      await db().insertInto('household').values({ user_id: me.userId, first_name: 'Moi', size: 1, adults: 1, children: 0, is_single_parent: 0, profile: 'etudiant', commune_insee: null, commune_name: null, is_demo: 0, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', last_activity_at: '2026-11-01T00:00:00.000Z' }).execute();
      const requestId = await insertTestRequest(db(), { userId: me.userId, organisationId: ccasId, at: '2026-11-20T10:00:00.000Z' });
      await insertTestDocument(db(), requestId, '2026-11-20T10:00:00.000Z');
      await insertTestDecision(db(), { requestId, userId: me.userId, organisationId: ccasId, at: '2026-11-21T10:00:00.000Z' });
      await insertTestGrant(db(), { userId: me.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2026-11-21', validUntil: '2027-05-20', requestId });
      await t.services.audit.record({ at: t.clock.now(), actorUserId: ccasAgent.userId, organisationId: ccasId, action: 'person.file.read', subjectType: 'person', subjectId: me.userId });
      const report = await t.services.accounts.deleteAccount(me.userId);
      expect(report.erased).toEqual({ household: 1, requests: 1, documents: 1, decisions: 1, grants: 1, cards: 0, accompaniment: 0 });
      expect(report.kept.map((k) => k.what)).toEqual(['audit_log']);
      for (const table of ['eligibility_request', 'eligibility_decision', 'eligibility_grant', 'household'] as const) {
        expect(await db().selectFrom(table).select('user_id').where('user_id', '=', me.userId).execute()).toEqual([]);
      }
      expect(await db().selectFrom('eligibility_document').select('id').where('request_id', '=', requestId).execute()).toEqual([]);
      expect((await auditOf(me.userId)).map((a) => a.action).sort()).toEqual(['account.delete', 'person.file.read']);
    });

    it('lets the accompanying organisation erase an accompanied account at the person’s request', async () => {
      const p = await accompanied('Effacée');
      await people().issueCard(ccasAgent, p.userId);
      expect((await caught(people().erasePerson(assocAgent, p.userId))).code).toBe('not_found');
      const report = await people().erasePerson(ccasAgent, p.userId);
      expect(report.erased).toMatchObject({ household: 1, cards: 1, accompaniment: 1 });
      expect(await db().selectFrom('user').select('id').where('id', '=', p.userId).execute()).toEqual([]);
      const acts = (await auditOf(p.userId)).filter((a) => a.action === 'person.act_for').map((a) => JSON.parse(a.details ?? '{}'));
      expect(acts).toContainEqual({ action: 'person.erase' });
    });
  });

  describe(`jobs with the test clock (${label})`, () => {
    it('purges files inactive for PERSON_FILE_RETENTION_MONTHS; deletes accompanied accounts that cannot sign in, keeps the others', async () => {
      // Everything below happens in 2024; the purge runs in 2026-11 (24 months later).
      t.clock.set('2024-06-01T10:00:00.000Z');
      const oldAccompanied = await accompanied('Ancienne');
      const oldRequest = await insertTestRequest(db(), { userId: oldAccompanied.userId, organisationId: ccasId, status: 'granted', at: '2024-06-01T10:00:00.000Z' });
      await insertTestDecision(db(), { requestId: oldRequest, userId: oldAccompanied.userId, organisationId: ccasId, at: '2024-06-02T10:00:00.000Z' });
      await insertTestGrant(db(), { userId: oldAccompanied.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2024-06-02', validUntil: '2024-11-30', requestId: oldRequest });
      await people().issueCard(ccasAgent, oldAccompanied.userId);

      const selfRegistered = await insertTestUser(db());
      const selfRequest = await insertTestRequest(db(), { userId: selfRegistered.userId, organisationId: ccasId, status: 'refused', at: '2024-05-01T10:00:00.000Z' });
      await insertTestDocument(db(), selfRequest, '2024-05-01T10:00:00.000Z');

      // A grant running until 2025-12 keeps this one active (the end date counts as contact).
      const longGrant = await accompanied('Longue');
      await insertTestGrant(db(), { userId: longGrant.userId, schemeId: antiGaspi, organisationId: ccasId, validFrom: '2024-06-01', validUntil: '2025-12-31' });

      // Recent activity keeps this one.
      const recent = await accompanied('Récente');
      await db().updateTable('household').set({ last_activity_at: '2026-10-01T10:00:00.000Z' }).where('user_id', '=', recent.userId).execute();

      // 24 months after the earliest trace: the grant ran until 2024-11-30, so nothing is due yet.
      t.clock.set('2026-04-15T03:00:00.000Z');
      const early = await people().purgeInactiveFiles();
      expect(early.people).toBe(0);

      t.clock.set('2026-12-15T03:00:00.000Z');
      const result = await people().purgeInactiveFiles();
      expect(result).toMatchObject({ people: 2, accountsDeleted: 1, requests: 2, decisions: 1, grants: 1, documents: 1, cards: 1, household: 1, accompaniment: 1 });
      expect(await db().selectFrom('user').select('id').where('id', '=', oldAccompanied.userId).execute()).toEqual([]);
      expect(await db().selectFrom('user').select('id').where('id', '=', selfRegistered.userId).execute()).toHaveLength(1);
      expect(await db().selectFrom('eligibility_request').select('id').where('user_id', '=', selfRegistered.userId).execute()).toEqual([]);
      expect(await db().selectFrom('household').select('user_id').where('user_id', 'in', [longGrant.userId, recent.userId]).execute()).toHaveLength(2);
      const entry = await db().selectFrom('audit_log').selectAll().where('action', '=', 'eligibility.retention_purge').executeTakeFirstOrThrow();
      expect(entry.subject_id).toBeNull();
      expect(JSON.parse(entry.details ?? '{}')).toMatchObject({ people: 2, accountsDeleted: 1, months: 24 });

      // Running again finds nothing more.
      expect((await people().purgeInactiveFiles()).people).toBe(0);
      // 24 months after the long grant ended, it goes too.
      t.clock.set('2028-01-01T03:00:00.000Z');
      const later = await people().purgeInactiveFiles();
      expect(later.people).toBeGreaterThanOrEqual(1);
      expect(await db().selectFrom('user').select('id').where('id', '=', longGrant.userId).execute()).toEqual([]);
    });

    it('deletes documents of requests undecided after DOCUMENT_RETENTION_DAYS, and any left on decided ones', async () => {
      const person = await insertTestUser(db());
      const fresh = await insertTestRequest(db(), { userId: person.userId, organisationId: assocId, at: '2026-11-20T10:00:00.000Z' });
      const stale = await insertTestRequest(db(), { userId: person.userId, organisationId: assocId, status: 'incomplete', at: '2026-10-01T10:00:00.000Z' });
      const decided = await insertTestRequest(db(), { userId: person.userId, organisationId: assocId, status: 'withdrawn', at: '2026-11-25T10:00:00.000Z' });
      await insertTestDocument(db(), fresh, '2026-11-20T10:00:00.000Z');
      await insertTestDocument(db(), stale, '2026-10-01T10:00:00.000Z');
      await insertTestDocument(db(), stale, '2026-10-02T10:00:00.000Z');
      await insertTestDocument(db(), stale, '2026-11-28T10:00:00.000Z'); // added later: kept
      await insertTestDocument(db(), decided, '2026-11-25T10:00:00.000Z');
      const result = await people().purgeStaleDocuments();
      expect(result).toEqual({ documents: 3, requests: 2 });
      const left = await db().selectFrom('eligibility_document').select(['request_id']).where('request_id', 'in', [fresh, stale, decided]).execute();
      expect(left.map((d) => d.request_id).sort()).toEqual([fresh, stale].sort());
      const staleRow = await db().selectFrom('eligibility_request').selectAll().where('id', '=', stale).executeTakeFirstOrThrow();
      expect(staleRow).toMatchObject({ documents_deleted_at: '2026-11-29T10:00:00.000Z', documents_deleted_count: 2, status: 'incomplete' });
      t.clock.advance(31 * DAY);
      expect((await people().purgeStaleDocuments()).documents).toBeGreaterThanOrEqual(2);
      expect(await db().selectFrom('eligibility_document').select('id').where('request_id', 'in', [fresh, stale]).execute()).toEqual([]);
    });

    it(`deletes a request's documents when they are more than a query may bind parameters (${label})`, async () => {
      await people().purgeStaleDocuments(); // whatever earlier tests left due
      const person = await insertTestUser(db());
      const withdrawn = await insertTestRequest(db(), { userId: person.userId, organisationId: assocId, status: 'withdrawn', at: '2026-11-25T10:00:00.000Z' });
      // 33,000 documents on one request (over SQLite's 32,766 parameters), written in bulk.
      const COUNT = 33_000;
      for (let start = 0; start < COUNT; start += 1_000) {
        const rows = Array.from({ length: Math.min(1_000, COUNT - start) }, (_, i) => ({
          id: `bulk-doc-${start + i}`,
          request_id: withdrawn,
          label: 'Justificatif',
          media_type: 'application/pdf',
          byte_size: 1,
          key_id: 'test',
          iv: new Uint8Array([1]),
          auth_tag: new Uint8Array([2]),
          ciphertext: new Uint8Array([3]),
          uploaded_by_user_id: null,
          created_at: '2026-11-25T10:00:00.000Z'
        }));
        await db().insertInto('eligibility_document').values(rows).execute();
      }
      expect(await people().purgeStaleDocuments()).toEqual({ documents: COUNT, requests: 1 });
      expect(await db().selectFrom('eligibility_document').select('id').where('request_id', '=', withdrawn).execute()).toEqual([]);
      const row = await db().selectFrom('eligibility_request').selectAll().where('id', '=', withdrawn).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ documents_deleted_at: '2026-11-29T10:00:00.000Z', documents_deleted_count: COUNT });
      expect(await people().purgeStaleDocuments()).toEqual({ documents: 0, requests: 0 });
    });

    it('reminds once per person before expiry by email or SMS, skips people without contact and renewed grants', async () => {
      await db().deleteFrom('notification').execute();
      await db().updateTable('eligibility_grant').set({ reminded_at: '2026-01-01T00:00:00.000Z' }).execute();
      const byEmail = await insertTestUser(db(), { email: 'rappel@example.test' });
      const bySms = await insertTestUser(db());
      await db().updateTable('user').set({ email: null, phone: '+33639980199', locale: 'en' }).where('id', '=', bySms.userId).execute();
      const noContact = await accompanied('Sans Contact');
      const renewed = await insertTestUser(db(), { email: 'renouvele@example.test' });
      const tooFar = await insertTestUser(db(), { email: 'loin@example.test' });
      const g = (userId: string, schemeId: string, validUntil: string, validFrom = '2026-06-01') =>
        insertTestGrant(db(), { userId, schemeId, organisationId: ccasId, validFrom, validUntil });
      await g(byEmail.userId, antiGaspi, '2026-12-10');
      await g(byEmail.userId, paniers, '2026-12-12');
      await g(bySms.userId, antiGaspi, '2026-11-29');
      await g(noContact.userId, antiGaspi, '2026-12-01');
      await g(renewed.userId, antiGaspi, '2026-12-05');
      await g(renewed.userId, antiGaspi, '2027-06-05', '2026-12-06');
      await g(tooFar.userId, antiGaspi, '2026-12-14'); // 15 days away
      const first = await people().sendExpiryReminders();
      expect(first).toEqual({ sent: 2, grants: 3, renewed: 1, withoutContact: 1, failed: 0 });
      const messages = await t.services.notify.listCaptured();
      expect(messages).toHaveLength(2);
      const email = messages.find((m) => m.recipient === 'rappel@example.test');
      expect(email?.channel).toBe('email');
      expect(email?.body).toContain('Dispositif anti-gaspi');
      expect(email?.body).toContain('Dispositif paniers');
      expect(email?.body).not.toMatch(/etudiant|95000|ressources/i);
      const sms = messages.find((m) => m.recipient === '+33639980199');
      expect(sms?.channel).toBe('sms');
      expect(sms?.subject).toBe('Glane: your access ends soon');
      // Once only; the person without contact stays listed for the organisation.
      expect(await people().sendExpiryReminders()).toEqual({ sent: 0, grants: 0, renewed: 0, withoutContact: 1, failed: 0 });
      const list = await people().listAccompanied(ccasAgent, ccasId);
      expect(list.items.find((p) => p.userId === noContact.userId)?.endsSoon).toBe(true);
      // The next day, the one 15 days away enters the window.
      t.clock.advance(DAY);
      expect((await people().sendExpiryReminders()).sent).toBe(1);
    });

    it('runs the daily jobs as declared', async () => {
      const purge = JOBS.find((j) => j.name === 'eligibility-retention-purge');
      const remind = JOBS.find((j) => j.name === 'eligibility-expiry-reminders');
      expect(purge?.everyMs).toBe(DAY);
      expect(remind?.everyMs).toBe(DAY);
      expect(await purge?.run(t.services)).toMatchObject({ files: { people: 0 }, documents: { documents: 0 } });
      expect(await remind?.run(t.services)).toMatchObject({ failed: 0 });
    });
  });
});
