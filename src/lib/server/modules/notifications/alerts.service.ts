import type { Kysely } from 'kysely';
import { alertSettingsSchema, type AlertSettings, type AlertSettingsView } from '../../../schemas/notifications.js';
import { FEED_MAX_RADIUS_KM } from '../../../schemas/reservations.js';
import { haversineKm, type BoundingBox } from '../../db/geosearch.js';
import type { DB } from '../../db/schema.js';
import { listGrantsOfUsers } from '../eligibility/requests.repository.js';
import { parisDate } from '../eligibility/requests.rules.js';
import { holdsMarketplaceAccess } from '../marketplace/reservations.rules.js';
import { defaultAlertDailyCap, readSettings } from '../marketplace/reservations.repository.js';
import { membershipKeys } from '../organisations/organisations.repository.js';
import { enqueueNotification } from './inbox.repository.js';
import * as repo from './alerts.repository.js';
import { checkQuietHours, inQuietHours, offerMatches } from './alerts.rules.js';
import { messageFor } from './messages.js';

/**
 * Marketplace alerts written by jobs into the outbox: the reminder before a pickup window ends
 * (once per reservation) and "new offer in my saved area".
 *
 * New offers are found by a job scanning offers published in the last NEW_OFFER_LOOKBACK_MS rather
 * than by a hook in the offers service: an offer posted by any path (form, API, recurring series,
 * demo) is seen, and a failed run is simply caught up by the next one. Each (person, offer) is told
 * once (an inbox item links to the offer). During the person's quiet hours (Europe/Paris) the alert
 * is delayed, not dropped: the next run after the quiet hours sends it if the offer is still live
 * and still within the lookback. The daily cap counts alerts over the last 24 hours; beyond it an
 * offer is skipped for that person (it stays in the feed), and is not told later.
 */

/** How far back the new-offer scan looks: alerts delayed by quiet hours must still find their offer. */
export const NEW_OFFER_LOOKBACK_MS = 12 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AlertsService {
  /** Writes the reminders due now; returns how many. */
  sendPickupReminders(): Promise<{ reminded: number }>;
  /** Writes the new-offer alerts due now. */
  sendNewOfferAlerts(): Promise<{ alerted: number; quiet: number; capped: number }>;
  getAlertSettings(userId: string): Promise<AlertSettingsView>;
  saveAlertSettings(userId: string, input: AlertSettings): Promise<AlertSettingsView>;
}

/** A box of the largest saved radius around an offer (wider than the circle: a first cut). */
function boxAround(offer: { lat: number; lng: number }): BoundingBox {
  const dLat = FEED_MAX_RADIUS_KM / 111;
  const dLng = FEED_MAX_RADIUS_KM / (111 * Math.max(Math.cos((offer.lat * Math.PI) / 180), 0.1));
  return { minLat: offer.lat - dLat, maxLat: offer.lat + dLat, minLng: offer.lng - dLng, maxLng: offer.lng + dLng };
}

const inBox = (p: { lat: number; lng: number }, b: BoundingBox) => p.lat >= b.minLat && p.lat <= b.maxLat && p.lng >= b.minLng && p.lng <= b.maxLng;

const linkOf = (offer: { id: string }) => `/dons/${offer.id}`;

/** People whose alerts are decided together (their ids are bound as query parameters). */
export const ALERT_USER_BATCH = 2_000;

