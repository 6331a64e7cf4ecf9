/**
 * The plan's steps with their database reads and writes: prepare (freeze and sort the day) →
 * line-haul → one village step per hub, plus one co-delivery comparison step per courier, in
 * parallel → finalize. The BullMQ processors (src/pipeline/plan.processors.ts) and the in-process
 * runner (src/pipeline/plan.runner.ts) call exactly these functions, so the demo without Redis
 * plans the same way the workers do.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_COUNTY_ID, type Database } from '../db/schema.ts';
import type { RoadMatrix, RoadMatrixSource } from '../geo/matrix.ts';
import { cutoffInstant, localSecondsToIso, toDayParcel, toDayPickup } from '../planning/day-model.ts';
import { compareSavings, planCourierAlone, planMetrics, splitByCourier, type PlanMetrics, type SavingsReport } from '../planning/metrics.ts';
import { indexNetwork, type NetworkIndex } from '../planning/network-index.ts';
import { dedupeUnassigned, networkDistance, solveLineHaul, solveVillage } from '../planning/plan-day.ts';
import { dutyFigures, type DutyFigures, type DutyRoute } from '../planning/duty.ts';
import type { LocationRef } from '../planning/build-problems.ts';
import { villageHubs } from '../planning/build-problems.ts';
import { searchThreads } from '../planning/day-sequence.ts';
import type { DayModel, DaySettings, Load, SolveBudget, SolveFn, Tier, UnassignedItem } from '../planning/types.ts';
import { loadPlanWork } from '../settlement/settlement.repository.ts';
import { compareDay, workOfPlannedRoute, type CourierAlone } from '../settlement/work.ts';
import { consolidateParcels } from '../consolidation/consolidation.repository.ts';
import { advanceProgress, advanceReturns, getPlan, loadDayItems, loadHeldProduce, loadDayReturns, markReturnsCarried, planRoutesAndStops, planStopsInOrder, planVersions, stationHubs, loadPlanningNetwork, markPlan, markUnserved, resetPlanAssignments, storeTierRoutes } from '../plans/plan.repository.ts';
import { adoptVersion } from '../plans/plan-versions.repository.ts';
import { applyStagedReplan, prepareReplan, replanHubs, replanVillageStep, supplementaryLineHaul, type ReplanState } from './replan.steps.ts';

export interface PlanDeps {
  readonly db: Kysely<Database>;
  readonly solve: SolveFn;
  readonly roadSource: RoadMatrixSource;
  /** Day settings without the date (cut-off, sorting time, …). */
  readonly settings: Omit<DaySettings, 'serviceDate'>;
  /**
   * Per-problem budget, the same for the joint plan and for each courier alone: `maxIterations`
   * is the work budget (deterministic with the seed); `timeLimitMs` a wall-clock cap, or the
   * whole budget when no iteration budget is given (then the plan depends on machine load).
   */
  readonly timeLimitMs: number;
  readonly maxIterations?: number;
  /**
   * Threads of the solver host behind `solve` (absent: 1). Spare ones run parallel searches of the
   * big problems (searchThreads in src/planning/day-sequence.ts): the plan is the same for the
   * same seed and thread count.
   */
  readonly solverThreads?: number;
  /** Plan each courier alone too, for the co-delivery comparison. */
  readonly savings: boolean;
  readonly now?: () => Date;
  /** Days after which an undelivered, failed parcel becomes a return (RETURN_AFTER_DAYS, default 7). */
  readonly returnAfterDays?: number;
}

/** What prepare and line-haul leave in `plans.summary_json` for the later steps. */
export interface PlanState {
  /** The plan's county (absent in states written before counties: Qin County). */
  readonly countyId?: string;
  readonly serviceDate: string;
  readonly cutoffAt: string;
  /** Parcels received after this instant wait for the next plan, even if before the cut-off. */
  readonly frozenAt: string;
  readonly hubs: readonly string[];
  readonly couriers: readonly string[];
  readonly timings: Record<string, number>;
  readonly startedMs: number;
  /** Every version of this date: what one of them planned is this version's to plan again. */
  readonly sameDayPlanIds?: readonly string[];
  /** Set when this version replaces another (src/pipeline/replan.steps.ts). */
  readonly replan?: ReplanState;
  readonly lineHaul?: {
    readonly arrivals: Record<string, number>;
    readonly lost: readonly string[];
    readonly unassigned: readonly UnassignedItem[];
    /** The trucks could not reach every centre in time for its vans to leave by early afternoon. */
    readonly relaxed?: boolean;
    /** Returns the line-haul takes back to the county warehouse, and those it had no room for. */
    readonly returns?: { readonly carried: readonly string[]; readonly waiting: readonly string[] };
    /** The line-haul solve stopped on the wall-clock cap. */
    readonly capped?: boolean;
  };
}

