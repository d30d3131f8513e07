import { SqliteAdapter, type Kysely } from 'kysely';

/**
 * The public directory (annuaire): places of organisations, services at a place (aligned with
 * data·inclusion v1), tags for filtering, temporary notices, stops of mobile services, photos,
 * the change history, and freshness links of update campaigns.
 * List-valued fields are JSON text on the row (for display and export) AND rows of `service_tag`
 * (for indexed filtering on both databases); the repository keeps both in step.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const blob = sqlite ? 'blob' : 'bytea';

  await db.schema
    .createTable('place')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('address_line', 'text')
    .addColumn('address_complement', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('insee_code', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('accessibility_url', 'text')
    .addColumn('is_accessible', 'integer') // PMR: 1 yes, 0 no, null unknown
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of ISO 639-1
    .addColumn('opening_hours', 'text') // normalised OSM opening_hours
    .addColumn('saturation', 'text') // low | medium | high
    .addColumn('is_mobile', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('glane'))
    .addColumn('source_id', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('place_source_unique', ['source', 'source_id'])
    .execute();
  await db.schema.createIndex('place_organisation_idx').on('place').column('organisation_id').execute();
  await db.schema.createIndex('place_insee_idx').on('place').column('insee_code').execute();

  await db.schema
    .createTable('service')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('type', 'text') // data·inclusion types-de-services
    .addColumn('thematiques', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]')) // FOOD_CATEGORIES / OTHER_CATEGORIES
    .addColumn('frais', 'text') // gratuit | payant
    .addColumn('frais_details', 'text')
    .addColumn('publics', 'text', (c) => c.notNull().defaultTo('[]')) // data·inclusion publics
    .addColumn('publics_details', 'text')
    .addColumn('access', 'text', (c) => c.notNull().defaultTo('unconditional')) // ACCESS_KINDS
    .addColumn('conditions', 'text', (c) => c.notNull().defaultTo('{}')) // JSON: ageMin, ageMax, gender, family, status, students
    .addColumn('modalities', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('modalities_details', 'text')
    .addColumn('modes_accueil', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('modes_mobilisation', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('mobilisable_par', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('mobilisation_details', 'text')
    .addColumn('mobilisation_url', 'text')
    .addColumn('zone_eligibilite', 'text', (c) => c.notNull().defaultTo('[]')) // INSEE codes / departments
    .addColumn('food', 'text', (c) => c.notNull().defaultTo('{}')) // JSON: products, diets, choice, mealTypes, delivery
    .addColumn('opening_hours', 'text') // null: the place's hours
    .addColumn('contact_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('glane'))
    .addColumn('source_id', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_source_unique', ['source', 'source_id'])
    .execute();
  await db.schema.createIndex('service_place_idx').on('service').column('place_id').execute();

  // One row per (service, list, value): categories, publics, modalities, thematiques, languages…
  await db.schema
    .createTable('service_tag')
    .addColumn('service_id', 'text', (c) => c.notNull().references('service.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('service_tag_pk', ['service_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('service_tag_lookup_idx').on('service_tag').columns(['kind', 'value', 'place_id']).execute();

  await db.schema
    .createTable('place_notice')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('service_id', 'text', (c) => c.references('service.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // closure | hours
    .addColumn('starts_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, Paris
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('opening_hours', 'text')
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('place_notice_place_idx').on('place_notice').columns(['place_id', 'ends_on']).execute();

  await db.schema
    .createTable('place_stop')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address_line', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('opening_hours', 'text')
    .execute();
  await db.schema.createIndex('place_stop_place_idx').on('place_stop').column('place_id').execute();

  await db.schema
    .createTable('place_photo')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('place_photo_place_idx').on('place_photo').column('place_id').execute();

  // Every change kept: who, when, which section, before → after (JSON).
  await db.schema
    .createTable('directory_revision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull()) // no FK: history outlives a deleted place
    .addColumn('service_id', 'text')
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_label', 'text') // e.g. "lien de mise à jour" when no account acted
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull()) // create | update | delete | verify | import
    .addColumn('section', 'text') // identity | address | hours | contact | access | notices | …
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('directory_revision_place_idx').on('directory_revision').columns(['place_id', 'at']).execute();

  // Update campaigns: a link per organisation to confirm "nothing changed" or edit, without a password.
  await db.schema
    .createTable('freshness_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'freshness_link',
    'directory_revision',
    'place_photo',
    'place_stop',
    'place_notice',
    'service_tag',
    'service',
    'place'
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