export function createAlertsService(deps: { db: Kysely<DB>; now: () => Date; userBatch?: number }): AlertsService {
  const { db, now } = deps;
  const userBatch = deps.userBatch ?? ALERT_USER_BATCH;

  async function getAlertSettings(userId: string): Promise<AlertSettingsView> {
    const row = await repo.alertSettings(db, userId);
    return {
      notifyNewOffers: Number(row?.notify_new_offers ?? 0) === 1,
      quietStart: row?.quiet_start ?? null,
      quietEnd: row?.quiet_end ?? null,
      dailyCap: row ? Math.min(Math.max(Number(row.daily_cap), 1), 20) : await defaultAlertDailyCap(db),
      hasArea: row?.lat != null && row?.lng != null,
      radiusKm: row ? Number(row.radius_km) : null
    };
  }

  return {
    async sendPickupReminders() {
      const at = now();
      const minutes = (await readSettings(db)).reminderMinutesBeforeEnd;
      if (minutes <= 0) return { reminded: 0 };
      const due = await repo.remindersDue(db, at.toISOString(), new Date(at.getTime() + minutes * 60_000).toISOString());
      let reminded = 0;
      for (const c of due) {
        const wrote = await db.transaction().execute(async (trx) => {
          if (!(await repo.markReminded(trx, c.reservationId, at.toISOString()))) return false;
          const text = messageFor('reservation.reminder', c.locale, {
            offerTitle: c.offerTitle,
            placeName: c.placeName,
            pickupStartsAt: c.pickupStartsAt,
            pickupEndsAt: c.pickupEndsAt,
            quantity: c.quantity
          });
          await enqueueNotification(trx, at, { userId: c.userId, kind: 'reservation.reminder', ...text, link: '/mes-reservations' });
          return true;
        });
        if (wrote) reminded += 1;
      }
      return { reminded };
    },

    async sendNewOfferAlerts() {
      const at = now();
      const result = { alerted: 0, quiet: 0, capped: 0 };
      const offers = await repo.recentLiveOffers(db, new Date(at.getTime() - NEW_OFFER_LOOKBACK_MS).toISOString(), at.toISOString());
      if (offers.length === 0) return result;

      // Who each offer may concern (saved point in a box of the largest radius around it, then the
      // person's own radius, categories, diets and allergens), from one read of the subscribers.
      const boxes = offers.map(boxAround);
      const subscribers = await repo.subscribersNear(db, {
        minLat: Math.min(...boxes.map((b) => b.minLat)),
        maxLat: Math.max(...boxes.map((b) => b.maxLat)),
        minLng: Math.min(...boxes.map((b) => b.minLng)),
        maxLng: Math.max(...boxes.map((b) => b.maxLng))
      });
      const candidates = offers.map((offer, i) =>
        subscribers.filter((p) => inBox(p, boxes[i]!) && p.userId !== offer.donorUserId && offerMatches(p, offer))
      );

      // What the rules below need to know of these people, in one query each per batch of people
      // (not one per person and offer; batches keep every list under the engines' parameter limits).
      // A person is wholly in one batch, so the daily cap counts all of their alerts of this run.
      const userIds = [...new Set(candidates.flat().map((p) => p.userId))];
      const links = offers.map(linkOf);
      const organisationIds = [...new Set(offers.flatMap((o) => (o.organisationId ? [o.organisationId] : [])))];
      const today = parisDate(at);
      for (let start = 0; start < userIds.length; start += userBatch) {
        const batch = userIds.slice(start, start + userBatch);
        const inBatch = new Set(batch);
        const [told, members, grants, sentToday] = await Promise.all([
          repo.alreadyAlerted(db, batch, links),
          membershipKeys(db, organisationIds, batch),
          listGrantsOfUsers(db, batch),
          repo.alertsSince(db, batch, new Date(at.getTime() - DAY_MS).toISOString())
        ]);
        const isEligible = (userId: string) => holdsMarketplaceAccess(grants.get(userId) ?? [], today);

        for (const [i, offer] of offers.entries()) {
          const link = links[i]!;
          for (const p of candidates[i]!) {
            if (!inBatch.has(p.userId)) continue;
            if (told.has(`${p.userId} ${link}`)) continue;
            if (offer.organisationId && members.has(`${offer.organisationId} ${p.userId}`)) continue;
            if (!isEligible(p.userId)) continue;
            if (inQuietHours(p.quietStart, p.quietEnd, at)) {
              result.quiet += 1;
              continue;
            }
            const sent = sentToday.get(p.userId) ?? 0;
            if (sent >= p.dailyCap) {
              result.capped += 1;
              continue;
            }
            const text = messageFor('offer.new', p.locale, {
              offerTitle: offer.title,
              placeName: offer.placeName,
              pickupStartsAt: offer.pickupStartsAt,
              pickupEndsAt: offer.pickupEndsAt,
              distanceKm: haversineKm(p, offer)
            });
            await db.transaction().execute((trx) => enqueueNotification(trx, at, { userId: p.userId, kind: 'offer.new', ...text, link }));
            sentToday.set(p.userId, sent + 1);
            result.alerted += 1;
          }
        }
      }
      return result;
    },

    getAlertSettings,

    async saveAlertSettings(userId, input) {
      const parsed = alertSettingsSchema.parse(input);
      checkQuietHours(parsed.quietStart, parsed.quietEnd);
      await repo.saveAlertSettings(
        db,
        userId,
        {
          notify_new_offers: parsed.notifyNewOffers ? 1 : 0,
          quiet_start: parsed.quietStart,
          quiet_end: parsed.quietEnd,
          daily_cap: parsed.dailyCap
        },
        now().toISOString()
      );
      return getAlertSettings(userId);
    }
  };
}