export interface VillageStepResult {
  readonly hubId: string;
  readonly routes: number;
  readonly unassigned: readonly UnassignedItem[];
  readonly ms: number;
  /** The solve stopped on the wall-clock cap (TierResult.capped). */
  readonly capped?: boolean;
}

export interface SavingsStepResult {
  readonly courier: string;
  readonly metrics: PlanMetrics;
  /** The courier's routes with their items and what it could not serve (equal-work comparison, settlement). */
  readonly work?: CourierAlone;
  readonly ms: number;
}

interface NetworkCache {
  key: string;
  at: number;
  /** The plan whose steps may reuse this entry without reading the network again. */
  planId: string;
  index: NetworkIndex;
  road: RoadMatrix;
}
const networkCache = new WeakMap<PlanDeps, Map<string, NetworkCache>>();

/**
 * A county's network and its road matrix, cached per process and county until the network changes.
 * The steps of one plan reuse it for a few seconds without reading the network (they run within
 * seconds of each other, and see one network); any other plan reads the network first, so a
 * station a dispatcher has just moved (or a network just imported) is planned where it now is.
 */
async function network(deps: PlanDeps, countyId: string, planId: string): Promise<{ index: NetworkIndex; road: RoadMatrix }> {
  let counties = networkCache.get(deps);
  if (!counties) networkCache.set(deps, (counties = new Map()));
  const cached = counties.get(countyId);
  if (cached && cached.planId === planId && Date.now() - cached.at < 5_000) return cached;
  const net = await loadPlanningNetwork(deps.db, countyId);
  const key = createHash('sha1').update(JSON.stringify(net)).digest('hex');
  if (cached && cached.key === key) {
    cached.at = Date.now();
    cached.planId = planId;
    return cached;
  }
  const index = indexNetwork(net);
  const road = await deps.roadSource(index.points);
  const entry = { key, index, road, at: Date.now(), planId };
  counties.set(countyId, entry);
  return entry;
}

const countyOf = (state: Pick<PlanState, 'countyId'>): string => state.countyId ?? DEFAULT_COUNTY_ID;

const nowOf = (deps: PlanDeps) => (deps.now ?? (() => new Date()))();

function settingsFor(deps: PlanDeps, serviceDate: string): DaySettings {
  return { ...deps.settings, serviceDate };
}

/** The per-problem budget; `step` (k of n solved at once) may get spare solver threads. */
export function budgetFor(deps: PlanDeps, seed: number, step?: { readonly k: number; readonly of: number }): SolveBudget {
  const threads = step === undefined ? 1 : searchThreads(step.k, step.of, deps.solverThreads ?? 1);
  return { seed, timeLimitMs: deps.timeLimitMs, ...(deps.maxIterations !== undefined ? { maxIterations: deps.maxIterations } : {}), ...(threads > 1 ? { threads } : {}) };
}

/** The line-haul is alone in flight (the day's first solve). */
const LINE_HAUL_STEP = { k: 0, of: 1 } as const;

/** Step after the line-haul: villages in hub order, then the couriers alone (day-runner's stepsAfterLineHaul). */
function parallelStep(state: Pick<PlanState, 'hubs' | 'couriers'>, step: { hubId: string } | { courier: string }): { k: number; of: number } {
  const k = 'hubId' in step ? state.hubs.indexOf(step.hubId) : state.hubs.length + state.couriers.indexOf(step.courier);
  return { k, of: state.hubs.length + state.couriers.length };
}

async function loadState(deps: PlanDeps, planId: string): Promise<{ state: PlanState; seed: number }> {
  const plan = await getPlan(deps.db, planId);
  if (!plan) throw new Error(`plan ${planId} does not exist`);
  if (!plan.summary_json) throw new Error(`plan ${planId} has not been prepared`);
  // A finalized plan keeps its working state under `state`, so a repeated finalize still has it.
  const parsed = JSON.parse(plan.summary_json) as PlanState | (PlanSummary & { state: PlanState });
  return { state: 'state' in parsed ? parsed.state : parsed, seed: plan.seed };
}

