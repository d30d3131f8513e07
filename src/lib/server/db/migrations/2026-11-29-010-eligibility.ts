import { SqliteAdapter, type Kysely } from 'kysely';

/**
 * Beneficiaries and eligibility: the territory's schemes (dispositifs) and who decides them,
 * territory settings (table of parts of the quotient familial…), the person's household, requests
 * to an organisation with encrypted proof documents, decisions (history), grants (what others may
 * see: scheme, until, by whom), accompanied accounts and their printed cards.
 *
 * Money is stored in integer cents. Documents are AES-256-GCM ciphertext (key from configuration)
 * and are deleted once the request is decided. Every table that holds a person's data cascades from
 * `user`, so erasing an account erases them.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const blob = sqlite ? 'blob' : 'bytea';

  // Territory settings edited by the CCAS / platform admins (JSON values, e.g. eligibility.qfParts).
  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scheme')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique()) // anti-gaspi | epicerie-sociale | paniers | aide-urgence | …
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('description', 'text')
    .addColumn('accepted_profiles', 'text', (c) => c.notNull().defaultTo('[]')) // JSON; [] = every profile
    .addColumn('communes', 'text', (c) => c.notNull().defaultTo('[]')) // JSON INSEE codes; [] = anywhere
    .addColumn('max_reste_a_vivre_cents', 'integer') // per person per day; null = no threshold
    .addColumn('max_quotient_familial_cents', 'integer') // per month; null = no threshold
    .addColumn('default_validity_days', 'integer', (c) => c.notNull())
    .addColumn('max_validity_days', 'integer', (c) => c.notNull())
    .addColumn('is_renewable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Which organisations may decide a scheme.
  await db.schema
    .createTable('scheme_decider')
    .addColumn('scheme_id', 'text', (c) => c.notNull().references('scheme.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('scheme_decider_pk', ['scheme_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('scheme_decider_org_idx').on('scheme_decider').column('organisation_id').execute();

  // The person's own declaration (one per account).
  await db.schema
    .createTable('household')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('adults', 'integer', (c) => c.notNull())
    .addColumn('children', 'integer', (c) => c.notNull())
    .addColumn('is_single_parent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('profile', 'text', (c) => c.notNull()) // etudiant | famille-monoparentale | travailleur-precaire | demandeur-emploi | retraite | autre
    .addColumn('commune_insee', 'text')
    .addColumn('commune_name', 'text')
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('household_activity_idx').on('household').column('last_activity_at').execute();

  // A person accompanied by an organisation (account created at the desk, maybe without phone or email).
  await db.schema
    .createTable('accompaniment')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('created_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accompaniment_org_idx').on('accompaniment').column('organisation_id').execute();

  await db.schema
    .createTable('eligibility_request')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // submitted | incomplete | granted | refused | withdrawn
    .addColumn('renews_grant_id', 'text') // set for a renewal
    .addColumn('schemes', 'text', (c) => c.notNull().defaultTo('[]')) // JSON scheme codes asked for
    .addColumn('household_size', 'integer', (c) => c.notNull())
    .addColumn('adults', 'integer', (c) => c.notNull())
    .addColumn('children', 'integer', (c) => c.notNull())
    .addColumn('is_single_parent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('commune_insee', 'text')
    .addColumn('monthly_resources_cents', 'integer')
    .addColumn('monthly_charges_cents', 'integer')
    .addColumn('annual_taxable_income_cents', 'integer')
    .addColumn('monthly_benefits_cents', 'integer')
    .addColumn('message', 'text') // from the person (or the agent at the desk)
    .addColumn('missing', 'text') // what the agent asks for when incomplete
    .addColumn('decision_reason', 'text') // readable by the person
    .addColumn('decided_at', 'text')
    .addColumn('decided_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('is_desk', 'integer', (c) => c.notNull().defaultTo(0)) // started by an agent (fiche d'orientation)
    .addColumn('created_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('documents_deleted_at', 'text')
    .addColumn('documents_deleted_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)) // optimistic concurrency of decisions
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('eligibility_request_queue_idx')
    .on('eligibility_request')
    .columns(['organisation_id', 'status', 'submitted_at'])
    .execute();
  await db.schema.createIndex('eligibility_request_user_idx').on('eligibility_request').column('user_id').execute();

  // Proof documents, encrypted at rest; rows are deleted once the request is decided.
  await db.schema
    .createTable('eligibility_document')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('eligibility_request.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull()) // e.g. "Avis d'imposition" (no file name kept)
    .addColumn('media_type', 'text', (c) => c.notNull()) // application/pdf | image/jpeg | image/png (sniffed)
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', blob, (c) => c.notNull())
    .addColumn('auth_tag', blob, (c) => c.notNull())
    .addColumn('ciphertext', blob, (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eligibility_document_request_idx').on('eligibility_document').column('request_id').execute();
  await db.schema.createIndex('eligibility_document_created_idx').on('eligibility_document').column('created_at').execute();

  // Every decision taken on a request (granted, refused, incomplete), kept as history.
  await db.schema
    .createTable('eligibility_decision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('eligibility_request.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (c) => c.notNull()) // granted | refused | incomplete
    .addColumn('schemes', 'text', (c) => c.notNull().defaultTo('[]')) // JSON scheme codes granted
    .addColumn('valid_until', 'text') // ISO date (YYYY-MM-DD) for granted
    .addColumn('reason', 'text')
    .addColumn('decided_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eligibility_decision_request_idx').on('eligibility_decision').column('request_id').execute();

  // What others may see: eligible for scheme X until date, granted by organisation Y.
  await db.schema
    .createTable('eligibility_grant')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('scheme_id', 'text', (c) => c.notNull().references('scheme.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) => c.references('eligibility_request.id').onDelete('set null'))
    .addColumn('decision_id', 'text', (c) => c.references('eligibility_decision.id').onDelete('set null'))
    .addColumn('valid_from', 'text', (c) => c.notNull()) // ISO date
    .addColumn('valid_until', 'text', (c) => c.notNull()) // ISO date, inclusive
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('revoke_reason', 'text')
    .addColumn('reminded_at', 'text') // expiry reminder sent
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('eligibility_grant_user_idx')
    .on('eligibility_grant')
    .columns(['user_id', 'scheme_id', 'valid_until'])
    .execute();
  await db.schema.createIndex('eligibility_grant_until_idx').on('eligibility_grant').column('valid_until').execute();

  // Printed cards of accompanied people: a short code that identifies the person at a pickup.
  // The code is kept hashed for lookup and encrypted (same key as documents) so a card can be printed again.
  await db.schema
    .createTable('person_card')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('code_ciphertext', 'text', (c) => c.notNull()) // base64 of key_id.iv.tag.ciphertext
    .addColumn('issued_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by_user_id', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('person_card_user_idx').on('person_card').column('user_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'person_card',
    'eligibility_grant',
    'eligibility_decision',
    'eligibility_document',
    'eligibility_request',
    'accompaniment',
    'household',
    'scheme_decider',
    'scheme',
    'setting'
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
