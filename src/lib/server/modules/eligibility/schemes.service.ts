import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  createSchemeInput,
  eligibilitySettingsInput,
  schemeDecidersInput,
  simulateInput,
  updateSchemeInput
} from '../../../schemas/eligibility.js';
import { SETTING_QF_PARTS, type SimulationOutcome } from '../../../schemas/eligibility-vocabulary.js';
import type { OrganisationKind } from '../../../schemas/vocabulary.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { Actor } from '../../http/auth.js';
import type { RateLimiter } from '../../rate-limiter.js';
import { recordAudit } from '../audit/audit.repository.js';
import { parseInput } from '../../http/errors.js';
import { isUniqueViolation } from '../organisations/organisations.repository.js';
import { canManageSchemes } from './eligibility.policy.js';
import {
  DEFAULT_QF_PARTS,
  evaluateSchemes,
  readQfParts,
  type QfPartsTable,
  type Reason
} from './eligibility.rules.js';
import { loadAgent } from './requests.repository.js';
import { parisDate } from './requests.rules.js';
import * as repo from './schemes.repository.js';

/**
 * Schemes (dispositifs) and the territory's eligibility settings: the public list (thresholds are
 * public rules), their management by those allowed (platform admins, CCAS owners and managers:
 * `canManageSchemes`), every change audited in the same transaction; and the public simulator, which
 * evaluates what a visitor types against the active schemes and stores nothing of it.
 */

/** The simulator: hits per client address and window (a public write, like the address search). */
export const SIMULATE_RATE_LIMIT = 30;
export const SIMULATE_RATE_WINDOW_MS = 60_000;

/** Organisations that may decide schemes. */
export const DECIDER_KINDS: readonly OrganisationKind[] = ['ccas', 'association'];

export interface DeciderView {
  id: string;
  name: string;
  slug: string;
  kind: OrganisationKind;
}

/** A scheme as everyone may see it: its rules are public, and so is who decides it. */
export type SchemeView = Omit<repo.SchemeRecord, 'createdAt'> & { deciders: DeciderView[] };

export interface EligibilitySettingsView {
  qfParts: QfPartsTable;
  /** True when no table was saved (or the saved one is unusable): the default applies. */
  isDefault: boolean;
  defaultQfParts: QfPartsTable;
  updatedAt: string | null;
}

/** One scheme's answer in the simulator. */
export interface SimulatedScheme {
  scheme: Pick<
    SchemeView,
    'id' | 'code' | 'name' | 'nameEn' | 'description' | 'maxResteAVivreCents' | 'maxQuotientFamilialCents' | 'defaultValidityDays' | 'isRenewable'
  >;
  outcome: SimulationOutcome;
  eligible: boolean;
  reasons: Reason[];
  /** Organisations a request can be made to. */
  deciders: DeciderView[];
}

export interface SimulationResult {
  /** The household's figures in cents (null when they cannot be computed from what was typed). */
  resteAVivreCents: number | null;
  quotientFamilialCents: number | null;
  parts: number | null;
  schemes: SimulatedScheme[];
}

export interface SchemesDeps {
  db: Kysely<DB>;
  now: () => Date;
  limiter: RateLimiter;
}

const notFound = () => new AppError('not_found', 'Scheme not found');
const forbidden = () => new AppError('forbidden', 'Only platform admins and CCAS owners or managers may manage schemes and settings');

function present(s: repo.SchemeRecord, deciders: repo.DeciderRecord[]): SchemeView {
  const { createdAt: _createdAt, ...scheme } = s;
  return {
    ...scheme,
    deciders: deciders
      .filter((d) => d.schemeId === s.id)
      .map((d) => ({ id: d.organisationId, name: d.name, slug: d.slug, kind: d.kind }))
  };
}

function fieldsOf(s: repo.SchemeRecord): repo.SchemeFields {
  const { id: _id, code: _code, isDemo: _isDemo, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = s;
  return fields;
}

/** Names of the fields whose value differs (for the audit log: names, never values). */
function changedFields(before: repo.SchemeFields, after: repo.SchemeFields): string[] {
  return (Object.keys(after) as (keyof repo.SchemeFields)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])
  );
}

