import { parseInput } from '../../http/errors.js';
import type { Kysely } from 'kysely';
import { collectInput, donorCancelInput, handoverLookupInput } from '../../../schemas/pickup.js';
import type { DB } from '../../db/schema.js';
import { AppError, fieldError } from '../../errors.js';
import type { RateLimiter } from '../../rate-limiter.js';
import type { PeopleService } from '../eligibility/people.service.js';
import type { SealingKey } from '../eligibility/sealed.js';
import { notifyUser } from '../notifications/notify.js';
import { findMembership } from '../organisations/organisations.repository.js';
import { findOfferForMessage } from './offers.repository.js';
import type { MarketplaceSettings } from './marketplace.rules.js';
import * as repo from './pickup.repository.js';
import { giveBackUnits, noShowTimes, readSettings } from './reservations.repository.js';
import { promoteWaiting } from './reservations.service.js';
import { limitsFor } from './reservations.rules.js';
import type { HandoverRow } from './pickup.repository.js';
import {
  HANDOVER_EARLY_MINUTES,
  HANDOVER_LATE_MINUTES,
  LOOKUP_LIMITS,
  handoverTiming,
  noShowCutoff,
  normaliseHandoverCode,
  parisDayBounds,
  pickupCodeHash,
  unitsGivenBack
} from './pickup.rules.js';

/**
 * The donor's side of a reservation (issue 5, part 5): the handover screen finds a reservation by its
 * pickup code (or the accompanied person's card), confirms a full or partial pickup, cancels with a
 * reason; a job turns unclaimed reservations into no-shows, tells the person, and lowers their limits
 * after repeated no-shows (`penaltyOf`, read by the reservation limits).
 *
 * A donor sees a first name, a quantity and an offer title — nothing of a person's eligibility.
 * Reservations of another donor answer 404, as if they did not exist.
 */

export interface PickupActor {
  userId: string;
  isPlatformAdmin: boolean;
  requestId?: string;
}

export interface PickupDeps {
  db: Kysely<DB>;
  now: () => Date;
  limiter: RateLimiter;
  people: Pick<PeopleService, 'identifyByCard'>;
  /** Seals the codes of waiting-list reservations promoted when units come back. */
  sealingKey: SealingKey;
}

export type HandoverView = HandoverRow;

export interface LookupResult {
  /** How the person was found: their reservation's pickup code, or their card. */
  via: 'code' | 'card';
  firstName: string;
  reservations: HandoverView[];
}

export interface Penalty {
  /** Limits stay lowered until this instant (ISO). */
  until: string;
  /** Active reservations a person may hold meanwhile. */
  maxActiveReservations: number;
}


const reservationNotFound = () => new AppError('not_found', 'Reservation not found');

/**
 * The lowered limits of a person after repeated no-shows, or null. For the reservation limits (M2):
 * while a penalty runs, a person may hold `maxActiveReservations` active reservations at most.
 */
export async function penaltyOf(db: Kysely<DB>, userId: string, now: Date): Promise<Penalty | null> {
  return penaltyWith(db, await readSettings(db), userId, now);
}

/**
 * One definition of the penalty: the reservation limits' own (`limitsFor`, over the times the no-shows
 * were recorded), so what the person is told is what the limits enforce.
 */
async function penaltyWith(db: Kysely<DB>, settings: MarketplaceSettings, userId: string, now: Date): Promise<Penalty | null> {
  const since = new Date(now.getTime() - settings.noShowWindowDays * 86_400_000).toISOString();
  const limits = limitsFor(settings, await noShowTimes(db, userId, since), now);
  return limits.penaltyUntil ? { until: limits.penaltyUntil, maxActiveReservations: limits.maxActiveReservations } : null;
}

