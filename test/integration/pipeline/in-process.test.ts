/**
 * The plan's steps run in one process (the demo's path without Redis) on a real SQLite database,
 * a generated Qin County day and the real solver with a small budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../src/db/test-database.ts';
import { createPlanRequest } from '../../../src/plans/plan.service.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import type { SavingsReport } from '../../../src/planning/metrics.ts';
import type { DaySettlement } from '../../../src/settlement/settlement.ts';
import { checkPlanInvariants } from './invariants.ts';
import { insertDay, SERVICE_DATE, seededDatabase, testDeps } from './helpers.ts';

let t: TestDatabase;
let pool: SolverPool;
let ids: { parcelIds: string[]; pickupIds: string[] };

beforeAll(async () => {
  t = await seededDatabase();
  pool = new SolverPool({ size: 2 });
  ids = await insertDay(t.db, 1500, 11);
});

afterAll(async () => {
  await pool.close();
  await t.dispose();
});

describe('planning a generated day in process', () => {
  let planId: string;

  it('plans every eligible parcel or reports it, within capacity, hours, skills, range and release times', async () => {
    // The pool's two threads: the line-haul, alone in flight, runs two searches; the hubs' and
    // couriers' steps after it (more than two) one each.
    const threads: (number | undefined)[] = [];
    const deps = testDeps(t.db, pool, {
      savings: true,
      timeLimitMs: 60,
      solverThreads: pool.size,
      solve: (problem, budget) => {
        threads.push(budget.threads);
        return pool.solve(problem, budget);
      },
    });
    const { plan } = await createPlanRequest({ db: t.db, settings: TEST_SETTINGS, now: () => new Date('2031-06-01T12:00:00Z') }, SERVICE_DATE, 3);
    planId = plan.id;
    const summary = await runDay(deps, planId);
    expect(summary.parcels.eligible).toBe(1500);
    expect(summary.pickups.eligible).toBe(ids.pickupIds.length);
    expect(summary.tiers.line_haul.routes).toBeGreaterThan(0);
    expect(summary.tiers.village.routes).toBeGreaterThan(5);
    const lineHaulSolves = threads.findIndex((n) => n !== 2);
    expect(lineHaulSolves).toBeGreaterThanOrEqual(1);
    expect(threads.slice(lineHaulSolves).every((n) => n === undefined)).toBe(true);
    await checkPlanInvariants(t.db, planId, ids.parcelIds);
    // consolidation ran: every parcel sorted into a bin with a sorted event
    const noHub = await t.db.selectFrom('parcels').select('id').where('hub_id', 'is', null).execute();
    expect(noHub).toHaveLength(0);
    const events = await t.db.selectFrom('parcel_events').select(['type']).where('type', '=', 'sorted').execute();
    expect(events).toHaveLength(1500);
    // No earlier day: no centre holds produce, so the trucks collect none (today's produce reaches
    // the centres after the line-haul has left).
    const lineHaulPickups = await t.db.selectFrom('stops').innerJoin('routes', 'routes.id', 'stops.route_id').select('stops.pickup_count').where('routes.plan_id', '=', planId).where('routes.tier', '=', 'line_haul').execute();
    expect(lineHaulPickups.every((s) => s.pickup_count === 0)).toBe(true);
  });

  it('stores the co-delivery comparison: each operator alone drives more', async () => {
    const plan = await t.db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
    const savings = JSON.parse(plan.savings_json!) as SavingsReport;
    expect(Object.keys(savings.perCourier).length).toBeGreaterThanOrEqual(9);
    expect(savings.separate.km).toBeGreaterThan(savings.joint.km);
    expect(savings.separate.vehicleDays).toBeGreaterThan(savings.joint.vehicleDays);
    expect(savings.saved.km).toBeCloseTo(savings.separate.km - savings.joint.km, 0);
    expect(savings.budget.timeLimitMs).toBe(60);
    // Equal work: both sides are measured on the items both served, and say what they left out.
    const unassigned = (JSON.parse(plan.summary_json!) as { unassigned: { items: unknown[] } }).unassigned.items.length;
    // Every item on the joint routes is counted once (compared, or left out as joint-only);
    // what only the couriers alone served is among what the joint plan carried over.
    expect(savings.equalWork!.items + savings.equalWork!.jointOnly).toBe(1500 + ids.pickupIds.length - unassigned);
    expect(savings.equalWork!.aloneOnly).toBeLessThanOrEqual(unassigned);
  });

  it('settles the day: Shapley shares of the stored routes’ cost, summing to it, each below its courier alone on the same work', async () => {
    const plan = await t.db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
    const s = JSON.parse(plan.settlement_json!) as DaySettlement;
    const routes = await t.db.selectFrom('routes').select('cost_fen').where('plan_id', '=', planId).execute();
    expect(s.jointCostFen).toBe(routes.reduce((a, r) => a + r.cost_fen, 0));
    expect(s.couriers.reduce((a, c) => a + c.shareFen, 0)).toBe(s.jointCostFen);
    expect(s.couriers.length).toBeGreaterThanOrEqual(9);
    expect(s.exact).toBe(true);
    expect(s.individuallyRational).toBe(true);
    for (const c of s.couriers) expect(c.shareFen).toBeLessThan(c.aloneFen!);
  });

  it('re-planning the same date makes the next version, linked to the one it replaces: no duplicates, same parcels', async () => {
    const { plan, started } = await createPlanRequest({ db: t.db, settings: TEST_SETTINGS, now: () => new Date('2031-06-01T12:30:00Z') }, SERVICE_DATE, 3);
    // A new version under a new id: the completed version 1 is not put back to queued.
    expect(plan.id).not.toBe(planId);
    expect(plan).toMatchObject({ version: 2, replaces_plan_id: planId, status: 'queued' });
    expect(started).toBe(true);
    expect((await t.db.selectFrom('plans').select('status').where('id', '=', planId).executeTakeFirstOrThrow()).status).toBe('completed');
    await runDay(testDeps(t.db, pool), plan.id);
    await checkPlanInvariants(t.db, plan.id, ids.parcelIds);
    const plans = await t.db.selectFrom('plans').select(['id', 'version', 'replaced_by_plan_id']).where('service_date', '=', SERVICE_DATE).orderBy('version').execute();
    expect(plans).toEqual([
      { id: planId, version: 1, replaced_by_plan_id: plan.id },
      { id: plan.id, version: 2, replaced_by_plan_id: null },
    ]);
    // Nothing had started: every parcel of version 1 is planned again (or reported) by version 2.
    const left = await t.db.selectFrom('parcels').select('id').where('plan_id', '=', planId).execute();
    expect(left).toEqual([]);
    const after = await t.db.selectFrom('parcel_events').select('id').where('type', '=', 'planned').execute();
    expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
    planId = plan.id;
  });

  let heldAt: Map<string, number>;
  it('(the drivers pick up the produce at a few villages of township centres)', async () => {
    const collected = await t.db
      .selectFrom('pickups')
      .innerJoin('stops', 'stops.id', 'pickups.stop_id')
      .innerJoin('routes', 'routes.id', 'stops.route_id')
      .innerJoin('hubs', 'hubs.id', 'routes.hub_id')
      .select(['pickups.id', 'routes.hub_id', 'hubs.kind'])
      .where('routes.plan_id', '=', planId)
      .where('routes.tier', '=', 'village')
      .orderBy('pickups.id')
      .execute();
    const picked = collected.filter((_, k) => k % 3 === 0);
    expect(picked.some((p) => p.kind === 'township_centre')).toBe(true);
    await t.db.updateTable('pickups').set({ status: 'picked_up' }).where('id', 'in', picked.map((p) => p.id)).execute();
    heldAt = new Map();
    for (const p of picked) if (p.kind === 'township_centre') heldAt.set(p.hub_id, (heldAt.get(p.hub_id) ?? 0) + 1);
  });

  let nextPlanId: string;
  it('carries what the day could not serve to the next day', async () => {
    const day1 = await t.db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
    const left = (JSON.parse(day1.summary_json!) as { unassigned: { items: { kind: string; id: string }[] } }).unassigned.items;
    const next = '2031-06-03';
    const { plan } = await createPlanRequest({ db: t.db, settings: TEST_SETTINGS, now: () => new Date('2031-06-01T13:00:00Z') }, next, 3);
    expect(plan.id).not.toBe(planId);
    nextPlanId = plan.id;
    const summary = await runDay(testDeps(t.db, pool), plan.id);
    expect(summary.parcels.eligible).toBe(left.filter((u) => u.kind === 'parcel').length);
    expect(summary.pickups.eligible).toBe(left.filter((u) => u.kind === 'pickup').length);
    // parcels planned on day 1 stay on day 1's routes
    const onDay1 = await t.db.selectFrom('parcels').select('id').where('plan_id', '=', planId).where('status', '=', 'planned').execute();
    expect(onDay1.length).toBe(1500 - left.filter((u) => u.kind === 'parcel').length);
  });

  it('has the next day’s line-haul collect at each centre the produce its vans picked up the day before, and only that', async () => {
    const stops = await t.db
      .selectFrom('stops')
      .innerJoin('routes', 'routes.id', 'stops.route_id')
      .select(['stops.hub_id', 'stops.pickup_count', 'stops.kind'])
      .where('routes.plan_id', '=', nextPlanId)
      .where('routes.tier', '=', 'line_haul')
      .execute();
    const collected = new Map<string, number>();
    for (const s of stops) if (s.kind === 'hub' && s.hub_id && s.pickup_count > 0) collected.set(s.hub_id, (collected.get(s.hub_id) ?? 0) + s.pickup_count);
    expect(Object.fromEntries(collected)).toEqual(Object.fromEntries(heldAt));
    // Picked up stays picked up: riding the line-haul changes nothing a courier sees.
    expect((await t.db.selectFrom('pickups').select('status').where('status', '=', 'picked_up').execute()).length).toBeGreaterThan(0);
  });
});
