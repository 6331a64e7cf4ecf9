/**
 * Drivers belong to a county (issue 15 item 3): a county's dispatcher adds, lists, assigns and
 * signs in its own drivers only, and a driver's phone session sees that county only. Existing
 * drivers are Qin County's (140430), the one county every earlier version knew; the column default
 * says the same, so an older process still adding drivers during a rolling upgrade stays correct.
 */
import type { Kysely } from 'kysely';

const QIN_COUNTY = '140430';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('drivers').addColumn('county_id', 'text', (c) => c.notNull().defaultTo(QIN_COUNTY)).execute();
  await db.schema.createIndex('drivers_county_idx').on('drivers').column('county_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('drivers_county_idx').execute();
  await db.schema.alterTable('drivers').dropColumn('county_id').execute();
}
