import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Photos of places: `place_photo` (created empty by the directory migration) gets what the photo
 * feature needs beside the large image it already holds — the thumbnail (its bytes and size) and
 * who uploaded it. Both images are stored re-encoded and stripped of metadata, in the database
 * (one transactional store, one backup, both dialects).
 *
 * Added columns rather than a rebuilt table, so rows written by any earlier build survive; the
 * defaults only satisfy NOT NULL on such rows (the application always writes real values).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb) => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: AnyDb): Promise<void> {
  const sqlite = isSqlite(db);
  const blob = sqlite ? 'blob' : 'bytea';
  const emptyBlob = sqlite ? sql`x''` : sql`''::bytea`;
  await db.schema
    .alterTable('place_photo')
    .addColumn('thumb_data', blob, (c) => c.notNull().defaultTo(emptyBlob))
    .execute();
  await db.schema
    .alterTable('place_photo')
    .addColumn('thumb_width', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('place_photo')
    .addColumn('thumb_height', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Who uploaded it: kept for the editors, never published; forgotten with the account.
  await db.schema
    .alterTable('place_photo')
    .addColumn('uploaded_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  if (!isSqlite(db)) {
    for (const column of ['uploaded_by_user_id', 'thumb_height', 'thumb_width', 'thumb_data']) {
      await db.schema.alterTable('place_photo').dropColumn(column).execute();
    }
    return;
  }
  // SQLite cannot drop a column used in a foreign key: rebuild the table in its first shape.
  await db.schema
    .createTable('place_photo_v1')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('place_id', 'text', (c) => c.notNull().references('place.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO place_photo_v1 (id, place_id, position, alt, content_type, width, height, data, created_at)
    SELECT id, place_id, position, alt, content_type, width, height, data, created_at FROM place_photo`.execute(db);
  await db.schema.dropTable('place_photo').execute();
  await db.schema.alterTable('place_photo_v1').renameTo('place_photo').execute();
  await db.schema.createIndex('place_photo_place_idx').on('place_photo').column('place_id').execute();
}
