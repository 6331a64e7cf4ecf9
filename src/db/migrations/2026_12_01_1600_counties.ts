/**
 * Several counties in one deployment (issue 15 item 3).
 *
 * - `counties`: one row per county network imported (`gongpei network import`, POST
 *   /v1/admin/networks); its id is the county's 6-digit administrative code (adcode).
 * - `county_id` on every network row (townships, hubs, stations, vehicles) and on what is planned
 *   per county (parcels, pickups, plans, settlements). Existing rows belong to Qin County
 *   (140430), the one network every earlier version knew; the column default says the same, so an
 *   older process still writing during a rolling upgrade stays correct for the one county it knew.
 * - `api_keys.county_ids`: the counties a key may see and act in, as a JSON array; null = every
 *   county. Existing admin keys keep every county; the other keys are Qin County's.
 * - Plans: one run at a time and version numbers are per county and date, not per date.
 * - Settlements: frozen per county and date; the table is rebuilt because SQLite cannot change a
 *   primary key in place.
 * - `stations.active`: a station left out of a re-import is kept (plans and parcels reference it)
 *   but no longer offered to intake.
 */
import { sql, type Kysely } from 'kysely';

export const QIN_COUNTY = '140430';

const NETWORK_AND_WORK = ['townships', 'hubs', 'stations', 'vehicles', 'parcels', 'pickups', 'plans'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('counties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seat_lat', 'double precision', (c) => c.notNull())
    .addColumn('seat_lon', 'double precision', (c) => c.notNull())
    /** County boundary, GeoJSON (WGS84), when the import had one. */
    .addColumn('boundary_json', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const table of NETWORK_AND_WORK) {
    await db.schema.alterTable(table).addColumn('county_id', 'text', (c) => c.notNull().defaultTo(QIN_COUNTY)).execute();
    await db.schema.createIndex(`${table}_county_idx`).on(table).column('county_id').execute();
  }
  await db.schema.alterTable('stations').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('api_keys').addColumn('county_ids', 'text').execute();
  await db.updateTable('api_keys').set({ county_ids: JSON.stringify([QIN_COUNTY]) }).where('role', '!=', 'admin').execute();

  // A database that already holds Qin County's network gets its county row (seat: the county
  // government, from data/qinxian/network.json); a fresh one gets it when the network is loaded.
  const seeded = await db.selectFrom('townships').select('code').limit(1).executeTakeFirst();
  if (seeded) {
    const now = new Date().toISOString();
    await db.insertInto('counties').values({ id: QIN_COUNTY, name: '沁县', seat_lat: 36.755884, seat_lon: 112.692928, boundary_json: null, created_at: now, updated_at: now }).execute();
  }

  await db.schema.dropIndex('plans_date_version_uq').execute();
  await db.schema.dropIndex('plans_one_run_per_date_uq').execute();
  await db.schema.createIndex('plans_county_date_version_uq').unique().on('plans').columns(['county_id', 'service_date', 'version']).execute();
  await sql`create unique index plans_one_run_per_county_date_uq on plans (county_id, service_date) where status in ('queued', 'running')`.execute(db);

  await db.schema
    .createTable('settlements_by_county')
    .addColumn('county_id', 'text', (c) => c.notNull())
    .addColumn('service_date', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('joint_cost_fen', 'integer', (c) => c.notNull())
    .addColumn('settlement_json', 'text', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('settlements_by_county_pk', ['county_id', 'service_date'])
    .execute();
  await sql`insert into settlements_by_county (county_id, service_date, plan_id, rule, joint_cost_fen, settlement_json, frozen_at)
    select ${QIN_COUNTY}, service_date, plan_id, rule, joint_cost_fen, settlement_json, frozen_at from settlements`.execute(db);
  await db.schema.dropTable('settlements').execute();
  await db.schema.alterTable('settlements_by_county').renameTo('settlements').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settlements_one_county')
    .addColumn('service_date', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('joint_cost_fen', 'integer', (c) => c.notNull())
    .addColumn('settlement_json', 'text', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into settlements_one_county select service_date, plan_id, rule, joint_cost_fen, settlement_json, frozen_at from settlements where county_id = ${QIN_COUNTY}`.execute(db);
  await db.schema.dropTable('settlements').execute();
  await db.schema.alterTable('settlements_one_county').renameTo('settlements').execute();
  await db.schema.dropIndex('plans_one_run_per_county_date_uq').execute();
  await db.schema.dropIndex('plans_county_date_version_uq').execute();
  await db.schema.createIndex('plans_date_version_uq').unique().on('plans').columns(['service_date', 'version']).execute();
  await sql`create unique index plans_one_run_per_date_uq on plans (service_date) where status in ('queued', 'running')`.execute(db);
  await db.schema.alterTable('api_keys').dropColumn('county_ids').execute();
  await db.schema.alterTable('stations').dropColumn('active').execute();
  for (const table of NETWORK_AND_WORK) {
    await db.schema.dropIndex(`${table}_county_idx`).execute();
    await db.schema.alterTable(table).dropColumn('county_id').execute();
  }
  await db.schema.dropTable('counties').execute();
}
