import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../tests/helpers/services.js';
import { BUILT_IN_SCHEME_CODES } from '../../schemas/eligibility-vocabulary.js';
import { DEFAULT_QF_PARTS } from '../modules/eligibility/eligibility.rules.js';
import { deleteDemo, loadDemo } from './demo.js';
import { buildDemoEligibility } from './eligibility-territory.js';
import { buildDemoTerritory, DEMO_TOWN, demoId } from './territory.js';

describe('demo eligibility (pure data)', () => {
  const t = buildDemoTerritory();
  const e = buildDemoEligibility(t);

  it('has the four built-in schemes with deterministic ids, in order', () => {
    expect(e.schemes.map((s) => s.code)).toEqual([...BUILT_IN_SCHEME_CODES]);
    expect(e.schemes.map((s) => s.id)).toEqual([1, 2, 3, 4].map((n) => demoId('scheme', n)));
    expect(JSON.stringify(buildDemoEligibility(buildDemoTerritory(7)))).toBe(JSON.stringify(e));
    expect(e.schemes.every((s) => s.isDemo && s.isActive)).toBe(true);
  });

  it('sets the thresholds and validities of the seed article', () => {
    const by = Object.fromEntries(e.schemes.map((s) => [s.code, s]));
    expect(by['anti-gaspi']).toMatchObject({ maxResteAVivreCents: 700, maxQuotientFamilialCents: null, defaultValidityDays: 182, maxValidityDays: 365, isRenewable: true, acceptedProfiles: [] });
    expect(by['epicerie-sociale']).toMatchObject({ maxResteAVivreCents: 900, defaultValidityDays: 91, maxValidityDays: 182, isRenewable: true, communes: [DEMO_TOWN.inseeCode] });
    expect(by.paniers).toMatchObject({ maxResteAVivreCents: null, maxQuotientFamilialCents: 60_000, defaultValidityDays: 91 });
    expect(by['aide-urgence']).toMatchObject({ maxResteAVivreCents: null, maxQuotientFamilialCents: null, defaultValidityDays: 30, maxValidityDays: 30, isRenewable: false });
  });

  it('lets the CCAS decide every scheme, the associations anti-gaspi and paniers', () => {
    const associations = t.organisations.filter((o) => o.kind === 'association').map((o) => o.id);
    const deciders = Object.fromEntries(e.deciders.map((d) => [e.schemes.find((s) => s.id === d.schemeId)!.code, d.organisationIds]));
    expect(deciders['anti-gaspi']).toEqual([t.organisationIds.ccas, ...associations]);
    expect(deciders.paniers).toEqual([t.organisationIds.ccas, ...associations]);
    expect(deciders['epicerie-sociale']).toEqual([t.organisationIds.ccas]);
    expect(deciders['aide-urgence']).toEqual([t.organisationIds.ccas]);
    expect(associations).toHaveLength(5);
  });
});