/**
 * The frozen day: parcels received by min(cut-off, freeze) and still in the pool or planned by a
 * version of this date (a re-plan plans them again), except those on stops a re-plan keeps.
 */
async function loadDay(deps: PlanDeps, planId: string, state: PlanState, hubId?: string, net?: { index: NetworkIndex }): Promise<DayModel> {
  const until = state.frozenAt < state.cutoffAt ? state.frozenAt : state.cutoffAt;
  const { parcels, pickups } = await loadDayItems(deps.db, planId, {
    until,
    serviceDate: state.serviceDate,
    frozenAt: state.frozenAt,
    countyId: countyOf(state),
    ...(hubId !== undefined ? { hubId } : {}),
    ...(state.sameDayPlanIds ? { sameDayPlanIds: state.sameDayPlanIds } : {}),
    ...(state.replan ? { fixedStopIds: new Set(state.replan.fixedStopIds) } : {}),
  });
  const day = { settings: settingsFor(deps, state.serviceDate), parcels: parcels.map(toDayParcel), pickups: pickups.map(toDayPickup) };
  if (hubId !== undefined) return day;
  // The returns waiting at township centres: the line-haul carries them back (the whole day's view only).
  // The finalize step passes the network it fetched: its deps (a re-plan's transaction) are not the cache's.
  const { index } = net ?? (await network(deps, countyOf(state), planId));
  const returns = await loadDayReturns(deps.db, state.sameDayPlanIds ?? [planId], index.countyWarehouse.id, countyOf(state));
  return { ...day, returns: returns.map((r) => ({ id: r.id, courierCode: r.courier_code, hubId: r.hub_id!, weightG: r.weight_g, volumeCm3: r.volume_cm3 })) };
}

/** Step 1: freeze the day, sort what intake has not sorted yet, clear a previous run's routes. */
export async function prepareStep(deps: PlanDeps, planId: string): Promise<PlanState> {
  const t0 = Date.now();
  const plan = await getPlan(deps.db, planId);
  if (!plan) throw new Error(`plan ${planId} does not exist`);
  const now = nowOf(deps).toISOString();
  await markPlan(deps.db, planId, { status: 'running', started_at: now, progress: 1, error: null, finished_at: null });
  const { index } = await network(deps, plan.county_id, planId);
  await consolidateParcels(deps.db, index, plan.county_id, now);
  await resetPlanAssignments(deps.db, planId, now);
  await advanceReturns(deps.db, planId, plan.service_date, deps.returnAfterDays ?? 7, index.countyWarehouse.id, now, plan.county_id);
  const settings = settingsFor(deps, plan.service_date);
  const replaced = plan.replaces_plan_id ? await getPlan(deps.db, plan.replaces_plan_id) : undefined;
  const replan = replaced ? await prepareReplan(deps.db, replaced, settings, plan.created_at) : undefined;
  const partial: PlanState = {
    countyId: plan.county_id,
    serviceDate: plan.service_date,
    cutoffAt: cutoffInstant(settings),
    frozenAt: now,
    hubs: [],
    couriers: [],
    timings: {},
    startedMs: t0,
    sameDayPlanIds: (await planVersions(deps.db, plan.service_date, plan.county_id)).map((p) => p.id),
    ...(replan ? { replan } : {}),
  };
  const day = await loadDay(deps, planId, partial);
  const state: PlanState = {
    ...partial,
    hubs: replan ? replanHubs(villageHubs(day, index), replan) : villageHubs(day, index),
    couriers: deps.savings ? [...splitByCourier(day).keys()] : [],
    timings: { prepareMs: Date.now() - t0 },
  };
  await markPlan(deps.db, planId, { summary_json: JSON.stringify(state), savings_json: null, progress: 5 });
  return state;
}

