import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { SATURATION_LEVELS } from '../../../schemas/directory-vocabulary.js';
import type { Config } from '../../config.js';
import type { DatabaseKind } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import type { Notify } from '../../notify/notify.js';
import type { RateLimiter } from '../../rate-limiter.js';
import { recordAudit } from '../audit/audit.repository.js';
import * as repo from './directory.repository.js';
import { isStale, staleSince } from './directory.rules.js';
import { parseInput } from '../../http/errors.js';
import * as links from './freshness.repository.js';
import {
  CAMPAIGN_PATTERN,
  DEFAULT_VALID_DAYS,
  MAX_VALID_DAYS,
  TOKEN_ATTEMPTS_PER_WINDOW,
  TOKEN_WINDOW_MS,
  campaignEmail,
  canStartCampaign,
  expiryFor,
  hashToken,
  isLinkLive,
  isWellFormedToken,
  linkActorLabel,
  newToken
} from './freshness.rules.js';
import { validateOpeningHours } from './hours.rules.js';

/**
 * The update campaign (issue 3, item 5): a platform admin or a CCAS sends every organisation with
 * places a personal link; through it, without an account, the organisation confirms each place
 * ("Rien n'a changé") or corrects its hours and saturation. Each action is a directory revision
 * labelled with the campaign.
 *
 * Idempotence: one link per (organisation, campaign). Starting the same campaign again creates no
 * second link: organisations whose link is still live are reported `already_sent` and not emailed
 * again, unless `resend: true`, which gives them a NEW token (the old link stops working, since only
 * its hash is kept) and emails it. An expired link is renewed and sent again.
 */

export const startCampaignSchema = z.strictObject({
  campaign: z.string().regex(CAMPAIGN_PATTERN, 'Lower-case letters, digits and dashes, e.g. 2026-automne'),
  validDays: z.number().int().min(1).max(MAX_VALID_DAYS).optional(),
  organisationIds: z.array(z.string().min(1)).min(1).max(1000).optional(),
  /** Only organisations with at least one stale place ("information à vérifier"). */
  onlyStale: z.boolean().optional(),
  resend: z.boolean().optional()
});

export const linkHoursSchema = z.strictObject({
  openingHours: z.string().max(1000).nullable().optional(),
  saturation: z.enum(SATURATION_LEVELS).nullable().optional()
});

export type CampaignSendStatus = 'sent' | 'already_sent' | 'no_email' | 'failed';

export interface CampaignStartResult {
  campaign: string;
  expiresAt: string;
  counts: { organisations: number; sent: number; alreadySent: number; noEmail: number; failed: number };
  organisations: { organisationId: string; name: string; status: CampaignSendStatus; recipients: number }[];
}

/** A campaign as the admin page lists it. */
export interface CampaignSummary {
  campaign: string;
  startedAt: string;
  /** Latest expiry among its links. */
  expiresAt: string;
  /** Links sent: one per organisation reached. */
  sent: number;
  /** Organisations that used their link. */
  used: number;
  /** Links not used yet and still live. */
  pending: number;
  /** Links never used and now expired. */
  expired: number;
  /** Places confirmed "rien n'a changé" through the campaign's links. */
  placesConfirmed: number;
  /** Places whose hours or saturation were corrected through the links. */
  placesEdited: number;
}

export interface LinkPlace {
  id: string;
  slug: string;
  name: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: string | null;
  saturation: 'low' | 'medium' | 'high' | null;
  verifiedAt: string | null;
  isStale: boolean;
}

export interface LinkPreview {
  campaign: string;
  organisationId: string;
  organisationName: string;
  expiresAt: string;
  places: LinkPlace[];
}

export interface FreshnessDeps {
  db: Kysely<DB>;
  kind: DatabaseKind;
  config: Pick<Config, 'PUBLIC_URL' | 'DIRECTORY_STALE_MONTHS'>;
  now: () => Date;
  notify: Notify;
  limiter: RateLimiter;
}

