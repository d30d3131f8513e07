import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Foundation: accounts, sessions, one-time codes, organisations, memberships, invitations,
 * audit log, notifications, and the shared search indexes (geo points, text documents).
 *
 * Conventions kept by every migration (see ARCHITECTURE.md): ids are text UUIDs; times are ISO 8601
 * UTC strings in text columns (same format on both databases, so they compare as text);
 * booleans are integers 0/1 (better-sqlite3 cannot bind booleans); JSON is text.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb) => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: AnyDb): Promise<void> {
  const sqlite = isSqlite(db);

  await db.schema
    .createTable('user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('phone', 'text', (c) => c.unique())
    .addColumn('password_hash', 'text')
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('email_verified_at', 'text')
    .addColumn('phone_verified_at', 'text')
    .addColumn('is_platform_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_sign_in_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('rotated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await db.schema
    .createTable('one_time_code')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull()) // sign_in | verify_email | reset_password
    .addColumn('channel', 'text', (c) => c.notNull()) // email | sms
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('one_time_code_destination_idx')
    .on('one_time_code')
    .columns(['destination', 'purpose'])
    .execute();

  await db.schema
    .createTable('organisation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // ccas | association | donor | platform
    .addColumn('donor_kind', 'text') // commerce | restaurant | ehpad | cantine | producteur | autre
    .addColumn('network', 'text') // data·inclusion reseaux-porteurs value
    .addColumn('siret', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('address_line', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('insee_code', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('membership')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisation.id').onDelete('cascade')
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull()) // owner | manager | member
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('membership_org_user_unique', ['organisation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('membership_user_idx').on('membership').column('user_id').execute();

  await db.schema
    .createTable('invitation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisation.id').onDelete('cascade')
    )
    .addColumn('email', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('revoked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitation_org_idx').on('invitation').column('organisation_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_subject_idx')
    .on('audit_log')
    .columns(['subject_type', 'subject_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_user_id', 'at']).execute();

  await db.schema
    .createTable('notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull()) // email | sms
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // captured | pending | sent | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('notification_status_idx').on('notification').columns(['status', 'created_at']).execute();

  // Shared geosearch index: one row per geolocated entity.
  if (sqlite) {
    await db.schema
      .createTable('geo_point')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('lat', 'double precision', (c) => c.notNull())
      .addColumn('lng', 'double precision', (c) => c.notNull())
      .addUniqueConstraint('geo_point_entity_unique', ['entity_type', 'entity_id'])
      .execute();
    await sql`CREATE VIRTUAL TABLE geo_point_rtree USING rtree(id, min_lat, max_lat, min_lng, max_lng)`.execute(db);
    await sql`CREATE TRIGGER geo_point_ai AFTER INSERT ON geo_point BEGIN
      INSERT INTO geo_point_rtree VALUES (new.id, new.lat, new.lat, new.lng, new.lng); END`.execute(db);
    await sql`CREATE TRIGGER geo_point_au AFTER UPDATE ON geo_point BEGIN
      UPDATE geo_point_rtree SET min_lat = new.lat, max_lat = new.lat, min_lng = new.lng, max_lng = new.lng
      WHERE id = new.id; END`.execute(db);
    await sql`CREATE TRIGGER geo_point_ad AFTER DELETE ON geo_point BEGIN
      DELETE FROM geo_point_rtree WHERE id = old.id; END`.execute(db);
    // Text search: a plain table (unique per entity, so upserts and deletes are index lookups) and an
    // external-content FTS5 index over its body, kept in sync by triggers. The app stores the body
    // already folded (text-search.rules.ts: accents, case, ligatures œ/æ); the tokenizer also removes
    // diacritics, as a second guard.
    await db.schema
      .createTable('search_document')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addUniqueConstraint('search_document_entity_unique', ['entity_type', 'entity_id'])
      .execute();
    await sql`CREATE VIRTUAL TABLE search_document_fts USING fts5(
      body, content = 'search_document', content_rowid = 'id',
      tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
    await sql`CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
      INSERT INTO search_document_fts (rowid, body) VALUES (new.id, new.body); END`.execute(db);
    await sql`CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
      INSERT INTO search_document_fts (search_document_fts, rowid, body) VALUES ('delete', old.id, old.body); END`.execute(db);
    await sql`CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
      INSERT INTO search_document_fts (search_document_fts, rowid, body) VALUES ('delete', old.id, old.body);
      INSERT INTO search_document_fts (rowid, body) VALUES (new.id, new.body); END`.execute(db);
  } else {
    await db.schema
      .createTable('geo_point')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('lat', 'double precision', (c) => c.notNull())
      .addColumn('lng', 'double precision', (c) => c.notNull())
      .addUniqueConstraint('geo_point_entity_unique', ['entity_type', 'entity_id'])
      .execute();
    await db.schema
      .createIndex('geo_point_bbox_idx')
      .on('geo_point')
      .columns(['entity_type', 'lat', 'lng'])
      .execute();
    // unaccent is created once per database (CREATE EXTENSION needs no race between schemas).
    await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db).catch(() => undefined);
    // An IMMUTABLE wrapper so the expression can be indexed (unaccent itself is STABLE).
    await sql`CREATE OR REPLACE FUNCTION glane_fold(input text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$`.execute(db);
    await db.schema
      .createTable('search_document')
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      // Stored, so ranking reads the vector instead of re-running unaccent on every matching row.
      .addColumn('search_vector', sql`tsvector`, (c) =>
        c.generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, glane_fold(body))`).stored().notNull()
      )
      .addPrimaryKeyConstraint('search_document_pk', ['entity_type', 'entity_id'])
      .execute();
    await sql`CREATE INDEX search_document_tsv_idx ON search_document USING gin (search_vector)`.execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  const sqlite = isSqlite(db);
  if (sqlite) await sql`DROP TABLE IF EXISTS search_document_fts`.execute(db);
  await db.schema.dropTable('search_document').ifExists().execute();
  if (sqlite) {
    await sql`DROP TABLE IF EXISTS geo_point_rtree`.execute(db);
  } else {
    await sql`DROP FUNCTION IF EXISTS glane_fold(text)`.execute(db);
  }
  for (const table of [
    'geo_point',
    'notification',
    'audit_log',
    'invitation',
    'membership',
    'organisation',
    'one_time_code',
    'session',
    'user'
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
