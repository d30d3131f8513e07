import { randomBytes as nodeRandomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  organisationReservationsQuery,
  type OrganisationReservationFilter,
  type OrganisationReservationsQuery
} from '../../../schemas/reservations.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import { parseInput } from '../../http/errors.js';
import { canActFor } from '../eligibility/eligibility.policy.js';
import { findAccompaniment } from '../eligibility/people.repository.js';
import { listGrantsOfUser } from '../eligibility/requests.repository.js';
import { actFor } from '../eligibility/people.service.js';
import { parisDate } from '../eligibility/requests.rules.js';
import { findOrganisationBrief, loadAgent } from '../eligibility/requests.repository.js';
import { sealText, unsealText, type SealingKey } from '../eligibility/sealed.js';
import { notifyUser } from '../notifications/notify.js';
import { findOfferForMessage, firstNameOf } from './offers.repository.js';
import { isUniqueViolation } from '../organisations/organisations.repository.js';
import { mulberry32 } from '../../random.js';
import { NO_SHOW_GRACE_MINUTES } from './pickup.rules.js';
import * as repo from './reservations.repository.js';
import type { ReservationRecord } from './reservations.repository.js';
import {
  allocate,
  audienceAllows,
  brokenLimit,
  generatePickupCode,
  hashPickupCode,
  holdsMarketplaceAccess,
  isPartnerKind,
  limitsFor,
  lotteryOrder,
  lotterySeed,
  parisWeekOf,
  personMayCancel,
  type PersonLimits
} from './reservations.rules.js';

/**
 * Reserving donations (use cases): reserve (atomic, idempotent, within the limits and the offer's
 * audience, for oneself, for an accompanied person, or for a partner association), cancel (a
 * person, until the window starts), the waiting list and the pooling lottery, a person's
 * reservations with their pickup codes.
 */

export interface ReservationsActor {
  userId: string;
  isPlatformAdmin: boolean;
  requestId?: string;
}

export interface ReservationsDeps {
  db: Kysely<DB>;
  now: () => Date;
  sealingKey: SealingKey;
  /** Random bytes for pickup codes (tests may fix them). */
  randomBytes?: (n: number) => Uint8Array;
}

export interface ReserveInput {
  quantity: number;
  /** Reserve for this accompanied person (an agent of the accompanying organisation). */
  forUserId?: string;
  /** Reserve for this partner association (a member of it). */
  organisationId?: string;
  /** When fewer units remain than asked, join the waiting list instead of a 409. */
  waitingList?: boolean;
}

/** A reservation as its owner (or the agent who made it) sees it. */
/** The no-show rules as a person is told them (see `noShowRules`). */
export interface NoShowRules {
  /** Minutes after the end of the pickup window before a confirmed reservation becomes a no-show. */
  graceMinutes: number;
  /** No-shows within `windowDays` that lower the limits… */
  threshold: number;
  windowDays: number;
  /** …for this many days (0: never), to this many active reservations. */
  penaltyDays: number;
  penaltyMaxActiveReservations: number;
}

export interface ReservationView {
  id: string;
  offerId: string;
  offerTitle: string;
  unit: string;
  organisationName: string | null;
  status: ReservationRecord['status'];
  quantity: number;
  collectedQuantity: number | null;
  waitingPosition: number | null;
  /** The pickup code, while the reservation is confirmed; null otherwise. */
  code: string | null;
  pickupStartsAt: string;
  pickupEndsAt: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  lat: number;
  lng: number;
  storage: string;
  forUserId: string | null;
  partnerOrganisationId: string | null;
  actedByUserId: string | null;
  createdAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  canCancel: boolean;
}

/**
 * A partner association's reservation, as its members see it: who among them reserved, by first name
 * only (no user ids), and whether it was the caller.
 */
export interface OrganisationReservationView extends Omit<ReservationView, 'forUserId' | 'actedByUserId'> {
  reservedBy: { firstName: string | null; isMe: boolean };
}

/** One page of a partner association's reservations, and how many match the filter. */
export interface OrganisationReservationsPage {
  status: OrganisationReservationFilter;
  items: OrganisationReservationView[];
  total: number;
  limit: number;
  offset: number;
}

