/**
 * The day's planning steps, I/O-free (the solver is passed in): line-haul first, then each hub's
 * village routes released at the hub's line-haul arrival plus sorting, then a summary. The
 * queue workers run the same steps as separate jobs; `planDay` runs them in memory through the
 * one day sequence (day-sequence.ts), for the co-delivery comparison and tests.
 */
import { secondsAt, type RoadMatrix } from '../geo/matrix.ts';
import { buildLineHaul, buildVillage, villageHubs, type LineHaulOptions, type LocationRef, type TierBuild } from './build-problems.ts';
import { sequenceDay } from './day-sequence.ts';
import { addLoad } from './loads.ts';
import { appendTrip, continueLockedRoute, prefixDistance, type ContinuedRoute, type LockedRoute, type StartedVehicle } from './replan.ts';
import { lineHaulArrivals, mapSolution } from './map-solution.ts';
import { withRemedies } from './remedies.ts';
import type { NetworkIndex } from './network-index.ts';
import type { DayModel, Load, PlannedRoute, SolveBudget, SolveFn, TierResult, UnassignedItem } from './types.ts';

export interface LineHaulOutcome {
  readonly result: TierResult;
  /** Unloading finished at each centre (s after midnight). */
  readonly arrivals: ReadonlyMap<string, number>;
  /** Ids of items that will not reach their centre today. */
  readonly lost: ReadonlySet<string>;
  /**
   * Set when the trucks could not reach every centre early enough for its vans to leave by
   * `villageStartByS`: the line-haul was planned against `lineHaulLatestS` only, and the plan says so.
   */
  readonly relaxed?: boolean;
}

async function solveBuild(build: TierBuild, solve: SolveFn, budget: SolveBudget): Promise<TierResult> {
  if (build.problem.jobs.length === 0 || build.problem.vehicles.length === 0) {
    return { routes: [], unassigned: withRemedies(build.unassigned) };
  }
  const solution = await solve(build.problem, budget);
  const result = mapSolution(build, solution);
  // Fewer iterations than the budget: the wall-clock cap stopped the search (a solve whose every
  // job was diagnosed unservable does no iteration and plans no route, and is reproducible).
  const capped = budget.maxIterations !== undefined && solution.iterations < budget.maxIterations && (solution.iterations > 0 || solution.routes.length > 0);
  return capped ? { ...result, capped } : result;
}

export async function solveLineHaul(
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  solve: SolveFn,
  budget: SolveBudget,
  options: Omit<LineHaulOptions, 'relaxed'> = {},
): Promise<LineHaulOutcome> {
  const build = buildLineHaul(day, index, road, options);
  let result = await solveBuild(build, solve, budget);
  let relaxed = false;
  // The trucks could not make every centre in time for its vans to leave by early afternoon:
  // serve every centre late rather than leave loads at the county warehouse (same seed and
  // budget, so still deterministic), and say so in the plan.
  if (result.unassigned.length > build.unassigned.length) {
    const late = await solveBuild(buildLineHaul(day, index, road, { ...options, relaxed: true }), solve, budget);
    if (late.unassigned.length < result.unassigned.length) {
      result = late;
      relaxed = true;
    }
  }
  const lost = new Set(result.unassigned.map((u) => u.id));
  return { result, arrivals: lineHaulArrivals(result), lost, ...(relaxed ? { relaxed } : {}) };
}

/** When a hub's village vehicles may leave. */
export function releaseTime(day: DayModel, index: NetworkIndex, hubId: string, arrivals: ReadonlyMap<string, number>): number {
  const s = day.settings;
  const arrival = hubId === index.countyWarehouse.id ? undefined : arrivals.get(hubId);
  // The county warehouse sorts from the cut-off; a centre with no line-haul load today (only
  // produce to collect) can leave as early as the county does.
  return (arrival ?? s.cutoffS) + s.sortingS;
}

