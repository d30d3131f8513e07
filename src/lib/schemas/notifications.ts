import { z } from 'zod';

/**
 * Notifications: the zod schemas shared by the API routes, the service and the pages
 * (Web Push subscriptions, inbox paging). No `$lib/server` import: pages use them too.
 */

const base64url = (name: string, min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: `${name} must be base64url` });

/** A browser's PushSubscription.toJSON(): an https endpoint and its two keys. */
export const pushSubscriptionSchema = z.object({
  endpoint: z
    .string()
    .max(2000)
    .refine(
      (v) => {
        try {
          return new URL(v).protocol === 'https:';
        } catch {
          return false;
        }
      },
      { message: 'must be an https URL' }
    ),
  keys: z.object({
    // An uncompressed P-256 point (65 bytes → 87 characters) and a 16-byte secret (22 characters).
    p256dh: base64url('p256dh', 80, 100),
    auth: base64url('auth', 16, 32)
  })
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

export const unsubscribePushSchema = z.object({ endpoint: z.string().min(1).max(2000) });

/** Inbox paging: `page` from 1, `limit` up to 100. */
export const inboxQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20)
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

/** HH:MM (Europe/Paris) of the quiet hours' ends. */
export const QUIET_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * "New offers near me" alerts (page /compte/notifications, PUT /api/v1/me/alert-settings): on/off,
 * quiet hours (both ends or neither; the service names the missing one), at most `dailyCap` a day.
 */
/** A person's daily cap of new-offer alerts, whatever the way it is saved (alert settings or feed preferences). */
export const alertDailyCapSchema = z.number().int().min(1).max(20);

/** One end of the quiet hours, HH:MM. */
export const quietTimeSchema = z.string().regex(QUIET_TIME, { message: 'must be HH:MM' });

export const alertSettingsSchema = z.object({
  notifyNewOffers: z.boolean(),
  quietStart: quietTimeSchema.nullable(),
  quietEnd: quietTimeSchema.nullable(),
  dailyCap: alertDailyCapSchema
});
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

/** The alert settings as read back, with whether a point is saved for the feed (alerts need one). */
export const alertSettingsViewSchema = alertSettingsSchema.extend({
  hasArea: z.boolean(),
  radiusKm: z.number().nullable()
});
export type AlertSettingsView = z.infer<typeof alertSettingsViewSchema>;
