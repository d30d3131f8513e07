import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { cardFormatSchema, createAccompaniedInput, identifyCardInput } from '../../../schemas/eligibility.js';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { zodFields } from '../../http/errors.js';
import type { Notify } from '../../notify/notify.js';
import type { RateLimiter } from '../../rate-limiter.js';
import { recordAudit, type AuditDetails } from '../audit/audit.repository.js';
import { isUniqueViolation } from '../organisations/organisations.repository.js';
import type { Agent } from './eligibility.policy.js';
import {
  canActFor,
  canCreateAccompanied,
  canIdentifyByCard,
  canSeeGrantSummary,
  personPermissions,
  type PersonPermissions
} from './people.policy.js';
import { renderCardPdf } from './people.pdf.js';
import * as repo from './people.repository.js';
import type { AccompanimentRecord, CardRecord, ErasedCounts, RequestBrief } from './people.repository.js';
import { listGrantsOfUser, type GrantRecord } from './requests.repository.js';
import { isGrantActive } from './requests.rules.js';

export type { ErasureReport } from './people.rules.js';
import {
  addDays,
  erasureReport,
  formatCardCode,
  generateCardCode,
  hashCardCode,
  lastActivity,
  monthsBefore,
  normaliseCardCode,
  parisDate,
  purgeAccountFate,
  reminderMessage,
  type CardFormat,
  type ErasureReport
} from './people.rules.js';
import { sealText, unsealText, type SealingKey } from './sealed.js';

/** Who acts (from the API or a page). */
export interface PeopleActor {
  userId: string;
  isPlatformAdmin: boolean;
  requestId?: string;
}

export interface PeopleDeps {
  db: Kysely<DB>;
  config: Pick<
    Config,
    'PUBLIC_URL' | 'PERSON_FILE_RETENTION_MONTHS' | 'DOCUMENT_RETENTION_DAYS' | 'ELIGIBILITY_REMINDER_DAYS'
  >;
  now: () => Date;
  sealingKey: SealingKey;
  limiter: RateLimiter;
  notify: Pick<Notify, 'send' | 'canSend'>;
  logger?: Pick<Logger, 'warn'>;
}

/** Identification attempts by card: per caller and per address, in 15 minutes (failures only count). */
export const IDENTIFY_LIMITS = { perUser: 30, perIp: 60, windowMs: 15 * 60 * 1000 } as const;

/** "Eligible for scheme X until date, by organisation Y": all that anyone but the deciding organisation sees. */
export interface GrantSummary {
  schemeCode: string;
  schemeName: string;
  schemeNameEn: string | null;
  validUntil: string;
  organisationName: string;
}

export interface CardView {
  id: string;
  organisationId: string;
  organisationName: string;
  issuedAt: string;
  revokedAt: string | null;
  isActive: boolean;
}

export interface AccompaniedListItem {
  userId: string;
  firstName: string;
  createdAt: string;
  lastActivityAt: string | null;
  /** False for an account without email or phone: reminders cannot reach it, the organisation tells the person. */
  hasContact: boolean;
  activeCard: { id: string; issuedAt: string } | null;
  grants: { schemeCode: string; schemeName: string; schemeNameEn: string | null; validUntil: string; endsSoon: boolean }[];
  /** An access ends within ELIGIBILITY_REMINDER_DAYS. */
  endsSoon: boolean;
}

export interface PersonView {
  userId: string;
  firstName: string;
  createdAt: string;
  hasContact: boolean;
  accompaniment: { organisationId: string; organisationName: string; since: string };
  household: {
    size: number;
    adults: number;
    children: number;
    isSingleParent: boolean;
    profile: string;
    communeInsee: string | null;
    communeName: string | null;
    lastActivityAt: string;
  } | null;
  grants: {
    id: string;
    schemeCode: string;
    schemeName: string;
    schemeNameEn: string | null;
    organisationName: string;
    validFrom: string;
    validUntil: string;
    revokedAt: string | null;
    isActive: boolean;
  }[];
  cards: CardView[];
  requests: RequestBrief[];
  permissions: PersonPermissions;
}

/** What identifying a card gives: a first name, and the grant summary to those who may see it. */
export interface Identified {
  /** For server-side use (the marketplace); the API does not show it. */
  userId: string;
  firstName: string;
  /** Null when the caller may not see eligibility (donors). */
  grants: GrantSummary[] | null;
}

