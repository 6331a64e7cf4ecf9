/**
 * Pickups get the courier's own order number (`reference`), optional, unique per requester: a
 * courier retrying a POST whose answer it never saw gets the pickup it already made instead of a
 * second one, which would send a van to a village for nothing. Parcels have had this from the
 * start through (courier, waybill). Pickups asked for by a dispatcher or an admin have no courier
 * (NULL), so the key is `coalesce(courier_code, '')`: plain NULLs would never collide. Partial:
 * pickups without a reference cost the index nothing.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pickups').addColumn('reference', 'text').execute();
  await sql`create unique index pickups_reference_idx on pickups (coalesce(courier_code, ''), reference) where reference is not null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('pickups_reference_idx').execute();
  await db.schema.alterTable('pickups').dropColumn('reference').execute();
}