export interface ReserveResult {
  reservation: ReservationView;
  /** True when the Idempotency-Key had already been used: the first answer, nothing new. */
  replayed: boolean;
}

const MAX_KEY_LENGTH = 200;
const notFound = () => new AppError('not_found', 'Reservation not found');

/**
 * Waiting-list promotion, inside the caller's transaction: each waiting reservation, in order,
 * whose quantity still fits takes its units (conditional UPDATE), is confirmed with a new code and
 * is told (`reservation.promoted`, outbox). Exported for the donor side (a reservation cancelled by
 * the donor frees units too). Returns the ids promoted.
 */
export async function promoteWaiting(
  trx: Kysely<DB>,
  offerId: string,
  at: Date,
  ctx: { sealingKey: SealingKey; randomBytes?: (n: number) => Uint8Array }
): Promise<string[]> {
  const iso = at.toISOString();
  const promoted: string[] = [];
  const offer = await repo.findReservableOffer(trx, offerId);
  if (!offer) return promoted;
  for (const w of await repo.listQueued(trx, offerId, 'waiting')) {
    if (!(await repo.takeUnits(trx, offerId, w.quantity, iso))) continue;
    const code = await newCode(trx, offerId, ctx);
    if (!(await repo.confirmQueued(trx, w.id, 'waiting', code, iso))) {
      await repo.giveBackUnits(trx, offerId, w.quantity, iso);
      continue;
    }
    promoted.push(w.id);
    if (w.userId) await tell(trx, at, w.userId, 'reservation.promoted', offerId, w.quantity);
  }
  return promoted;
}

async function newCode(
  db: Kysely<DB>,
  offerId: string,
  ctx: { sealingKey: SealingKey; randomBytes?: (n: number) => Uint8Array }
): Promise<{ code: string; hash: string; ciphertext: string }> {
  const random = ctx.randomBytes ?? ((n: number) => nodeRandomBytes(n));
  for (;;) {
    const code = generatePickupCode(random);
    const hash = hashPickupCode(offerId, code);
    if (!(await repo.codeTaken(db, offerId, hash))) return { code, hash, ciphertext: sealText(ctx.sealingKey, code) };
  }
}

/** Tells a person (outbox, same transaction) what happened to their reservation, in their language (messages.ts). */
async function tell(
  db: Kysely<DB>,
  at: Date,
  userId: string,
  kind: 'reservation.confirmed' | 'reservation.promoted' | 'reservation.allocated' | 'reservation.not_allocated',
  offerId: string,
  quantity: number
): Promise<void> {
  const facts = await findOfferForMessage(db, offerId);
  if (!facts) return;
  await notifyUser(db, at, userId, { kind, params: { ...facts, quantity }, link: '/mes-reservations' });
}

