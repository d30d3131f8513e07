import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * SQL of the update campaign: `freshness_link` rows and the few reads the campaign needs
 * (organisations with places, their contact emails, counts). Rows leave as camelCase objects.
 */

export interface FreshnessLink {
  id: string;
  organisationId: string;
  campaign: string;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
}

type LinkRow = DB['freshness_link'];

function toLink(r: LinkRow): FreshnessLink {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    campaign: r.campaign,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    createdAt: r.created_at
  };
}

export async function insertLink(
  db: Kysely<DB>,
  l: { id: string; organisationId: string; campaign: string; tokenHash: string; expiresAt: string; createdAt: string }
): Promise<void> {
  await db
    .insertInto('freshness_link')
    .values({
      id: l.id,
      organisation_id: l.organisationId,
      campaign: l.campaign,
      token_hash: l.tokenHash,
      expires_at: l.expiresAt,
      used_at: null,
      created_at: l.createdAt
    })
    .execute();
}

/** Replaces the token and expiry of an existing link (a resend: the old link stops working). */
export async function rotateLink(db: Kysely<DB>, id: string, tokenHash: string, expiresAt: string): Promise<void> {
  await db.updateTable('freshness_link').set({ token_hash: tokenHash, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function findLinkByHash(db: Kysely<DB>, tokenHash: string): Promise<FreshnessLink | undefined> {
  const r = await db.selectFrom('freshness_link').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? toLink(r) : undefined;
}

/** The link of one organisation in one campaign (at most one by construction of the service). */
export async function findLinkOf(db: Kysely<DB>, organisationId: string, campaign: string): Promise<FreshnessLink | undefined> {
  const r = await db
    .selectFrom('freshness_link')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('campaign', '=', campaign)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return r ? toLink(r) : undefined;
}

/** Records the first use of a link (later uses keep the first time). */
export async function markLinkUsed(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable('freshness_link').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).execute();
}

export interface CampaignOrganisation {
  id: string;
  name: string;
  email: string | null;
}

/** Organisations that have at least one place (or exactly the given ones, when they exist). */
export async function campaignOrganisations(db: Kysely<DB>, ids?: string[]): Promise<CampaignOrganisation[]> {
  let q = db.selectFrom('organisation').select(['id', 'name', 'email']);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  } else {
    q = q.where('id', 'in', db.selectFrom('place').select('organisation_id'));
  }
  return q.orderBy('name').execute();
}

/** Emails of the owners of an organisation (the fallback when the organisation has none). */
export async function ownerEmails(db: Kysely<DB>, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select('user.email')
    .where('membership.organisation_id', '=', organisationId)
    .where('membership.role', '=', 'owner')
    .where('user.email', 'is not', null)
    .orderBy('user.email')
    .execute();
  return rows.map((r) => r.email!).filter((e) => e.length > 0);
}

/** The roles a user holds in CCAS organisations (for the campaign policy). */
export async function ccasRolesOf(db: Kysely<DB>, userId: string): Promise<('owner' | 'manager' | 'member')[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select('membership.role')
    .where('membership.user_id', '=', userId)
    .where('organisation.kind', '=', 'ccas')
    .execute();
  return rows.map((r) => r.role);
}

export async function organisationName(db: Kysely<DB>, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('organisation').select('name').where('id', '=', id).executeTakeFirst();
  return r?.name;
}

export interface CampaignCounts {
  links: number;
  used: number;
  startedAt: string | null;
  placesVerified: number;
}

/** Links of a campaign, used ones, and places of those organisations verified since the first link. */
export async function campaignCounts(db: Kysely<DB>, campaign: string): Promise<CampaignCounts> {
  const agg = await db
    .selectFrom('freshness_link')
    .select((eb) => [
      eb.fn.countAll().as('links'),
      eb.fn.count('used_at').as('used'),
      eb.fn.min('created_at').as('started_at')
    ])
    .where('campaign', '=', campaign)
    .executeTakeFirstOrThrow();
  const startedAt = (agg.started_at as string | null) ?? null;
  let placesVerified = 0;
  if (startedAt) {
    const r = await db
      .selectFrom('place')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('organisation_id', 'in', db.selectFrom('freshness_link').select('organisation_id').where('campaign', '=', campaign))
      .where('verified_at', '>=', startedAt)
      .executeTakeFirstOrThrow();
    placesVerified = Number(r.n);
  }
  return { links: Number(agg.links), used: Number(agg.used), startedAt, placesVerified };
}

/** Ids of the organisations with at least one place never verified or verified before `staleBefore`. */
export async function organisationsWithStalePlaces(db: Kysely<DB>, staleBefore: string): Promise<string[]> {
  const rows = await db
    .selectFrom('place')
    .select('organisation_id')
    .where((eb) => eb.or([eb('verified_at', 'is', null), eb('verified_at', '<', staleBefore)]))
    .groupBy('organisation_id')
    .execute();
  return rows.map((r) => r.organisation_id);
}

/** One campaign's links, as counted by `campaignLinkCounts`. */
export interface CampaignLinkCounts {
  campaign: string;
  /** Links made: one per organisation reached. */
  links: number;
  /** Links used at least once. */
  used: number;
  /** Links not used yet and still live at the given instant. */
  pending: number;
  /** First link's creation. */
  startedAt: string;
  /** Latest expiry among the links. */
  expiresAt: string;
}

/** Every campaign's link counts at `now` (ISO), newest campaign first. */
export async function campaignLinkCounts(db: Kysely<DB>, now: string): Promise<CampaignLinkCounts[]> {
  const rows = await db
    .selectFrom('freshness_link')
    .select((eb) => [
      'campaign',
      eb.fn.countAll().as('links'),
      eb.fn.count('used_at').as('used'),
      eb.fn
        .sum<number | string>(
          eb
            .case()
            .when(eb.and([eb('used_at', 'is', null), eb('expires_at', '>', now)]))
            .then(1)
            .else(0)
            .end()
        )
        .as('pending'),
      eb.fn.min('created_at').as('started_at'),
      eb.fn.max('expires_at').as('expires_at')
    ])
    .groupBy('campaign')
    .execute();
  return rows
    .map((r) => ({
      campaign: r.campaign,
      links: Number(r.links),
      used: Number(r.used),
      pending: Number(r.pending ?? 0),
      startedAt: String(r.started_at),
      expiresAt: String(r.expires_at)
    }))
    .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.campaign.localeCompare(b.campaign)));
}

/**
 * Distinct places per revision label and action, for the labels given (the campaigns' link
 * labels): `verify` = confirmed through the link, `update` = corrected through it.
 */
export async function placesByLinkLabel(
  db: Kysely<DB>,
  labels: string[]
): Promise<{ label: string; action: 'verify' | 'update'; places: number }[]> {
  if (labels.length === 0) return [];
  const rows = await db
    .selectFrom('directory_revision')
    .select((eb) => ['actor_label', 'action', eb.fn.count('place_id').distinct().as('places')])
    .where('actor_label', 'in', labels)
    .where('action', 'in', ['verify', 'update'])
    .groupBy(['actor_label', 'action'])
    .execute();
  return rows.map((r) => ({ label: r.actor_label ?? '', action: r.action as 'verify' | 'update', places: Number(r.places) }));
}
