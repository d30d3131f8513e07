import { sql, type Kysely } from 'kysely';

/**
 * `reservation_partner_idx`: a partner association's reservations, newest first (its page
 * `/organisations/{id}/dons-partenaires` and `GET /api/v1/organisations/{orgId}/reservations`), read
 * without scanning every person's reservations. Partial (`partner_organisation_id IS NOT NULL`): the
 * people's reservations, nearly all of them, stay out of it.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('reservation_partner_idx')
    .on('reservation')
    .columns(['partner_organisation_id', 'created_at'])
    .where(sql.ref('partner_organisation_id'), 'is not', null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('reservation_partner_idx').execute();
}
