/**
 * Reference data: couriers, API keys, the three-tier network (townships, hubs, stations) and the
 * fleet. Written in the SQL subset SQLite and PostgreSQL share (text ids, ISO timestamps as text,
 * 0/1 integers for booleans, integer units; coordinates as double precision).
 */
import type { Kysely } from 'kysely';

// Migrations are frozen in time: they see an untyped database, not today's schema.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('couriers')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('courier_code', 'text', (c) => c.references('couriers.code'))
    .addColumn('driver_id', 'text')
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_key_hash_uq').unique().on('api_keys').column('key_hash').execute();

  // townships.hub_id is not a foreign key: hubs reference their township, and a cycle would
  // force deferred constraints, which SQLite and PostgreSQL spell differently.
  await db.schema
    .createTable('townships')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seat_lat', 'double precision', (c) => c.notNull())
    .addColumn('seat_lon', 'double precision', (c) => c.notNull())
    .addColumn('hub_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hubs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('township_code', 'text', (c) => c.notNull().references('townships.code'))
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('coord_quality', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stations')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('township_code', 'text', (c) => c.notNull().references('townships.code'))
    .addColumn('hub_id', 'text', (c) => c.notNull().references('hubs.id'))
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('coord_quality', 'text', (c) => c.notNull())
    .addColumn('opens_s', 'integer', (c) => c.notNull())
    .addColumn('closes_s', 'integer', (c) => c.notNull())
    .addColumn('size_weight', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stations_township_idx').on('stations').column('township_code').execute();
  await db.schema.createIndex('stations_hub_idx').on('stations').column('hub_id').execute();

  await db.schema
    .createTable('vehicles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hub_id', 'text', (c) => c.notNull().references('hubs.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capacity_g', 'integer', (c) => c.notNull())
    .addColumn('capacity_cm3', 'integer', (c) => c.notNull())
    .addColumn('range_m', 'integer')
    .addColumn('cold_chain', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_trips', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('speed_kmh', 'double precision', (c) => c.notNull())
    .addColumn('fixed_cost_fen', 'integer', (c) => c.notNull())
    .addColumn('cost_per_km_fen', 'integer', (c) => c.notNull())
    .addColumn('cost_per_hour_fen', 'integer', (c) => c.notNull())
    .addColumn('driver_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('vehicles_hub_idx').on('vehicles').column('hub_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['vehicles', 'stations', 'hubs', 'townships', 'api_keys', 'couriers']) {
    await db.schema.dropTable(table).execute();
  }
}