/** Step 2: the county → township centres line-haul; its arrivals release the village vans. */
export async function lineHaulStep(deps: PlanDeps, planId: string): Promise<PlanState> {
  const t0 = Date.now();
  const { state, seed } = await loadState(deps, planId);
  // Already solved and stored in this run (the job is being retried after its write): keep it,
  // because village jobs may already be running against these arrival times.
  if (state.lineHaul) return state;
  const { index, road } = await network(deps, countyOf(state), planId);
  const day = await loadDay(deps, planId, state);
  let outcome;
  if (state.replan?.lineHaulKept) {
    // The kept loop already collects the centres' produce: a further loop takes none.
    outcome = await supplementaryLineHaul(deps.db, planId, state.replan, state.sameDayPlanIds ?? [planId], day, index, road, deps.solve, budgetFor(deps, seed, LINE_HAUL_STEP), nowOf(deps).toISOString());
  } else {
    // The line-haul collects what the centres hold: produce their vans brought back the previous operating day.
    const held = (await loadHeldProduce(deps.db, state.serviceDate, countyOf(state))).map((p) => ({ ...toDayPickup(p), hubId: p.hub_id }));
    outcome = await solveLineHaul({ ...day, heldPickups: held }, index, road, deps.solve, budgetFor(deps, seed, LINE_HAUL_STEP));
    await storeTierRoutes(deps.db, planId, 'line_haul', index.countyWarehouse.id, outcome.result.routes, day.settings, nowOf(deps).toISOString());
  }
  // Returns rode the line-haul as produce does (pickups at their centre): told apart here, as
  // parcels going back rather than produce or items left unplanned.
  const returnIds = new Set((state.replan?.lineHaulKept ? [] : (day.returns ?? [])).map((r) => r.id));
  const carried = outcome.result.routes.flatMap((r) => r.stops.flatMap((s) => s.pickupIds.filter((id) => returnIds.has(id))));
  const carriedSet = new Set(carried);
  const returns = { carried, waiting: [...returnIds].filter((id) => !carriedSet.has(id)) };
  const unassigned = outcome.result.unassigned.filter((u) => !returnIds.has(u.id));
  const next: PlanState = {
    ...state,
    lineHaul: { arrivals: Object.fromEntries(outcome.arrivals), lost: [...outcome.lost].filter((id) => !returnIds.has(id)), unassigned, ...(outcome.relaxed ? { relaxed: true } : {}), returns, ...(outcome.result.capped ? { capped: true } : {}) },
    timings: { ...state.timings, lineHaulMs: Date.now() - t0, lineHaulDoneMs: Date.now() },
  };
  await markPlan(deps.db, planId, { summary_json: JSON.stringify(next), progress: 15 });
  return next;
}

/** Step 3 (one per hub, in parallel): the hub's village routes. */
export async function villageStep(deps: PlanDeps, planId: string, hubId: string): Promise<VillageStepResult> {
  const t0 = Date.now();
  const { state, seed } = await loadState(deps, planId);
  if (!state.lineHaul) throw new Error(`plan ${planId}: village step before the line-haul`);
  const { index, road } = await network(deps, countyOf(state), planId);
  const day = await loadDay(deps, planId, state, hubId);
  const lineHaul = { arrivals: new Map(Object.entries(state.lineHaul.arrivals)), lost: new Set(state.lineHaul.lost) };
  let result;
  if (state.replan) {
    result = await replanVillageStep(deps.db, planId, state.replan, day, index, road, hubId, lineHaul, deps.solve, budgetFor(deps, seed, parallelStep(state, { hubId })), nowOf(deps).toISOString());
  } else {
    result = await solveVillage(day, index, road, hubId, lineHaul, deps.solve, budgetFor(deps, seed, parallelStep(state, { hubId })));
    await storeTierRoutes(deps.db, planId, 'village', hubId, result.routes, day.settings, nowOf(deps).toISOString());
  }
  await advanceProgress(deps.db, planId, 80 / Math.max(1, state.hubs.length + state.couriers.length));
  return { hubId, routes: result.routes.length, unassigned: result.unassigned, ms: Date.now() - t0, ...(result.capped ? { capped: true } : {}) };
}

