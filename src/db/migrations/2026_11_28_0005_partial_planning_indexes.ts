/**
 * Intake write path, continued (see 0004): `parcels_plan_idx` (plan_id) and
 * `parcels_hub_status_idx` (hub_id, status) serve planning, which looks parcels up by a given
 * plan or hub; intake inserts every parcel with both NULL, so each new parcel added an entry to
 * both that no query reads, and each commit dirtied a page of each. Made partial (`… IS NOT
 * NULL`): intake no longer touches them, and `plan_id = ?` / `hub_id = ?` imply the condition,
 * so SQLite and PostgreSQL still use them for planning. ParcelWriter micro-benchmark (100-parcel
 * commits, temp SQLite file): 35 → 26 µs CPU per parcel.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_plan_idx').execute();
  await db.schema.createIndex('parcels_plan_idx').on('parcels').column('plan_id').where('plan_id', 'is not', null).execute();
  await db.schema.dropIndex('parcels_hub_status_idx').execute();
  await db.schema.createIndex('parcels_hub_status_idx').on('parcels').columns(['hub_id', 'status']).where('hub_id', 'is not', null).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('parcels_plan_idx').execute();
  await db.schema.createIndex('parcels_plan_idx').on('parcels').column('plan_id').execute();
  await db.schema.dropIndex('parcels_hub_status_idx').execute();
  await db.schema.createIndex('parcels_hub_status_idx').on('parcels').columns(['hub_id', 'status']).execute();
}
