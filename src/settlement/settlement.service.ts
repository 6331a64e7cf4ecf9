/**
 * Settlements over time: a plan's settlement (computed when the plan is finalized), frozen for
 * its date when the day closes (`freezeSettlement`, called by the close), and read per day or
 * per month. A day that has not closed yet answers with its current plan's settlement marked
 * provisional; a closed day answers with the frozen row, whatever re-plans or later days do.
 */
import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_COUNTY_ID, type Database, type PlanRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import * as repo from './settlement.repository.ts';
import type { CourierSettlement, DaySettlement } from './settlement.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface DatedSettlement extends DaySettlement {
  readonly date: string;
  readonly planId: string;
  /** True once the day has closed: these numbers never change again. */
  readonly frozen: boolean;
  readonly frozenAt: string | null;
}

/** The settlement computed with a completed plan; 404 before, or for a plan made before settlements existed. */
export async function planSettlement(db: Db, planId: string): Promise<DatedSettlement> {
  const plan = await repo.findPlan(db, planId);
  if (!plan) throw new AppError('not_found', 'no such plan');
  return fromPlan(plan);
}

function fromPlan(plan: PlanRow): DatedSettlement {
  if (plan.status !== 'completed') throw new AppError('conflict', `the plan is ${plan.status}; its settlement comes with the completed plan`);
  if (!plan.settlement_json) throw new AppError('not_found', 'this plan has no settlement (planned before settlements were computed)');
  return { date: plan.service_date, planId: plan.id, frozen: false, frozenAt: null, ...(JSON.parse(plan.settlement_json) as DaySettlement) };
}

/**
 * Writes the closing plan's settlement as its date's frozen settlement. Idempotent: a date that
 * already has one keeps it (closing is once; a repeated call returns the frozen row).
 */
export async function freezeSettlement(db: Db, planId: string, now: Date = new Date()): Promise<DatedSettlement> {
  const plan = await repo.findPlan(db, planId);
  if (!plan) throw new AppError('not_found', 'no such plan');
  const s = fromPlan(plan);
  await repo.insertFrozen(db, { county_id: plan.county_id, service_date: plan.service_date, plan_id: plan.id, rule: s.rule, joint_cost_fen: s.jointCostFen, settlement_json: plan.settlement_json!, frozen_at: now.toISOString() });
  return (await frozenOn(db, plan.service_date, plan.county_id))!;
}

/**
 * The close's hook: freezes the closing plan's settlement when it has one (plans made before
 * settlements were computed have none; their day closes without). Runs inside the close's
 * transaction, so a day is never closed with its settlement half-written.
 */
export async function freezeSettlementOnClose(db: Db, planId: string, now: Date = new Date()): Promise<DatedSettlement | null> {
  const plan = await repo.findPlan(db, planId);
  if (!plan || plan.status !== 'completed' || !plan.settlement_json) return null;
  return freezeSettlement(db, planId, now);
}

const fromFrozen = (row: repo.FrozenRow): DatedSettlement => ({ date: row.service_date, planId: row.plan_id, frozen: true, frozenAt: row.frozen_at, ...(JSON.parse(row.settlement_json) as DaySettlement) });

async function frozenOn(db: Db, date: string, countyId: string): Promise<DatedSettlement | undefined> {
  const [row] = await repo.frozenBetween(db, date, date, countyId);
  return row ? fromFrozen(row) : undefined;
}

/** The current plan (completed, not replaced, latest version) of each date in [from, to]. */
async function currentPlans(db: Db, from: string, to: string, countyId: string): Promise<PlanRow[]> {
  const seen = new Set<string>();
  return (await repo.completedPlansBetween(db, from, to, countyId)).filter((p) => (seen.has(p.service_date) ? false : (seen.add(p.service_date), true)));
}

export async function settlementOn(db: Db, date: string, countyId: string = DEFAULT_COUNTY_ID): Promise<DatedSettlement> {
  const frozen = await frozenOn(db, date, countyId);
  if (frozen) return frozen;
  const [plan] = await currentPlans(db, date, date, countyId);
  if (!plan) throw new AppError('not_found', `no completed plan with a settlement for ${date}`);
  return fromPlan(plan);
}

export interface CourierMonth {
  readonly courier: string;
  readonly days: number;
  readonly shareFen: number;
  /** Σ stand-alone cost over the days that have one; null when none has. */
  readonly aloneFen: number | null;
  readonly savedFen: number | null;
  /** Days on which the share was above the stand-alone cost (after the repair: none unless the coalition did not save). */
  readonly daysAboveAlone: number;
}

export interface MonthSettlement {
  readonly month: string;
  readonly jointCostFen: number;
  readonly frozenDays: number;
  readonly provisionalDays: number;
  readonly days: readonly { readonly date: string; readonly planId: string; readonly frozen: boolean; readonly jointCostFen: number }[];
  readonly couriers: readonly CourierMonth[];
}

/** A month's days (frozen ones, and the provisional settlements of days not closed yet) summed per courier. */
export async function settlementOfMonth(db: Db, month: string, countyId: string = DEFAULT_COUNTY_ID): Promise<MonthSettlement> {
  const from = `${month}-01`;
  const to = `${month}-31`;
  const days = new Map<string, DatedSettlement>();
  for (const r of await repo.frozenBetween(db, from, to, countyId)) days.set(r.service_date, fromFrozen(r));
  for (const p of await currentPlans(db, from, to, countyId)) if (!days.has(p.service_date)) days.set(p.service_date, fromPlan(p));
  const list = [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  const byCourier = new Map<string, { days: number; share: number; alone: number; aloneKnown: boolean; saved: number; above: number }>();
  for (const d of list) {
    for (const c of d.couriers as readonly CourierSettlement[]) {
      const m = byCourier.get(c.courier) ?? { days: 0, share: 0, alone: 0, aloneKnown: false, saved: 0, above: 0 };
      m.days += 1;
      m.share += c.shareFen;
      if (c.aloneFen !== null) {
        m.alone += c.aloneFen;
        m.aloneKnown = true;
        m.saved += c.aloneFen - c.shareFen;
        if (c.shareFen > c.aloneFen) m.above += 1;
      }
      byCourier.set(c.courier, m);
    }
  }
  return {
    month,
    jointCostFen: list.reduce((a, d) => a + d.jointCostFen, 0),
    frozenDays: list.filter((d) => d.frozen).length,
    provisionalDays: list.filter((d) => !d.frozen).length,
    days: list.map((d) => ({ date: d.date, planId: d.planId, frozen: d.frozen, jointCostFen: d.jointCostFen })),
    couriers: [...byCourier.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([courier, m]) => ({ courier, days: m.days, shareFen: m.share, aloneFen: m.aloneKnown ? m.alone : null, savedFen: m.aloneKnown ? m.saved : null, daysAboveAlone: m.above })),
  };
}