/** Step 3' (one per courier, in parallel): the same day for one courier alone, same budget. */
export async function savingsStep(deps: PlanDeps, planId: string, courier: string): Promise<SavingsStepResult> {
  const t0 = Date.now();
  const { state, seed } = await loadState(deps, planId);
  const { index, road } = await network(deps, countyOf(state), planId);
  const day = await loadDay(deps, planId, state);
  const alone = splitByCourier(day).get(courier) ?? { settings: day.settings, parcels: [], pickups: [] };
  const result = await planCourierAlone(alone, index, road, deps.solve, budgetFor(deps, seed, parallelStep(state, { courier })));
  await advanceProgress(deps.db, planId, 80 / Math.max(1, state.hubs.length + state.couriers.length));
  const work: CourierAlone = { courier, routes: result.routes.map((r) => workOfPlannedRoute(r, index)), unassigned: result.unassigned };
  return { courier, metrics: result.metrics, work, ms: Date.now() - t0 };
}

export interface PlanSummary {
  readonly serviceDate: string;
  readonly cutoffAt: string;
  readonly frozenAt: string;
  readonly parcels: { readonly eligible: number; readonly planned: number; readonly unassigned: number };
  readonly pickups: { readonly eligible: number; readonly planned: number; readonly unassigned: number };
  readonly stationsServed: number;
  readonly tiers: Record<'line_haul' | 'village', TierSummary>;
  readonly metrics: PlanMetrics;
  readonly unassigned: {
    readonly byReason: Record<string, number>;
    /** What would serve them: items per remedy (src/planning/remedies.ts). */
    readonly byRemedy?: Record<string, number>;
    /** How many of them need the cold chain (the usual bottleneck: few cold-chain vans). */
    readonly coldChain: number;
    readonly byHub: Record<string, number>;
    readonly items: readonly UnassignedItem[];
  };
  readonly timings: Record<string, number>;
  readonly budget: SolveBudget;
  /** What a dispatcher checks before signing (issue 11 item 6): longest route, latest start and return, empty truck km. */
  readonly duty?: DutyFigures;
  /**
   * Problems of the joint plan whose solve stopped on the wall-clock cap (PLAN_TIME_LIMIT_MS)
   * before its iteration budget: 0 means the plan is the same on a quiet or a loaded machine.
   */
  readonly cappedProblems?: number;
}

export interface TierSummary {
  readonly routes: number;
  readonly vehicles: number;
  readonly km: number;
  readonly hours: number;
  readonly parcels: number;
  readonly byVehicleType: Record<string, number>;
  /** Mean over routes of peak load ÷ capacity, by weight and by volume. */
  readonly loadFactor: { readonly weight: number; readonly volume: number };
}

/**
 * Step 4: counts, metrics, unassigned with reasons, the savings report; the plan is completed.
 * A re-plan is switched in here, all or nothing: its staged village routes are written, the day
 * is handed to the new version and the version is completed in one transaction (every read in it
 * goes through that transaction too). On SQLite that holds the write lock for the step (0.22 s for
 * a 200-parcel re-plan, 2 cores at load 24): intake waits meanwhile rather than see half a re-plan.
 */
export async function finalizeStep(deps: PlanDeps, planId: string, villages: readonly VillageStepResult[], savings: readonly SavingsStepResult[]): Promise<PlanSummary> {
  // Fetched outside the transaction: the network cache is keyed by these deps.
  const { state } = await loadState(deps, planId);
  const net = await network(deps, countyOf(state), planId);
  if (!state.replan) return finalizeWith(deps, net, planId, villages, savings);
  return deps.db.transaction().execute((trx) => finalizeWith({ ...deps, db: trx }, net, planId, villages, savings));
}

