/**
 * The re-plan parts of the plan's steps (src/pipeline/plan.steps.ts calls them when the version
 * being computed replaces another):
 *
 * - prepare: read the replaced version's routes and its drivers' events, lock what is under way
 *   (src/planning/replan.ts) and remember the locks in the plan's working state;
 * - line-haul: once the day has started (any driver event), the trucks have left with the morning
 *   loads, so the replaced version's line-haul is kept whole, and only parcels that were not on it
 *   (late ones, those it could not carry) ride a further loop by trucks released when they are back;
 * - village: each hub's vehicles under way continue from their last event, fresh ones take the rest;
 *   the hub's result is set aside (`plan_staged_hubs`), the live routes and items untouched;
 * - finalize: in one transaction, every hub's staged routes are written (the continued routes in
 *   place, the fresh ones under the new version) and the new version takes over the continued
 *   routes and the kept line-haul. A re-plan that fails anywhere leaves the day as it was.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, PlanRow } from '../db/schema.ts';
import type { RoadMatrix } from '../geo/matrix.ts';
import { lockStartedWork, type ContinuedRoute, type LockedRoute } from '../planning/replan.ts';
import type { NetworkIndex } from '../planning/network-index.ts';
import { replanVillage, solveLineHaul, type LineHaulOutcome, type VillageReplanResult } from '../planning/plan-day.ts';
import type { DayModel, DaySettings, Load, PlannedRoute, SolveBudget, SolveFn } from '../planning/types.ts';
import { brokenDownVehicles, loadPreviousRoutes, secondsOfDay, storeContinuedRoutes } from '../plans/plan-versions.repository.ts';
import { storeTierRoutes } from '../plans/plan.repository.ts';
import { chunks } from '../util/chunks.ts';

/** What prepare leaves for the later steps of a re-plan (in `plans.summary_json`). */
export interface ReplanState {
  readonly replacesPlanId: string;
  /** Routes under way (and broken-down ones): history up to the last event, resume point. */
  readonly locked: readonly LockedRoute[];
  readonly busyVehicleIds: readonly string[];
  /** Stops that stay as they are: their parcels and pickups are not planned again. */
  readonly fixedStopIds: readonly string[];
  /** The day has started: the replaced version's line-haul is kept whole. */
  readonly lineHaulKept: boolean;
  readonly keptLineHaulRouteIds: readonly string[];
  readonly keptArrivals: Readonly<Record<string, number>>;
  /** Items the kept line-haul did not carry: still at the county warehouse. */
  readonly keptLost: readonly string[];
  /** When each truck of the kept line-haul is back at the county warehouse. */
  readonly truckFreeAtS: Readonly<Record<string, number>>;
  /** No fresh vehicle leaves before the re-plan was asked for (s after midnight). */
  readonly notBeforeS: number;
}

interface ReplacedLineHaulState {
  readonly arrivals?: Record<string, number>;
  readonly lost?: readonly string[];
}

function lineHaulStateOf(plan: PlanRow): ReplacedLineHaulState {
  if (!plan.summary_json) return {};
  const parsed = JSON.parse(plan.summary_json) as { state?: { lineHaul?: ReplacedLineHaulState }; lineHaul?: ReplacedLineHaulState };
  return parsed.state?.lineHaul ?? parsed.lineHaul ?? {};
}

export async function prepareReplan(db: Kysely<Database>, replaced: PlanRow, settings: DaySettings, requestedAt: string): Promise<ReplanState> {
  const previous = await loadPreviousRoutes(db, replaced.id, settings.serviceDate, settings.utcOffsetMinutes);
  const broken = await brokenDownVehicles(db, settings.serviceDate);
  const started = previous.some((r) => r.stops.some((s) => s.lastEventS !== null));
  const lineHaul = previous.filter((r) => r.tier === 'line_haul');
  const locks = lockStartedWork(
    previous.filter((r) => r.tier === 'village'),
    broken,
  );
  // What a vehicle under way still carries from its visited stops: every parcel not delivered.
  const prefixParcels = locks.locked.filter((l) => !l.brokenDown).flatMap((l) => l.prefix.flatMap((s) => s.parcelIds));
  const delivered = new Set<string>();
  for (const part of chunks(prefixParcels, 500)) {
    const rows = await db.selectFrom('parcels').select('id').where('id', 'in', part).where('status', '=', 'delivered').execute();
    for (const r of rows) delivered.add(r.id);
  }
  const carriedBack = (l: LockedRoute) => (l.brokenDown ? [] : l.prefix.flatMap((s) => s.parcelIds).filter((id) => !delivered.has(id)));
  const kept = started ? lineHaul : [];
  const replacedLineHaul = lineHaulStateOf(replaced);
  const truckFreeAtS: Record<string, number> = {};
  for (const r of kept) {
    const back = Math.max(...r.stops.map((s) => s.arrivalS));
    truckFreeAtS[r.vehicleId] = Math.max(truckFreeAtS[r.vehicleId] ?? 0, back);
  }
  return {
    replacesPlanId: replaced.id,
    // The prefix's parcel ids are history: left out of the working state, which every step reads.
    locked: locks.locked.map((l) => ({ ...l, carriedBackParcelIds: carriedBack(l), prefix: l.prefix.map((s) => ({ ...s, parcelIds: [] })) })),
    busyVehicleIds: [...locks.busyVehicleIds].sort(),
    fixedStopIds: [...locks.locked.flatMap((l) => l.prefix.map((s) => s.stopId)), ...kept.flatMap((r) => r.stops.map((s) => s.stopId))],
    lineHaulKept: started,
    keptLineHaulRouteIds: kept.map((r) => r.routeId),
    keptArrivals: started ? (replacedLineHaul.arrivals ?? {}) : {},
    keptLost: started ? [...(replacedLineHaul.lost ?? [])] : [],
    truckFreeAtS,
    notBeforeS: Math.max(0, secondsOfDay(requestedAt, settings.serviceDate, settings.utcOffsetMinutes)),
  };
}

