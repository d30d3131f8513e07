import type { Generated } from 'kysely';

/**
 * Hand-kept table types of the marketplace (migration 2026-11-29-030-marketplace); `DB` in schema.ts
 * extends `MarketplaceTables`. Quantities are integers, weights grams, values cents, times ISO UTC text,
 * dates ISO (YYYY-MM-DD), booleans 0/1, lists JSON text; allergens and diets also as bit masks.
 */

export interface OfferSeriesTable {
  id: string;
  organisation_id: string | null;
  donor_user_id: string | null;
  template: string;
  weekdays: string;
  start_time: string;
  end_time: string;
  starts_on: string;
  ends_on: string | null;
  generated_until: string | null;
  stopped_at: string | null;
  created_by_user_id: string | null;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export type OfferStatus = 'published' | 'cancelled' | 'closed';

export interface OfferTable {
  id: string;
  organisation_id: string | null;
  donor_user_id: string | null;
  posted_by_user_id: string | null;
  series_id: string | null;
  occurrence_on: string | null;
  title: string;
  description: string | null;
  category: string;
  unit: 'unit' | 'portion';
  quantity: number;
  remaining: number;
  weight_grams: number | null;
  date_kind: 'dlc' | 'ddm' | 'none';
  date_on: string | null;
  allergens: string;
  allergen_mask: number;
  diets: string;
  diet_mask: number;
  storage: 'ambient' | 'chilled' | 'frozen';
  origins: string;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  lat: number;
  lng: number;
  pickup_starts_at: string;
  pickup_ends_at: string;
  audience: 'people' | 'partners-first' | 'partners';
  partners_until: string | null;
  pooling_ends_at: string | null;
  allocated_at: string | null;
  value_cents: number | null;
  /** 0/1, migration 032: the partner accepts a DLC closer than partnerMinDlcHours (default 0). */
  partner_accepts_shorter: Generated<number>;
  /** 0/1, migration 032: raw meat, fish, shellfish… declared by the donor (default 0). */
  is_raw_animal_product: Generated<number>;
  status: OfferStatus;
  cancel_reason: string | null;
  cancelled_at: string | null;
  version: number;
  is_demo: number;
  created_at: string;
  updated_at: string;
}

export interface OfferPhotoTable {
  id: string;
  offer_id: string;
  position: number;
  alt: string;
  width: number;
  height: number;
  bytes: Uint8Array;
  thumb_bytes: Uint8Array;
  /** Size of the thumbnail (migration 033). */
  thumb_width: number;
  thumb_height: number;
  created_at: string;
}

export type ReservationStatus =
  | 'pooled'
  | 'waiting'
  | 'confirmed'
  | 'collected'
  | 'cancelled'
  | 'no_show'
  | 'not_allocated';

export interface ReservationTable {
  id: string;
  offer_id: string;
  user_id: string | null;
  partner_organisation_id: string | null;
  acted_by_user_id: string | null;
  quantity: number;
  collected_quantity: number | null;
  status: ReservationStatus;
  waiting_position: number | null;
  code_hash: string | null;
  code_ciphertext: string | null;
  idempotency_key: string | null;
  cancel_reason: string | null;
  cancelled_by: 'person' | 'donor' | 'system' | null;
  is_demo: number;
  created_at: string;
  confirmed_at: string | null;
  collected_at: string | null;
  cancelled_at: string | null;
  /** When the "pickup ends soon" reminder was written (migration 031). */
  reminded_at: string | null;
  updated_at: string;
}

export interface FeedPreferenceTable {
  user_id: string;
  lat: number | null;
  lng: number | null;
  radius_km: number;
  categories: string;
  diet_mask: number;
  excluded_allergen_mask: number;
  notify_new_offers: number;
  quiet_start: string | null;
  quiet_end: string | null;
  daily_cap: number;
  updated_at: string;
}

export interface InboxItemTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read_at: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  user_id: string;
  inbox_item_id: string | null;
  channel: 'email' | 'sms' | 'push';
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface PushSubscriptionTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

export interface MarketplaceTables {
  offer_series: OfferSeriesTable;
  offer: OfferTable;
  offer_photo: OfferPhotoTable;
  reservation: ReservationTable;
  feed_preference: FeedPreferenceTable;
  inbox_item: InboxItemTable;
  outbox: OutboxTable;
  push_subscription: PushSubscriptionTable;
}