export interface IssuedCard {
  card: CardView;
  /** XXXX-XXXX, shown at issuance; the code can be printed again later, never listed. */
  code: string;
}

export interface FileRead {
  at: string;
  action: string;
  organisationName: string | null;
  agentName: string | null;
}

/** Parses input with a shared schema; a failure is a `validation_failed` naming each field. */
function parse<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = zodFields(result.error, prefix);
  const first = fields[0];
  throw new AppError('validation_failed', first ? `Invalid value for ${first.path}: ${first.message}` : 'Invalid input', {
    fields
  });
}

const personNotFound = () => new AppError('not_found', 'Person not found');
const cardNotFound = () => new AppError('not_found', 'Card not found');

/**
 * Acting for an accompanied person: checks that the agent is a member of the accompanying
 * organisation (`canActFor`) and records `person.act_for` with the action's name, in `db` (pass the
 * transaction of the act so both commit together). Anyone else gets 404: whether a person exists
 * is not theirs to know. Exported for the marketplace (reserving a donation for someone).
 */
export async function actFor(
  db: Kysely<DB>,
  agent: Agent,
  personUserId: string,
  action: string,
  ctx: { at: Date; requestId?: string | null; details?: AuditDetails }
): Promise<AccompanimentRecord> {
  const accompaniment = await repo.findAccompaniment(db, personUserId);
  if (!accompaniment || !canActFor(agent, accompaniment)) throw personNotFound();
  await recordAudit(db, {
    at: ctx.at,
    actorUserId: agent.userId,
    organisationId: accompaniment.organisationId,
    action: 'person.act_for',
    subjectType: 'person',
    subjectId: personUserId,
    requestId: ctx.requestId ?? null,
    details: { action, ...ctx.details }
  });
  return accompaniment;
}

function cardView(c: CardRecord): CardView {
  return {
    id: c.id,
    organisationId: c.organisationId,
    organisationName: c.organisationName,
    issuedAt: c.issuedAt,
    revokedAt: c.revokedAt,
    isActive: c.revokedAt === null
  };
}

function summaryOf(grants: readonly GrantRecord[], today: string): GrantSummary[] {
  return grants.filter((g) => isGrantActive(g, today)).map((g) => ({
    schemeCode: g.schemeCode,
    schemeName: g.schemeName,
    schemeNameEn: g.schemeNameEn,
    validUntil: g.validUntil,
    organisationName: g.organisationName
  }));
}

/**
 * Accompanied accounts and their cards, what others see of a person, the person's rights over
 * their data (who read my file, export, erasure) and the retention and reminder jobs.
 */
