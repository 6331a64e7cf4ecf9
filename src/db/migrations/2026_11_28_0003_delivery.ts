/**
 * Delivery: what drivers report at their stops. Parcel status changes go to `parcel_events`
 * (0002); this table keeps the stop-level record (arrived, a pickup collected, a failed visit),
 * which a stop with no parcels (a pickup-only stop, a township centre on the line-haul) has no
 * other place for, and which the dashboard reads for route progress.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // No foreign keys to stops/routes: a re-plan replaces the day's routes, and what a driver
  // reported must outlive them.
  await db.schema
    .createTable('stop_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stop_id', 'text', (c) => c.notNull())
    .addColumn('route_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('driver_id', 'text')
    .addColumn('details_json', 'text')
    .execute();
  await db.schema.createIndex('stop_events_stop_idx').on('stop_events').columns(['stop_id', 'at']).execute();
  await db.schema.createIndex('stop_events_plan_idx').on('stop_events').column('plan_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stop_events').execute();
}