async function finalizeWith(
  deps: PlanDeps,
  net: { index: NetworkIndex; road: RoadMatrix },
  planId: string,
  villages: readonly VillageStepResult[],
  savings: readonly SavingsStepResult[],
): Promise<PlanSummary> {
  const t0 = Date.now();
  const { state, seed } = await loadState(deps, planId);
  const now = nowOf(deps).toISOString();
  const unassigned = dedupeUnassigned([...(state.lineHaul?.unassigned ?? []), ...villages.flatMap((v) => v.unassigned)]);
  if (state.replan) {
    const trx = deps.db as Transaction<Database>;
    await applyStagedReplan(trx, planId, state.replan, settingsFor(deps, state.serviceDate), now);
    // The new version takes over the routes under way and the kept line-haul (same ids).
    const moved = [...state.replan.locked.map((l) => l.routeId), ...state.replan.keptLineHaulRouteIds];
    await adoptVersion(trx, planId, state.replan.replacesPlanId, moved, now);
  }
  const day = await loadDay(deps, planId, state, undefined, net);
  await markUnserved(deps.db, planId, unassigned.filter((u) => u.kind === 'parcel').map((u) => ({ id: u.id, reason: u.reason })), now);
  if (state.lineHaul?.returns) await markReturnsCarried(deps.db, planId, state.lineHaul.returns.carried, state.lineHaul.returns.waiting, now);

  const { routes, stops } = await planRoutesAndStops(deps.db, planId);
  const plannedRoutes = routes.map((r) => {
    const load = JSON.parse(r.load_json) as { vehicle_type: string; peak: number[]; capacity: number[] };
    return { row: r, load };
  });
  const tier = (t: 'line_haul' | 'village'): TierSummary => {
    const rs = plannedRoutes.filter((r) => r.row.tier === t);
    const byVehicleType: Record<string, number> = {};
    for (const r of rs) byVehicleType[r.load.vehicle_type] = (byVehicleType[r.load.vehicle_type] ?? 0) + 1;
    const mean = (d: number) => (rs.length === 0 ? 0 : Math.round((rs.reduce((a, r) => a + r.load.peak[d]! / Math.max(1, r.load.capacity[d]!), 0) / rs.length) * 1000) / 1000);
    return {
      routes: rs.length,
      vehicles: new Set(rs.map((r) => r.row.vehicle_id)).size,
      km: Math.round(rs.reduce((a, r) => a + r.row.distance_m, 0) / 100) / 10,
      hours: Math.round(rs.reduce((a, r) => a + r.row.duration_s, 0) / 360) / 10,
      parcels: stops.filter((s) => s.tier === t).reduce((a, s) => a + s.deliver_count, 0),
      byVehicleType,
      loadFactor: { weight: mean(0), volume: mean(1) },
    };
  };
  const metrics = planMetrics(
    plannedRoutes.map((r) => ({
      tier: r.row.tier,
      hubId: r.row.hub_id,
      vehicleId: r.row.vehicle_id,
      vehicleType: r.load.vehicle_type,
      trips: r.row.trips,
      distanceM: r.row.distance_m,
      durationS: r.row.duration_s,
      costFen: r.row.cost_fen,
      startS: 0,
      endS: 0,
      peakLoad: [0, 0, 0],
      capacity: [0, 0, 0],
      stops: [],
    })),
    unassigned.length,
  );
  const byReason: Record<string, number> = {};
  for (const u of unassigned) byReason[u.reason] = (byReason[u.reason] ?? 0) + 1;
  // What would serve them (another cold van, a second trip, …), for the dispatcher to act on.
  const byRemedy: Record<string, number> = {};
  for (const u of unassigned) if (u.remedy) byRemedy[u.remedy] = (byRemedy[u.remedy] ?? 0) + 1;
  const cold = new Set([...day.parcels.filter((p) => p.coldChain).map((p) => p.id), ...day.pickups.filter((p) => p.coldChain).map((p) => p.id)]);
  const stationHub = await stationHubs(deps.db);
  const byHub: Record<string, number> = {};
  for (const u of unassigned) {
    const hub = stationHub.get(u.stationCode) ?? 'unknown';
    byHub[hub] = (byHub[hub] ?? 0) + 1;
  }
  const unassignedParcels = unassigned.filter((u) => u.kind === 'parcel').length;
  const unassignedPickups = unassigned.length - unassignedParcels;
  const villageTimes = Object.fromEntries(villages.map((v) => [`village:${v.hubId}`, v.ms]));
  const timings: Record<string, number> = {
    ...Object.fromEntries(Object.entries(state.timings).filter(([k]) => k !== 'lineHaulDoneMs')),
    villagesWallMs: state.timings.lineHaulDoneMs ? t0 - state.timings.lineHaulDoneMs : 0,
    ...villageTimes,
    ...(savings.length > 0 ? { savingsSolveMs: savings.reduce((a, s) => a + s.ms, 0) } : {}),
  };
  const summary: PlanSummary = {
    serviceDate: state.serviceDate,
    cutoffAt: state.cutoffAt,
    frozenAt: state.frozenAt,
    parcels: { eligible: day.parcels.length, planned: day.parcels.length - unassignedParcels, unassigned: unassignedParcels },
    pickups: { eligible: day.pickups.length, planned: day.pickups.length - unassignedPickups, unassigned: unassignedPickups },
    stationsServed: new Set(stops.filter((s) => s.tier === 'village' && s.station_code && s.deliver_count + s.pickup_count > 0).map((s) => s.station_code)).size,
    tiers: { line_haul: tier('line_haul'), village: tier('village') },
    metrics,
    unassigned: { byReason, byRemedy, coldChain: unassigned.filter((u) => cold.has(u.id)).length, byHub, items: unassigned },
    timings: { ...timings, finalizeMs: Date.now() - t0, totalMs: Date.now() - state.startedMs },
    budget: budgetFor(deps, seed),
    cappedProblems: (state.lineHaul?.capped ? 1 : 0) + villages.filter((v) => v.capped).length,
    duty: await planDuty(deps, net, planId, state, plannedRoutes.map((r) => ({ ...r.row, vehicleType: r.load.vehicle_type }))),
  };
  // The savings report and the settlement, both on equal work (src/settlement/work.ts).
  const { index, road } = net;
  const joint = await loadPlanWork(deps.db, planId, index);
  const alone = savings.length > 0 && savings.every((s) => s.work !== undefined) ? savings.map((s) => s.work!) : null;
  const legMetres = (a: number, b: number) => road.distance[a * road.size + b]!;
  const comparison = compareDay(joint.routes, joint.courierOf, alone, legMetres, budgetFor(deps, seed), unassigned.length);
  let report: SavingsReport | null = comparison.savings;
  if (report === null && savings.length > 0) {
    // Results from workers of an older version carry no routes: the comparison of all work.
    report = compareSavings(metrics, Object.fromEntries([...savings].sort((a, b) => (a.courier < b.courier ? -1 : 1)).map((s) => [s.courier, s.metrics])), budgetFor(deps, seed));
  }
  await markPlan(deps.db, planId, {
    status: 'completed',
    progress: 100,
    finished_at: nowOf(deps).toISOString(),
    summary_json: JSON.stringify({ ...summary, state }),
    savings_json: report ? JSON.stringify(report) : null,
    settlement_json: JSON.stringify(comparison.settlement),
  });
  return summary;
}