export function createPeopleService(deps: PeopleDeps) {
  const { db, config, now, sealingKey, limiter, notify } = deps;
  const today = () => parisDate(now());

  async function agentOf(actor: PeopleActor): Promise<Agent> {
    return repo.loadAgent(db, actor);
  }

  /** The organisation, or 404; then the policy, or 403 (an organisation's existence is public). */
  async function organisationFor(agent: Agent, organisationId: string) {
    const organisation = await repo.findOrganisationBrief(db, organisationId);
    if (!organisation) throw new AppError('not_found', 'Organisation not found');
    if (!canCreateAccompanied(agent, organisationId)) {
      throw new AppError('forbidden', 'Only members of this CCAS or association accompany people here');
    }
    return organisation;
  }

  /** A card the agent may act on (members of the accompanying organisation), else 404. */
  async function cardFor(agent: Agent, cardId: string): Promise<CardRecord> {
    const card = await repo.findCard(db, cardId);
    if (!card) throw cardNotFound();
    const accompaniment = await repo.findAccompaniment(db, card.userId);
    if (!accompaniment || !canActFor(agent, accompaniment)) throw cardNotFound();
    return card;
  }

  async function exportData(userId: string) {
    const rows = await repo.exportRows(db, userId);
    if (!rows.user) throw personNotFound();
    const [core, grants, cards, reads] = await Promise.all([
      repo.findPersonCore(db, userId),
      listGrantsOfUser(db, userId),
      repo.listCards(db, userId),
      repo.listFileReads(db, userId, 10_000)
    ]);
    const u = rows.user;
    return {
      format: 'glane-personal-data/1',
      exportedAt: now().toISOString(),
      account: {
        id: u.id,
        displayName: u.display_name,
        email: u.email,
        phone: u.phone,
        locale: u.locale,
        emailVerifiedAt: u.email_verified_at,
        phoneVerifiedAt: u.phone_verified_at,
        createdAt: u.created_at,
        updatedAt: u.updated_at
      },
      memberships: rows.memberships.map((m) => ({ organisationName: m.name, role: m.role, since: m.created_at })),
      accompaniment: rows.accompaniment
        ? { organisationName: rows.accompaniment.organisationName, since: rows.accompaniment.createdAt }
        : null,
      household: core?.household ?? null,
      requests: rows.requests.map((r) => ({
        id: r.id,
        organisationName: r.organisation_name,
        status: r.status,
        renewsGrantId: r.renews_grant_id,
        schemes: repo.parseCodes(r.schemes),
        household: {
          size: r.household_size,
          adults: r.adults,
          children: r.children,
          isSingleParent: r.is_single_parent === 1,
          profile: r.profile,
          communeInsee: r.commune_insee
        },
        resources: {
          monthlyResourcesCents: r.monthly_resources_cents,
          monthlyChargesCents: r.monthly_charges_cents,
          annualTaxableIncomeCents: r.annual_taxable_income_cents,
          monthlyBenefitsCents: r.monthly_benefits_cents
        },
        message: r.message,
        missing: r.missing,
        decisionReason: r.decision_reason,
        decidedAt: r.decided_at,
        isDesk: r.is_desk === 1,
        documents: rows.documents
          .filter((d) => d.request_id === r.id)
          .map((d) => ({ label: d.label, mediaType: d.media_type, byteSize: d.byte_size, sentAt: d.created_at })),
        documentsDeletedAt: r.documents_deleted_at,
        documentsDeletedCount: r.documents_deleted_count,
        submittedAt: r.submitted_at,
        createdAt: r.created_at,
        updatedAt: r.updated_at
      })),
      decisions: rows.decisions.map((d) => ({
        requestId: d.request_id,
        organisationName: d.organisation_name,
        outcome: d.outcome,
        schemes: repo.parseCodes(d.schemes),
        validUntil: d.valid_until,
        reason: d.reason,
        decidedAt: d.decided_at
      })),
      grants: grants.map((g) => ({
        schemeCode: g.schemeCode,
        schemeName: g.schemeName,
        organisationName: g.organisationName,
        validFrom: g.validFrom,
        validUntil: g.validUntil,
        revokedAt: g.revokedAt,
        remindedAt: g.remindedAt,
        createdAt: g.createdAt
      })),
      cards: cards.map((c) => ({ organisationName: c.organisationName, issuedAt: c.issuedAt, revokedAt: c.revokedAt })),
      fileReads: reads.map((r) => ({ at: r.at, action: r.action, organisationName: r.organisationName, agentName: r.agentName }))
    };
  }

  async function actForActor(actor: PeopleActor, personUserId: string, action: string, details?: AuditDetails) {
    const agent = await agentOf(actor);
    return actFor(db, agent, personUserId, action, { at: now(), requestId: actor.requestId, details });
  }

  /** Erases a person's eligibility data and account in `trx`; the caller records the audit entry. */
  async function eraseAccount(trx: Kysely<DB>, userId: string): Promise<ErasureReport> {
    const erased = await repo.eraseEligibilityData(trx, userId);
    await repo.deleteUserRow(trx, userId);
    return erasureReport(erased);
  }

  return {
    /**
     * Creates an accompanied account for an organisation (a person without phone or email, met at
     * the desk): user without any way to sign in, display name = first name, household, and the
     * accompaniment; audited `person.accompanied.create`. Members of the CCAS or association only.
     */
    async createAccompanied(actor: PeopleActor, organisationId: string, input: unknown): Promise<AccompaniedListItem> {
      const agent = await agentOf(actor);
      await organisationFor(agent, organisationId);
      const h = parse(createAccompaniedInput, input);
      const userId = randomUUID();
      const at = now();
      await db.transaction().execute(async (trx) => {
        await repo.insertAccompanied(trx, {
          userId,
          firstName: h.firstName,
          locale: 'fr',
          organisationId,
          createdByUserId: actor.userId,
          household: {
            size: h.size,
            adults: h.adults,
            children: h.children,
            isSingleParent: h.isSingleParent,
            profile: h.profile,
            communeInsee: h.communeInsee ?? null,
            communeName: h.communeName ?? null
          },
          at: at.toISOString()
        });
        await recordAudit(trx, {
          at,
          actorUserId: actor.userId,
          organisationId,
          action: 'person.accompanied.create',
          subjectType: 'person',
          subjectId: userId,
          requestId: actor.requestId ?? null
        });
      });
      return {
        userId,
        firstName: h.firstName,
        createdAt: at.toISOString(),
        lastActivityAt: at.toISOString(),
        hasContact: false,
        activeCard: null,
        grants: [],
        endsSoon: false
      };
    },

    /** The people an organisation accompanies (its CCAS or association members only). */
    async listAccompanied(
      actor: PeopleActor,
      organisationId: string
    ): Promise<{ organisation: { id: string; name: string }; items: AccompaniedListItem[]; reminderDays: number }> {
      const agent = await agentOf(actor);
      const organisation = await organisationFor(agent, organisationId);
      const day = today();
      const soon = addDays(day, config.ELIGIBILITY_REMINDER_DAYS);
      const rows = await repo.listAccompanied(db, organisationId, day);
      return {
        organisation: { id: organisation.id, name: organisation.name },
        reminderDays: config.ELIGIBILITY_REMINDER_DAYS,
        items: rows.map((r) => {
          const grants = r.grants.map((g) => ({ ...g, endsSoon: g.validUntil <= soon }));
          return { ...r, grants, endsSoon: grants.some((g) => g.endsSoon) };
        })
      };
    },

    /**
     * A person's summary for members of the accompanying organisation (404 for anyone else): first
     * name, household, grants, cards, requests. Each read is audited `person.file.read` (subject:
     * the person; no personal data in the details).
     */
    async getPerson(actor: PeopleActor, userId: string): Promise<PersonView> {
      const agent = await agentOf(actor);
      const accompaniment = await repo.findAccompaniment(db, userId);
      if (!accompaniment || !canActFor(agent, accompaniment)) throw personNotFound();
      const [core, grants, cards, requests] = await Promise.all([
        repo.findPersonCore(db, userId),
        listGrantsOfUser(db, userId),
        repo.listCards(db, userId),
        repo.listRequestBriefs(db, userId)
      ]);
      if (!core) throw personNotFound();
      await recordAudit(db, {
        at: now(),
        actorUserId: actor.userId,
        organisationId: accompaniment.organisationId,
        action: 'person.file.read',
        subjectType: 'person',
        subjectId: userId,
        requestId: actor.requestId ?? null,
        details: { view: 'summary' }
      });
      const day = today();
      return {
        userId,
        firstName: core.household?.firstName ?? core.displayName,
        createdAt: core.createdAt,
        hasContact: core.email !== null || core.phone !== null,
        accompaniment: {
          organisationId: accompaniment.organisationId,
          organisationName: accompaniment.organisationName,
          since: accompaniment.createdAt
        },
        household: core.household
          ? {
              size: core.household.size,
              adults: core.household.adults,
              children: core.household.children,
              isSingleParent: core.household.isSingleParent,
              profile: core.household.profile,
              communeInsee: core.household.communeInsee,
              communeName: core.household.communeName,
              lastActivityAt: core.household.lastActivityAt
            }
          : null,
        grants: grants.map((g) => ({
          id: g.id,
          schemeCode: g.schemeCode,
          schemeName: g.schemeName,
          schemeNameEn: g.schemeNameEn,
          organisationName: g.organisationName,
          validFrom: g.validFrom,
          validUntil: g.validUntil,
          revokedAt: g.revokedAt,
          isActive: g.revokedAt === null && g.validFrom <= day && g.validUntil >= day
        })),
        cards: cards.map(cardView),
        requests,
        permissions: personPermissions(agent, accompaniment)
      };
    },

    /** Records an act on a person's behalf (see `actFor`); 404 unless the caller may act for them. */
    actFor(actor: PeopleActor, personUserId: string, action: string, details?: AuditDetails): Promise<AccompanimentRecord> {
      return actForActor(actor, personUserId, action, details);
    },

    /**
     * Issues a card: a fresh crypto-random code (kept as sha256 for lookup and sealed for reprints);
     * the person's previous active card is revoked in the same transaction, so exactly one works.
     * Acting for the person (audited). Returns the code once, formatted XXXX-XXXX.
     */
    async issueCard(actor: PeopleActor, personUserId: string): Promise<IssuedCard> {
      const agent = await agentOf(actor);
      for (let attempt = 0; ; attempt++) {
        const code = generateCardCode();
        const id = randomUUID();
        const at = now();
        const iso = at.toISOString();
        try {
          const accompaniment = await db.transaction().execute(async (trx) => {
            // Writing the person's row first serialises two agents issuing at once (row lock on
            // PostgreSQL, write lock on SQLite): the second then sees, and revokes, the first's card.
            await trx.updateTable('user').set({ updated_at: iso }).where('id', '=', personUserId).execute();
            const acc = await actFor(trx, agent, personUserId, 'card.issue', {
              at,
              requestId: actor.requestId,
              details: { cardId: id }
            });
            await repo.revokeActiveCards(trx, personUserId, iso, actor.userId);
            await repo.insertCard(trx, {
              id,
              userId: personUserId,
              organisationId: acc.organisationId,
              codeHash: hashCardCode(code),
              codeCiphertext: sealText(sealingKey, code),
              issuedByUserId: actor.userId,
              at: iso
            });
            await repo.touchHousehold(trx, personUserId, iso);
            return acc;
          });
          return {
            card: {
              id,
              organisationId: accompaniment.organisationId,
              organisationName: accompaniment.organisationName,
              issuedAt: iso,
              revokedAt: null,
              isActive: true
            },
            code: formatCardCode(code)
          };
        } catch (err) {
          // Two equal codes among 31^8: try again with a new one.
          if (isUniqueViolation(err) && attempt < 3) continue;
          throw err;
        }
      }
    },

    /** Revokes a card (lost, stolen): it stops identifying the person at once. Acting for the person. */
    async revokeCard(actor: PeopleActor, cardId: string): Promise<CardView> {
      const agent = await agentOf(actor);
      const card = await cardFor(agent, cardId);
      if (card.revokedAt !== null) throw new AppError('gone', 'This card is already revoked');
      const at = now();
      const revoked = await db.transaction().execute(async (trx) => {
        const done = await repo.revokeCardRow(trx, cardId, at.toISOString(), actor.userId);
        if (!done) return false;
        await actFor(trx, agent, card.userId, 'card.revoke', { at, requestId: actor.requestId, details: { cardId } });
        return true;
      });
      if (!revoked) throw new AppError('gone', 'This card is already revoked');
      return cardView({ ...card, revokedAt: at.toISOString() });
    },

    /**
     * The printable PDF of an active card (A6 or ID-1): first name, QR code, short code,
     * organisation name, one line of purpose; nothing else. Acting for the person (audited).
     * A revoked card answers 410: print the new one.
     */
    async printCard(actor: PeopleActor, cardId: string, format: unknown): Promise<{ pdf: Buffer; format: CardFormat }> {
      const f = parse(cardFormatSchema, format ?? 'a6', 'query.format');
      const agent = await agentOf(actor);
      const card = await cardFor(agent, cardId);
      if (card.revokedAt !== null) throw new AppError('gone', 'This card was revoked: print the active one');
      const core = await repo.findPersonCore(db, card.userId);
      if (!core) throw cardNotFound();
      const code = unsealText(sealingKey, card.codeCiphertext);
      await actFor(db, agent, card.userId, 'card.print', { at: now(), requestId: actor.requestId, details: { cardId, format: f } });
      const pdf = await renderCardPdf(
        { firstName: core.household?.firstName ?? core.displayName, code, organisationName: card.organisationName },
        f
      );
      return { pdf, format: f };
    },

    /** The person's active card id, or null (pages print "the card" of a person). */
    async activeCardId(actor: PeopleActor, personUserId: string): Promise<string | null> {
      const agent = await agentOf(actor);
      const accompaniment = await repo.findAccompaniment(db, personUserId);
      if (!accompaniment || !canActFor(agent, accompaniment)) throw personNotFound();
      const cards = await repo.listCards(db, personUserId);
      return cards.find((c) => c.revokedAt === null)?.id ?? null;
    },

    /**
     * Identifies a person at a pickup by the code on their card: members of any organisation.
     * Invalid characters → 400 naming `code`; unknown or revoked → 404; failures are rate limited
     * per caller and per address (429). Gives the first name, and the grant summary to those who may
     * see it (not donors). Audited `person.card.identify` (the person sees it in "who read my file").
     */
    async identifyByCard(actor: PeopleActor, input: unknown, ctx: { ip?: string } = {}): Promise<Identified> {
      const body = parse(identifyCardInput, input);
      const agent = await agentOf(actor);
      if (!canIdentifyByCard(agent)) {
        throw new AppError('forbidden', 'Only members of an organisation identify people by card');
      }
      let organisationId = agent.memberships[0]?.organisationId ?? null;
      if (body.organisationId !== undefined) {
        if (!agent.memberships.some((m) => m.organisationId === body.organisationId)) {
          throw new AppError('forbidden', 'You are not a member of this organisation', {
            fields: [{ path: 'organisationId', message: 'not one of your organisations' }]
          });
        }
        organisationId = body.organisationId;
      }
      const keys = [`card-identify:user:${actor.userId}`, ...(ctx.ip ? [`card-identify:ip:${ctx.ip}`] : [])];
      limiter.consume(keys[0]!, IDENTIFY_LIMITS.perUser, IDENTIFY_LIMITS.windowMs);
      if (keys[1]) limiter.consume(keys[1], IDENTIFY_LIMITS.perIp, IDENTIFY_LIMITS.windowMs);
      const code = normaliseCardCode(body.code);
      const card = await repo.findActiveCardByHash(db, hashCardCode(code));
      const core = card ? await repo.findPersonCore(db, card.userId) : undefined;
      if (!card || !core) throw new AppError('not_found', 'No active card has this code');
      // Only failures use up the limits: a desk identifying many people is not guessing.
      for (const key of keys) limiter.release(key);
      await recordAudit(db, {
        at: now(),
        actorUserId: actor.userId,
        organisationId,
        action: 'person.card.identify',
        subjectType: 'person',
        subjectId: card.userId,
        requestId: actor.requestId ?? null
      });
      const grants = canSeeGrantSummary(agent, card.userId) ? summaryOf(await listGrantsOfUser(db, card.userId), today()) : null;
      return { userId: card.userId, firstName: core.household?.firstName ?? core.displayName, grants };
    },

    /**
     * What others see of a person: running grants as scheme, until, by whom — nothing more. For
     * the person and members of CCAS, associations and the platform organisation; 404 otherwise.
     */
    async grantSummary(actor: PeopleActor, personUserId: string): Promise<GrantSummary[]> {
      const agent = await agentOf(actor);
      if (!canSeeGrantSummary(agent, personUserId)) throw personNotFound();
      const exists = await db.selectFrom('user').select('id').where('id', '=', personUserId).executeTakeFirst();
      if (!exists) throw personNotFound();
      return summaryOf(await listGrantsOfUser(db, personUserId), today());
    },

    /** Who read my file: audit entries about me by others, newest first. */
    async listMyFileReads(actor: PeopleActor, limit = 100): Promise<FileRead[]> {
      const rows = await repo.listFileReads(db, actor.userId, Math.min(Math.max(limit, 1), 500));
      return rows.map((r) => ({ at: r.at, action: r.action, organisationName: r.organisationName, agentName: r.agentName }));
    },

    /** Everything Glane keeps about me, as JSON (no document bytes, no card codes). */
    async exportMyData(actor: PeopleActor) {
      return exportData(actor.userId);
    },

    /** The export of an accompanied person, for the accompanying organisation (acting for them, audited). */
    async exportPersonData(actor: PeopleActor, personUserId: string) {
      await actForActor(actor, personUserId, 'person.export');
      return exportData(personUserId);
    },

    /**
     * Erases an accompanied person's account at their request (they cannot sign in to do it):
     * acting for them, audited; same erasure and answer as DELETE /account.
     */
    async erasePerson(actor: PeopleActor, personUserId: string): Promise<ErasureReport> {
      const agent = await agentOf(actor);
      return db.transaction().execute(async (trx) => {
        await actFor(trx, agent, personUserId, 'person.erase', { at: now(), requestId: actor.requestId });
        return eraseAccount(trx, personUserId);
      });
    },

    /**
     * Daily retention purge of person files without activity for PERSON_FILE_RETENTION_MONTHS (CNIL:
     * 2 years after the last contact). Activity: household updates, requests, decisions, grants
     * (their end date counts: a running access is an ongoing support), cards, the accompaniment.
     * Deleted: requests with documents, decisions, grants, cards, accompaniment, household. An
     * accompanied account that cannot sign in goes too (it was only a support file); an account the
     * person uses stays. One audit entry with counts only (no person ids outlive the purge there).
     */
    async purgeInactiveFiles(): Promise<{ people: number; accountsDeleted: number } & ErasedCounts> {
      const at = now();
      const cutoff = monthsBefore(at, config.PERSON_FILE_RETENTION_MONTHS).toISOString();
      const traces = await repo.activityTraces(db);
      const totals = { people: 0, accountsDeleted: 0, household: 0, requests: 0, documents: 0, decisions: 0, grants: 0, cards: 0, accompaniment: 0 };
      for (const [userId, times] of traces) {
        const last = lastActivity(times);
        if (last === null || last >= cutoff) continue;
        await db.transaction().execute(async (trx) => {
          const facts = await repo.accountFacts(trx, userId);
          if (!facts) return;
          const fate = purgeAccountFate(facts);
          const erased = await repo.eraseEligibilityData(trx, userId);
          if (fate === 'delete-account') {
            await repo.deleteUserRow(trx, userId);
            totals.accountsDeleted += 1;
          }
          totals.people += 1;
          for (const k of Object.keys(erased) as (keyof ErasedCounts)[]) totals[k] += erased[k];
        });
      }
      if (totals.people > 0) {
        await recordAudit(db, {
          at,
          actorUserId: null,
          action: 'eligibility.retention_purge',
          subjectType: 'system',
          details: { ...totals, months: config.PERSON_FILE_RETENTION_MONTHS }
        });
      }
      return totals;
    },

    /**
     * Deletes proof documents kept too long: those of requests still undecided after
     * DOCUMENT_RETENTION_DAYS, and any left on a decided or withdrawn request.
     */
    async purgeStaleDocuments(): Promise<{ documents: number; requests: number }> {
      const at = now();
      const before = new Date(at.getTime() - config.DOCUMENT_RETENTION_DAYS * 86_400_000).toISOString();
      const result = await db.transaction().execute((trx) => repo.purgeDocuments(trx, before, at.toISOString()));
      if (result.documents > 0) {
        await recordAudit(db, {
          at,
          actorUserId: null,
          action: 'eligibility.documents_purge',
          subjectType: 'system',
          details: { ...result, days: config.DOCUMENT_RETENTION_DAYS }
        });
      }
      return result;
    },

    /**
     * Expiry reminders: one message per person (email, else SMS) naming their accesses that end
     * within ELIGIBILITY_REMINDER_DAYS, once (`reminded_at`). A grant already renewed (another one of
     * the same scheme ends later) is marked without a message. People without email or phone are
     * skipped: their organisation sees "ends soon" in its list of accompanied people.
     */
    async sendExpiryReminders(): Promise<{ sent: number; grants: number; renewed: number; withoutContact: number; failed: number }> {
      const at = now();
      const day = parisDate(at);
      const candidates = await repo.grantsToRemind(db, day, addDays(day, config.ELIGIBILITY_REMINDER_DAYS));
      const byUser = new Map<string, repo.ReminderCandidate[]>();
      for (const c of candidates) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
      const result = { sent: 0, grants: 0, renewed: 0, withoutContact: 0, failed: 0 };
      for (const [userId, grants] of byUser) {
        const ending: repo.ReminderCandidate[] = [];
        const renewed: string[] = [];
        for (const g of grants) {
          if (await repo.hasLaterGrant(db, userId, g.schemeId, g.validUntil)) renewed.push(g.grantId);
          else ending.push(g);
        }
        if (renewed.length > 0) {
          await repo.markReminded(db, renewed, at.toISOString());
          result.renewed += renewed.length;
        }
        if (ending.length === 0) continue;
        const first = ending[0]!;
        const to =
          first.email && notify.canSend('email')
            ? { channel: 'email' as const, to: first.email }
            : first.phone && notify.canSend('sms')
              ? { channel: 'sms' as const, to: first.phone }
              : null;
        if (!to) {
          result.withoutContact += 1;
          continue;
        }
        const message = reminderMessage(first.locale, ending, config.PUBLIC_URL);
        try {
          await notify.send({ ...to, subject: message.subject, text: message.text });
        } catch {
          result.failed += 1;
          deps.logger?.warn({ channel: to.channel }, 'expiry reminder not delivered; retried at the next run');
          continue;
        }
        await repo.markReminded(
          db,
          ending.map((g) => g.grantId),
          at.toISOString()
        );
        result.sent += 1;
        result.grants += ending.length;
      }
      return result;
    }
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