const linkNotFound = () => new AppError('not_found', 'Unknown update link');
const linkGone = () => new AppError('gone', 'This update link has expired');
const placeNotInLink = () => new AppError('not_found', 'Place not found for this link');

/** Builds the campaign service over its dependencies (see the module comment). */
export function createFreshnessService(deps: FreshnessDeps) {
  const { db, kind, config, now, notify, limiter } = deps;

  function linkUrl(token: string): string {
    return `${config.PUBLIC_URL.replace(/\/$/, '')}/mise-a-jour/${token}`;
  }

  /**
   * Starts (or continues) a campaign: one link per organisation with places (or per given
   * organisation), emailed to the organisation's address, else its owners. Returns counts and a
   * result per organisation. Audited. Policy: platform admin or CCAS owner/manager.
   */
  async function startCampaign(actor: Actor, input: unknown): Promise<CampaignStartResult> {
    const data = parseInput(startCampaignSchema, input);
    const standing = { isPlatformAdmin: actor.isPlatformAdmin, ccasRoles: await links.ccasRolesOf(db, actor.userId) };
    if (!canStartCampaign(standing)) throw new AppError('forbidden', 'Only platform admins and CCAS owners or managers may start a campaign');
    let orgs = await links.campaignOrganisations(db, data.organisationIds);
    if (data.organisationIds) {
      const known = new Set(orgs.map((o) => o.id));
      const index = data.organisationIds.findIndex((id) => !known.has(id));
      if (index >= 0) throw fieldError(`organisationIds.${index}`, 'Unknown organisation');
    }
    const at = now();
    if (data.onlyStale) {
      const stale = new Set(await links.organisationsWithStalePlaces(db, staleSince(at, config.DIRECTORY_STALE_MONTHS)));
      orgs = orgs.filter((o) => stale.has(o.id));
    }
    const createdAt = at.toISOString();
    const expiresAt = expiryFor(at, data.validDays ?? DEFAULT_VALID_DAYS);
    const result: CampaignStartResult = {
      campaign: data.campaign,
      expiresAt,
      counts: { organisations: orgs.length, sent: 0, alreadySent: 0, noEmail: 0, failed: 0 },
      organisations: []
    };
    for (const org of orgs) {
      const recipients = org.email ? [org.email] : await links.ownerEmails(db, org.id);
      const existing = await links.findLinkOf(db, org.id, data.campaign);
      if (existing && isLinkLive(existing.expiresAt, at) && !data.resend) {
        result.counts.alreadySent += 1;
        result.organisations.push({ organisationId: org.id, name: org.name, status: 'already_sent', recipients: recipients.length });
        continue;
      }
      if (recipients.length === 0) {
        result.counts.noEmail += 1;
        result.organisations.push({ organisationId: org.id, name: org.name, status: 'no_email', recipients: 0 });
        continue;
      }
      const token = newToken();
      if (existing) await links.rotateLink(db, existing.id, hashToken(token), expiresAt);
      else {
        await links.insertLink(db, {
          id: randomUUID(),
          organisationId: org.id,
          campaign: data.campaign,
          tokenHash: hashToken(token),
          expiresAt,
          createdAt
        });
      }
      const message = campaignEmail(org.name, linkUrl(token), expiresAt);
      let status: CampaignSendStatus = 'sent';
      try {
        for (const to of recipients) await notify.send({ channel: 'email', to, ...message });
      } catch {
        status = 'failed';
      }
      if (status === 'sent') result.counts.sent += 1;
      else result.counts.failed += 1;
      result.organisations.push({ organisationId: org.id, name: org.name, status, recipients: recipients.length });
    }
    await recordAudit(db, {
      at,
      actorUserId: actor.userId,
      action: 'freshness_campaign.start',
      subjectType: 'freshness_campaign',
      subjectId: data.campaign,
      requestId: actor.requestId,
      details: {
        organisations: result.counts.organisations,
        sent: result.counts.sent,
        alreadySent: result.counts.alreadySent,
        noEmail: result.counts.noEmail,
        failed: result.counts.failed,
        onlyStale: data.onlyStale ?? false,
        resend: data.resend ?? false
      }
    });
    return result;
  }

  /** Whether `actor` may start and follow campaigns (platform admin, CCAS owner or manager). */
  async function mayRunCampaigns(actor: Actor): Promise<boolean> {
    return canStartCampaign({ isPlatformAdmin: actor.isPlatformAdmin, ccasRoles: await links.ccasRolesOf(db, actor.userId) });
  }

  async function requireCampaignRunner(actor: Actor): Promise<void> {
    if (!(await mayRunCampaigns(actor))) {
      throw new AppError('forbidden', 'Only platform admins and CCAS owners or managers may see campaigns');
    }
  }

  /**
   * Every campaign, newest first, with its counts: links sent, used, pending (unused and live),
   * expired unused, and the places confirmed or corrected through its links. Same policy as start.
   */
  async function listCampaigns(actor: Actor): Promise<CampaignSummary[]> {
    await requireCampaignRunner(actor);
    const at = now();
    const rows = await links.campaignLinkCounts(db, at.toISOString());
    const byLabel = await links.placesByLinkLabel(
      db,
      rows.map((r) => linkActorLabel(r.campaign))
    );
    const places = (campaign: string, action: 'verify' | 'update') =>
      byLabel.find((b) => b.label === linkActorLabel(campaign) && b.action === action)?.places ?? 0;
    return rows.map((r) => ({
      campaign: r.campaign,
      startedAt: r.startedAt,
      expiresAt: r.expiresAt,
      sent: r.links,
      used: r.used,
      pending: r.pending,
      expired: r.links - r.used - r.pending,
      placesConfirmed: places(r.campaign, 'verify'),
      placesEdited: places(r.campaign, 'update')
    }));
  }

  /** Counts of a campaign (links, used links, places verified since its start). Same policy as start. */
  async function campaignStatus(actor: Actor, campaign: string) {
    await requireCampaignRunner(actor);
    const counts = await links.campaignCounts(db, campaign);
    if (counts.links === 0) throw new AppError('not_found', 'Unknown campaign');
    return { campaign, ...counts };
  }

  /**
   * Resolves a token to its link: rate-limited per client (`clientKey`, the IP), 404 for an unknown
   * or malformed token, 410 once expired. Successful lookups give their hit back to the limiter, so
   * only guesses use the budget up.
   */
  async function resolve(token: string, clientKey: string) {
    const key = `freshness:${clientKey}`;
    limiter.consume(key, TOKEN_ATTEMPTS_PER_WINDOW, TOKEN_WINDOW_MS);
    const link = isWellFormedToken(token) ? await links.findLinkByHash(db, hashToken(token)) : undefined;
    if (!link) throw linkNotFound();
    if (!isLinkLive(link.expiresAt, now())) throw linkGone();
    limiter.release(key);
    return link;
  }

  function toLinkPlace(p: repo.PlaceRecord, at: Date): LinkPlace {
    return {
      id: p.id,
      slug: p.slug,
      name: p.name,
      addressLine: p.addressLine,
      postalCode: p.postalCode,
      city: p.city,
      phone: p.phone,
      email: p.email,
      website: p.website,
      openingHours: p.openingHours,
      saturation: p.saturation,
      verifiedAt: p.verifiedAt,
      isStale: isStale(p.verifiedAt, at, config.DIRECTORY_STALE_MONTHS)
    };
  }

  /** What the link's page shows: the organisation and its places with their key data. No session. */
  async function previewLink(token: string, clientKey: string): Promise<LinkPreview> {
    const link = await resolve(token, clientKey);
    const at = now();
    const places = await repo.listPlacesOfOrganisation(db, link.organisationId);
    return {
      campaign: link.campaign,
      organisationId: link.organisationId,
      organisationName: (await links.organisationName(db, link.organisationId)) ?? '',
      expiresAt: link.expiresAt,
      places: places.map((p) => toLinkPlace(p, at))
    };
  }

  async function placeOfLink(link: links.FreshnessLink, placeId: string): Promise<repo.PlaceRecord> {
    const place = await repo.findPlace(db, placeId);
    if (!place || place.organisationId !== link.organisationId) throw placeNotInLink();
    return place;
  }

  /**
   * "Rien n'a changé" through a link: checks token, expiry and that the place belongs to the link's
   * organisation (else 404, revealing nothing), sets verifiedAt, writes a 'verify' revision labelled
   * with the campaign, records the link's first use, in one transaction.
   */
  async function verifyPlaceByLink(token: string, placeId: string, clientKey = 'local'): Promise<LinkPlace> {
    const link = await resolve(token, clientKey);
    await placeOfLink(link, placeId);
    const at = now().toISOString();
    await db.transaction().execute(async (trx) => {
      await repo.updatePlaceRow(trx, placeId, { verifiedAt: at });
      await repo.insertRevision(trx, { placeId, actorLabel: linkActorLabel(link.campaign), at, action: 'verify' });
      await links.markLinkUsed(trx, link.id, at);
    });
    return toLinkPlace((await repo.findPlace(db, placeId))!, now());
  }

  /**
   * Hours and saturation through a link (nothing else): hours validated (400 naming `openingHours`),
   * an 'update' revision of section 'hours' labelled with the campaign, verifiedAt set, re-indexed.
   */
  async function updateHoursByLink(token: string, placeId: string, input: unknown, clientKey = 'local') {
    const link = await resolve(token, clientKey);
    const place = await placeOfLink(link, placeId);
    const data = parseInput(linkHoursSchema, input);
    const warnings: { field: string; code: string; message: string }[] = [];
    const patch: { openingHours?: string | null; saturation?: 'low' | 'medium' | 'high' | null } = {};
    if (data.openingHours !== undefined) {
      if (data.openingHours === null || data.openingHours.trim() === '') patch.openingHours = null;
      else {
        const checked = validateOpeningHours(data.openingHours);
        if (!checked.ok) throw fieldError('openingHours', checked.error, 'invalid_opening_hours');
        patch.openingHours = checked.normalised;
        for (const message of checked.warnings) warnings.push({ field: 'openingHours', code: 'opening_hours_warning', message });
      }
    }
    if (data.saturation !== undefined) patch.saturation = data.saturation;
    const before = { openingHours: place.openingHours, saturation: place.saturation };
    const after = { ...before, ...patch };
    const changed = before.openingHours !== after.openingHours || before.saturation !== after.saturation;
    const at = now().toISOString();
    const actorLabel = linkActorLabel(link.campaign);
    await db.transaction().execute(async (trx) => {
      if (changed) {
        await repo.updatePlaceRow(trx, placeId, { ...patch, updatedAt: at, verifiedAt: at });
        await repo.insertRevision(trx, { placeId, actorLabel, at, action: 'update', section: 'hours', before, after });
        await repo.indexPlace(trx, kind, placeId);
      } else {
        await repo.updatePlaceRow(trx, placeId, { verifiedAt: at });
        await repo.insertRevision(trx, { placeId, actorLabel, at, action: 'verify', section: 'hours' });
      }
      await links.markLinkUsed(trx, link.id, at);
    });
    return { place: toLinkPlace((await repo.findPlace(db, placeId))!, now()), warnings };
  }

  return {
    startCampaign,
    mayRunCampaigns,
    listCampaigns,
    campaignStatus,
    previewLink,
    verifyPlaceByLink,
    updateHoursByLink,
    linkUrl
  };
}

export type FreshnessService = ReturnType<typeof createFreshnessService>;
