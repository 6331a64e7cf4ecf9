/**
 * A re-plan's results set aside until they are switched in (issue 11: a re-plan is all or nothing).
 *
 * `plan_staged_hubs`: one row per (re-plan version, hub) with the hub's solved village tier (the
 * fresh routes and the continuations of the routes under way, as JSON). The village steps run in
 * parallel and may fail or be retried, so none of them touches the live routes, stops, parcels or
 * pickups; the finalize step writes every hub's rows and hands the day to the new version in one
 * transaction, then deletes them. A failed re-plan leaves its rows here and the day as it was.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_staged_hubs')
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('hub_id', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_staged_hubs_pk', ['plan_id', 'hub_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plan_staged_hubs').execute();
}
