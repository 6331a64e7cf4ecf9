/**
 * A plan version's life-cycle after it is computed:
 *
 *   draft ──publish──▶ published ──first driver event──▶ in_progress ──close──▶ closed
 *
 * Publishing puts the plan in front of drivers. The first event moves it to in_progress (see
 * src/events). Closing ends the day: its KPIs are computed once and stored (`plans.kpis_json`),
 * and every later read of that day's numbers comes from the snapshot, so carrying parcels over to
 * the next day or re-planning later days cannot change them. Returns that rode the day's line-haul
 * back to the county warehouse are handed to their couriers (returned); parcels left on the day's
 * routes without an outcome go back to the pool for the next day.
 *
 * A breakdown is recorded against a vehicle and a service date; the next re-plan moves the
 * vehicle's remaining stops to others (src/planning/replan.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, PlanRow } from '../db/schema.ts';
import { planKpis } from '../dashboard/dashboard.service.ts';
import { AppError } from '../errors.ts';
import { notifyOutboxRow } from '../queue/outbox.ts';
import { freezeSettlementOnClose } from '../settlement/settlement.service.ts';
import { planStats } from '../stats/stats.service.ts';
import { chunks } from '../util/chunks.ts';
import { getPlan } from './plan.repository.ts';

async function requireCurrent(db: Kysely<Database>, planId: string): Promise<PlanRow> {
  const plan = await getPlan(db, planId);
  if (!plan) throw new AppError('not_found', 'no such plan');
  if (plan.status !== 'completed') throw new AppError('conflict', `the plan is ${plan.status}; only a completed plan can be published or closed`);
  if (plan.replaced_by_plan_id !== null) {
    throw new AppError('conflict', `plan version ${plan.version} was replaced by ${plan.replaced_by_plan_id}`, [{ path: 'id', message: `replaced by ${plan.replaced_by_plan_id}` }]);
  }
  return plan;
}

/** draft → published (drivers see it). Publishing again is harmless. */
export async function publishPlan(db: Kysely<Database>, planId: string, now = new Date()): Promise<PlanRow> {
  const plan = await requireCurrent(db, planId);
  if (plan.state === 'closed') throw new AppError('conflict', 'the day is closed');
  if (plan.state === 'draft') {
    await db.updateTable('plans').set({ state: 'published', published_at: now.toISOString() }).where('id', '=', planId).where('state', '=', 'draft').execute();
  }
  return (await getPlan(db, planId))!;
}

/** published → in_progress at a route's first driver event (inside the event's transaction). */
export async function markPlanStarted(db: Kysely<Database> | Transaction<Database>, planId: string): Promise<void> {
  await db.updateTable('plans').set({ state: 'in_progress' }).where('id', '=', planId).where('state', 'in', ['draft', 'published']).execute();
}

/** The numbers a closed day keeps: the dashboard's KPIs and the statistics row, as of closing. */
export interface FrozenKpis {
  readonly frozenAt: string;
  readonly kpis: Awaited<ReturnType<typeof planKpis>>;
  readonly stats: Awaited<ReturnType<typeof planStats>>;
}

/** published | in_progress → closed: KPIs frozen, returns handed back, leftovers back in the pool. */
export async function closePlan(db: Kysely<Database>, planId: string, now: Date, utcOffsetMinutes: number): Promise<PlanRow> {
  const plan = await requireCurrent(db, planId);
  if (plan.state === 'closed') return plan;
  if (plan.state === 'draft') throw new AppError('conflict', 'a draft plan is published before it is closed');
  const at = now.toISOString();
  const kpis = await planKpis(db, planId, utcOffsetMinutes);
  const snapshot: FrozenKpis = { frozenAt: at, kpis: { ...kpis, status: 'completed' }, stats: { ...(await planStats(db, plan, utcOffsetMinutes)), state: 'closed' } };
  await db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('plans')
      .set({ state: 'closed', closed_at: at, kpis_json: JSON.stringify(snapshot) })
      .where('id', '=', planId)
      .where('state', 'in', ['published', 'in_progress'])
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) === 0) return;
    // Returns on this day's line-haul reached the county warehouse: back to their couriers.
    const returning = await trx.selectFrom('parcels').select('id').where('plan_id', '=', planId).where('status', '=', 'returning').execute();
    for (const part of chunks(returning.map((r) => r.id), 500)) {
      await trx.updateTable('parcels').set({ status: 'returned', updated_at: at }).where('id', 'in', part).execute();
      const events = part.map((id) => ({ id: `${id}-returned`, parcel_id: id, type: 'returned', at, details_json: JSON.stringify({ plan_id: planId }) }));
      await trx.insertInto('parcel_events').values(events).onConflict((oc) => oc.column('id').doNothing()).execute();
      await trx.insertInto('outbox').values(events.map((e) => notifyOutboxRow({ kind: 'parcel', eventId: e.id }, at))).execute();
    }
    // Planned but never reported: still at the hub, tried again on the next day's plan.
    await trx
      .updateTable('parcels')
      .set({ status: 'sorted', stop_id: null, status_reason: 'not_attempted', updated_at: at })
      .where('plan_id', '=', planId)
      .where('status', 'in', ['planned', 'out_for_delivery'])
      .execute();
    await trx.updateTable('pickups').set({ status: 'requested', stop_id: null, updated_at: at }).where('plan_id', '=', planId).where('status', '=', 'planned').execute();
    // The day's cost split among the couriers is frozen with its numbers (src/settlement).
    await freezeSettlementOnClose(trx, planId, now);
  });
  return (await getPlan(db, planId))!;
}

/** The KPIs of a plan: the frozen snapshot once its day is closed, computed otherwise. */
export async function planKpisOf(db: Kysely<Database>, planId: string, utcOffsetMinutes: number): Promise<FrozenKpis['kpis']> {
  const plan = await getPlan(db, planId);
  if (plan?.kpis_json) return (JSON.parse(plan.kpis_json) as FrozenKpis).kpis;
  return planKpis(db, planId, utcOffsetMinutes);
}

export interface BreakdownView {
  readonly id: string;
  readonly date: string;
  readonly vehicleId: string;
  readonly at: string;
  readonly note: string | null;
}

/** Records that a vehicle broke down on a service date (once per date; a repeat answers the first). */
export async function recordBreakdown(db: Kysely<Database>, vehicleId: string, date: string, at: string | undefined, note: string | undefined, now = new Date()): Promise<{ breakdown: BreakdownView; created: boolean }> {
  const vehicle = await db.selectFrom('vehicles').select('id').where('id', '=', vehicleId).executeTakeFirst();
  if (!vehicle) throw new AppError('not_found', 'no such vehicle');
  const existing = await db.selectFrom('vehicle_breakdowns').selectAll().where('service_date', '=', date).where('vehicle_id', '=', vehicleId).executeTakeFirst();
  const view = (r: { id: string; service_date: string; vehicle_id: string; at: string; note: string | null }): BreakdownView => ({ id: r.id, date: r.service_date, vehicleId: r.vehicle_id, at: r.at, note: r.note });
  if (existing) return { breakdown: view(existing), created: false };
  const row = { id: randomUUID(), service_date: date, vehicle_id: vehicleId, at: at ?? now.toISOString(), note: note ?? null, created_at: now.toISOString() };
  await db.insertInto('vehicle_breakdowns').values(row).onConflict((oc) => oc.columns(['service_date', 'vehicle_id']).doNothing()).execute();
  const stored = await db.selectFrom('vehicle_breakdowns').selectAll().where('service_date', '=', date).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
  return { breakdown: view(stored), created: stored.id === row.id };
}