/**
 * The duty figures of a plan's stored routes, on the network the finalize step fetched (a re-plan
 * finalizes in a transaction whose deps the network cache does not know: asking it again built the
 * road matrix a second time, inside the transaction).
 */
async function planDuty(
  deps: PlanDeps,
  net: { index: NetworkIndex; road: RoadMatrix },
  planId: string,
  state: PlanState,
  routes: readonly { id: string; tier: string; hub_id: string; vehicle_id: string; vehicleType: string; start_at: string; end_at: string; duration_s: number }[],
): Promise<DutyFigures> {
  const { index, road } = net;
  const settings = settingsFor(deps, state.serviceDate);
  const midnight = Date.parse(localSecondsToIso(state.serviceDate, 0, settings.utcOffsetMinutes));
  const localS = (iso: string) => Math.round((Date.parse(iso) - midnight) / 1000);
  const stopsOf = new Map<string, DutyRoute['stops'][number][]>();
  for (const s of await planStopsInOrder(deps.db, planId)) {
    const location: LocationRef = s.station_code ? { kind: 'station', code: s.station_code } : { kind: 'hub', hubId: s.hub_id ?? index.countyWarehouse.id };
    let list = stopsOf.get(s.route_id);
    if (!list) stopsOf.set(s.route_id, (list = []));
    list.push({ location, load: JSON.parse(s.load_json) as Load });
  }
  return dutyFigures(
    routes.map((r) => ({ tier: r.tier as Tier, hubId: r.hub_id, vehicleId: r.vehicle_id, vehicleType: r.vehicleType, startS: localS(r.start_at), endS: localS(r.end_at), durationS: r.duration_s, stops: stopsOf.get(r.id) ?? [] })),
    settings,
    {
      countyHubId: index.countyWarehouse.id,
      legMetres: networkDistance(index, road),
      arrivals: new Map(Object.entries(state.lineHaul?.arrivals ?? {})),
      lineHaulRelaxed: state.lineHaul?.relaxed === true,
    },
  );
}

export async function failPlan(deps: Pick<PlanDeps, 'db'>, planId: string, message: string, now = new Date()): Promise<void> {
  await markPlan(deps.db, planId, { status: 'failed', error: message.slice(0, 2000), finished_at: now.toISOString() });
}