/** The hubs a re-plan must visit: those with work, and those with a route under way. */
export function replanHubs(hubs: readonly string[], replan: ReplanState): string[] {
  const all = new Set(hubs);
  for (const l of replan.locked) if (l.tier === 'village') all.add(l.hubId);
  return [...all].sort();
}

/**
 * The line-haul of a re-plan whose day has started: the kept loop stays, the parcels it did not
 * carry ride a further loop (produce already has its room on the kept loop).
 */
export async function supplementaryLineHaul(
  db: Kysely<Database>,
  planId: string,
  replan: ReplanState,
  sameDayPlanIds: readonly string[],
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  solve: SolveFn,
  budget: SolveBudget,
  now: string,
): Promise<LineHaulOutcome> {
  const carried = new Set<string>();
  for (const part of chunks([...sameDayPlanIds], 200)) {
    const rows = await db.selectFrom('parcels').select('id').where('plan_id', 'in', part).execute();
    for (const r of rows) carried.add(r.id);
  }
  for (const id of replan.keptLost) carried.delete(id);
  // Returns wait for tomorrow's line-haul: today's failures reach their centre with the vans tonight.
  const atWarehouse: DayModel = { ...day, parcels: day.parcels.filter((p) => !carried.has(p.id)), pickups: [], returns: [] };
  const outcome = await solveLineHaul(atWarehouse, index, road, solve, budget, { truckFreeAtS: new Map(Object.entries(replan.truckFreeAtS)), notBeforeS: replan.notBeforeS });
  await storeTierRoutes(db, planId, 'line_haul', index.countyWarehouse.id, outcome.result.routes, day.settings, now);
  // A centre's vans wait for its last load of the day: the kept loop's, or the further one's.
  const arrivals = new Map(Object.entries(replan.keptArrivals));
  for (const [hub, s] of outcome.arrivals) arrivals.set(hub, Math.max(arrivals.get(hub) ?? 0, s));
  return { result: outcome.result, arrivals, lost: outcome.lost };
}

/** What a re-plan's village step sets aside for its hub until finalize switches the re-plan in. */
interface StagedHub {
  readonly routes: readonly PlannedRoute[];
  readonly continued: readonly ContinuedRoute[];
}

/** One hub's village routes around the vehicles under way, set aside (`plan_staged_hubs`) for finalize. */
export async function replanVillageStep(
  db: Kysely<Database>,
  planId: string,
  replan: ReplanState,
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  hubId: string,
  lineHaul: Pick<LineHaulOutcome, 'arrivals' | 'lost'>,
  solve: SolveFn,
  budget: SolveBudget,
  now: string,
): Promise<VillageReplanResult> {
  const locked = replan.locked.filter((l) => l.hubId === hubId && l.tier === 'village');
  const collected = locked.flatMap((l) => l.collectedPickupIds);
  const loads = new Map<string, Load>();
  for (const part of chunks(collected, 500)) {
    const rows = await db.selectFrom('pickups').select(['id', 'weight_g', 'volume_cm3', 'pieces']).where('id', 'in', part).execute();
    for (const r of rows) loads.set(r.id, [r.weight_g, r.volume_cm3, r.pieces]);
  }
  for (const part of chunks(locked.flatMap((l) => l.carriedBackParcelIds ?? []), 500)) {
    const rows = await db.selectFrom('parcels').select(['id', 'weight_g', 'volume_cm3']).where('id', 'in', part).execute();
    for (const r of rows) loads.set(r.id, [r.weight_g, r.volume_cm3, 1]);
  }
  const result = await replanVillage(
    day,
    index,
    road,
    hubId,
    lineHaul,
    { locked, busyVehicleIds: new Set(replan.busyVehicleIds), notBeforeS: replan.notBeforeS, loadOf: (id) => loads.get(id) ?? [0, 0, 0] },
    solve,
    budget,
  );
  // Set aside, not written: the live day changes only when the whole re-plan is switched in.
  const staged: StagedHub = { routes: result.routes, continued: result.continued };
  await db
    .insertInto('plan_staged_hubs')
    .values({ plan_id: planId, hub_id: hubId, result_json: JSON.stringify(staged), created_at: now })
    .onConflict((oc) => oc.columns(['plan_id', 'hub_id']).doUpdateSet({ result_json: JSON.stringify(staged), created_at: now }))
    .execute();
  return result;
}

/**
 * Writes every hub's staged village tier inside the caller's transaction (finalize's, with the
 * hand-over to the new version): continued routes in place first (it frees the parcels of their
 * replaced stops, which the fresh routes may take), then the fresh routes. Then drops the rows.
 */
export async function applyStagedReplan(trx: Transaction<Database>, planId: string, replan: ReplanState, settings: DaySettings, now: string): Promise<void> {
  const rows = await trx.selectFrom('plan_staged_hubs').select(['hub_id', 'result_json']).where('plan_id', '=', planId).orderBy('hub_id').execute();
  for (const row of rows) {
    const staged = JSON.parse(row.result_json) as StagedHub;
    const locked = replan.locked.filter((l) => l.hubId === row.hub_id && l.tier === 'village');
    await storeContinuedRoutes(trx, planId, staged.continued, locked, settings, now);
    await storeTierRoutes(trx, planId, 'village', row.hub_id, staged.routes, settings, now);
  }
  await trx.deleteFrom('plan_staged_hubs').where('plan_id', '=', planId).execute();
}

export type { DaySettings };
