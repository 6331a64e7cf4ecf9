/**
 * The day's work: parcels and their events, pickups (上行 produce), plans with their routes and
 * stops, and the outbox that carries queue jobs to Redis after the database commit.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../database.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('cutoff_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('error', 'text')
    .addColumn('summary_json', 'text')
    .addColumn('savings_json', 'text')
    .execute();
  await db.schema.createIndex('plans_service_date_idx').on('plans').column('service_date').execute();

  await db.schema
    .createTable('routes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('hub_id', 'text', (c) => c.notNull().references('hubs.id'))
    .addColumn('vehicle_id', 'text', (c) => c.notNull())
    .addColumn('driver_id', 'text')
    .addColumn('trips', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('distance_m', 'integer', (c) => c.notNull())
    .addColumn('duration_s', 'integer', (c) => c.notNull())
    .addColumn('cost_fen', 'integer', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('load_json', 'text', (c) => c.notNull())
    .addColumn('geometry_json', 'text')
    .execute();
  await db.schema.createIndex('routes_plan_idx').on('routes').column('plan_id').execute();

  await db.schema
    .createTable('stops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('route_id', 'text', (c) => c.notNull().references('routes.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.references('stations.code'))
    .addColumn('hub_id', 'text', (c) => c.references('hubs.id'))
    .addColumn('trip', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('arrival_at', 'text', (c) => c.notNull())
    .addColumn('departure_at', 'text', (c) => c.notNull())
    .addColumn('deliver_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pickup_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('load_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stops_route_seq_uq').unique().on('stops').columns(['route_id', 'seq']).execute();

  // plan_id / stop_id are plain columns: a re-plan deletes old routes and stops, and parcels must
  // keep their history rows rather than block that delete.
  await db.schema
    .createTable('parcels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('courier_code', 'text', (c) => c.notNull().references('couriers.code'))
    .addColumn('waybill', 'text', (c) => c.notNull())
    .addColumn('station_code', 'text', (c) => c.notNull().references('stations.code'))
    .addColumn('destination_json', 'text', (c) => c.notNull())
    .addColumn('weight_g', 'integer', (c) => c.notNull())
    .addColumn('length_cm', 'integer')
    .addColumn('width_cm', 'integer')
    .addColumn('height_cm', 'integer')
    .addColumn('volume_cm3', 'integer', (c) => c.notNull())
    .addColumn('cold_chain', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fragile', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cod_amount_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_phone', 'text', (c) => c.notNull())
    .addColumn('promised_date', 'text')
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hub_id', 'text', (c) => c.references('hubs.id'))
    .addColumn('plan_id', 'text')
    .addColumn('stop_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('parcels_courier_waybill_uq').unique().on('parcels').columns(['courier_code', 'waybill']).execute();
  await db.schema.createIndex('parcels_status_idx').on('parcels').column('status').execute();
  await db.schema.createIndex('parcels_station_idx').on('parcels').column('station_code').execute();
  await db.schema.createIndex('parcels_plan_idx').on('parcels').column('plan_id').execute();
  await db.schema.createIndex('parcels_hub_status_idx').on('parcels').columns(['hub_id', 'status']).execute();

  await db.schema
    .createTable('parcel_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parcel_id', 'text', (c) => c.notNull().references('parcels.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('details_json', 'text')
    .execute();
  await db.schema.createIndex('parcel_events_parcel_at_idx').on('parcel_events').columns(['parcel_id', 'at']).execute();

  await db.schema
    .createTable('pickups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('courier_code', 'text', (c) => c.references('couriers.code'))
    .addColumn('station_code', 'text', (c) => c.notNull().references('stations.code'))
    .addColumn('shipper_name', 'text', (c) => c.notNull())
    .addColumn('shipper_phone', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('weight_g', 'integer', (c) => c.notNull())
    .addColumn('volume_cm3', 'integer', (c) => c.notNull())
    .addColumn('pieces', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('cold_chain', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ready_date', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('stop_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pickups_status_date_idx').on('pickups').columns(['status', 'ready_date']).execute();
  await db.schema.createIndex('pickups_station_idx').on('pickups').column('station_code').execute();

  // The relay reads unrelayed rows in id order; SQLite's INTEGER PRIMARY KEY and PostgreSQL's
  // identity column both give a monotonically increasing id.
  const postgres = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) =>
      postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('relayed_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_relayed_at_idx').on('outbox').columns(['relayed_at', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['outbox', 'pickups', 'parcel_events', 'parcels', 'stops', 'routes', 'plans']) {
    await db.schema.dropTable(table).execute();
  }
}
