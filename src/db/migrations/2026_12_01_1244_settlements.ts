/**
 * Settlement (结算, issue 11 item 8).
 *
 * - `plans.settlement_json`: the settlement computed when the plan is finalized (Shapley shares of
 *   the joint cost with each courier's stand-alone cost on the same work); provisional while the
 *   day runs, recomputed by a re-plan.
 * - `settlements`: one row per service date, written when the day closes from the closing plan's
 *   settlement and never changed afterwards (the primary key refuses a second one).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plans').addColumn('settlement_json', 'text').execute();
  await db.schema
    .createTable('settlements')
    .addColumn('service_date', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('joint_cost_fen', 'integer', (c) => c.notNull())
    .addColumn('settlement_json', 'text', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settlements').execute();
  await db.schema.alterTable('plans').dropColumn('settlement_json').execute();
}