/** Builds the schemes service over its dependencies (see the module comment). */
export function createSchemesService({ db, now, limiter }: SchemesDeps) {
  /** Whether `actor` may manage schemes and settings (false when signed out). */
  async function mayManage(actor: Actor | null): Promise<boolean> {
    if (!actor) return false;
    return canManageSchemes(await loadAgent(db, actor));
  }

  async function requireManager(actor: Actor): Promise<void> {
    if (!(await mayManage(actor))) throw forbidden();
  }

  async function view(dbx: Kysely<DB>, id: string): Promise<SchemeView> {
    const scheme = await repo.findScheme(dbx, id);
    if (!scheme) throw notFound();
    return present(scheme, await repo.listDeciders(dbx, [id]));
  }

  /** The territory's table of parts (or the default). */
  async function qfParts(dbx: Kysely<DB> = db): Promise<{ table: QfPartsTable; isDefault: boolean; updatedAt: string | null }> {
    const setting = await repo.getSetting(dbx, SETTING_QF_PARTS);
    return { ...readQfParts(setting?.value), updatedAt: setting?.updatedAt ?? null };
  }

  /** The territory's eligibility settings (same policy as managing schemes). */
  async function getSettings(actor: Actor): Promise<EligibilitySettingsView> {
    await requireManager(actor);
    const { table, isDefault, updatedAt } = await qfParts();
    return { qfParts: table, isDefault, defaultQfParts: { ...DEFAULT_QF_PARTS }, updatedAt };
  }

  return {
    /** What the caller may do here, so pages never guess. */
    async permissions(actor: Actor | null): Promise<{ canManageSchemes: boolean }> {
      return { canManageSchemes: await mayManage(actor) };
    },

    /**
     * Schemes with their deciders, by position. Everyone sees the active ones; `includeInactive`
     * is for those who manage schemes (401 signed out, 403 otherwise).
     */
    async listSchemes(actor: Actor | null, options: { includeInactive?: boolean } = {}): Promise<SchemeView[]> {
      if (options.includeInactive) {
        if (!actor) throw new AppError('unauthenticated', 'Sign in first');
        await requireManager(actor);
      }
      const schemes = await repo.listSchemes(db, options);
      const deciders = await repo.listDeciders(db, schemes.map((s) => s.id));
      return schemes.map((s) => present(s, deciders));
    },

    /** One scheme; an inactive one only for those who manage schemes (404 for everyone else). */
    async getScheme(actor: Actor | null, id: string): Promise<SchemeView> {
      const scheme = await view(db, id);
      if (!scheme.isActive && !(await mayManage(actor))) throw notFound();
      return scheme;
    },

    /** Creates a scheme (409 naming `code` when taken). Audited. */
    async createScheme(actor: Actor, input: unknown): Promise<SchemeView> {
      await requireManager(actor);
      const data = parseInput(createSchemeInput, input);
      const taken = () => new AppError('conflict', 'A scheme with this code exists', { fields: [{ path: 'code', message: 'already used' }] });
      if (await repo.findSchemeByCode(db, data.code)) throw taken();
      const at = now().toISOString();
      const id = randomUUID();
      try {
        return await db.transaction().execute(async (trx) => {
          await repo.insertScheme(trx, { ...data, nameEn: data.nameEn ?? null, description: data.description ?? null, id, createdAt: at });
          await recordAudit(trx, {
            at: new Date(at),
            actorUserId: actor.userId,
            action: 'scheme.create',
            subjectType: 'scheme',
            subjectId: id,
            requestId: actor.requestId,
            details: { schemeCode: data.code }
          });
          return view(trx, id);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw taken();
        throw err;
      }
    },

    /**
     * Changes any field but the code (requests and grants name schemes by code). Default validity
     * must stay within the maximum (400 naming `defaultValidityDays`). Audited with the names of
     * the fields that changed.
     */
    async updateScheme(actor: Actor, id: string, input: unknown): Promise<SchemeView> {
      await requireManager(actor);
      const data = parseInput(updateSchemeInput, input);
      return db.transaction().execute(async (trx) => {
        const before = await repo.findScheme(trx, id);
        if (!before) throw notFound();
        const current = fieldsOf(before);
        const next: repo.SchemeFields = { ...current };
        for (const [key, value] of Object.entries(data) as [keyof repo.SchemeFields, never][]) {
          if (value !== undefined) next[key] = value;
        }
        if (next.defaultValidityDays > next.maxValidityDays) {
          throw fieldError(
            data.defaultValidityDays !== undefined ? 'defaultValidityDays' : 'maxValidityDays',
            'defaultValidityDays cannot exceed maxValidityDays'
          );
        }
        const fields = changedFields(current, next);
        if (fields.length > 0) {
          const at = now();
          await repo.updateScheme(trx, id, next, at.toISOString());
          await recordAudit(trx, {
            at,
            actorUserId: actor.userId,
            action: 'scheme.update',
            subjectType: 'scheme',
            subjectId: id,
            requestId: actor.requestId,
            details: { schemeCode: before.code, fields }
          });
        }
        return view(trx, id);
      });
    },

    /**
     * Sets which organisations decide a scheme: existing CCAS or associations only (400 naming
     * `organisationIds.<i>` otherwise). Audited with the ids added and removed.
     */
    async setDeciders(actor: Actor, id: string, input: unknown): Promise<SchemeView> {
      await requireManager(actor);
      const { organisationIds } = parseInput(schemeDecidersInput, input);
      const found = new Map((await repo.organisationKinds(db, organisationIds)).map((o) => [o.id, o]));
      organisationIds.forEach((orgId, i) => {
        const org = found.get(orgId);
        if (!org) throw fieldError(`organisationIds.${i}`, 'Unknown organisation');
        if (!DECIDER_KINDS.includes(org.kind)) throw fieldError(`organisationIds.${i}`, 'Only CCAS and associations may decide schemes', 'decider_kind');
      });
      return db.transaction().execute(async (trx) => {
        const scheme = await repo.findScheme(trx, id);
        if (!scheme) throw notFound();
        const before = (await repo.listDeciders(trx, [id])).map((d) => d.organisationId);
        const added = organisationIds.filter((o) => !before.includes(o));
        const removed = before.filter((o) => !organisationIds.includes(o));
        if (added.length > 0 || removed.length > 0) {
          await repo.replaceDeciders(trx, id, organisationIds);
          await recordAudit(trx, {
            at: now(),
            actorUserId: actor.userId,
            action: 'scheme.deciders.update',
            subjectType: 'scheme',
            subjectId: id,
            requestId: actor.requestId,
            details: { schemeCode: scheme.code, added, removed }
          });
        }
        return view(trx, id);
      });
    },

    /** CCAS and associations, for the deciders form (same policy as managing schemes). */
    async listDeciderCandidates(actor: Actor): Promise<{ id: string; name: string; kind: OrganisationKind }[]> {
      await requireManager(actor);
      return repo.listDeciderCandidates(db);
    },

    getSettings,

    /** Replaces the settings (the table of parts, validated entry by entry). Audited. */
    async updateSettings(actor: Actor, input: unknown): Promise<EligibilitySettingsView> {
      await requireManager(actor);
      const data = parseInput(eligibilitySettingsInput, input);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const before = await qfParts(trx);
        const fields = (Object.keys(data.qfParts) as (keyof QfPartsTable)[]).filter((k) => before.table[k] !== data.qfParts[k]);
        await repo.putSetting(trx, {
          key: SETTING_QF_PARTS,
          value: JSON.stringify(data.qfParts),
          updatedByUserId: actor.userId,
          updatedAt: at.toISOString()
        });
        await recordAudit(trx, {
          at,
          actorUserId: actor.userId,
          action: 'eligibility.settings.update',
          subjectType: 'setting',
          subjectId: SETTING_QF_PARTS,
          requestId: actor.requestId,
          details: { fields }
        });
      });
      return getSettings(actor);
    },

    /** The territory's table of parts, for other services (requests evaluate with it too). */
    qfParts: async () => (await qfParts()).table,

    /** The communes the territory knows (organisations' and places' INSEE codes), by name. */
    listCommunes(): Promise<repo.CommuneRecord[]> {
      return repo.listTerritoryCommunes(db);
    },

    /**
     * The public simulator: evaluates what was typed against every active scheme, with each
     * reason of no and the organisations that decide each scheme. Stores and logs nothing of the
     * input. Rate limited per client address (429 with retryAfter).
     */
    async simulate(input: unknown, client: { ip?: string | null } = {}): Promise<SimulationResult> {
      limiter.consume(`eligibility-simulate:ip:${client.ip || 'unknown'}`, SIMULATE_RATE_LIMIT, SIMULATE_RATE_WINDOW_MS);
      const data = parseInput(simulateInput, input);
      const schemes = await repo.listSchemes(db);
      const [deciders, table] = await Promise.all([repo.listDeciders(db, schemes.map((s) => s.id)), qfParts()]);
      const evaluation = evaluateSchemes(
        {
          size: data.adults + data.children,
          adults: data.adults,
          children: data.children,
          isSingleParent: data.isSingleParent,
          profile: data.profile,
          communeInsee: data.communeInsee
        },
        {
          monthlyResourcesCents: data.monthlyResourcesCents,
          monthlyChargesCents: data.monthlyChargesCents,
          annualTaxableIncomeCents: data.annualTaxableIncomeCents,
          monthlyBenefitsCents: data.monthlyBenefitsCents
        },
        schemes,
        parisDate(now()),
        table.table
      );
      return {
        resteAVivreCents: evaluation.resteAVivreCents,
        quotientFamilialCents: evaluation.quotientFamilialCents,
        parts: evaluation.parts,
        schemes: evaluation.schemes.map((e, i) => {
          const s = present(schemes[i]!, deciders);
          return {
            scheme: {
              id: s.id,
              code: s.code,
              name: s.name,
              nameEn: s.nameEn,
              description: s.description,
              maxResteAVivreCents: s.maxResteAVivreCents,
              maxQuotientFamilialCents: s.maxQuotientFamilialCents,
              defaultValidityDays: s.defaultValidityDays,
              isRenewable: s.isRenewable
            },
            outcome: e.outcome,
            eligible: e.eligible,
            reasons: e.reasons,
            deciders: s.deciders
          };
        })
      };
    }
  };
}

export type SchemesService = ReturnType<typeof createSchemesService>;
