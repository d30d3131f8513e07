import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, postgresLabel } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import { listAudit } from '../audit/audit.repository.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import { DEFAULT_QF_PARTS } from './eligibility.rules.js';
import { SIMULATE_RATE_LIMIT } from './schemes.service.js';
import * as repo from './schemes.repository.js';
import { schemeInput } from './schemes.testing.js';

/** Where the schemes' territory is (the organisations' commune). */
const GLANEVILLE = { city: 'Glaneville', inseeCode: '59999' };

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const fieldPaths = (e: AppError) => e.details?.fields?.map((f) => f.path);

describe.each(DIALECTS)('schemes service on %s', (kind) => {
  const label = kind === 'postgres' ? postgresLabel : kind;
  let ts: TestServices;
  let admin: Actor;
  let ccasOwner: Actor;
  let ccasManager: Actor;
  let ccasMember: Actor;
  let assoOwner: Actor;
  let donorOwner: Actor;
  let nobody: Actor;
  let ccas: string;
  let asso: string;
  let donor: string;
  const svc = () => ts.services.schemes;

  beforeAll(async () => {
    ts = await createTestServices(kind);
    const db = ts.services.db;
    admin = await insertTestUser(db, { isPlatformAdmin: true });
    ccasOwner = await insertTestUser(db);
    ccasManager = await insertTestUser(db);
    ccasMember = await insertTestUser(db);
    assoOwner = await insertTestUser(db);
    donorOwner = await insertTestUser(db);
    nobody = await insertTestUser(db);
    ccas = await insertTestOrganisation(db, 'ccas', { name: 'CCAS de Glaneville', ...GLANEVILLE });
    asso = await insertTestOrganisation(db, 'association', { name: 'Restos du Cœur', inseeCode: '59350', city: 'Lille' });
    donor = await insertTestOrganisation(db, 'donor', { name: 'Boulangerie', ...GLANEVILLE });
    await insertTestMembership(db, ccas, ccasOwner.userId, 'owner');
    await insertTestMembership(db, ccas, ccasManager.userId, 'manager');
    await insertTestMembership(db, ccas, ccasMember.userId, 'member');
    await insertTestMembership(db, asso, assoOwner.userId, 'owner');
    await insertTestMembership(db, donor, donorOwner.userId, 'owner');
  }, 60_000);
  afterAll(async () => ts?.destroy());
  beforeEach(() => ts.services.limiter.clear());

  it(`lets platform admins and CCAS owners or managers manage schemes, nobody else (${label})`, async () => {
    for (const actor of [admin, ccasOwner, ccasManager]) {
      const created = await svc().createScheme(actor, schemeInput());
      expect(created).toMatchObject({ isActive: true, isRenewable: true, deciders: [], acceptedProfiles: [], communes: [] });
      expect((await svc().permissions(actor)).canManageSchemes).toBe(true);
    }
    for (const actor of [ccasMember, assoOwner, donorOwner, nobody]) {
      expect((await failure(svc().createScheme(actor, schemeInput()))).code).toBe('forbidden');
      expect((await failure(svc().getSettings(actor))).code).toBe('forbidden');
      expect((await failure(svc().updateSettings(actor, { qfParts: DEFAULT_QF_PARTS }))).code).toBe('forbidden');
      expect((await failure(svc().listSchemes(actor, { includeInactive: true }))).code).toBe('forbidden');
      expect((await svc().permissions(actor)).canManageSchemes).toBe(false);
    }
    expect((await svc().permissions(null)).canManageSchemes).toBe(false);
    expect((await failure(svc().listSchemes(null, { includeInactive: true }))).code).toBe('unauthenticated');
  });

  it('creates a scheme with every field, audited without personal data', async () => {
    const created = await svc().createScheme(ccasOwner, {
      code: 'epicerie-test',
      name: '  Épicerie sociale  ',
      nameEn: 'Social grocery',
      description: '',
      acceptedProfiles: ['etudiant', 'retraite', 'etudiant'],
      communes: ['59999', '2a004'],
      maxResteAVivreCents: 900,
      maxQuotientFamilialCents: null,
      defaultValidityDays: 91,
      maxValidityDays: 182,
      isRenewable: true,
      isActive: true,
      position: 2
    });
    expect(created).toMatchObject({
      code: 'epicerie-test',
      name: 'Épicerie sociale',
      nameEn: 'Social grocery',
      description: null,
      acceptedProfiles: ['etudiant', 'retraite'],
      communes: ['59999', '2A004'],
      maxResteAVivreCents: 900,
      maxQuotientFamilialCents: null,
      defaultValidityDays: 91,
      maxValidityDays: 182,
      position: 2,
      isDemo: false
    });
    const audit = await listAudit(ts.services.db, { action: 'scheme.create', subjectId: created.id, limit: 5 });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorUserId: ccasOwner.userId, subjectType: 'scheme', details: { schemeCode: 'epicerie-test' } });
  });

  it('refuses bad scheme input, naming the field', async () => {
    expect(fieldPaths(await failure(svc().createScheme(admin, schemeInput({ code: 'Anti Gaspi' }))))).toEqual(['code']);
    expect(fieldPaths(await failure(svc().createScheme(admin, schemeInput({ defaultValidityDays: 400, maxValidityDays: 365 }))))).toEqual([
      'defaultValidityDays'
    ]);
    expect(fieldPaths(await failure(svc().createScheme(admin, schemeInput({ maxResteAVivreCents: 7.5 }))))).toEqual(['maxResteAVivreCents']);
    expect(fieldPaths(await failure(svc().createScheme(admin, schemeInput({ maxValidityDays: 0 }))))).toEqual(['maxValidityDays']);
    expect(fieldPaths(await failure(svc().createScheme(admin, schemeInput({ communes: ['5999'] }))))).toEqual(['communes.0']);
    expect(fieldPaths(await failure(svc().createScheme(admin, schemeInput({ acceptedProfiles: ['pirate' as 'autre'] }))))).toEqual([
      'acceptedProfiles.0'
    ]);
    const taken = await failure(svc().createScheme(admin, schemeInput({ code: 'epicerie-test' })));
    expect(taken.code).toBe('conflict');
    expect(fieldPaths(taken)).toEqual(['code']);
  });

  it('updates any field but the code, checks default ≤ max on the merged scheme, audits the changed names', async () => {
    const s = await svc().createScheme(admin, schemeInput({ defaultValidityDays: 30, maxValidityDays: 60 }));
    const updated = await svc().updateScheme(ccasManager, s.id, {
      maxResteAVivreCents: 650,
      maxQuotientFamilialCents: 55_000,
      acceptedProfiles: ['famille-monoparentale'],
      isActive: false,
      description: 'Pour les familles'
    });
    expect(updated).toMatchObject({
      code: s.code,
      maxResteAVivreCents: 650,
      maxQuotientFamilialCents: 55_000,
      acceptedProfiles: ['famille-monoparentale'],
      isActive: false,
      description: 'Pour les familles',
      defaultValidityDays: 30
    });
    const audit = await listAudit(ts.services.db, { action: 'scheme.update', subjectId: s.id, limit: 5 });
    expect(audit.items[0]!.details).toEqual({
      schemeCode: s.code,
      fields: ['description', 'acceptedProfiles', 'maxResteAVivreCents', 'maxQuotientFamilialCents', 'isActive']
    });
    // No change: no audit entry.
    await svc().updateScheme(admin, s.id, { maxResteAVivreCents: 650 });
    expect((await listAudit(ts.services.db, { action: 'scheme.update', subjectId: s.id, limit: 5 })).items).toHaveLength(1);
    // The code is fixed; default > max is refused on whichever field was sent.
    expect(fieldPaths(await failure(svc().updateScheme(admin, s.id, { code: 'autre' })))).toEqual(['code']);
    expect(fieldPaths(await failure(svc().updateScheme(admin, s.id, { defaultValidityDays: 61 })))).toEqual(['defaultValidityDays']);
    expect(fieldPaths(await failure(svc().updateScheme(admin, s.id, { maxValidityDays: 29 })))).toEqual(['maxValidityDays']);
    expect((await svc().updateScheme(admin, s.id, { defaultValidityDays: 90, maxValidityDays: 120 })).maxValidityDays).toBe(120);
    // Thresholds can be removed.
    expect((await svc().updateScheme(admin, s.id, { maxResteAVivreCents: null })).maxResteAVivreCents).toBeNull();
    expect((await failure(svc().updateScheme(admin, 'nope', { name: 'x' }))).code).toBe('not_found');
    expect((await failure(svc().updateScheme(ccasMember, s.id, { name: 'x' }))).code).toBe('forbidden');
  });

  it('sets deciders: CCAS and associations only, audited with what was added and removed', async () => {
    const s = await svc().createScheme(admin, schemeInput());
    let v = await svc().setDeciders(ccasOwner, s.id, { organisationIds: [ccas, asso, ccas] });
    expect(v.deciders.map((d) => [d.name, d.kind])).toEqual([
      ['CCAS de Glaneville', 'ccas'],
      ['Restos du Cœur', 'association']
    ]);
    const donorRefused = await failure(svc().setDeciders(admin, s.id, { organisationIds: [ccas, donor] }));
    expect(donorRefused.code).toBe('validation_failed');
    expect(donorRefused.details?.fields).toEqual([
      { path: 'organisationIds.1', message: 'Only CCAS and associations may decide schemes', code: 'decider_kind' }
    ]);
    expect(fieldPaths(await failure(svc().setDeciders(admin, s.id, { organisationIds: ['unknown'] })))).toEqual(['organisationIds.0']);
    expect((await failure(svc().setDeciders(admin, 'nope', { organisationIds: [ccas] }))).code).toBe('not_found');
    expect((await failure(svc().setDeciders(assoOwner, s.id, { organisationIds: [asso] }))).code).toBe('forbidden');
    ts.clock.advance(1000);
    v = await svc().setDeciders(admin, s.id, { organisationIds: [asso] });
    expect(v.deciders.map((d) => d.id)).toEqual([asso]);
    const audit = await listAudit(ts.services.db, { action: 'scheme.deciders.update', subjectId: s.id, limit: 5 });
    expect(audit.items.map((a) => a.details)).toEqual([
      { schemeCode: s.code, added: [], removed: [ccas] },
      { schemeCode: s.code, added: [ccas, asso], removed: [] }
    ]);
    v = await svc().setDeciders(admin, s.id, { organisationIds: [] });
    expect(v.deciders).toEqual([]);
    const candidates = await svc().listDeciderCandidates(admin);
    expect(candidates.map((c) => c.id).sort()).toEqual([ccas, asso].sort());
  });

  it('lists active schemes to everyone, inactive ones to managers only', async () => {
    const hidden = await svc().createScheme(admin, schemeInput({ isActive: false, position: 9 }));
    const publicList = await svc().listSchemes(null);
    expect(publicList.every((s) => s.isActive)).toBe(true);
    expect(publicList.map((s) => s.id)).not.toContain(hidden.id);
    expect((await svc().listSchemes(ccasOwner, { includeInactive: true })).map((s) => s.id)).toContain(hidden.id);
    expect((await failure(svc().getScheme(null, hidden.id))).code).toBe('not_found');
    expect((await failure(svc().getScheme(assoOwner, hidden.id))).code).toBe('not_found');
    expect((await svc().getScheme(admin, hidden.id)).id).toBe(hidden.id);
    const positions = publicList.map((s) => s.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('keeps the table of parts as a setting: default, validated, saved, audited', async () => {
    let settings = await svc().getSettings(admin);
    expect(settings).toEqual({ qfParts: DEFAULT_QF_PARTS, isDefault: true, defaultQfParts: DEFAULT_QF_PARTS, updatedAt: null });
    const bad = await failure(svc().updateSettings(admin, { qfParts: { ...DEFAULT_QF_PARTS, child: 0.3, firstAdult: 0 } }));
    expect(fieldPaths(bad)).toEqual(['qfParts.firstAdult', 'qfParts.child']);
    settings = await svc().updateSettings(ccasManager, { qfParts: { ...DEFAULT_QF_PARTS, child: 0.75 } });
    expect(settings).toMatchObject({ qfParts: { child: 0.75 }, isDefault: false, updatedAt: ts.clock.now().toISOString() });
    expect(await svc().qfParts()).toEqual({ ...DEFAULT_QF_PARTS, child: 0.75 });
    const stored = await repo.getSetting(ts.services.db, 'eligibility.qfParts');
    expect(stored?.updatedByUserId).toBe(ccasManager.userId);
    const audit = await listAudit(ts.services.db, { action: 'eligibility.settings.update', limit: 5 });
    expect(audit.items[0]).toMatchObject({ subjectType: 'setting', subjectId: 'eligibility.qfParts', details: { fields: ['child'] } });
    await svc().updateSettings(admin, { qfParts: DEFAULT_QF_PARTS });
  });

  it('lists the communes the territory knows, from organisations and places', async () => {
    const communes = await svc().listCommunes();
    expect(communes).toEqual(
      expect.arrayContaining([
        { insee: '59999', name: 'Glaneville' },
        { insee: '59350', name: 'Lille' }
      ])
    );
  });

  describe('simulator', () => {
    let antiGaspi: string;
    let epicerie: string;
    beforeAll(async () => {
      // Only the schemes of this block stay active.
      for (const s of await svc().listSchemes(admin, { includeInactive: true })) await svc().updateScheme(admin, s.id, { isActive: false });
      antiGaspi = (await svc().createScheme(admin, schemeInput({ code: 'sim-anti-gaspi', name: 'Anti-gaspi', position: 1 }))).id;
      epicerie = (
        await svc().createScheme(admin, schemeInput({ code: 'sim-epicerie', name: 'Épicerie', maxResteAVivreCents: 900, communes: ['59999'], position: 2 }))
      ).id;
      await svc().createScheme(
        admin,
        schemeInput({ code: 'sim-paniers', name: 'Paniers', maxResteAVivreCents: null, maxQuotientFamilialCents: 60_000, position: 3 })
      );
      await svc().setDeciders(admin, antiGaspi, { organisationIds: [ccas, asso] });
      await svc().setDeciders(admin, epicerie, { organisationIds: [ccas] });
    });

    it('answers per active scheme with every reason and who decides, storing nothing', async () => {
      const count = async () => ({
        audit: (await listAudit(ts.services.db, { limit: 200 })).items.length,
        households: (await ts.services.db.selectFrom('household').select('user_id').execute()).length,
        requests: (await ts.services.db.selectFrom('eligibility_request').select('id').execute()).length,
        settings: (await ts.services.db.selectFrom('setting').selectAll().execute()).length
      });
      const before = await count();
      // A student alone, 600 € − 390 € = 210 € → 7,00 € a day: anti-gaspi yes (inclusive), épicerie yes in 59999.
      const r = await svc().simulate(
        { adults: 1, children: 0, profile: 'etudiant', communeInsee: '59999', monthlyResourcesCents: 60_000, monthlyChargesCents: 39_000 },
        { ip: '10.0.0.1' }
      );
      expect(r).toMatchObject({ resteAVivreCents: 700, quotientFamilialCents: null, parts: 1 });
      expect(r.schemes.map((s) => [s.scheme.code, s.outcome])).toEqual([
        ['sim-anti-gaspi', 'eligible'],
        ['sim-epicerie', 'eligible'],
        ['sim-paniers', 'cannot_tell']
      ]);
      expect(r.schemes[0]!.deciders.map((d) => d.name)).toEqual(['CCAS de Glaneville', 'Restos du Cœur']);
      expect(r.schemes[2]!.reasons).toEqual([{ code: 'quotient_familial_unknown', max: 60_000, missing: ['annualTaxableIncomeCents'] }]);
      expect(await count()).toEqual(before);
    });

    it('gives the figures of each no, the commune not covered, and uses the territory’s table of parts', async () => {
      // 8,12 € a day, living elsewhere: anti-gaspi no (812 > 700), épicerie no twice (commune; 812 ≤ 900 is fine).
      const r = await svc().simulate(
        {
          adults: 1,
          children: 2,
          isSingleParent: true,
          profile: 'famille-monoparentale',
          communeInsee: 'other',
          monthlyResourcesCents: 100_000,
          monthlyChargesCents: 26_920,
          annualTaxableIncomeCents: 1_800_000,
          monthlyBenefitsCents: 30_000
        },
        { ip: '10.0.0.2' }
      );
      expect(r.resteAVivreCents).toBe(812);
      expect(r.parts).toBe(2.5);
      expect(r.quotientFamilialCents).toBe(72_000);
      expect(r.schemes.map((s) => s.reasons)).toEqual([
        [{ code: 'reste_a_vivre_over', value: 812, max: 700 }],
        [{ code: 'commune_not_covered', commune: 'other', communes: ['59999'] }],
        [{ code: 'quotient_familial_over', value: 72_000, max: 60_000 }]
      ]);
      // With a table giving a whole part per child, 3.5 parts: 1 800 / 3.5 = 514,28 € → paniers yes.
      await svc().updateSettings(admin, { qfParts: { ...DEFAULT_QF_PARTS, child: 1 } });
      const again = await svc().simulate(
        {
          adults: 1,
          children: 2,
          isSingleParent: true,
          communeInsee: '59999',
          monthlyResourcesCents: 100_000,
          monthlyChargesCents: 26_920,
          annualTaxableIncomeCents: 1_800_000,
          monthlyBenefitsCents: 30_000
        },
        { ip: '10.0.0.2' }
      );
      expect(again).toMatchObject({ parts: 3.5, quotientFamilialCents: 51_428 });
      expect(again.schemes[2]!.outcome).toBe('eligible');
      await svc().updateSettings(admin, { qfParts: DEFAULT_QF_PARTS });
    });

    it('refuses a household of size 0 and inconsistent sizes, naming the field', async () => {
      expect(fieldPaths(await failure(svc().simulate({ adults: 0, children: 0 }, { ip: '10.0.0.3' })))).toEqual(['adults']);
      expect(fieldPaths(await failure(svc().simulate({ adults: 1, children: 0, size: 0 }, { ip: '10.0.0.3' })))).toEqual(['size']);
      expect(fieldPaths(await failure(svc().simulate({ adults: 1, children: 1, size: 3 }, { ip: '10.0.0.3' })))).toEqual(['size']);
      expect(fieldPaths(await failure(svc().simulate({ adults: 2, children: 0, isSingleParent: true }, { ip: '10.0.0.3' })))).toEqual([
        'isSingleParent'
      ]);
      expect(fieldPaths(await failure(svc().simulate({ adults: 1, children: 0, monthlyResourcesCents: -1 }, { ip: '10.0.0.3' })))).toEqual([
        'monthlyResourcesCents'
      ]);
    });

    it('answers "cannot tell" with nothing but the household', async () => {
      const r = await svc().simulate({ adults: 1, children: 0 }, { ip: '10.0.0.4' });
      expect(r.schemes.map((s) => s.outcome)).toEqual(['cannot_tell', 'cannot_tell', 'cannot_tell']);
      expect(r.schemes[1]!.reasons.map((x) => x.code)).toEqual(['commune_unknown', 'reste_a_vivre_unknown']);
    });

    it('is rate limited per address', async () => {
      for (let i = 0; i < SIMULATE_RATE_LIMIT; i++) await svc().simulate({ adults: 1, children: 0 }, { ip: '10.0.0.9' });
      const limited = await failure(svc().simulate({ adults: 1, children: 0 }, { ip: '10.0.0.9' }));
      expect(limited.code).toBe('rate_limited');
      expect(limited.details?.retryAfter).toBeGreaterThan(0);
      // Another address is not affected.
      await svc().simulate({ adults: 1, children: 0 }, { ip: '10.0.0.10' });
      ts.clock.advance(61_000);
      await svc().simulate({ adults: 1, children: 0 }, { ip: '10.0.0.9' });
    });
  });
});
