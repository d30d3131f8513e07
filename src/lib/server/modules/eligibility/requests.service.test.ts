import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { testClock } from '../../../../../tests/helpers/services.js';
import { listAudit } from '../audit/audit.repository.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import { findAccompaniment } from './people.repository.js';
import { randomSealingKey } from './sealed.js';
import { createRequestsService, type RequestsService } from './requests.service.js';
import { householdInputFor, insertTestScheme, tinyPdf, tinyPng } from './requests.testing.js';

type TestActor = Awaited<ReturnType<typeof insertTestUser>>;

/** Runs `fn`, expecting an AppError; returns it for further checks. */
async function appError(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe.each(DIALECTS)('eligibility requests service on %s', (kind) => {
  let database: TestDatabase;
  let service: RequestsService;
  const clock = testClock('2026-11-29T10:00:00.000Z');
  const sent: { to: string; subject: string; text: string; channel: string }[] = [];
  let ccas: string;
  let asso: string;
  let donor: string;
  let person: TestActor;
  let other: TestActor;
  let ccasAgent: TestActor;
  let ccasOwner: TestActor;
  let assoAgent: TestActor;
  let donorOwner: TestActor;
  let admin: TestActor;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const db = database.db;
    service = createRequestsService({
      db,
      config: { DOCUMENT_MAX_KB: 100, PUBLIC_URL: 'https://glane.example', ELIGIBILITY_REMINDER_DAYS: 14 },
      now: clock.now,
      sealingKey: randomSealingKey(),
      notify: { send: async (m) => void sent.push(m), canSend: () => true }
    });
    ccas = await insertTestOrganisation(db, 'ccas', 'CCAS de Glaneville');
    asso = await insertTestOrganisation(db, 'association', 'Épicerie du Pont');
    donor = await insertTestOrganisation(db, 'donor', 'Boulangerie');
    person = await insertTestUser(db, { displayName: 'Léa Martin' });
    other = await insertTestUser(db);
    ccasAgent = await insertTestUser(db);
    ccasOwner = await insertTestUser(db);
    assoAgent = await insertTestUser(db);
    donorOwner = await insertTestUser(db);
    admin = await insertTestUser(db, { isPlatformAdmin: true });
    await insertTestMembership(db, ccas, ccasAgent.userId, 'member');
    await insertTestMembership(db, ccas, ccasOwner.userId, 'owner');
    await insertTestMembership(db, asso, assoAgent.userId, 'member');
    await insertTestMembership(db, donor, donorOwner.userId, 'owner');
    await insertTestScheme(db, 'anti-gaspi', [ccas, asso], { defaultDays: 183, maxDays: 365 });
    await insertTestScheme(db, 'epicerie-sociale', [ccas], { defaultDays: 92, maxDays: 365 });
    await insertTestScheme(db, 'aide-urgence', [ccas], { defaultDays: 15, maxDays: 31, renewable: false });
    await insertTestScheme(db, 'ferme', [ccas], { active: false });
  });
  afterAll(async () => database?.destroy());

  /** A fresh person with a household and a submitted request (with a PDF) to `org`. */
  async function submitted(org = ccas, schemes = ['anti-gaspi'], docs = 1) {
    const who = await insertTestUser(database.db);
    await service.saveMyHousehold(who, householdInputFor());
    const request = await service.createRequest(
      who,
      { organisationId: org, schemes, monthlyResourcesCents: 65_000, monthlyChargesCents: 40_000 },
      Array.from({ length: docs }, (_, i) => ({ file: tinyPdf(`pièce ${i}`), label: `Pièce ${i + 1}` }))
    );
    return { who, request };
  }

  async function documentRows(requestId: string) {
    return database.db.selectFrom('eligibility_document').selectAll().where('request_id', '=', requestId).execute();
  }

  describe('household', () => {
    it('is null before the first declaration, then saved and replaced', async () => {
      expect(await service.getMyHousehold(person)).toBeNull();
      const saved = await service.saveMyHousehold(person, householdInputFor());
      expect(saved).toMatchObject({ firstName: 'Léa', size: 1, profile: 'etudiant', communeInsee: '59350', isSingleParent: false });
      const again = await service.saveMyHousehold(
        person,
        householdInputFor({ size: 3, adults: 1, children: 2, isSingleParent: true, profile: 'famille-monoparentale' })
      );
      expect(again).toMatchObject({ size: 3, children: 2, isSingleParent: true, profile: 'famille-monoparentale' });
      await service.saveMyHousehold(person, householdInputFor());
    });

    it('refuses a size that is not adults + children, and a single parent with two adults', async () => {
      const e1 = await appError(() => service.saveMyHousehold(person, householdInputFor({ size: 4 })));
      expect(e1.code).toBe('validation_failed');
      expect(e1.details?.fields?.[0]?.path).toBe('size');
      const e2 = await appError(() =>
        service.saveMyHousehold(person, householdInputFor({ size: 3, adults: 2, children: 1, isSingleParent: true }))
      );
      expect(e2.details?.fields?.[0]?.path).toBe('isSingleParent');
    });
  });

  describe('creating a request', () => {
    it('needs a household first', async () => {
      const e = await appError(() => service.createRequest(other, { organisationId: ccas, schemes: ['anti-gaspi'] }));
      expect(e.code).toBe('validation_failed');
      expect(e.details?.fields?.[0]?.path).toBe('household');
    });

    it('goes to one organisation that decides at least one of the schemes', async () => {
      const donorError = await appError(() => service.createRequest(person, { organisationId: donor, schemes: ['anti-gaspi'] }));
      expect(donorError.details?.fields?.[0]?.path).toBe('organisationId');
      const assoError = await appError(() =>
        service.createRequest(person, { organisationId: asso, schemes: ['epicerie-sociale'] })
      );
      expect(assoError.details?.fields?.[0]?.message).toMatch(/decides none/);
      const unknown = await appError(() => service.createRequest(person, { organisationId: ccas, schemes: ['nope'] }));
      expect(unknown.details?.fields?.[0]?.path).toBe('schemes');
      const closed = await appError(() => service.createRequest(person, { organisationId: ccas, schemes: ['ferme'] }));
      expect(closed.details?.fields?.[0]?.path).toBe('schemes');
    });

    it('copies the household, keeps amounts in cents, seals the documents, and allows one open request per organisation', async () => {
      const pdf = tinyPdf('avis');
      const r = await service.createRequest(
        person,
        { organisationId: ccas, schemes: ['anti-gaspi', 'epicerie-sociale'], monthlyResourcesCents: 80_050, message: 'Merci' },
        [{ file: pdf, label: "Avis d'imposition" }]
      );
      expect(r).toMatchObject({
        status: 'submitted',
        organisation: { id: ccas, name: 'CCAS de Glaneville' },
        person: { userId: person.userId, firstName: 'Léa' },
        household: { size: 1, adults: 1, children: 0, profile: 'etudiant', communeInsee: '59350' },
        resources: { monthlyResourcesCents: 80_050, monthlyChargesCents: null },
        message: 'Merci',
        version: 1,
        isDesk: false
      });
      expect(r.schemes.map((s) => s.code)).toEqual(['anti-gaspi', 'epicerie-sociale']);
      expect(r.documents).toEqual([
        expect.objectContaining({ label: "Avis d'imposition", mediaType: 'application/pdf', byteSize: pdf.byteLength })
      ]);
      const [row] = await documentRows(r.id);
      expect(Buffer.from(row!.ciphertext).equals(Buffer.from(pdf))).toBe(false);
      expect(Buffer.from(row!.ciphertext).includes(Buffer.from('avis'))).toBe(false);

      const again = await appError(() => service.createRequest(person, { organisationId: ccas, schemes: ['anti-gaspi'] }));
      expect(again.code).toBe('conflict');
      // Another organisation is fine.
      const toAsso = await service.createRequest(person, { organisationId: asso, schemes: ['anti-gaspi'] });
      expect(toAsso.status).toBe('submitted');
      await service.withdrawRequest(person, toAsso.id);
      await service.withdrawRequest(person, r.id);
    });

    it('checks every document before writing anything', async () => {
      const who = await insertTestUser(database.db);
      await service.saveMyHousehold(who, householdInputFor());
      const e = await appError(() =>
        service.createRequest(who, { organisationId: ccas, schemes: ['anti-gaspi'] }, [
          { file: tinyPdf(), label: 'Bon' },
          { file: new TextEncoder().encode('just text'), label: 'Mauvais' }
        ])
      );
      expect(e.code).toBe('unsupported_media_type');
      expect(e.details?.fields?.[0]?.path).toBe('documents.1.file');
      expect((await service.myEligibility(who)).requests).toEqual([]);
    });
  });

  describe('documents', () => {
    it('accepts PDF, JPEG, PNG from their bytes; refuses another type (415) and a file over the limit (413)', async () => {
      const { who, request } = await submitted();
      expect((await service.addDocument(who, request.id, { file: tinyPng(), label: 'Photo' })).mediaType).toBe('image/png');
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
      expect((await service.addDocument(who, request.id, { file: jpeg, label: 'Scan' })).mediaType).toBe('image/jpeg');

      const gif = new TextEncoder().encode('GIF89a....');
      const typeError = await appError(() => service.addDocument(who, request.id, { file: gif, label: 'Photo.pdf' }));
      expect(typeError.code).toBe('unsupported_media_type');
      expect(typeError.message).toMatch(/PDF, JPEG or PNG/);
      expect(typeError.details?.accepted).toEqual(['application/pdf', 'image/jpeg', 'image/png']);

      const big = new Uint8Array(100 * 1024 + 1);
      big.set(tinyPdf());
      const sizeError = await appError(() => service.addDocument(who, request.id, { file: big, label: 'Gros' }));
      expect(sizeError.code).toBe('payload_too_large');
      expect(sizeError.message).toMatch(/100 KB/);
      expect(sizeError.details?.maxKb).toBe(100);

      const noLabel = await appError(() => service.addDocument(who, request.id, { file: tinyPdf(), label: '  ' }));
      expect(noLabel.details?.fields?.[0]?.path).toBe('label');
      const noFile = await appError(() => service.addDocument(who, request.id, { file: undefined, label: 'Rien' }));
      expect(noFile.details?.fields?.[0]?.path).toBe('file');
      expect(await documentRows(request.id)).toHaveLength(3);
    });

    it('are read back decrypted by the organisation only, each read audited without personal data', async () => {
      const { who, request } = await submitted();
      const docId = request.documents[0]!.id;
      const file = await service.readDocument(ccasAgent, request.id, docId);
      expect(file.bytes.equals(Buffer.from(tinyPdf('pièce 0')))).toBe(true);
      expect(file).toMatchObject({ mediaType: 'application/pdf', fileName: 'piece-1.pdf' });

      const audit = await listAudit(database.db, { action: 'person.document.read', subjectId: who.userId, limit: 10 });
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0]).toMatchObject({
        actorUserId: ccasAgent.userId,
        organisationId: ccas,
        subjectType: 'person',
        subjectId: who.userId,
        details: { requestId: request.id, documentId: docId }
      });

      // Its person may not download it back (403); everyone else does not see it exists (404).
      expect((await appError(() => service.readDocument(who, request.id, docId))).code).toBe('forbidden');
      for (const outsider of [assoAgent, donorOwner, admin, other]) {
        expect((await appError(() => service.readDocument(outsider, request.id, docId))).code).toBe('not_found');
      }
      expect((await appError(() => service.readDocument(ccasAgent, request.id, 'nope'))).code).toBe('not_found');
    });

    it('may be added by the organisation at the desk, not by others', async () => {
      const { request } = await submitted();
      expect((await service.addDocument(ccasOwner, request.id, { file: tinyPdf(), label: 'Fiche' })).label).toBe('Fiche');
      expect((await appError(() => service.addDocument(assoAgent, request.id, { file: tinyPdf(), label: 'x' }))).code).toBe(
        'not_found'
      );
    });
  });

  describe('reading a request', () => {
    it('its person reads it without an audit entry; an agent of the organisation reads it, audited', async () => {
      const { who, request } = await submitted();
      const mine = await service.getRequest(who, request.id);
      expect(mine.permissions).toEqual({
        canRead: true,
        canReadDocuments: false,
        canAddDocuments: true,
        canDecide: false,
        canWithdraw: true
      });
      expect((await listAudit(database.db, { subjectId: who.userId, limit: 10 })).items).toHaveLength(0);

      expect(mine.assessment).toBeNull();
      const seen = await service.getRequest({ ...ccasAgent, requestId: 'req-abc' }, request.id);
      expect(seen.permissions).toMatchObject({ canReadDocuments: true, canDecide: true, canWithdraw: false });
      // (650 € − 400 €) ÷ 1 person ÷ 30 days = 8.33 € a day, rounded down to the cent.
      expect(seen.assessment).toMatchObject({ resteAVivreCents: 833, quotientFamilialCents: null, parts: 1 });
      expect(seen.assessment?.schemes).toEqual([{ code: 'anti-gaspi', outcome: 'eligible', reasons: [] }]);
      expect(seen.decidable.map((d) => [d.code, d.isRequested, d.validFrom])).toEqual([
        ['aide-urgence', false, '2026-11-29'],
        ['anti-gaspi', true, '2026-11-29'],
        ['epicerie-sociale', false, '2026-11-29']
      ]);
      const audit = await listAudit(database.db, { subjectId: who.userId, limit: 10 });
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0]).toMatchObject({
        action: 'person.file.read',
        actorUserId: ccasAgent.userId,
        organisationId: ccas,
        subjectType: 'person',
        subjectId: who.userId,
        requestId: 'req-abc',
        details: { requestId: request.id }
      });
    });

    it('answers 404 to everyone else, as for an id that does not exist', async () => {
      const { request } = await submitted();
      for (const outsider of [other, assoAgent, donorOwner, admin]) {
        const e = await appError(() => service.getRequest(outsider, request.id));
        expect(e.code).toBe('not_found');
        expect(e.message).toBe((await appError(() => service.getRequest(outsider, 'does-not-exist'))).message);
      }
    });
  });

  describe('the queue', () => {
    it('lists the organisation’s requests oldest first, paged, with counts per status', async () => {
      const queueOrg = await insertTestOrganisation(database.db, 'association', 'File');
      await insertTestScheme(database.db, 'paniers-q', [queueOrg]);
      const agent = await insertTestUser(database.db);
      await insertTestMembership(database.db, queueOrg, agent.userId);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        clock.advance(60_000);
        ids.push((await submitted(queueOrg, ['paniers-q'], 0)).request.id);
      }
      const page1 = await service.listQueue(agent, queueOrg, { limit: 2 });
      expect(page1.items.map((i) => i.id)).toEqual(ids.slice(0, 2));
      expect(page1).toMatchObject({ status: 'submitted', total: 3, limit: 2, offset: 0 });
      expect(page1.counts).toEqual({ submitted: 3, incomplete: 0, granted: 0, refused: 0, withdrawn: 0 });
      expect(page1.items[0]).toMatchObject({ firstName: 'Léa', schemes: ['paniers-q'], documentCount: 0, isDesk: false });
      const page2 = await service.listQueue(agent, queueOrg, { limit: 2, offset: 2 });
      expect(page2.items.map((i) => i.id)).toEqual(ids.slice(2));
      const granted = await service.listQueue(agent, queueOrg, { status: 'granted' });
      expect(granted.items).toEqual([]);
      expect((await appError(() => service.listQueue(agent, queueOrg, { status: 'nope' }))).details?.fields?.[0]?.path).toBe(
        'query.status'
      );
    });

    it('is for members of the organisation only', async () => {
      for (const outsider of [assoAgent, donorOwner, admin, person]) {
        expect((await appError(() => service.listQueue(outsider, ccas, {}))).code).toBe('forbidden');
      }
      expect((await appError(() => service.listQueue(ccasAgent, 'no-such-org', {}))).code).toBe('not_found');
    });
  });

  describe('decisions', () => {
    it('granted: one grant per scheme, documents deleted in the same transaction, decision kept, person told', async () => {
      const { who, request } = await submitted(ccas, ['anti-gaspi', 'epicerie-sociale'], 2);
      expect(await documentRows(request.id)).toHaveLength(2);
      sent.length = 0;
      const decided = await service.decideRequest(ccasAgent, request.id, {
        outcome: 'granted',
        schemes: ['anti-gaspi', 'epicerie-sociale'],
        validUntil: '2027-05-29',
        reason: 'Bienvenue',
        version: request.version
      });
      expect(decided).toMatchObject({
        status: 'granted',
        decisionReason: 'Bienvenue',
        version: request.version + 1,
        documents: [],
        documentsDeletedCount: 2
      });
      expect(decided.documentsDeletedAt).not.toBeNull();
      expect(await documentRows(request.id)).toHaveLength(0);
      expect(decided.grants.map((g) => [g.scheme.code, g.validFrom, g.validUntil, g.isActive])).toEqual([
        ['anti-gaspi', '2026-11-29', '2027-05-29', true],
        ['epicerie-sociale', '2026-11-29', '2027-05-29', true]
      ]);
      expect(decided.decisions).toEqual([
        expect.objectContaining({ outcome: 'granted', schemes: ['anti-gaspi', 'epicerie-sociale'], validUntil: '2027-05-29' })
      ]);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ channel: 'email', to: who.email });
      expect(sent[0]!.text).toContain(`https://glane.example/mon-dossier/demandes/${request.id}`);
      // Nothing of the decision itself travels by email.
      expect(sent[0]!.text).not.toMatch(/anti-gaspi|Bienvenue/);

      const audit = await listAudit(database.db, { action: 'eligibility.decide', subjectId: who.userId, limit: 5 });
      expect(audit.items[0]?.details).toEqual({ requestId: request.id, outcome: 'granted', schemes: ['anti-gaspi', 'epicerie-sociale'] });

      // Documents are gone: the agent cannot read them any more.
      expect((await appError(() => service.readDocument(ccasAgent, request.id, request.documents[0]!.id))).code).toBe('not_found');
      // A late second decision is told the request is already decided.
      const late = await appError(() =>
        service.decideRequest(ccasOwner, request.id, { outcome: 'refused', reason: 'Non', version: request.version })
      );
      expect(late.code).toBe('conflict');
      expect(late.message).toMatch(/already decided by someone else/);
      expect(late.details?.current).toMatchObject({ status: 'granted', alreadyDecided: true });
    });

    it('without validUntil, each scheme gets its default validity', async () => {
      const { request } = await submitted(ccas, ['anti-gaspi', 'epicerie-sociale'], 0);
      const decided = await service.decideRequest(ccasAgent, request.id, {
        outcome: 'granted',
        schemes: ['anti-gaspi', 'epicerie-sociale'],
        version: 1
      });
      expect(decided.grants.map((g) => g.validUntil)).toEqual(['2027-05-31', '2027-03-01']);
    });

    it('refuses a validity in the past or beyond the scheme’s longest, and a scheme the organisation may not decide', async () => {
      const { request } = await submitted(ccas, ['aide-urgence'], 0);
      const past = await appError(() =>
        service.decideRequest(ccasAgent, request.id, { outcome: 'granted', schemes: ['aide-urgence'], validUntil: '2026-11-28', version: 1 })
      );
      expect(past.code).toBe('validation_failed');
      expect(past.details?.fields?.[0]).toMatchObject({ path: 'validUntil' });
      expect(past.message).toMatch(/past/);
      const far = await appError(() =>
        service.decideRequest(ccasAgent, request.id, { outcome: 'granted', schemes: ['aide-urgence'], validUntil: '2027-01-15', version: 1 })
      );
      expect(far.code).toBe('validation_failed');
      expect(far.message).toMatch(/aide-urgence.*31 days/);
      // Today is allowed (inclusive end).
      const today = await service.decideRequest(ccasAgent, request.id, {
        outcome: 'granted',
        schemes: ['aide-urgence'],
        validUntil: '2026-11-29',
        version: 1
      });
      expect(today.grants[0]?.validUntil).toBe('2026-11-29');

      const { request: toAsso } = await submitted(asso, ['anti-gaspi'], 0);
      const notDecider = await appError(() =>
        service.decideRequest(assoAgent, toAsso.id, { outcome: 'granted', schemes: ['anti-gaspi', 'epicerie-sociale'], version: 1 })
      );
      expect(notDecider.code).toBe('forbidden');
      expect(notDecider.message).toMatch(/epicerie-sociale/);
      expect(notDecider.details?.scheme).toBe('epicerie-sociale');
    });

    it('only members of the organisation decide; its person gets 403, everyone else 404', async () => {
      const { who, request } = await submitted();
      const input = { outcome: 'refused', reason: 'Non', version: 1 };
      expect((await appError(() => service.decideRequest(who, request.id, input))).code).toBe('forbidden');
      for (const outsider of [assoAgent, donorOwner, admin, other]) {
        expect((await appError(() => service.decideRequest(outsider, request.id, input))).code).toBe('not_found');
      }
    });

    it('refused: a reason is required; documents deleted; the reason is readable by the person', async () => {
      const { who, request } = await submitted();
      const noReason = await appError(() => service.decideRequest(ccasAgent, request.id, { outcome: 'refused', version: 1 }));
      expect(noReason.details?.fields?.[0]?.path).toBe('reason');
      await service.decideRequest(ccasAgent, request.id, { outcome: 'refused', reason: 'Ressources au-dessus du seuil', version: 1 });
      expect(await documentRows(request.id)).toHaveLength(0);
      const mine = await service.myEligibility(who);
      expect(mine.requests[0]).toMatchObject({ status: 'refused', decisionReason: 'Ressources au-dessus du seuil', documentCount: 0 });
      expect(mine.grants).toEqual([]);
    });

    it('incomplete: says what is missing, keeps the documents; a new document sends it back to the queue', async () => {
      const { who, request } = await submitted();
      const noMissing = await appError(() => service.decideRequest(ccasAgent, request.id, { outcome: 'incomplete', version: 1 }));
      expect(noMissing.details?.fields?.[0]?.path).toBe('missing');
      sent.length = 0;
      const asked = await service.decideRequest(ccasAgent, request.id, {
        outcome: 'incomplete',
        missing: 'Votre dernier avis d’imposition',
        version: 1
      });
      expect(asked).toMatchObject({ status: 'incomplete', missing: 'Votre dernier avis d’imposition', version: 2 });
      expect(asked.documents).toHaveLength(1);
      expect(sent[0]?.subject).toMatch(/manque/);
      const mine = await service.myEligibility(who);
      expect(mine.requests[0]).toMatchObject({ status: 'incomplete', missing: 'Votre dernier avis d’imposition', canAddDocuments: true });

      await service.addDocument(who, request.id, { file: tinyPdf('avis'), label: 'Avis d’imposition 2026' });
      const back = await service.getRequest(who, request.id);
      expect(back).toMatchObject({ status: 'submitted', version: 3, missing: null });
      expect(back.documents).toHaveLength(2);
      // An agent who opened it while incomplete is told it changed.
      const stale = await appError(() =>
        service.decideRequest(ccasAgent, request.id, { outcome: 'granted', schemes: ['anti-gaspi'], version: 2 })
      );
      expect(stale.code).toBe('conflict');
      expect(stale.message).toMatch(/changed since you opened it/);
      expect(stale.details?.current).toMatchObject({ status: 'submitted', version: 3, alreadyDecided: false });
    });

    it('two agents deciding at once: exactly one wins, the other gets 409', async () => {
      const { request } = await submitted();
      const results = await Promise.allSettled([
        service.decideRequest(ccasAgent, request.id, { outcome: 'granted', schemes: ['anti-gaspi'], version: 1 }),
        service.decideRequest(ccasOwner, request.id, { outcome: 'refused', reason: 'Non', version: 1 })
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(AppError);
      expect((lost[0]!.reason as AppError).code).toBe('conflict');
      const decisions = await database.db.selectFrom('eligibility_decision').selectAll().where('request_id', '=', request.id).execute();
      expect(decisions).toHaveLength(1);
      const grants = await database.db.selectFrom('eligibility_grant').selectAll().where('request_id', '=', request.id).execute();
      expect(grants).toHaveLength(decisions[0]!.outcome === 'granted' ? 1 : 0);
    });

    it('many agents at once on many requests: one decision per request', async () => {
      const requests = await Promise.all([submitted(), submitted(), submitted()]);
      const attempts = requests.flatMap(({ request }) =>
        [ccasAgent, ccasOwner, ccasAgent].map((agent) =>
          service.decideRequest(agent, request.id, { outcome: 'granted', schemes: ['anti-gaspi'], version: 1 })
        )
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const { request } of requests) {
        const n = await database.db.selectFrom('eligibility_grant').selectAll().where('request_id', '=', request.id).execute();
        expect(n).toHaveLength(1);
      }
    });
  });

  describe('withdrawing', () => {
    it('its person withdraws an undecided request; documents deleted; others cannot', async () => {
      const { who, request } = await submitted();
      expect((await appError(() => service.withdrawRequest(ccasAgent, request.id))).code).toBe('forbidden');
      expect((await appError(() => service.withdrawRequest(other, request.id))).code).toBe('not_found');
      const withdrawn = await service.withdrawRequest(who, request.id);
      expect(withdrawn).toMatchObject({ status: 'withdrawn', documentsDeletedCount: 1 });
      expect(await documentRows(request.id)).toHaveLength(0);
      expect((await appError(() => service.withdrawRequest(who, request.id))).code).toBe('conflict');
      // And the organisation can no longer decide it.
      expect(
        (await appError(() => service.decideRequest(ccasAgent, request.id, { outcome: 'refused', reason: 'x', version: 2 }))).code
      ).toBe('conflict');
    });
  });

  describe('my file and renewals', () => {
    it('lists my requests and accesses; a renewal opens near the end, once, for renewable schemes', async () => {
      const who = await insertTestUser(database.db);
      await service.saveMyHousehold(who, householdInputFor({ firstName: 'Yanis' }));
      const first = await service.createRequest(who, { organisationId: ccas, schemes: ['anti-gaspi'] });
      await service.decideRequest(ccasAgent, first.id, { outcome: 'granted', schemes: ['anti-gaspi'], validUntil: '2027-01-31', version: 1 });
      const urgent = await service.createRequest(who, { organisationId: ccas, schemes: ['aide-urgence'] });
      await service.decideRequest(ccasAgent, urgent.id, { outcome: 'granted', schemes: ['aide-urgence'], validUntil: '2026-12-10', version: 1 });

      let mine = await service.myEligibility(who);
      expect(mine.household?.firstName).toBe('Yanis');
      expect(mine.requests.map((r) => r.status)).toEqual(['granted', 'granted']);
      const antiGaspi = mine.grants.find((g) => g.scheme.code === 'anti-gaspi')!;
      const urgence = mine.grants.find((g) => g.scheme.code === 'aide-urgence')!;
      expect(antiGaspi).toMatchObject({ validUntil: '2027-01-31', isActive: true, canRenew: false, organisation: { name: 'CCAS de Glaneville' } });
      expect(urgence).toMatchObject({ canRenew: false });

      const early = await appError(() =>
        service.createRequest(who, { organisationId: ccas, schemes: ['anti-gaspi'], renewsGrantId: antiGaspi.id })
      );
      expect(early.details?.fields?.[0]?.path).toBe('renewsGrantId');
      const notMine = await appError(() =>
        service.createRequest(person, { organisationId: ccas, schemes: ['anti-gaspi'], renewsGrantId: antiGaspi.id })
      );
      expect(notMine.details?.fields?.[0]?.message).toBe('unknown grant');

      clock.set('2027-01-20T10:00:00.000Z');
      try {
        mine = await service.myEligibility(who);
        expect(mine.grants.find((g) => g.id === antiGaspi.id)?.canRenew).toBe(true);
        expect(mine.grants.find((g) => g.id === urgence.id)).toMatchObject({ isActive: false, canRenew: false });
        const renewal = await service.createRequest(who, { organisationId: ccas, schemes: ['epicerie-sociale'], renewsGrantId: antiGaspi.id });
        expect(renewal.renewsGrantId).toBe(antiGaspi.id);
        expect(renewal.schemes.map((s) => s.code)).toEqual(['anti-gaspi', 'epicerie-sociale']);
        expect(renewal.decidable.find((d) => d.code === 'anti-gaspi')).toBeUndefined(); // the person's view
        const agentView = await service.getRequest(ccasAgent, renewal.id);
        expect(agentView.decidable.find((d) => d.code === 'anti-gaspi')).toMatchObject({
          isRequested: true,
          validFrom: '2027-02-01',
          defaultValidUntil: '2027-08-03'
        });
        expect(agentView.decidable.find((d) => d.code === 'epicerie-sociale')?.validFrom).toBe('2027-01-20');
        const twice = await appError(() =>
          service.createRequest(who, { organisationId: asso, schemes: ['anti-gaspi'], renewsGrantId: antiGaspi.id })
        );
        expect(twice.code).toBe('conflict');
        const notRenewable = await appError(() =>
          service.createRequest(who, { organisationId: asso, schemes: ['anti-gaspi'], renewsGrantId: urgence.id })
        );
        expect(notRenewable.details?.fields?.[0]?.path).toBe('renewsGrantId');
        // Granted: the renewed scheme follows on from the current grant; the other starts today.
        const renewed = await service.decideRequest(ccasAgent, renewal.id, {
          outcome: 'granted',
          schemes: ['anti-gaspi', 'epicerie-sociale'],
          version: renewal.version
        });
        expect(renewed.grants.map((g) => [g.scheme.code, g.validFrom, g.validUntil])).toEqual([
          ['anti-gaspi', '2027-02-01', '2027-08-03'],
          ['epicerie-sociale', '2027-01-20', '2027-04-22']
        ]);
        // In the person's file: the new anti-gaspi access is upcoming, and the old one offers no renewal any more.
        mine = await service.myEligibility(who);
        expect(mine.grants.find((g) => g.id === antiGaspi.id)).toMatchObject({ isActive: true, isUpcoming: false, canRenew: false });
        expect(mine.grants.find((g) => g.scheme.code === 'anti-gaspi' && g.id !== antiGaspi.id)).toMatchObject({
          validFrom: '2027-02-01',
          isActive: false,
          isUpcoming: true,
          canRenew: false
        });
        const again = await appError(() =>
          service.createRequest(who, { organisationId: ccas, schemes: ['anti-gaspi'], renewsGrantId: antiGaspi.id })
        );
        expect(again.details?.fields?.[0]).toMatchObject({ path: 'renewsGrantId', message: 'this access is already renewed' });
      } finally {
        clock.set('2026-11-29T10:00:00.000Z');
      }
    });
  });

  describe('desk requests', () => {
    it('an agent starts a request for an account found by email or phone, and decides it at once', async () => {
      const walkIn = await insertTestUser(database.db, { email: 'guichet@example.test' });
      await database.db.updateTable('user').set({ phone: '+33612345678' }).where('id', '=', walkIn.userId).execute();
      const desk = await service.createDeskRequest(ccasAgent, ccas, {
        person: { email: '  Guichet@Example.test ' },
        household: householdInputFor({ firstName: 'Mireille', profile: 'retraite' }),
        schemes: ['aide-urgence'],
        monthlyResourcesCents: 90_000,
        message: 'Fiche d’orientation'
      });
      expect(desk).toMatchObject({ isDesk: true, status: 'submitted', person: { userId: walkIn.userId, firstName: 'Mireille' } });
      const audit = await listAudit(database.db, { action: 'eligibility.desk_request', subjectId: walkIn.userId, limit: 5 });
      expect(audit.items).toHaveLength(1);
      const granted = await service.decideRequest(ccasAgent, desk.id, { outcome: 'granted', schemes: ['aide-urgence'], version: 1 });
      expect(granted.grants[0]?.validUntil).toBe('2026-12-14');

      const byPhone = await service.createDeskRequest(ccasOwner, ccas, {
        person: { phone: '06 12 34 56 78' },
        household: householdInputFor(),
        schemes: ['anti-gaspi']
      });
      expect(byPhone.person.userId).toBe(walkIn.userId);
      // The household the person had stays theirs (the desk copy is on the request).
      expect((await service.getMyHousehold(walkIn))?.firstName).toBe('Mireille');
    });

    it('for a person the organisation accompanies (userId), not anyone else', async () => {
      const accompanied = await insertTestUser(database.db);
      await database.db
        .insertInto('accompaniment')
        .values({ user_id: accompanied.userId, organisation_id: ccas, created_by_user_id: ccasAgent.userId, created_at: '2026-11-29T09:00:00.000Z' })
        .execute();
      const ok = await service.createDeskRequest(ccasAgent, ccas, {
        person: { userId: accompanied.userId },
        household: householdInputFor({ firstName: 'Paul' }),
        schemes: ['anti-gaspi']
      });
      expect(ok.person.firstName).toBe('Paul');
      const notAccompanied = await appError(() =>
        service.createDeskRequest(ccasAgent, ccas, { person: { userId: other.userId }, household: householdInputFor(), schemes: ['anti-gaspi'] })
      );
      expect(notAccompanied.code).toBe('not_found');
      expect(notAccompanied.details?.fields?.[0]?.path).toBe('person.userId');
      const unknownEmail = await appError(() =>
        service.createDeskRequest(ccasAgent, ccas, { person: { email: 'personne@example.test' }, household: householdInputFor(), schemes: ['anti-gaspi'] })
      );
      expect(unknownEmail.details?.fields?.[0]?.path).toBe('person.email');
      const two = await appError(() =>
        service.createDeskRequest(ccasAgent, ccas, {
          person: { email: 'a@example.test', phone: '0612345678' },
          household: householdInputFor(),
          schemes: ['anti-gaspi']
        })
      );
      expect(two.code).toBe('validation_failed');
    });

    it('creates a new accompanied person and the request in one step; a failing request leaves no account', async () => {
      const count = async () => ({
        users: Number((await database.db.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
        accompaniments: Number((await database.db.selectFrom('accompaniment').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
        households: Number((await database.db.selectFrom('household').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      });
      const before = await count();
      // Refused before anything is written: a scheme this association does not decide, no scheme, two ways of naming the person.
      const wrongScheme = await appError(() =>
        service.createDeskRequest(assoAgent, asso, { person: { new: true }, household: householdInputFor({ firstName: 'Oksana' }), schemes: ['aide-urgence'] })
      );
      expect(wrongScheme.details?.fields?.[0]?.path).toBe('schemes');
      const noScheme = await appError(() =>
        service.createDeskRequest(ccasAgent, ccas, { person: { new: true }, household: householdInputFor({ firstName: 'Oksana' }), schemes: [] })
      );
      expect(noScheme.code).toBe('validation_failed');
      const both = await appError(() =>
        service.createDeskRequest(ccasAgent, ccas, {
          person: { new: true, email: 'x@example.test' },
          household: householdInputFor({ firstName: 'Oksana' }),
          schemes: ['anti-gaspi']
        })
      );
      expect(both.code).toBe('validation_failed');
      expect(await count()).toEqual(before);

      const desk = await service.createDeskRequest(ccasAgent, ccas, {
        person: { new: true },
        household: householdInputFor({ firstName: 'Oksana' }),
        schemes: ['anti-gaspi']
      });
      expect(desk).toMatchObject({ isDesk: true, status: 'submitted', person: { firstName: 'Oksana' } });
      expect(await count()).toEqual({ users: before.users + 1, accompaniments: before.accompaniments + 1, households: before.households + 1 });
      const account = await database.db.selectFrom('user').selectAll().where('id', '=', desk.person.userId).executeTakeFirstOrThrow();
      expect(account).toMatchObject({ email: null, phone: null, password_hash: null, display_name: 'Oksana' });
      expect((await findAccompaniment(database.db, desk.person.userId))?.organisationId).toBe(ccas);
      const created = await listAudit(database.db, { action: 'person.accompanied.create', subjectId: desk.person.userId, limit: 5 });
      expect(created.items).toHaveLength(1);
    });

    it('only members of the organisation start desk requests there', async () => {
      for (const outsider of [assoAgent, donorOwner, admin, person]) {
        const e = await appError(() =>
          service.createDeskRequest(outsider, ccas, { person: { email: person.email }, household: householdInputFor(), schemes: ['anti-gaspi'] })
        );
        expect(e.code).toBe('forbidden');
      }
    });
  });

  it('audit entries of this module carry no personal data', async () => {
    const all = await listAudit(database.db, { subjectType: 'person', limit: 200 });
    expect(all.items.length).toBeGreaterThan(5);
    for (const entry of all.items) {
      const text = JSON.stringify(entry.details);
      expect(text).not.toMatch(/Léa|Mireille|Yanis|example\.test|59350|etudiant/);
    }
  });

  it('documents are sealed with the key: another key cannot read them', async () => {
    const { request } = await submitted();
    const otherKey = createRequestsService({
      db: database.db,
      config: { DOCUMENT_MAX_KB: 100, PUBLIC_URL: 'https://glane.example', ELIGIBILITY_REMINDER_DAYS: 14 },
      now: clock.now,
      sealingKey: randomSealingKey()
    });
    const e = await appError(() => otherKey.readDocument(ccasAgent, request.id, request.documents[0]!.id));
    expect(e.code).toBe('internal');
  });
});
