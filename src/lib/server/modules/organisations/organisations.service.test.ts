import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../../../tests/helpers/db.js';
import { testClock } from '../../../../../tests/helpers/services.js';
import { listAudit } from '../audit/audit.repository.js';
import { createOrganisationsService, hashInvitationToken, type OrganisationsService } from './organisations.service.js';
import { associationInput, insertTestUser } from './organisations.testing.js';

const DAY = 24 * 60 * 60 * 1000;
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

describe.each(DIALECTS)('organisations service on %s', (kind) => {
  let database: TestDatabase;
  let service: OrganisationsService;
  let clock: ReturnType<typeof testClock>;
  const sent: Array<{ to: string; subject: string; text: string }> = [];
  let owner: TestActor;
  let admin: TestActor;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    clock = testClock();
    service = createOrganisationsService({
      db: database.db,
      kind,
      config: { PUBLIC_URL: 'https://glane.example' },
      now: clock.now,
      notify: { send: async (m) => void sent.push(m) }
    });
    owner = await insertTestUser(database.db);
    admin = await insertTestUser(database.db, { isPlatformAdmin: true });
  });
  afterAll(async () => database?.destroy());

  /** Row counts of every table a create writes to. */
  async function counts() {
    const out: Record<string, number> = {};
    for (const table of ['organisation', 'membership', 'geo_point', 'search_document'] as const) {
      const r = await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      out[table] = Number(r.n);
    }
    return out;
  }

  /** A fresh organisation owned by `owner`, with a manager and a member. */
  async function orgWithTeam(name = 'Banque alimentaire') {
    const org = await service.createOrganisation(owner, associationInput({ name }));
    const manager = await insertTestUser(database.db);
    const member = await insertTestUser(database.db);
    for (const [user, role] of [
      [manager, 'manager'],
      [member, 'member']
    ] as const) {
      const { token } = await service.createInvitation(owner, org.id, { role });
      await service.acceptInvitation(user, token);
    }
    return { org, manager, member };
  }

  describe('create', () => {
    it('makes the creator owner, indexes the place and records the audit entry in one go', async () => {
      const org = await service.createOrganisation(owner, associationInput());
      expect(org).toMatchObject({
        slug: 'epicerie-solidaire-du-pont',
        name: 'Épicerie solidaire du Pont',
        kind: 'association',
        donorKind: null,
        network: 'restos-du-coeur',
        siret: '73282932000074',
        address: { postalCode: '59650', lat: 50.62, lng: 3.14, inseeCode: null },
        myRole: 'owner',
        isDemo: false
      });
      expect(org.permissions.canDelete).toBe(true);

      const point = await database.db.selectFrom('geo_point').selectAll().where('entity_id', '=', org.id).executeTakeFirst();
      expect(point).toMatchObject({ entity_type: 'organisation', lat: 50.62, lng: 3.14 });
      const doc = await database.db.selectFrom('search_document').select(['entity_type', 'body']).where('entity_id', '=', org.id).executeTakeFirst();
      expect(doc?.entity_type).toBe('organisation');
      expect(doc?.body).toMatch(/villeneuve/i);

      const audit = await listAudit(database.db, { subjectType: 'organisation', subjectId: org.id, limit: 10 });
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0]).toMatchObject({
        action: 'organisation.create',
        actorUserId: owner.userId,
        organisationId: org.id,
        requestId: owner.requestId,
        at: clock.now().toISOString()
      });
    });

    it('suffixes the slug when the name is taken', async () => {
      const a = await service.createOrganisation(owner, { name: 'Le Panier du Cœur', kind: 'ccas' });
      const b = await service.createOrganisation(owner, { name: 'Le panier du coeur', kind: 'ccas' });
      const c = await service.createOrganisation(owner, { name: 'LE PANIER DU COEUR!', kind: 'ccas' });
      expect([a.slug, b.slug, c.slug]).toEqual(['le-panier-du-coeur', 'le-panier-du-coeur-2', 'le-panier-du-coeur-3']);
    });

    it('gives concurrent creates with one name distinct slugs', async () => {
      const created = await Promise.all(
        [1, 2, 3, 4].map(() => service.createOrganisation(owner, { name: 'Jardin partagé des Près', kind: 'association' }))
      );
      expect(created.map((o) => o.slug).sort()).toEqual([
        'jardin-partage-des-pres',
        'jardin-partage-des-pres-2',
        'jardin-partage-des-pres-3',
        'jardin-partage-des-pres-4'
      ]);
    });

    it('stores no geo point without coordinates', async () => {
      const org = await service.createOrganisation(owner, { name: 'Sans carte', kind: 'donor', donorKind: 'restaurant' });
      expect(org.donorKind).toBe('restaurant');
      const points = await database.db.selectFrom('geo_point').select('id').where('entity_id', '=', org.id).execute();
      expect(points).toEqual([]);
    });

    it('names the field of a bad SIRET, a missing donor kind, an unknown field', async () => {
      const siret = await appError(() => service.createOrganisation(owner, associationInput({ siret: '73282932000075' })));
      expect(siret.code).toBe('validation_failed');
      expect(siret.details?.fields?.map((f) => f.path)).toEqual(['siret']);
      const donor = await appError(() => service.createOrganisation(owner, { name: 'Boulangerie', kind: 'donor' }));
      expect(donor.details?.fields?.map((f) => f.path)).toEqual(['donorKind']);
      const unknown = await appError(() => service.createOrganisation(owner, { name: 'Boulangerie', kind: 'ccas', slug: 'x' }));
      expect(unknown.details?.fields?.map((f) => f.path)).toEqual(['slug']);
    });

    it('reserves the platform kind to platform admins', async () => {
      const refused = await appError(() => service.createOrganisation(owner, { name: 'Opérateur', kind: 'platform' }));
      expect(refused.code).toBe('forbidden');
      const created = await service.createOrganisation(admin, { name: 'Opérateur', kind: 'platform' });
      expect(created.kind).toBe('platform');
      expect(created.myRole).toBe('owner');
    });

    it('leaves nothing behind when a later step of the transaction fails', async () => {
      const before = await counts();
      // The audit entry is the last write: without its table, the whole create must roll back.
      await sql`ALTER TABLE audit_log RENAME TO audit_log_off`.execute(database.db);
      try {
        await expect(service.createOrganisation(owner, associationInput({ name: 'Jamais créée' }))).rejects.toThrow();
      } finally {
        await sql`ALTER TABLE audit_log_off RENAME TO audit_log`.execute(database.db);
      }
      expect(await counts()).toEqual(before);
      const slugs = await database.db.selectFrom('organisation').select('slug').where('slug', 'like', 'jamais%').execute();
      expect(slugs).toEqual([]);
    });
  });

  describe('read', () => {
    it('shows public fields to anyone, with no permission', async () => {
      const org = await service.createOrganisation(owner, associationInput({ name: 'Visible' }));
      const seen = await service.getOrganisation(null, org.id);
      expect(seen.name).toBe('Visible');
      expect(seen.myRole).toBeNull();
      expect(Object.values(seen.permissions).some(Boolean)).toBe(false);
    });

    it('answers 404 for an unknown organisation', async () => {
      expect((await appError(() => service.getOrganisation(owner, 'nope'))).code).toBe('not_found');
    });

    it("lists the actor's organisations with their roles", async () => {
      const { org, member } = await orgWithTeam('Les Amis du Marché');
      const mine = await service.listMyOrganisations(member);
      expect(mine.map((o) => [o.id, o.myRole])).toEqual([[org.id, 'member']]);
      expect(mine[0]?.permissions.canInvite).toBe(false);
    });
  });

  describe('update and delete', () => {
    it('lets a manager update, refuses a member, and audits the changed field names', async () => {
      const { org, manager, member } = await orgWithTeam();
      expect((await appError(() => service.updateOrganisation(member, org.id, { name: 'Autre nom' }))).code).toBe('forbidden');
      const updated = await service.updateOrganisation(manager, org.id, { name: 'Banque alimentaire du Nord', phone: '03 20 00 00 00' });
      expect(updated.name).toBe('Banque alimentaire du Nord');
      expect(updated.slug).toBe(org.slug);
      expect(updated.phone).toBe('0320000000');
      const audit = await listAudit(database.db, { subjectId: org.id, action: 'organisation.update', limit: 5 });
      expect(audit.items[0]?.details).toEqual({ fields: ['name', 'phone'] });
      const doc = await database.db.selectFrom('search_document').select('body').where('entity_id', '=', org.id).executeTakeFirst();
      expect(doc?.body).toMatch(/nord/i);
    });

    it('checks the donor kind on the merged result and clears it when leaving the donor kind', async () => {
      const org = await service.createOrganisation(owner, associationInput({ name: 'Changeant' }));
      const err = await appError(() => service.updateOrganisation(owner, org.id, { kind: 'donor' }));
      expect(err.details?.fields?.[0]?.path).toBe('donorKind');
      const donor = await service.updateOrganisation(owner, org.id, { kind: 'donor', donorKind: 'producteur' });
      expect(donor.donorKind).toBe('producteur');
      const back = await service.updateOrganisation(owner, org.id, { kind: 'ccas' });
      expect(back.donorKind).toBeNull();
    });

    it('removes the geo point when the address is cleared', async () => {
      const org = await service.createOrganisation(owner, associationInput({ name: 'Déménage' }));
      const updated = await service.updateOrganisation(owner, org.id, { address: null, siret: null });
      expect(updated.address).toBeNull();
      expect(updated.siret).toBeNull();
      const points = await database.db.selectFrom('geo_point').select('id').where('entity_id', '=', org.id).execute();
      expect(points).toEqual([]);
    });

    it('lets only owners delete, with memberships, invitations and index entries', async () => {
      const { org, manager } = await orgWithTeam('À supprimer');
      await service.createInvitation(owner, org.id, { role: 'member' });
      expect((await appError(() => service.deleteOrganisation(manager, org.id))).code).toBe('forbidden');
      await service.deleteOrganisation(owner, org.id);
      expect((await appError(() => service.getOrganisation(owner, org.id))).code).toBe('not_found');
      for (const [table, column] of [
        ['membership', 'organisation_id'],
        ['invitation', 'organisation_id'],
        ['geo_point', 'entity_id'],
        ['search_document', 'entity_id']
      ] as const) {
        const rows = await database.db.selectFrom(table).select(sql<number>`1`.as('one')).where(column, '=', org.id).execute();
        expect(rows, table).toEqual([]);
      }
    });
  });

  describe('members', () => {
    it('lists members for members only; emails only for those who manage', async () => {
      const { org, member } = await orgWithTeam();
      const outsider = await insertTestUser(database.db);
      expect((await appError(() => service.listMembers(outsider, org.id))).code).toBe('forbidden');
      const asMember = await service.listMembers(member, org.id);
      expect(asMember.map((m) => m.role)).toEqual(['owner', 'manager', 'member']);
      expect(asMember.every((m) => m.email === null)).toBe(true);
      expect(asMember.find((m) => m.isMe)?.userId).toBe(member.userId);
      const asOwner = await service.listMembers(owner, org.id);
      expect(asOwner[0]?.email).toBe(owner.email);
      expect((await service.listMembers(admin, org.id)).length).toBe(3);
    });

    it('keeps the last owner: no demotion, no leaving (409), until another owner exists', async () => {
      const { org, member } = await orgWithTeam();
      const demote = await appError(() => service.changeMemberRole(owner, org.id, owner.userId, { role: 'manager' }));
      expect(demote.code).toBe('conflict');
      expect((await appError(() => service.removeMember(owner, org.id, owner.userId))).code).toBe('conflict');
      // Even a platform admin cannot leave an organisation ownerless.
      expect((await appError(() => service.removeMember(admin, org.id, owner.userId))).code).toBe('conflict');

      await service.changeMemberRole(owner, org.id, member.userId, { role: 'owner' });
      await service.removeMember(owner, org.id, owner.userId);
      const left = await listAudit(database.db, { organisationId: org.id, action: 'membership.leave', limit: 5 });
      expect(left.items[0]?.details).toEqual({ userId: owner.userId, role: 'owner' });
      expect((await service.listMembers(member, org.id)).map((m) => m.role)).toEqual(['owner', 'manager']);
    });

    it('lets a manager promote a member but not demote a manager nor touch an owner', async () => {
      const { org, manager, member } = await orgWithTeam();
      const promoted = await service.changeMemberRole(manager, org.id, member.userId, { role: 'manager' });
      expect(promoted.role).toBe('manager');
      const audit = await listAudit(database.db, { organisationId: org.id, action: 'membership.role_change', limit: 5 });
      expect(audit.items[0]).toMatchObject({ actorUserId: manager.userId, details: { userId: member.userId, from: 'member', to: 'manager' } });
      expect((await appError(() => service.changeMemberRole(manager, org.id, member.userId, { role: 'member' }))).code).toBe('forbidden');
      expect((await appError(() => service.changeMemberRole(manager, org.id, owner.userId, { role: 'member' }))).code).toBe('forbidden');
      expect((await appError(() => service.changeMemberRole(member, org.id, manager.userId, { role: 'member' }))).code).toBe('forbidden');
      const bad = await appError(() => service.changeMemberRole(owner, org.id, member.userId, { role: 'boss' }));
      expect(bad.details?.fields?.[0]?.path).toBe('role');
      expect((await appError(() => service.changeMemberRole(owner, org.id, 'nobody', { role: 'member' }))).code).toBe('not_found');
    });

    it('lets a manager remove a member but not a manager; anyone may leave', async () => {
      const { org, manager, member } = await orgWithTeam();
      const other = await insertTestUser(database.db);
      const { token } = await service.createInvitation(owner, org.id, { role: 'manager' });
      await service.acceptInvitation(other, token);
      expect((await appError(() => service.removeMember(manager, org.id, other.userId))).code).toBe('forbidden');
      expect((await appError(() => service.removeMember(member, org.id, manager.userId))).code).toBe('forbidden');
      await service.removeMember(manager, org.id, member.userId);
      await service.removeMember(other, org.id, other.userId);
      const removed = await listAudit(database.db, { organisationId: org.id, action: 'membership.remove', limit: 5 });
      expect(removed.items[0]?.actorUserId).toBe(manager.userId);
      expect((await service.listMembers(owner, org.id)).map((m) => m.userId)).toEqual([owner.userId, manager.userId]);
    });
  });

  describe('invitations', () => {
    it('returns the link once, stores only the token hash, and emails it when asked', async () => {
      const { org } = await orgWithTeam('Invitante');
      sent.length = 0;
      const created = await service.createInvitation(owner, org.id, { email: 'New.Person@Example.test', role: 'manager' });
      expect(created.link).toBe(`https://glane.example/invitations/${created.token}`);
      expect(created.token.length).toBeGreaterThanOrEqual(43);
      expect(created.emailSent).toBe(true);
      expect(created.invitation).toMatchObject({ email: 'new.person@example.test', role: 'manager', status: 'pending' });
      expect(created.invitation.expiresAt).toBe(new Date(clock.now().getTime() + 7 * DAY).toISOString());
      const row = await database.db.selectFrom('invitation').selectAll().where('id', '=', created.invitation.id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(hashInvitationToken(created.token));
      expect(JSON.stringify(row)).not.toContain(created.token);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.to).toBe('new.person@example.test');
      expect(sent[0]?.text).toContain(created.link);
      const audit = await listAudit(database.db, { subjectId: created.invitation.id, limit: 5 });
      expect(audit.items[0]).toMatchObject({ action: 'invitation.create', details: { role: 'manager', byEmail: true } });
      expect(JSON.stringify(audit.items)).not.toContain('new.person');
    });

    it('keeps the invitation when the email cannot be sent', async () => {
      const failing = createOrganisationsService({
        db: database.db,
        kind,
        config: { PUBLIC_URL: 'https://glane.example/' },
        now: clock.now,
        notify: {
          send: async () => {
            throw new AppError('unavailable', 'no SMTP');
          }
        }
      });
      const org = await failing.createOrganisation(owner, { name: 'Sans courriel', kind: 'ccas' });
      const created = await failing.createInvitation(owner, org.id, { email: 'a@example.test' });
      expect(created.emailSent).toBe(false);
      expect(created.link).toBe(`https://glane.example/invitations/${created.token}`);
      expect((await failing.listInvitations(owner, org.id)).map((i) => i.id)).toEqual([created.invitation.id]);
    });

    it('refuses members, and managers inviting owners', async () => {
      const { org, manager, member } = await orgWithTeam();
      expect((await appError(() => service.createInvitation(member, org.id, { role: 'member' }))).code).toBe('forbidden');
      const ownerInvite = await appError(() => service.createInvitation(manager, org.id, { role: 'owner' }));
      expect(ownerInvite.code).toBe('forbidden');
      expect(ownerInvite.details?.fields?.[0]?.path).toBe('role');
      expect((await service.createInvitation(manager, org.id, { role: 'manager' })).invitation.role).toBe('manager');
      expect((await appError(() => service.createInvitation(owner, 'nope', {}))).code).toBe('not_found');
    });

    it('refuses to invite by email someone already a member (409 naming email)', async () => {
      const { org, member } = await orgWithTeam();
      const err = await appError(() => service.createInvitation(owner, org.id, { email: member.email.toUpperCase() }));
      expect(err.code).toBe('conflict');
      expect(err.details?.fields?.[0]?.path).toBe('email');
    });

    it('accepts once: creates the membership, then answers 410 to anyone else', async () => {
      const { org } = await orgWithTeam();
      const { token, invitation } = await service.createInvitation(owner, org.id, { role: 'manager' });
      const preview = await service.previewInvitation(token);
      expect(preview).toEqual({
        organisation: { id: org.id, slug: org.slug, name: org.name, kind: 'association' },
        role: 'manager',
        status: 'pending',
        expiresAt: invitation.expiresAt
      });
      const joiner = await insertTestUser(database.db);
      const joined = await service.acceptInvitation(joiner, token);
      expect(joined.myRole).toBe('manager');
      expect(joined.permissions.canInvite).toBe(true);
      const audit = await listAudit(database.db, { subjectType: 'invitation', subjectId: invitation.id, action: 'invitation.accept', limit: 5 });
      expect(audit.items[0]).toMatchObject({ actorUserId: joiner.userId, organisationId: org.id, details: { role: 'manager' } });
      expect((await service.previewInvitation(token)).status).toBe('accepted');
      const late = await insertTestUser(database.db);
      const gone = await appError(() => service.acceptInvitation(late, token));
      expect(gone.code).toBe('gone');
      expect(gone.details?.status).toBe('accepted');
      expect((await service.listInvitations(owner, org.id)).map((i) => i.id)).not.toContain(invitation.id);
    });

    it('answers 409 to someone already a member, and leaves the invitation usable', async () => {
      const { org, member } = await orgWithTeam();
      const { token } = await service.createInvitation(owner, org.id, {});
      expect((await appError(() => service.acceptInvitation(member, token))).code).toBe('conflict');
      expect((await service.previewInvitation(token)).status).toBe('pending');
    });

    it('expires after 7 days', async () => {
      const { org } = await orgWithTeam();
      const { token, invitation } = await service.createInvitation(owner, org.id, {});
      const start = clock.now().toISOString();
      try {
        clock.advance(7 * DAY - 1000);
        expect((await service.previewInvitation(token)).status).toBe('pending');
        clock.advance(1000);
        expect((await service.previewInvitation(token)).status).toBe('expired');
        expect((await service.listInvitations(owner, org.id)).map((i) => i.id)).not.toContain(invitation.id);
        const joiner = await insertTestUser(database.db);
        const err = await appError(() => service.acceptInvitation(joiner, token));
        expect(err.code).toBe('gone');
        expect(err.details?.status).toBe('expired');
      } finally {
        clock.set(start);
      }
    });

    it('revokes: the link stops working; a manager cannot revoke an owner invitation', async () => {
      const { org, manager, member } = await orgWithTeam();
      const forOwner = await service.createInvitation(owner, org.id, { role: 'owner' });
      const plain = await service.createInvitation(owner, org.id, {});
      expect((await service.listInvitations(manager, org.id)).map((i) => i.id).sort()).toEqual(
        [forOwner.invitation.id, plain.invitation.id].sort()
      );
      expect((await appError(() => service.listInvitations(member, org.id))).code).toBe('forbidden');
      expect((await appError(() => service.revokeInvitation(manager, org.id, forOwner.invitation.id))).code).toBe('forbidden');
      await service.revokeInvitation(manager, org.id, plain.invitation.id);
      expect((await service.previewInvitation(plain.token)).status).toBe('revoked');
      expect((await appError(() => service.acceptInvitation(member, plain.token))).code).toBe('gone');
      expect((await appError(() => service.revokeInvitation(owner, org.id, plain.invitation.id))).code).toBe('gone');
      expect((await appError(() => service.revokeInvitation(owner, org.id, 'nope'))).code).toBe('not_found');
      const audit = await listAudit(database.db, { subjectId: plain.invitation.id, action: 'invitation.revoke', limit: 5 });
      expect(audit.items).toHaveLength(1);
    });

    it('answers 404 to an unknown token', async () => {
      expect((await appError(() => service.previewInvitation('not-a-token'))).code).toBe('not_found');
      expect((await appError(() => service.acceptInvitation(owner, 'not-a-token'))).code).toBe('not_found');
    });
  });
});
