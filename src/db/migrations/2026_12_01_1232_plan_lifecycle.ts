/**
 * The day after the plan (issue 11): a plan's life-cycle, its versions, vehicle breakdowns,
 * delivery attempts and returns, and the frozen KPIs of a closed day.
 *
 * - `plans.state` is the dispatcher's life-cycle (draft → published → in_progress → closed), beside
 *   `plans.status`, which stays the computation's (queued → running → completed | failed).
 * - A re-plan is a new plan row (`version` + 1) that links the one it replaces (`replaces_plan_id`);
 *   the replaced one points forward (`replaced_by_plan_id`) once the new one is complete, so an
 *   old manifest id can name its successor instead of answering 404.
 * - One run at a time per service date, whoever starts it (API, CLI, in-process): a unique index
 *   over the date of the queued or running rows. The database refuses the second, so two
 *   processes racing past an application check still cannot both run.
 * - `kpis_json` is the KPI snapshot written when the day closes; a closed day's numbers are read
 *   from it and never recomputed.
 * - `parcels.attempts` counts failed delivery attempts; `status_reason` is why the parcel is not
 *   delivered (the solver's reason when unassigned, the driver's when failed, the return's cause).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plans').addColumn('state', 'text', (c) => c.notNull().defaultTo('draft')).execute();
  await db.schema.alterTable('plans').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('plans').addColumn('replaces_plan_id', 'text').execute();
  await db.schema.alterTable('plans').addColumn('replaced_by_plan_id', 'text').execute();
  await db.schema.alterTable('plans').addColumn('published_at', 'text').execute();
  await db.schema.alterTable('plans').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('plans').addColumn('kpis_json', 'text').execute();
  await db.schema.createIndex('plans_date_version_uq').unique().on('plans').columns(['service_date', 'version']).execute();
  await sql`create unique index plans_one_run_per_date_uq on plans (service_date) where status in ('queued', 'running')`.execute(db);

  await db.schema.alterTable('parcels').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('parcels').addColumn('status_reason', 'text').execute();

  await db.schema
    .createTable('vehicle_breakdowns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_date', 'text', (c) => c.notNull())
    .addColumn('vehicle_id', 'text', (c) => c.notNull().references('vehicles.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vehicle_breakdowns_date_vehicle_uq').unique().on('vehicle_breakdowns').columns(['service_date', 'vehicle_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vehicle_breakdowns').execute();
  await db.schema.alterTable('parcels').dropColumn('status_reason').execute();
  await db.schema.alterTable('parcels').dropColumn('attempts').execute();
  await db.schema.dropIndex('plans_one_run_per_date_uq').execute();
  await db.schema.dropIndex('plans_date_version_uq').execute();
  for (const column of ['kpis_json', 'closed_at', 'published_at', 'replaced_by_plan_id', 'replaces_plan_id', 'version', 'state']) {
    await db.schema.alterTable('plans').dropColumn(column).execute();
  }
}
