import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../../tests/helpers/db.js';
import { createTestServices, type TestServices } from '../../../../../tests/helpers/services.js';
import type { Actor } from '../../http/auth.js';
import { insertTestMembership, insertTestOrganisation, insertTestUser } from '../organisations/organisations.testing.js';
import { insertTestPlace } from './freshness.testing.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(DIALECTS)('freshness campaign on %s', (kind) => {
  let t: TestServices;
  let admin: Actor;
  let ccasManager: Actor;
  let plainUser: Actor;
  let orgA: string;
  let orgB: string;
  let orgNoEmail: string;
  let placeA1: string;
  let placeA2: string;
  let placeB: string;
  const tokens = new Map<string, string>();

  async function captured() {
    return t.services.notify.listCaptured({ limit: 100 });
  }

  beforeAll(async () => {
    t = await createTestServices(kind, { PUBLIC_URL: 'http://glane.test', DEV_MAILBOX: 'true' });
    const db = t.services.db;
    admin = await insertTestUser(db, { isPlatformAdmin: true });
    ccasManager = await insertTestUser(db);
    plainUser = await insertTestUser(db);
    const ccas = await insertTestOrganisation(db, 'ccas', { name: 'CCAS de Lille', email: 'ccas@lille.test' });
    await insertTestMembership(db, ccas, ccasManager.userId, 'manager');
    orgA = await insertTestOrganisation(db, 'association', { name: 'Épicerie A', email: 'contact@a.test' });
    orgB = await insertTestOrganisation(db, 'association', { name: 'Restos B' });
    const ownerB = await insertTestUser(db, { email: 'owner@b.test' });
    await insertTestMembership(db, orgB, ownerB.userId, 'owner');
    await insertTestMembership(db, orgB, plainUser.userId, 'member');
    orgNoEmail = await insertTestOrganisation(db, 'association', { name: 'Sans courriel' });
    placeA1 = await insertTestPlace(db, orgA, 'Lieu A1');
    placeA2 = await insertTestPlace(db, orgA, 'Lieu A2');
    placeB = await insertTestPlace(db, orgB, 'Lieu B');
    await insertTestPlace(db, orgNoEmail, 'Lieu C');
  });
  afterAll(async () => t?.destroy());

  it('refuses people who are neither admin nor CCAS owner/manager, and bad input', async () => {
    await expect(t.services.freshness.startCampaign(plainUser, { campaign: '2026-automne' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.services.freshness.startCampaign(admin, { campaign: 'Bad Name' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [expect.objectContaining({ path: 'campaign' })] }
    });
    await expect(t.services.freshness.startCampaign(admin, { campaign: 'x-1', validDays: 91 })).rejects.toMatchObject({
      details: { fields: [expect.objectContaining({ path: 'validDays' })] }
    });
  });

  it('starts a campaign: one link per organisation with places, emails captured, audited', async () => {
    const res = await t.services.freshness.startCampaign(ccasManager, { campaign: '2026-automne' });
    expect(res.counts).toEqual({ organisations: 3, sent: 2, alreadySent: 0, noEmail: 1, failed: 0 });
    const byOrg = Object.fromEntries(res.organisations.map((o) => [o.organisationId, o.status]));
    expect(byOrg).toEqual({ [orgA]: 'sent', [orgB]: 'sent', [orgNoEmail]: 'no_email' });
    const mails = await captured();
    const toA = mails.find((m) => m.recipient === 'contact@a.test');
    const toB = mails.find((m) => m.recipient === 'owner@b.test');
    expect(toA?.body).toMatch(/http:\/\/glane\.test\/mise-a-jour\/[A-Za-z0-9_-]{43}/);
    expect(toB).toBeDefined();
    tokens.set(orgA, /mise-a-jour\/([A-Za-z0-9_-]{43})/.exec(toA!.body)![1]!);
    tokens.set(orgB, /mise-a-jour\/([A-Za-z0-9_-]{43})/.exec(toB!.body)![1]!);
    const rows = await t.services.db.selectFrom('freshness_link').selectAll().execute();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.token_hash)).not.toContain(tokens.get(orgA));
    const audit = await t.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'freshness_campaign.start').execute();
    expect(audit).toHaveLength(1);
  });

  it('is idempotent: a second start creates no link and sends nothing; resend rotates the token', async () => {
    const before = (await captured()).length;
    const again = await t.services.freshness.startCampaign(admin, { campaign: '2026-automne' });
    expect(again.counts).toMatchObject({ sent: 0, alreadySent: 2, noEmail: 1 });
    expect((await captured()).length).toBe(before);
    expect(await t.services.db.selectFrom('freshness_link').selectAll().execute()).toHaveLength(2);

    const resent = await t.services.freshness.startCampaign(admin, { campaign: '2026-automne', organisationIds: [orgB], resend: true });
    expect(resent.counts).toMatchObject({ organisations: 1, sent: 1 });
    expect(await t.services.db.selectFrom('freshness_link').selectAll().execute()).toHaveLength(2);
    const old = tokens.get(orgB)!;
    await expect(t.services.freshness.previewLink(old, 'ip')).rejects.toMatchObject({ code: 'not_found' });
    const newest = (await captured()).find((m) => m.recipient === 'owner@b.test' && !m.body.includes(old))!;
    tokens.set(orgB, /mise-a-jour\/([A-Za-z0-9_-]{43})/.exec(newest.body)![1]!);
    await expect(t.services.freshness.startCampaign(admin, { campaign: 'x-1', organisationIds: ['nope'] })).rejects.toMatchObject({
      details: { fields: [expect.objectContaining({ path: 'organisationIds.0' })] }
    });
  });

  it('previews and verifies by link: verifiedAt, revision with actor label, first use', async () => {
    const token = tokens.get(orgA)!;
    const preview = await t.services.freshness.previewLink(token, 'ip');
    expect(preview.organisationName).toBe('Épicerie A');
    expect(preview.places.map((p) => p.name).sort()).toEqual(['Lieu A1', 'Lieu A2']);
    expect(preview.places.every((p) => p.isStale)).toBe(true);

    const verified = await t.services.freshness.verifyPlaceByLink(token, placeA1);
    expect(verified.verifiedAt).toBe(t.clock.now().toISOString());
    expect(verified.isStale).toBe(false);
    const rev = await t.services.db.selectFrom('directory_revision').selectAll().where('place_id', '=', placeA1).execute();
    expect(rev).toHaveLength(1);
    expect(rev[0]).toMatchObject({ action: 'verify', actor_user_id: null, actor_label: 'lien de mise à jour (campagne 2026-automne)' });
    const link = await t.services.db.selectFrom('freshness_link').selectAll().where('organisation_id', '=', orgA).executeTakeFirstOrThrow();
    expect(link.used_at).toBe(t.clock.now().toISOString());

    t.clock.advance(60_000);
    await t.services.freshness.verifyPlaceByLink(token, placeA2);
    const again = await t.services.db.selectFrom('freshness_link').selectAll().where('organisation_id', '=', orgA).executeTakeFirstOrThrow();
    expect(again.used_at).toBe(link.used_at); // first use kept

    const status = await t.services.freshness.campaignStatus(admin, '2026-automne');
    expect(status).toMatchObject({ links: 2, used: 1, placesVerified: 2 });
  });

  it("refuses another organisation's place through a link (404)", async () => {
    await expect(t.services.freshness.verifyPlaceByLink(tokens.get(orgA)!, placeB)).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.services.freshness.updateHoursByLink(tokens.get(orgA)!, placeB, { saturation: 'high' })).rejects.toMatchObject({
      code: 'not_found'
    });
  });

  it('edits hours and saturation through a link, validated', async () => {
    const token = tokens.get(orgB)!;
    await expect(t.services.freshness.updateHoursByLink(token, placeB, { openingHours: 'lundi matin' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [expect.objectContaining({ path: 'openingHours' })] }
    });
    await expect(t.services.freshness.updateHoursByLink(token, placeB, { name: 'x' })).rejects.toMatchObject({ code: 'validation_failed' });
    const res = await t.services.freshness.updateHoursByLink(token, placeB, { openingHours: 'Mo-Fr 14:00-18:00', saturation: 'high' });
    expect(res.place).toMatchObject({ openingHours: 'Mo-Fr 14:00-18:00', saturation: 'high', isStale: false });
    const rev = await t.services.db.selectFrom('directory_revision').selectAll().where('place_id', '=', placeB).execute();
    expect(rev).toHaveLength(1);
    expect(rev[0]).toMatchObject({ action: 'update', section: 'hours', actor_label: 'lien de mise à jour (campagne 2026-automne)' });
    expect(JSON.parse(rev[0]!.after!)).toEqual({ openingHours: 'Mo-Fr 14:00-18:00', saturation: 'high' });
  });

  it('answers 404 for unknown tokens and 410 once expired', async () => {
    await expect(t.services.freshness.previewLink('A'.repeat(43), 'ip')).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.services.freshness.previewLink('nope', 'ip')).rejects.toMatchObject({ code: 'not_found' });
    t.clock.advance(31 * DAY);
    await expect(t.services.freshness.previewLink(tokens.get(orgA)!, 'ip')).rejects.toMatchObject({ code: 'gone' });
    await expect(t.services.freshness.verifyPlaceByLink(tokens.get(orgA)!, placeA1)).rejects.toMatchObject({ code: 'gone' });
    // an expired link is renewed by a new start of the same campaign
    const renewed = await t.services.freshness.startCampaign(admin, { campaign: '2026-automne', organisationIds: [orgA] });
    expect(renewed.counts.sent).toBe(1);
  });

  it('lists campaigns with their counts to those who may run them', async () => {
    expect(await t.services.freshness.mayRunCampaigns(plainUser)).toBe(false);
    expect(await t.services.freshness.mayRunCampaigns(ccasManager)).toBe(true);
    expect(await t.services.freshness.mayRunCampaigns(admin)).toBe(true);
    await expect(t.services.freshness.listCampaigns(plainUser)).rejects.toMatchObject({ code: 'forbidden' });
    const [autumn] = await t.services.freshness.listCampaigns(ccasManager);
    // A confirmed both of its places, B corrected its hours; both links were used.
    expect(autumn).toMatchObject({
      campaign: '2026-automne',
      sent: 2,
      used: 2,
      pending: 0,
      expired: 0,
      placesConfirmed: 2,
      placesEdited: 1
    });
  });

  it('reaches only organisations with stale places when asked, and counts pending and expired links', async () => {
    const orgD = await insertTestOrganisation(t.services.db, 'association', { name: 'Frigo D', email: 'frigo@d.test' });
    await insertTestPlace(t.services.db, orgD, 'Lieu D'); // verified long ago
    const res = await t.services.freshness.startCampaign(admin, { campaign: '2027-hiver', onlyStale: true, validDays: 10 });
    // A and B were verified through their links; C (no email) and D still are stale.
    expect(res.organisations.map((o) => [o.name, o.status])).toEqual([
      ['Frigo D', 'sent'],
      ['Sans courriel', 'no_email']
    ]);
    const [winter, autumn] = await t.services.freshness.listCampaigns(admin);
    expect(winter).toMatchObject({ campaign: '2027-hiver', sent: 1, used: 0, pending: 1, expired: 0, placesConfirmed: 0 });
    expect(autumn?.campaign).toBe('2026-automne');
    t.clock.advance(11 * DAY);
    const [later] = await t.services.freshness.listCampaigns(admin);
    expect(later).toMatchObject({ campaign: '2027-hiver', pending: 0, expired: 1 });
  });

  it('rate-limits token guesses per client', async () => {
    t.services.limiter.clear();
    let limited = false;
    for (let i = 0; i < 70 && !limited; i += 1) {
      try {
        await t.services.freshness.previewLink('B'.repeat(43), 'guesser');
      } catch (e) {
        limited = (e as { code: string }).code === 'rate_limited';
      }
    }
    expect(limited).toBe(true);
    t.services.limiter.clear();
  });
});