export function createReservationsService(deps: ReservationsDeps) {
  const { db, now, sealingKey } = deps;
  const ctx = { sealingKey, randomBytes: deps.randomBytes };

  /** `agentMayRead`: an agent who may act for the person reads the code (to give or print it). */
  function view(r: ReservationRecord, viewerId: string | null, at: Date, agentMayRead = false): ReservationView {
    const mayReadCode = agentMayRead || (viewerId !== null && (r.userId === viewerId || r.actedByUserId === viewerId));
    return {
      id: r.id,
      offerId: r.offerId,
      offerTitle: r.offer.title,
      unit: r.offer.unit,
      organisationName: r.offer.organisationName,
      status: r.status,
      quantity: r.quantity,
      collectedQuantity: r.collectedQuantity,
      waitingPosition: r.waitingPosition,
      code: mayReadCode && r.status === 'confirmed' && r.codeCiphertext ? unsealText(sealingKey, r.codeCiphertext) : null,
      pickupStartsAt: r.offer.pickupStartsAt,
      pickupEndsAt: r.offer.pickupEndsAt,
      addressLine: r.offer.addressLine,
      postalCode: r.offer.postalCode,
      city: r.offer.city,
      lat: r.offer.lat,
      lng: r.offer.lng,
      storage: r.offer.storage,
      forUserId: r.userId,
      partnerOrganisationId: r.partnerOrganisationId,
      actedByUserId: r.actedByUserId,
      createdAt: r.createdAt,
      confirmedAt: r.confirmedAt,
      cancelledAt: r.cancelledAt,
      cancelledBy: r.cancelledBy,
      cancelReason: r.cancelReason,
      canCancel: personMayCancel(r.status, r.offer.pickupStartsAt, at)
    };
  }

  /** Whether a person may use the marketplace now: an active `anti-gaspi` grant (eligibility's query). */
  async function isEligible(userId: string, at = now()): Promise<boolean> {
    return holdsMarketplaceAccess(await listGrantsOfUser(db, userId), parisDate(at));
  }

  async function limitsOf(userId: string, at: Date): Promise<PersonLimits> {
    const settings = await repo.readSettings(db);
    const since = new Date(at.getTime() - settings.noShowWindowDays * 86_400_000).toISOString();
    return limitsFor(settings, await repo.noShowTimes(db, userId, since), at);
  }

  /**
   * The pooling lottery of one offer (once: `allocated_at` is set conditionally): pooled requests
   * in a weighted random order (seeded by offer and pooling end, so reproducible), each served whole
   * while units remain, the others put on the waiting list in that order; everyone is told.
   */
  async function allocateOffer(offerId: string, seed?: number): Promise<{ confirmed: string[]; waiting: string[] } | null> {
    const at = now();
    const iso = at.toISOString();
    const settings = await repo.readSettings(db);
    return db.transaction().execute(async (trx) => {
      const offer = await repo.findReservableOffer(trx, offerId);
      if (!offer?.poolingEndsAt || offer.allocatedAt || Date.parse(offer.poolingEndsAt) > at.getTime()) return null;
      if (!(await repo.markAllocated(trx, offerId, iso))) return null;
      const pooled = await repo.listQueued(trx, offerId, 'pooled');
      const since = new Date(at.getTime() - settings.lotteryLookbackDays * 86_400_000).toISOString();
      const received = await repo.recentUnits(
        trx,
        pooled.flatMap((p) => (p.userId ? [p.userId] : [])),
        since
      );
      const entries = pooled.map((p) => ({
        id: p.id,
        quantity: p.quantity,
        recentUnits: p.userId ? (received.get(p.userId) ?? 0) : 0,
        createdAt: p.createdAt
      }));
      const ordered = lotteryOrder(entries, mulberry32(seed ?? lotterySeed(offerId, offer.poolingEndsAt)));
      const plan = allocate(ordered, offer.remaining);
      const owner = new Map(pooled.map((p) => [p.id, p.userId]));
      const asked = new Map(pooled.map((p) => [p.id, p.quantity]));
      const confirmed: string[] = [];
      const waiting: string[] = [];
      for (const e of plan.confirmed) {
        // The plan fits what remained; the conditional UPDATE still decides (the offer may have ended).
        if (await repo.takeUnits(trx, offerId, e.quantity, iso)) {
          const code = await newCode(trx, offerId, ctx);
          if (await repo.confirmQueued(trx, e.id, 'pooled', code, iso)) {
            confirmed.push(e.id);
            const userId = owner.get(e.id);
            if (userId) await tell(trx, at, userId, 'reservation.allocated', offerId, e.quantity);
            continue;
          }
          await repo.giveBackUnits(trx, offerId, e.quantity, iso);
        }
        waiting.push(e.id);
      }
      waiting.push(...plan.waiting.map((e) => e.id));
      let position = await repo.nextWaitingPosition(trx, offerId);
      for (const id of waiting) {
        if (await repo.poolToWaiting(trx, id, position, iso)) {
          position += 1;
          const userId = owner.get(id);
          if (userId) await tell(trx, at, userId, 'reservation.not_allocated', offerId, asked.get(id) ?? 1);
        }
      }
      return { confirmed, waiting };
    });
  }

  /** Runs every lottery whose pooling window has ended (the job, each minute). */
  async function allocateDue(): Promise<number> {
    let n = 0;
    for (const id of await repo.offersToAllocate(db, now().toISOString())) {
      if (await allocateOffer(id)) n += 1;
    }
    return n;
  }

  return {
    isEligible,
    allocateOffer,
    allocateDue,

    /** The limits that apply to a person now (lowered while a no-show penalty runs). */
    limitsOf(userId: string): Promise<PersonLimits> {
      return limitsOf(userId, now());
    },

    /**
     * Reserves `quantity` units of an offer. Idempotent per (owner, key): the same key answers the
     * first reservation again without a second one. 403 without an active anti-gaspi grant or
     * outside the offer's audience; 409 with `details.remaining` when fewer units remain (unless
     * `waitingList`), with `details.limit` when a limit would be broken; 410 when the offer is gone.
     */
    async reserve(actor: ReservationsActor, offerId: string, input: ReserveInput, idempotencyKey: string): Promise<ReserveResult> {
      if (!Number.isInteger(input.quantity) || input.quantity < 1) {
        throw fieldError('quantity', 'Quantity must be a whole number of at least 1', 'too_small');
      }
      if (!idempotencyKey || idempotencyKey.length > MAX_KEY_LENGTH) {
        throw fieldError('Idempotency-Key', `Idempotency-Key header required (1 to ${MAX_KEY_LENGTH} characters)`);
      }
      if (input.forUserId && input.organisationId) {
        throw fieldError('forUserId', 'Reserve either for a person or for an organisation, not both');
      }
      const asPartner = input.organisationId !== undefined;
      const forOther = !asPartner && input.forUserId !== undefined && input.forUserId !== actor.userId;
      const ownerId = asPartner || !input.forUserId ? actor.userId : input.forUserId;

      const replay = async (): Promise<ReserveResult | null> => {
        const existing = await repo.findByIdempotencyKey(db, ownerId, idempotencyKey);
        if (!existing) return null;
        if (existing.offerId !== offerId || existing.quantity !== input.quantity) {
          throw new AppError('conflict', 'This Idempotency-Key was used for another reservation', {
            fields: [{ path: 'Idempotency-Key', message: 'already used for another request' }]
          });
        }
        return { reservation: view(existing, actor.userId, now()), replayed: true };
      };
      const first = await replay();
      if (first) return first;

      let offer = await repo.findReservableOffer(db, offerId);
      if (!offer) throw new AppError('not_found', 'Offer not found');
      if (offer.poolingEndsAt && !offer.allocatedAt && Date.parse(offer.poolingEndsAt) <= now().getTime()) {
        await allocateOffer(offerId);
        offer = (await repo.findReservableOffer(db, offerId))!;
      }
      const at = now();
      const iso = at.toISOString();
      if (offer.status !== 'published' || Date.parse(offer.pickupEndsAt) <= at.getTime()) {
        throw new AppError('gone', 'This donation is no longer available', { remaining: 0 });
      }

      const agent = asPartner || forOther ? await loadAgent(db, actor) : null;
      if (asPartner) {
        const member = agent!.memberships.some(
          (m) => m.organisationId === input.organisationId && isPartnerKind(m.kind)
        );
        if (!member) {
          throw new AppError('forbidden', 'Only members of a partner association may reserve for it', {
            fields: [{ path: 'organisationId', message: 'not a partner association you belong to' }]
          });
        }
      }
      if (forOther) {
        const accompaniment = await findAccompaniment(db, ownerId);
        if (!accompaniment || !canActFor(agent!, accompaniment)) throw new AppError('not_found', 'Person not found');
      }
      if (!audienceAllows(offer, asPartner ? 'partner' : 'person', at)) {
        throw new AppError('forbidden', 'This donation is not open to you now', {
          reason: 'audience',
          audience: offer.audience,
          partnersUntil: offer.partnersUntil
        });
      }
      if (!asPartner && !(await isEligible(ownerId, at))) {
        throw new AppError('forbidden', 'An active anti-waste access (anti-gaspi) is needed to reserve', {
          reason: 'not_eligible'
        });
      }
      const limits = asPartner ? null : await limitsOf(ownerId, at);
      const pooling = offer.poolingEndsAt !== null && !offer.allocatedAt && Date.parse(offer.poolingEndsAt) > at.getTime();

      let created: { id: string; code: string | null };
      try {
        created = await db.transaction().execute(async (trx) => {
          if (limits) {
            await repo.lockPerson(trx, ownerId);
            const usage = await repo.usageOf(trx, ownerId, offerId, parisWeekOf(new Date(offer.pickupStartsAt)), iso);
            const broken = brokenLimit(limits, usage, input.quantity);
            if (broken) {
              throw new AppError('conflict', `Limit reached: ${broken}`, {
                limit: broken,
                max: limits[broken],
                penaltyUntil: limits.penaltyUntil
              });
            }
          }
          if (forOther) {
            await actFor(trx, agent!, ownerId, 'marketplace.reserve', {
              at,
              requestId: actor.requestId,
              details: { offerId, quantity: input.quantity }
            });
          }
          const base = {
            id: randomUUID(),
            offerId,
            userId: ownerId,
            partnerOrganisationId: asPartner ? input.organisationId! : null,
            actedByUserId: forOther ? actor.userId : null,
            quantity: input.quantity,
            idempotencyKey,
            at: iso
          };
          if (pooling) {
            if (input.quantity > offer.remaining) {
              throw new AppError('conflict', 'More than remains', { remaining: offer.remaining });
            }
            await repo.insertReservation(trx, { ...base, status: 'pooled', waitingPosition: null, codeHash: null, codeCiphertext: null });
            return { id: base.id, code: null };
          }
          if (await repo.takeUnits(trx, offerId, input.quantity, iso)) {
            const code = await newCode(trx, offerId, ctx);
            await repo.insertReservation(trx, {
              ...base,
              status: 'confirmed',
              waitingPosition: null,
              codeHash: code.hash,
              codeCiphertext: code.ciphertext
            });
            await tell(trx, at, ownerId, 'reservation.confirmed', offerId, input.quantity);
            return { id: base.id, code: code.code };
          }
          const current = await repo.findReservableOffer(trx, offerId);
          if (!current || current.status !== 'published' || Date.parse(current.pickupEndsAt) <= at.getTime()) {
            throw new AppError('gone', 'This donation is no longer available', { remaining: 0 });
          }
          if (!input.waitingList) {
            throw new AppError('conflict', `Only ${current.remaining} left`, { remaining: current.remaining });
          }
          const position = await repo.nextWaitingPosition(trx, offerId);
          await repo.insertReservation(trx, { ...base, status: 'waiting', waitingPosition: position, codeHash: null, codeCiphertext: null });
          return { id: base.id, code: null };
        });
      } catch (err) {
        // The same key raced with itself: the other call won, answer what it made.
        if (isUniqueViolation(err)) {
          const again = await replay();
          if (again) return again;
        }
        throw err;
      }
      const record = await repo.findReservation(db, created.id);
      return { reservation: view(record!, actor.userId, now()), replayed: false };
    },

    /**
     * A person (or the agent of an accompanied person) cancels until the pickup window starts:
     * a confirmed reservation gives its units back and the waiting list moves up, in one transaction.
     */
    async cancel(actor: ReservationsActor, reservationId: string): Promise<ReservationView> {
      const r = await repo.findReservation(db, reservationId);
      if (!r || !r.userId) throw notFound();
      let agent = null;
      if (r.userId !== actor.userId) {
        agent = await loadAgent(db, actor);
        const accompaniment = await findAccompaniment(db, r.userId);
        if (!accompaniment || !canActFor(agent, accompaniment)) throw notFound();
      }
      const at = now();
      const iso = at.toISOString();
      if (!personMayCancel(r.status, r.offer.pickupStartsAt, at)) {
        throw new AppError('conflict', 'This reservation can no longer be cancelled here', {
          status: r.status,
          reason: ['pooled', 'waiting', 'confirmed'].includes(r.status) ? 'window_started' : 'status'
        });
      }
      await db.transaction().execute(async (trx) => {
        if (!(await repo.cancelReservationRow(trx, r.id, r.status, 'person', null, iso))) {
          throw new AppError('conflict', 'This reservation changed meanwhile; reload it', { status: r.status });
        }
        if (agent) {
          await actFor(trx, agent, r.userId!, 'marketplace.cancel', { at, requestId: actor.requestId, details: { reservationId: r.id } });
        }
        if (r.status === 'confirmed') {
          await repo.giveBackUnits(trx, r.offerId, r.quantity, iso);
          await promoteWaiting(trx, r.offerId, at, ctx);
        }
      });
      const after = await repo.findReservation(db, r.id);
      return view(after!, actor.userId, now());
    },

    /** A person's reservations (codes of the confirmed ones), and the limits that apply to them now. */
    async listMine(actor: ReservationsActor): Promise<{ items: ReservationView[]; limits: PersonLimits }> {
      const at = now();
      const records = await repo.listReservationsOf(db, actor.userId);
      return { items: records.map((r) => view(r, actor.userId, at)), limits: await limitsOf(actor.userId, at) };
    },

    /**
     * What makes a reservation a no-show and what repeated ones cost (the territory's marketplace
     * settings), so a person's page can explain a no-show with its reason and consequence.
     */
    async noShowRules(): Promise<NoShowRules> {
      const s = await repo.readSettings(db);
      return {
        graceMinutes: NO_SHOW_GRACE_MINUTES,
        threshold: s.noShowThreshold,
        windowDays: s.noShowWindowDays,
        penaltyDays: s.noShowPenaltyDays,
        penaltyMaxActiveReservations: s.penaltyMaxActiveReservations
      };
    },

    /**
     * An accompanied person's reservations with their codes, for an agent who may act for them (any
     * social member of the accompanying organisation; 404 otherwise, and when `organisationId` is
     * given and is not the accompanying organisation). Reading them is an act for the person: audited
     * (`person.act_for`, `marketplace.reservations.read`).
     */
    async listForPerson(actor: ReservationsActor, personUserId: string, options: { organisationId?: string } = {}): Promise<ReservationView[]> {
      const agent = await loadAgent(db, actor);
      if (options.organisationId !== undefined) {
        const accompaniment = await findAccompaniment(db, personUserId);
        if (!accompaniment || accompaniment.organisationId !== options.organisationId) throw new AppError('not_found', 'Person not found');
      }
      const at = now();
      await actFor(db, agent, personUserId, 'marketplace.reservations.read', { at, requestId: actor.requestId });
      return (await repo.listReservationsOf(db, personUserId)).map((r) => view(r, actor.userId, at, true));
    },

    /**
     * A partner association's reservations (made by any of its members, newest first, a page of
     * `limit` from `offset`), with their codes (any member may collect) and only the first name of the
     * member who reserved: for a member of that association (association or CCAS; 403 otherwise; 404
     * when no such organisation). `status` `active` (the default, what its page lists) keeps those
     * still to pick up (isActiveReservation's rule, applied in SQL); `all` adds the history. A bad
     * query names its field (400).
     */
    async listForOrganisation(actor: ReservationsActor, organisationId: string, query: OrganisationReservationsQuery = {}): Promise<OrganisationReservationsPage> {
      const q = parseInput(organisationReservationsQuery, query, 'query');
      if (!(await findOrganisationBrief(db, organisationId))) throw new AppError('not_found', 'Organisation not found');
      const agent = await loadAgent(db, actor);
      const member = agent.memberships.some((m) => m.organisationId === organisationId && isPartnerKind(m.kind));
      if (!member) throw new AppError('forbidden', 'Only members of a partner association see its reservations');
      const at = now();
      const page = await repo.listReservationsForOrganisation(db, organisationId, {
        activeAt: q.status === 'active' ? at.toISOString() : null,
        limit: q.limit,
        offset: q.offset
      });
      const items = page.items.map((r): OrganisationReservationView => {
        // The member's user id stays here: the page and the API show only the first name.
        const { forUserId: _userId, actedByUserId: _actedBy, ...shown } = view(r, actor.userId, at, true);
        return {
          ...shown,
          // Only the member who reserved may cancel (cancel() checks the same).
          canCancel: r.userId === actor.userId && personMayCancel(r.status, r.offer.pickupStartsAt, at),
          reservedBy: { firstName: r.reservedByName === null ? null : firstNameOf(r.reservedByName) || null, isMe: r.userId === actor.userId }
        };
      });
      return { status: q.status, items, total: page.total, limit: q.limit, offset: q.offset };
    },

    /** One reservation, for its owner or the agent who made it (404 for anyone else). */
    async getMine(actor: ReservationsActor, reservationId: string): Promise<ReservationView> {
      const r = await repo.findReservation(db, reservationId);
      if (!r || (r.userId !== actor.userId && r.actedByUserId !== actor.userId)) throw notFound();
      return view(r, actor.userId, now());
    }
  };
}

export type ReservationsService = ReturnType<typeof createReservationsService>;
