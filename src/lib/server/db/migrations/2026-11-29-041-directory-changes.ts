import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * `directory_change`: one row per write that can change a public directory search answer, naming
 * the place concerned, appended by triggers on place, service, service_tag, place_notice, geo_point
 * and search_document (rows of places) and organisation (a rename touches its places). The in-memory
 * directory index (search.index.ts) reads the rows after the last sequence number it applied and
 * refreshes only those places, whoever wrote them (this process, an import script, another
 * instance). Rows older than a day are pruned by the index.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Table → the expression(s) naming the place of a row (OLD/NEW substituted), and an optional condition. */
const SQLITE_SOURCES: { table: string; place: string; when?: string }[] = [
  { table: 'place', place: 'id' },
  { table: 'service', place: 'place_id' },
  { table: 'service_tag', place: 'place_id' },
  { table: 'place_notice', place: 'place_id' },
  { table: 'geo_point', place: 'entity_id', when: "entity_type = 'place'" },
  { table: 'search_document', place: 'entity_id', when: "entity_type = 'place'" }
];

export async function up(db: AnyDb): Promise<void> {
  if (isSqlite(db)) {
    await sql`CREATE TABLE directory_change (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      place_id TEXT NOT NULL,
      changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`.execute(db);
    for (const s of SQLITE_SOURCES) {
      for (const [op, rows] of [
        ['INSERT', ['NEW']],
        ['UPDATE', ['OLD', 'NEW']],
        ['DELETE', ['OLD']]
      ] as const) {
        const cond = s.when ? rows.map((r) => `${r}.${s.when}`).join(' OR ') : '';
        const values = rows
          .map((r) => (s.when ? `SELECT ${r}.${s.place} WHERE ${r}.${s.when}` : `SELECT ${r}.${s.place}`))
          .join(' UNION ');
        await sql
          .raw(
            `CREATE TRIGGER directory_change_${s.table}_${op.toLowerCase()} AFTER ${op} ON ${s.table}
            ${cond ? `WHEN ${cond}` : ''}
            BEGIN INSERT INTO directory_change (place_id) ${values}; END`
          )
          .execute(db);
      }
    }
    await sql`CREATE TRIGGER directory_change_organisation_update AFTER UPDATE OF name ON organisation
      WHEN OLD.name IS NOT NEW.name
      BEGIN INSERT INTO directory_change (place_id) SELECT id FROM place WHERE organisation_id = NEW.id; END`.execute(db);
    return;
  }
  await sql`CREATE TABLE directory_change (
    seq BIGSERIAL PRIMARY KEY,
    place_id TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())`.execute(db);
  for (const s of SQLITE_SOURCES) {
    const oldCond = s.when ? ` AND OLD.${s.when}` : '';
    const newCond = s.when ? ` AND NEW.${s.when}` : '';
    await sql
      .raw(
        `CREATE FUNCTION directory_change_${s.table}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'INSERT'${oldCond} THEN INSERT INTO directory_change (place_id) VALUES (OLD.${s.place}); END IF;
          IF TG_OP <> 'DELETE'${newCond} THEN
            IF TG_OP = 'INSERT' OR NEW.${s.place} IS DISTINCT FROM OLD.${s.place} OR NOT (${s.when ? `OLD.${s.when}` : 'true'}) THEN
              INSERT INTO directory_change (place_id) VALUES (NEW.${s.place});
            END IF;
          END IF;
          RETURN NULL;
        END $$`
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER directory_change_${s.table} AFTER INSERT OR UPDATE OR DELETE ON ${s.table}
        FOR EACH ROW EXECUTE FUNCTION directory_change_${s.table}()`
      )
      .execute(db);
  }
  await sql`CREATE FUNCTION directory_change_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name IS DISTINCT FROM OLD.name THEN
        INSERT INTO directory_change (place_id) SELECT id FROM place WHERE organisation_id = NEW.id;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER directory_change_organisation AFTER UPDATE ON organisation
    FOR EACH ROW EXECUTE FUNCTION directory_change_organisation()`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (!isSqlite(db)) {
    for (const s of [...SQLITE_SOURCES.map((x) => x.table), 'organisation']) {
      await sql.raw(`DROP TRIGGER IF EXISTS directory_change_${s} ON ${s}`).execute(db);
      await sql.raw(`DROP FUNCTION IF EXISTS directory_change_${s}()`).execute(db);
    }
  } else {
    for (const s of SQLITE_SOURCES) {
      for (const op of ['insert', 'update', 'delete']) {
        await sql.raw(`DROP TRIGGER IF EXISTS directory_change_${s.table}_${op}`).execute(db);
      }
    }
    await sql`DROP TRIGGER IF EXISTS directory_change_organisation_update`.execute(db);
  }
  await sql`DROP TABLE directory_change`.execute(db);
}

