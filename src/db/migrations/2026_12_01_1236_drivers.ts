/**
 * Drivers and how they sign in (issue 11, item 2).
 *
 * - `drivers`: the people; a vehicle's driver is now chosen per service date in
 *   `driver_assignments` (one driver per vehicle and day, one vehicle per driver and day).
 * - `driver_links`: a sign-in link (or its QR code) the dispatcher hands a driver: a random token
 *   (only its SHA-256 stored) bound to the driver and the service date, short-lived, single-use
 *   and revocable. Exchanging it gives the phone a session credential: an `api_keys` row of role
 *   driver that expires, is bound to the same date and names the link it came from (revoking the
 *   link ends its sessions).
 * - `route_opens`: when a driver first opened a route's manifest, for the dispatcher. No foreign
 *   key to routes: what a driver did outlives a re-plan, as `stop_events` does.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drivers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drivers_phone_uq').unique().on('drivers').column('phone').execute();

  await db.schema
    .createTable('driver_assignments')
    .addColumn('service_date', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull().references('vehicles.id'))
    .addColumn('driver_id', 'text', (c) => c.notNull().references('drivers.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('driver_assignments_pk', ['service_date', 'vehicle_id'])
    .execute();
  await db.schema.createIndex('driver_assignments_driver_date_uq').unique().on('driver_assignments').columns(['driver_id', 'service_date']).execute();

  await db.schema
    .createTable('driver_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('driver_id', 'text', (c) => c.notNull().references('drivers.id'))
    .addColumn('service_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('driver_links_driver_idx').on('driver_links').columns(['driver_id', 'service_date']).execute();

  await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('service_date', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('driver_link_id', 'text').execute();

  await db.schema
    .createTable('route_opens')
    .addColumn('route_id', 'text', (c) => c.notNull())
    .addColumn('driver_id', 'text', (c) => c.notNull())
    .addColumn('first_opened_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('route_opens_pk', ['route_id', 'driver_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('route_opens').execute();
  await db.schema.alterTable('api_keys').dropColumn('driver_link_id').execute();
  await db.schema.alterTable('api_keys').dropColumn('service_date').execute();
  await db.schema.alterTable('api_keys').dropColumn('expires_at').execute();
  await db.schema.dropTable('driver_links').execute();
  await db.schema.dropTable('driver_assignments').execute();
  await db.schema.dropTable('drivers').execute();
}
