import { SqliteAdapter, type Kysely } from 'kysely';

/**
 * The anti-waste marketplace: offers (dons) posted by donors, recurring series that generate them,
 * their photos, reservations with pickup codes (and the waiting list), saved areas and preferences
 * for the feed, in-app notifications, Web Push subscriptions and the outbox that delivers them.
 *
 * Quantities are integers (units or portions); weights in grams; values at cost price in cents.
 * Allergens and diets are bit masks (integer), so the feed filters "contains none of my allergens"
 * with `(allergen_mask & ?) = 0` on both databases; the JSON lists are kept beside them for display.
 * `remaining` is decremented by a conditional UPDATE (… WHERE remaining >= ?), never read-modify-write.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const blob = sqlite ? 'blob' : 'bytea';

  // A recurring offer ("bread every weekday 19:00–20:00"): a template and a weekly rule.
  await db.schema
    .createTable('offer_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.references('organisation.id').onDelete('cascade'))
    .addColumn('donor_user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('template', 'text', (c) => c.notNull()) // JSON: the offer's fields without dates
    .addColumn('weekdays', 'text', (c) => c.notNull()) // JSON [1..7], ISO weekdays (1 = Monday)
    .addColumn('start_time', 'text', (c) => c.notNull()) // HH:MM, Europe/Paris
    .addColumn('end_time', 'text', (c) => c.notNull()) // HH:MM, Europe/Paris
    .addColumn('starts_on', 'text', (c) => c.notNull()) // ISO date
    .addColumn('ends_on', 'text') // ISO date, inclusive; null = until stopped
    .addColumn('generated_until', 'text') // ISO date: occurrences exist up to this day
    .addColumn('stopped_at', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('offer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // A donor organisation's offer, or an individual's (organisation_id null, territory permitting).
    .addColumn('organisation_id', 'text', (c) => c.references('organisation.id').onDelete('cascade'))
    .addColumn('donor_user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('posted_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('series_id', 'text', (c) => c.references('offer_series.id').onDelete('set null'))
    .addColumn('occurrence_on', 'text') // ISO date of a series occurrence
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('category', 'text', (c) => c.notNull()) // produits-frais | fruits-legumes | plats-cuisines | pain-viennoiserie | produits-laitiers | epicerie-seche | boissons | bebe | autre
    .addColumn('unit', 'text', (c) => c.notNull()) // unit | portion
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('weight_grams', 'integer') // total weight of the offer
    .addColumn('date_kind', 'text', (c) => c.notNull()) // dlc | ddm | none
    .addColumn('date_on', 'text') // ISO date of the DLC / DDM
    .addColumn('allergens', 'text', (c) => c.notNull().defaultTo('[]')) // JSON of the 14 EU allergens' codes
    .addColumn('allergen_mask', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('diets', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('diet_mask', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('storage', 'text', (c) => c.notNull()) // ambient | chilled | frozen
    .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]')) // JSON: local, bio
    .addColumn('address_line', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('pickup_starts_at', 'text', (c) => c.notNull())
    .addColumn('pickup_ends_at', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull()) // people | partners-first | partners
    .addColumn('partners_until', 'text') // partners-first: people may reserve from then
    .addColumn('pooling_ends_at', 'text') // fair allocation: requests until then go to the lottery
    .addColumn('allocated_at', 'text') // when the pooling lottery ran
    .addColumn('value_cents', 'integer') // whole offer at cost price, for tax receipts
    .addColumn('status', 'text', (c) => c.notNull()) // published | cancelled | closed
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('offer_series_occurrence_unique', ['series_id', 'occurrence_on'])
    .execute();
  // The feed: live offers (status, end of window) inside a bounding box.
  await db.schema.createIndex('offer_live_idx').on('offer').columns(['status', 'pickup_ends_at']).execute();
  await db.schema.createIndex('offer_lat_lng_idx').on('offer').columns(['lat', 'lng']).execute();
  await db.schema.createIndex('offer_organisation_idx').on('offer').columns(['organisation_id', 'pickup_starts_at']).execute();
  await db.schema.createIndex('offer_donor_user_idx').on('offer').column('donor_user_id').execute();

  await db.schema
    .createTable('offer_photo')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull().references('offer.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', blob, (c) => c.notNull()) // WebP, metadata stripped
    .addColumn('thumb_bytes', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('offer_photo_offer_idx').on('offer_photo').column('offer_id').execute();

  await db.schema
    .createTable('reservation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull().references('offer.id').onDelete('cascade'))
    // The person (eligible) or the partner association that reserves.
    .addColumn('user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('partner_organisation_id', 'text', (c) => c.references('organisation.id').onDelete('cascade'))
    .addColumn('acted_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null')) // agent for an accompanied person
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('collected_quantity', 'integer')
    // pooled (in the lottery) | waiting | confirmed | collected | cancelled | no_show | not_allocated
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('waiting_position', 'integer')
    .addColumn('code_hash', 'text') // sha256 of the pickup code (set when confirmed)
    .addColumn('code_ciphertext', 'text') // sealed code, to show it again to the person
    .addColumn('idempotency_key', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_by', 'text') // person | donor | system
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('collected_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reservation_idempotency_unique', ['user_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('reservation_offer_idx').on('reservation').columns(['offer_id', 'status']).execute();
  await db.schema.createIndex('reservation_user_idx').on('reservation').columns(['user_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('reservation_code_idx').on('reservation').column('code_hash').execute();

  // The feed's saved area and preferences, and what "new offers near me" notifications obey.
  await db.schema
    .createTable('feed_preference')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('radius_km', 'double precision', (c) => c.notNull().defaultTo(3))
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('diet_mask', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('excluded_allergen_mask', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_new_offers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('quiet_start', 'text') // HH:MM Europe/Paris
    .addColumn('quiet_end', 'text')
    .addColumn('daily_cap', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // In-app notifications (the list a person sees), written in the same transaction as the event.
  await db.schema
    .createTable('inbox_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // offer.new | reservation.confirmed | reservation.promoted | reservation.reminder | offer.cancelled | …
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbox_item_user_idx').on('inbox_item').columns(['user_id', 'created_at']).execute();

  // Outbox: deliveries to do (email, sms, push) for an inbox item, retried by a worker.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('inbox_item_id', 'text', (c) => c.references('inbox_item.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull()) // email | sms | push
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | failed | skipped
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('push_subscription')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_subscription_user_idx').on('push_subscription').column('user_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'push_subscription',
    'outbox',
    'inbox_item',
    'feed_preference',
    'reservation',
    'offer_photo',
    'offer',
    'offer_series'
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