export async function solveVillage(
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  hubId: string,
  lineHaul: Pick<LineHaulOutcome, 'arrivals' | 'lost'>,
  solve: SolveFn,
  budget: SolveBudget,
): Promise<TierResult> {
  const build = buildVillage(day, index, road, hubId, { releaseS: releaseTime(day, index, hubId, lineHaul.arrivals), exclude: lineHaul.lost });
  return solveBuild(build, solve, budget);
}

export interface DayPlan {
  readonly routes: readonly PlannedRoute[];
  readonly unassigned: readonly UnassignedItem[];
  readonly arrivals: ReadonlyMap<string, number>;
}

export async function planDay(
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  solve: SolveFn,
  budget: SolveBudget,
  onStep?: (done: number, total: number) => void,
): Promise<DayPlan> {
  const { lineHaul, results } = await sequenceDay(
    () => solveLineHaul(day, index, road, solve, budget),
    (lh) => villageHubs(day, index).map((hubId) => () => solveVillage(day, index, road, hubId, lh, solve, budget)),
    onStep ? { onStep } : {},
  );
  const routes: PlannedRoute[] = [...lineHaul.result.routes, ...results.flatMap((v) => v.routes)];
  const unassigned: UnassignedItem[] = [...lineHaul.result.unassigned, ...results.flatMap((v) => v.unassigned)];
  return { routes, unassigned: dedupeUnassigned(unassigned), arrivals: lineHaul.arrivals };
}