export function createPickupService(deps: PickupDeps) {
  const { db, now, limiter, people, sealingKey } = deps;

  /** Only members of the organisation hand over its offers; others get 403 (the organisation is public). */
  async function requireDonorMember(actor: PickupActor, organisationId: string): Promise<void> {
    const m = await findMembership(db, organisationId, actor.userId);
    if (!m) throw new AppError('forbidden', 'Only members of this organisation hand over its offers');
  }

  /** The reservation when the caller may act on it as its donor; 404 otherwise (never tells it exists). */
  async function reservationOfDonor(actor: PickupActor, id: string): Promise<repo.ReservationForDonor> {
    const r = await repo.findReservationForDonor(db, id);
    if (!r) throw reservationNotFound();
    if (r.organisationId !== null) {
      if (!(await findMembership(db, r.organisationId, actor.userId))) throw reservationNotFound();
    } else if (r.donorUserId !== actor.userId) {
      throw reservationNotFound();
    }
    return r;
  }

  return {
    /**
     * Finds what to hand over from a typed or scanned code. A pickup code (6 symbols) matches a confirmed
     * reservation of THIS organisation's offers (code_hash = sha256(offer id + code), so the hash of each
     * offer with confirmed reservations is computed: a handful at a time). A card code (8 symbols) identifies
     * an accompanied person (people service: its own limits, audited) and lists their confirmed reservations
     * here. Invalid characters → 400 `code`; no match → 404; failures are limited per caller and address (429).
     */
    async lookup(actor: PickupActor, organisationId: string, input: unknown, ctx: { ip?: string } = {}): Promise<LookupResult> {
      const body = parseInput(handoverLookupInput, input);
      await requireDonorMember(actor, organisationId);
      const typed = normaliseHandoverCode(body.code);
      if (typed.kind === 'card') {
        const person = await people.identifyByCard(
          { userId: actor.userId, isPlatformAdmin: actor.isPlatformAdmin, requestId: actor.requestId },
          { code: typed.code, organisationId },
          ctx
        );
        return { via: 'card', firstName: person.firstName, reservations: await repo.findConfirmedOfUserAt(db, organisationId, person.userId) };
      }
      const keys = [`pickup-lookup:user:${actor.userId}`, ...(ctx.ip ? [`pickup-lookup:ip:${ctx.ip}`] : [])];
      limiter.consume(keys[0]!, LOOKUP_LIMITS.perUser, LOOKUP_LIMITS.windowMs);
      if (keys[1]) limiter.consume(keys[1], LOOKUP_LIMITS.perIp, LOOKUP_LIMITS.windowMs);
      const offerIds = await repo.offerIdsWithConfirmed(db, organisationId);
      const found = await repo.findConfirmedByHashes(
        db,
        organisationId,
        offerIds.map((id) => pickupCodeHash(id, typed.code))
      );
      const first = found[0];
      if (!first) throw new AppError('not_found', 'No reservation to hand over has this code');
      // Only failures use up the limits: a busy counter is not guessing.
      for (const key of keys) limiter.release(key);
      return { via: 'code', firstName: first.firstName, reservations: found };
    },

    /**
     * Confirms the pickup of `quantity` units (all or part of the reservation), from HANDOVER_EARLY_MINUTES
     * before the window until HANDOVER_LATE_MINUTES after it. In one transaction: confirmed → collected
     * (conditional), and the units not collected go back to the offer's remainder (conditional, never above
     * its quantity) so someone else may still reserve them while the window runs.
     */
    async collect(actor: PickupActor, reservationId: string, input: unknown): Promise<HandoverView> {
      const body = parseInput(collectInput, input);
      const r = await reservationOfDonor(actor, reservationId);
      if (r.status !== 'confirmed') {
        throw new AppError('conflict', `This reservation is ${r.status}, not waiting to be handed over`, { status: r.status });
      }
      if (body.quantity > r.quantity) {
        throw fieldError('quantity', `At most ${r.quantity} (the quantity reserved)`, 'too_big');
      }
      const at = now();
      const timing = handoverTiming({ startsAt: r.pickupStartsAt, endsAt: r.pickupEndsAt }, at);
      if (timing !== 'open') {
        throw new AppError(
          'conflict',
          timing === 'early'
            ? `Handover opens ${HANDOVER_EARLY_MINUTES} minutes before the pickup window`
            : `Handover closed ${HANDOVER_LATE_MINUTES} minutes after the pickup window`,
          { timing, pickupStartsAt: r.pickupStartsAt, pickupEndsAt: r.pickupEndsAt }
        );
      }
      const iso = at.toISOString();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.markCollected(trx, r.id, body.quantity, iso))) {
          throw new AppError('conflict', 'This reservation changed meanwhile (collected, cancelled or not collected)');
        }
        const back = unitsGivenBack(r.quantity, body.quantity);
        if (!(await giveBackUnits(trx, r.offerId, back, iso))) throw new AppError('internal', 'Offer remainder out of bounds');
        // Units not taken go to the waiting list first, as when a person cancels.
        if (back > 0) await promoteWaiting(trx, r.offerId, at, { sealingKey });
      });
      return viewOf(r.id);
    },

    /**
     * The donor cancels a reservation at any time with a reason: confirmed (its units go back to the offer),
     * or still pooled / on the waiting list. The person is told in the same transaction (outbox).
     */
    async donorCancel(actor: PickupActor, reservationId: string, input: unknown): Promise<HandoverView> {
      const body = parseInput(donorCancelInput, input);
      const r = await reservationOfDonor(actor, reservationId);
      if (r.status !== 'confirmed' && r.status !== 'pooled' && r.status !== 'waiting') {
        throw new AppError('conflict', `This reservation is ${r.status}: nothing to cancel`, { status: r.status });
      }
      const at = now();
      const iso = at.toISOString();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.markDonorCancelled(trx, r.id, r.status, body.reason, iso))) {
          throw new AppError('conflict', 'This reservation changed meanwhile');
        }
        if (r.status === 'confirmed') {
          if (!(await giveBackUnits(trx, r.offerId, r.quantity, iso))) throw new AppError('internal', 'Offer remainder out of bounds');
          await promoteWaiting(trx, r.offerId, at, { sealingKey });
        }
        const facts = r.userId ? await findOfferForMessage(trx, r.offerId) : undefined;
        if (r.userId && facts) {
          await notifyUser(trx, at, r.userId, { kind: 'reservation.cancelled', params: { ...facts, reason: body.reason }, link: '/mes-reservations' });
        }
      });
      return viewOf(r.id);
    },

    /** The organisation's reservations whose window falls today (Europe/Paris): to hand over, handed over, not collected. */
    async listToday(actor: PickupActor, organisationId: string): Promise<HandoverView[]> {
      await requireDonorMember(actor, organisationId);
      const { from, to } = parisDayBounds(now());
      return repo.listHandoversBetween(db, organisationId, from, to);
    },

    /** The handover page: the organisation's name and today's reservations (members only). */
    async handoverBoard(actor: PickupActor, organisationId: string): Promise<{ organisation: { id: string; name: string }; today: HandoverView[] }> {
      const org = await repo.findOrganisationBrief(db, organisationId);
      if (!org) throw new AppError('not_found', 'Organisation not found');
      await requireDonorMember(actor, organisationId);
      const { from, to } = parisDayBounds(now());
      return { organisation: { id: org.id, name: org.name }, today: await repo.listHandoversBetween(db, organisationId, from, to) };
    },

    /**
     * The no-show job: confirmed reservations whose window ended more than the grace ago become no_show
     * (conditional update: a late handover wins if it came first), and each person is told in the same
     * transaction — with the reason and end date when their limits are now lowered. Returns how many.
     */
    async markNoShows(batch = 200): Promise<number> {
      const at = now();
      const iso = at.toISOString();
      const settings = await readSettings(db);
      const due = await repo.listDueNoShows(db, noShowCutoff(at), batch);
      let marked = 0;
      for (const d of due) {
        const done = await db.transaction().execute(async (trx) => {
          if (!(await repo.markNoShow(trx, d.id, iso))) return false;
          const facts = d.userId ? await findOfferForMessage(trx, d.offerId) : undefined;
          if (d.userId && facts) {
            await notifyUser(trx, at, d.userId, {
              kind: 'reservation.no_show',
              params: {
                ...facts,
                penalty: await penaltyWith(trx, settings, d.userId, at),
                noShowRule: { threshold: settings.noShowThreshold, windowDays: settings.noShowWindowDays }
              },
              link: '/mes-reservations'
            });
          }
          return true;
        });
        if (done) marked++;
      }
      return marked;
    },

    /** See `penaltyOf`. */
    penaltyOf(userId: string): Promise<Penalty | null> {
      return penaltyOf(db, userId, now());
    }
  };

  async function viewOf(id: string): Promise<HandoverView> {
    const row = await repo.findHandoverById(db, id);
    if (!row) throw reservationNotFound();
    return row;
  }
}

export type PickupService = ReturnType<typeof createPickupService>;
