/**
 * Stations get their keeper (站长): the person at the village shop or service point who receives
 * the parcels, and a phone number the driver can call. Both optional: the county dataset has no
 * keepers; dispatchers fill them in (PATCH /v1/stations/{code}) and manifests and the driver view
 * show them. Re-seeding the network never touches them.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stations').addColumn('keeper_name', 'text').execute();
  await db.schema.alterTable('stations').addColumn('keeper_phone', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stations').dropColumn('keeper_phone').execute();
  await db.schema.alterTable('stations').dropColumn('keeper_name').execute();
}