/** An item lost on the line-haul is reported once, with the line-haul's reason. */
export function dedupeUnassigned(items: readonly UnassignedItem[]): UnassignedItem[] {
  const seen = new Set<string>();
  const out: UnassignedItem[] = [];
  for (const u of items) {
    const key = `${u.kind}:${u.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(u.tier === 'line_haul' && !u.reason.startsWith('line_haul_') && u.reason !== 'unknown_station' && u.reason !== 'no_vehicle'
      ? { ...u, reason: `line_haul_${u.reason}` as UnassignedItem['reason'] }
      : u);
  }
  return out;
}

/** A hub's village routes re-planned around the work already under way. */
export interface VillageReplanResult extends TierResult {
  /** The locked routes of this hub, continued (same route ids, history kept). */
  readonly continued: readonly ContinuedRoute[];
}

/** Road distance between two places of the network (metres). */
export function networkDistance(index: NetworkIndex, road: RoadMatrix): (a: LocationRef, b: LocationRef) => number {
  const point = (l: LocationRef) => (l.kind === 'hub' ? index.hubPoint.get(l.hubId) : index.stationPoint.get(l.code));
  return (a, b) => {
    const i = point(a);
    const j = point(b);
    return i === undefined || j === undefined ? 0 : road.distance[i * road.size + j]!;
  };
}

/**
 * Re-plans one hub's village tier: the fresh vehicles and the vehicles under way (continuing
 * from their last event) share the hub's remaining work. `locked` are this hub's locked routes.
 */
export async function replanVillage(
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  hubId: string,
  lineHaul: Pick<LineHaulOutcome, 'arrivals' | 'lost'>,
  locks: { readonly locked: readonly LockedRoute[]; readonly busyVehicleIds: ReadonlySet<string>; readonly notBeforeS?: number; readonly loadOf: (pickupId: string) => Load },
  solve: SolveFn,
  budget: SolveBudget,
): Promise<VillageReplanResult> {
  const distance = networkDistance(index, road);
  const mine = locks.locked.filter((l) => l.hubId === hubId && l.tier === 'village');
  const started: StartedVehicle[] = mine
    .filter((l) => !l.brokenDown)
    .map((l) => {
      const collected: Load = [0, 0, 0];
      // Produce collected and parcels not handed over ride back to the hub: room taken until then.
      for (const id of [...l.collectedPickupIds, ...(l.carriedBackParcelIds ?? [])]) addLoad(collected, locks.loadOf(id));
      return { vehicleId: l.vehicleId, location: l.resume.location, atS: l.resume.atS, onBoardParcelIds: l.onBoardParcelIds, collected, drivenM: prefixDistance(l, distance) };
    });
  const build = buildVillage(day, index, road, hubId, {
    releaseS: releaseTime(day, index, hubId, lineHaul.arrivals),
    exclude: lineHaul.lost,
    replan: { started, busyVehicleIds: locks.busyVehicleIds, ...(locks.notBeforeS !== undefined ? { notBeforeS: locks.notBeforeS } : {}) },
  });
  const result = await solveBuild(build, solve, budget);
  const startedIds = new Set(started.map((s) => s.vehicleId));
  const fresh = result.routes.filter((r) => !startedIds.has(r.vehicleId));
  const continued = mine.map((l) => {
    const remainder = result.routes.find((r) => r.vehicleId === l.vehicleId);
    const vehicle = index.vehicles.get(l.vehicleId);
    const home: LocationRef = { kind: 'hub', hubId };
    const backM = distance(l.resume.location, home);
    const backS = vehicle ? secondsAt(backM, vehicle.speed_kmh) : 0;
    return continueLockedRoute(l, remainder, prefixDistance(l, distance), { arrivalS: l.resume.atS + backS, distanceM: backM });
  });

  // A vehicle under way with trips left can go home, reload and take what the first solve left
  // over: solved again with it as a hub vehicle from the time it is back (its way home kept as
  // solved), the fresh vehicles re-planned with it. Only when something was left over.
  const spare = continued.filter((c) => {
    const l = mine.find((x) => x.routeId === c.routeId);
    const v = index.vehicles.get(c.vehicleId);
    return l !== undefined && !l.brokenDown && v !== undefined && Math.max(1, v.max_trips) > c.trips && c.stops[c.stops.length - 1]?.kind === 'end';
  });
  if (result.unassigned.length === 0 || spare.length === 0) return { routes: fresh, unassigned: result.unassigned, continued };
  const served = new Set(continued.flatMap((c) => c.stops.flatMap((s) => [...s.parcelIds, ...s.pickupIds])));
  const onBoard = new Set(started.flatMap((s) => s.onBoardParcelIds));
  const rest: DayModel = { ...day, parcels: day.parcels.filter((p) => !served.has(p.id) && !onBoard.has(p.id)), pickups: day.pickups.filter((p) => !served.has(p.id)) };
  const spareOf = new Map(spare.map((c) => [c.vehicleId, c]));
  const build2 = buildVillage(rest, index, road, hubId, {
    releaseS: releaseTime(day, index, hubId, lineHaul.arrivals),
    exclude: lineHaul.lost,
    replan: { started: [], busyVehicleIds: new Set([...locks.busyVehicleIds].filter((id) => !spareOf.has(id))), ...(locks.notBeforeS !== undefined ? { notBeforeS: locks.notBeforeS } : {}) },
  });
  const vehicles = build2.problem.vehicles.map((v) => {
    const c = spareOf.get(v.id);
    const row = index.vehicles.get(v.id);
    if (c === undefined || row === undefined) return v;
    const usedS = c.endS - c.startS;
    return {
      ...v,
      releaseTime: Math.max(v.releaseTime ?? 0, c.endS + day.settings.reloadS),
      fixedCost: 0, // already out today
      maxTrips: Math.max(1, row.max_trips) - c.trips,
      ...(v.maxDistance !== undefined ? { maxDistance: Math.max(0, v.maxDistance - c.distanceM) } : {}),
      ...(v.maxDuration !== undefined ? { maxDuration: Math.max(0, v.maxDuration - usedS) } : {}),
    };
  });
  const second = await solveBuild({ ...build2, problem: { ...build2.problem, vehicles } }, solve, budget);
  const withTrips = continued.map((c) => {
    const next = spareOf.has(c.vehicleId) ? second.routes.find((r) => r.vehicleId === c.vehicleId) : undefined;
    return next ? appendTrip(c, next) : c;
  });
  const stillOnBoard = result.unassigned.filter((u) => onBoard.has(u.id));
  return { routes: second.routes.filter((r) => !spareOf.has(r.vehicleId)), unassigned: [...stillOnBoard, ...second.unassigned], continued: withTrips };
}
