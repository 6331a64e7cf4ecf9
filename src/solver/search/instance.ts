/**
 * The static instance the local search and Split work on, and the penalised route cost.
 *
 * Every measure is an integer in the problem's units (the problem model requires integers; the
 * callers scale their data once, e.g. the benchmark readers ×10 or ×1000). Penalties are priced
 * in whole cost units (`penalty`), so every route cost and every move delta is an integer and the
 * search compares them exactly. Typed arrays hold integers; loads, windows and limits use
 * Float64Array because sums of loads and the open time horizon (BIG_TIME) exceed 32 bits.
 */

/** An open time window's end, as a finite integer (Infinity would poison the window arithmetic). */
export const BIG_TIME = 1e12;

/** The static instance the local search works on (clients already renumbered 0..n-1). */
export interface LsInstance {
  readonly n: number;
  /** Dimensions of load. */
  readonly D: number;
  /** (n+2)² row-major; index n = start depot, n+1 = end depot. */
  readonly dist: Int32Array;
  readonly time: Int32Array;
  readonly service: Float64Array;
  readonly early: Float64Array;
  readonly late: Float64Array;
  readonly del: Float64Array;
  readonly pick: Float64Array;
  readonly cap: Float64Array;
  readonly shiftEarly: number;
  readonly shiftLate: number;
  readonly maxDuration: number;
  readonly maxDistance: number;
  readonly maxStops: number;
  /** Fixed cost per used route as the search sees it (capped, see ls-instance.ts). */
  readonly fixed: number;
  /** The objective's real fixed cost per used route. */
  readonly trueFixed: number;
  readonly cpd: number;
  readonly cdu: number;
  /** dist and time matrices are symmetric (reversal does not change a segment's own distance). */
  readonly symmetric: boolean;
  /**
   * Granular neighbours: neighbours[i*k .. i*k+k-1], padded with -1. The first `nearest` of a row
   * are i's own nearest clients, in order; the rest (CVRP) are the clients that have i among theirs.
   */
  readonly neighbours: Int32Array;
  readonly k: number;
  readonly nearest: number;
}

/** Whether time matters at all: windows, a shift, a duration limit or a duration cost. */
export function timeMatters(inst: LsInstance): boolean {
  if (inst.cdu !== 0 || Number.isFinite(inst.maxDuration) || inst.shiftEarly > 0 || inst.shiftLate < BIG_TIME) return true;
  for (let i = 0; i < inst.n; i++) if (inst.early[i] > 0 || inst.late[i] < BIG_TIME) return true;
  return false;
}

/**
 * Penalty of `excess` units at `weight` per unit, in whole cost units. Rounded up, so any excess
 * costs at least 1: an infeasible route is never priced like a feasible one.
 */
export function penalty(weight: number, excess: number): number {
  return excess > 0 ? Math.ceil(weight * excess) : 0;
}

/** Load over capacity summed over dimensions (max load at `maxLoad[off..off+D-1]`), plus stops over the limit. */
export function loadExcessOf(inst: LsInstance, maxLoad: Float64Array, off: number, count: number): number {
  let loadExcess = 0;
  for (let q = 0; q < inst.D; q++) {
    const ex = maxLoad[off + q] - inst.cap[q];
    if (ex > 0) loadExcess += ex;
  }
  if (count > inst.maxStops) loadExcess += count - inst.maxStops;
  return loadExcess;
}

/** Time warp plus duration and distance over their limits. */
export function timeExcessOf(inst: LsInstance, dist: number, dur: number, tw: number): number {
  let timeExcess = tw;
  if (dur > inst.maxDuration) timeExcess += dur - inst.maxDuration;
  if (dist > inst.maxDistance) timeExcess += dist - inst.maxDistance;
  return timeExcess;
}

/** Cost of a complete non-empty route without penalties (fixed cost as the search sees it). */
export function routeBaseCost(inst: LsInstance, dist: number, dur: number): number {
  return inst.fixed + inst.cpd * dist + inst.cdu * dur;
}

/** Penalised cost of a complete non-empty route. */
export function penalisedCost(inst: LsInstance, wLoad: number, wTime: number, dist: number, dur: number, tw: number,
  maxLoad: Float64Array, off: number, count: number): number {
  return routeBaseCost(inst, dist, dur) + penalty(wTime, timeExcessOf(inst, dist, dur, tw))
    + penalty(wLoad, loadExcessOf(inst, maxLoad, off, count));
}
