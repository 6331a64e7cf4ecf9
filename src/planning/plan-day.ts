/**
 * The day's planning steps, I/O-free (the solver is passed in): line-haul first, then each hub's
 * village routes released at the hub's line-haul arrival plus sorting, then a summary. The
 * queue workers run the same steps as separate jobs; `planDay` runs them in a row (in-process
 * demo without Redis, the co-delivery comparison, tests).
 */
import type { RoadMatrix } from '../geo/matrix.ts';
import { buildLineHaul, buildVillage, villageHubs, type TierBuild } from './build-problems.ts';
import { lineHaulArrivals, mapSolution } from './map-solution.ts';
import type { NetworkIndex } from './network-index.ts';
import type { DayModel, PlannedRoute, SolveBudget, SolveFn, TierResult, UnassignedItem } from './types.ts';

export interface LineHaulOutcome {
  readonly result: TierResult;
  /** Unloading finished at each centre (s after midnight). */
  readonly arrivals: ReadonlyMap<string, number>;
  /** Ids of items that will not reach their centre today. */
  readonly lost: ReadonlySet<string>;
}

async function solveBuild(build: TierBuild, solve: SolveFn, budget: SolveBudget): Promise<TierResult> {
  if (build.problem.jobs.length === 0 || build.problem.vehicles.length === 0) {
    return { routes: [], unassigned: build.unassigned };
  }
  return mapSolution(build, await solve(build.problem, budget));
}

export async function solveLineHaul(day: DayModel, index: NetworkIndex, road: RoadMatrix, solve: SolveFn, budget: SolveBudget): Promise<LineHaulOutcome> {
  const result = await solveBuild(buildLineHaul(day, index, road), solve, budget);
  const lost = new Set(result.unassigned.map((u) => u.id));
  return { result, arrivals: lineHaulArrivals(result), lost };
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
  const hubs = villageHubs(day, index);
  const total = hubs.length + 1;
  const lineHaul = await solveLineHaul(day, index, road, solve, budget);
  onStep?.(1, total);
  const routes: PlannedRoute[] = [...lineHaul.result.routes];
  const unassigned: UnassignedItem[] = [...lineHaul.result.unassigned];
  let done = 1;
  for (const hubId of hubs) {
    const village = await solveVillage(day, index, road, hubId, lineHaul, solve, budget);
    routes.push(...village.routes);
    unassigned.push(...village.unassigned);
    onStep?.(++done, total);
  }
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