describe.each(DIALECTS)('demo eligibility on %s', (kind) => {
  let ts: TestServices;
  beforeAll(async () => {
    ts = await createTestServices(kind);
  }, 60_000);
  afterAll(async () => ts?.destroy());

  it('loads with the demo: public schemes with deciders, the default table of parts, a working simulator', async () => {
    const counts = await loadDemo(ts.services.database, { nodeEnv: 'test' });
    expect(counts?.schemes).toBe(4);
    const schemes = await ts.services.schemes.listSchemes(null);
    expect(schemes.map((s) => [s.code, s.isDemo, s.deciders.length])).toEqual([
      ['anti-gaspi', true, 6],
      ['epicerie-sociale', true, 1],
      ['paniers', true, 6],
      ['aide-urgence', true, 1]
    ]);
    expect(await ts.services.schemes.qfParts()).toEqual(DEFAULT_QF_PARTS);
    expect(await ts.services.schemes.listCommunes()).toEqual([{ insee: DEMO_TOWN.inseeCode, name: DEMO_TOWN.name }]);
    // A student alone in town with 8,12 € a day: anti-gaspi no, épicerie sociale yes, urgence yes.
    const r = await ts.services.schemes.simulate(
      { adults: 1, children: 0, profile: 'etudiant', communeInsee: DEMO_TOWN.inseeCode, monthlyResourcesCents: 60_000, monthlyChargesCents: 35_640 },
      { ip: 'test' }
    );
    expect(r.schemes.map((s) => [s.scheme.code, s.outcome])).toEqual([
      ['anti-gaspi', 'not_eligible'],
      ['epicerie-sociale', 'eligible'],
      ['paniers', 'cannot_tell'],
      ['aide-urgence', 'eligible']
    ]);
  });

  it('goes away with the demo, keeping a setting the territory changed', async () => {
    const admin = await ts.services.db.selectFrom('user').select('id').where('is_platform_admin', '=', 1).executeTakeFirstOrThrow();
    const actor = { userId: admin.id, isPlatformAdmin: true, requestId: 'r' };
    await ts.services.schemes.updateSettings(actor, { qfParts: { ...DEFAULT_QF_PARTS, child: 0.75 } });
    // A real account holding a grant of a demo scheme ties real data to the demo.
    const now = '2026-11-29T10:00:00.000Z';
    await ts.services.db
      .insertInto('user')
      .values({ id: 'real', email: 'real@example.org', phone: null, password_hash: null, display_name: 'Réelle', locale: 'fr',
        email_verified_at: null, phone_verified_at: null, is_platform_admin: 0, failed_sign_in_count: 0, locked_until: null,
        is_demo: 0, created_at: now, updated_at: now })
      .execute();
    const t = buildDemoTerritory();
    const schemeId = buildDemoEligibility(t).schemeIds['anti-gaspi']!;
    await ts.services.db
      .insertInto('eligibility_grant')
      .values({ id: 'g', user_id: 'real', scheme_id: schemeId, organisation_id: t.organisationIds.ccas!, request_id: null,
        decision_id: null, valid_from: '2026-11-29', valid_until: '2027-05-30', revoked_at: null, revoked_by_user_id: null,
        revoke_reason: null, reminded_at: null, is_demo: 0, created_at: now })
      .execute();
    await expect(deleteDemo(ts.services.database)).rejects.toMatchObject({ code: 'conflict' });
    await ts.services.db.deleteFrom('eligibility_grant').where('id', '=', 'g').execute();

    // The settings row was changed (by a demo admin, after loading): not the demo's any more, it stays.
    const removed = await deleteDemo(ts.services.database);
    expect(removed.schemes).toBe(4);
    expect(await ts.services.db.selectFrom('scheme').select('id').execute()).toEqual([]);
    expect(await ts.services.db.selectFrom('scheme_decider').select('scheme_id').execute()).toEqual([]);
    const setting = await ts.services.db.selectFrom('setting').selectAll().execute();
    expect(setting.map((s) => [s.key, JSON.parse(s.value).child])).toEqual([['eligibility.qfParts', 0.75]]);
    // Loaded again, the demo keeps that setting (it never overwrites a territory's choice).
    await loadDemo(ts.services.database, { nodeEnv: 'test', onlyIfEmpty: false });
    expect((await ts.services.schemes.qfParts()).child).toBe(0.75);
  });

  it('removes its untouched settings row with it', async () => {
    await deleteDemo(ts.services.database);
    await ts.services.db.deleteFrom('setting').execute();
    await loadDemo(ts.services.database, { nodeEnv: 'test', onlyIfEmpty: false });
    expect(await ts.services.db.selectFrom('setting').select('key').execute()).toEqual([{ key: 'eligibility.qfParts' }]);
    await deleteDemo(ts.services.database);
    expect(await ts.services.db.selectFrom('setting').select('key').execute()).toEqual([]);
  });
});
