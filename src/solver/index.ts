/**
 * The routing core's entry point: `solve(problem, options)`; pure, seeded, deadline-driven.
 *
 * Engines: pure job problems with one vehicle type, single windows and single trips run the
 * hybrid genetic search (HGS, Vidal 2022) whose local search evaluates moves in O(1) by segment
 * concatenation; everything else (shipments, optional jobs, skills, mixed fleets, several
 * windows, multi-trip) runs SISR ruin & recreate over exact route evaluation.
 */
import { compile, requestId } from './data.ts';
import type { Data } from './data.ts';
import { diagnoseRequest } from './diagnose.ts';
import { RouteEvaluator } from './evaluate.ts';
import type { Problem, Route, Solution, SolveOptions, Unassigned, UnassignedReason } from './model.ts';
import { Rng } from './rng.ts';
import { Sisr } from './sisr.ts';
import { hgsApplies, runHgs } from './genetic.ts';
import { eliminateRoutes, eliminationApplies, eliminationBudget } from './route-elimination.ts';

export type * from './model.ts';
export { SolverInputError } from './data.ts';

export function solve(problem: Problem, options: SolveOptions = {}): Solution {
  const data = compile(problem);
  const ev = new RouteEvaluator(data);
  const rng = new Rng(options.seed ?? 1);
  const R = data.requestCount;
  const active = new Uint8Array(R);
  const reasons = new Map<number, UnassignedReason>();
  for (let r = 0; r < R; r++) {
    const reason = diagnoseRequest(data, ev, r);
    if (reason === null) active[r] = 1;
    else reasons.set(r, reason);
  }
  let routes: number[][];
  let iterations: number;
  const onProgress = options.onProgress;
  const onImprove = onProgress
    ? (iteration: number, bestCost: number, feasible: boolean) => onProgress({ iteration, bestCost, feasible })
    : undefined;
  if (!active.some((a) => a === 1)) {
    routes = [];
    iterations = 0;
  } else if (hgsApplies(data, active)) {
    const res = runHgs(data, ev, rng, active, options, onImprove);
    routes = res.routes;
    iterations = res.iterations;
  } else {
    const sisr = new Sisr(data, ev, rng, active);
    sisr.debug = options.debug === true;
    let start = sisr.construct();
    let timeFraction = options.timeFraction;
    if (data.V > 0 && eliminationApplies(data, ev, active, start.routes)) {
      // Vehicles first (Li & Lim's pickup-and-delivery sets): shrink the fleet first; the
      // annealing then runs its whole temperature schedule on the rest of the budget, and never
      // accepts a new vehicle since the fixed cost dwarfs its temperature.
      start = sisr.fromRoutes(eliminateRoutes(data, ev, rng, active, start.routes, eliminationBudget(options, R)).routes);
      const tf = options.timeFraction;
      if (tf !== undefined) {
        const spent = Math.min(tf(), 0.99);
        timeFraction = () => Math.max(0, (tf() - spent) / (1 - spent));
      }
    }
    const stop = { deadline: options.deadline, maxIterations: options.maxIterations, timeFraction, onImprove };
    const res = sisr.run(start, stop);
    routes = res.best.routes;
    iterations = res.iterations;
  }
  return buildSolution(data, ev, routes, reasons, iterations);
}

/** Public solution from per-vehicle node sequences; re-verifies every route exactly. */
export function buildSolution(data: Data, ev: RouteEvaluator, routes: readonly (readonly number[])[],
  reasons: Map<number, UnassignedReason>, iterations: number): Solution {
  const out: Route[] = [];
  const served = new Uint8Array(data.requestCount);
  let cost = 0;
  for (let v = 0; v < data.V; v++) {
    const seq = routes[v] ?? [];
    if (seq.length === 0) continue;
    const route = ev.describe(v, seq, seq.length);
    for (const x of seq) served[data.requestOf[x]] = 1;
    cost += route.cost;
    out.push(route);
  }
  const unassigned: Unassigned[] = [];
  for (let r = 0; r < data.requestCount; r++) {
    if (served[r]) continue;
    const optional = data.prize[r] >= 0;
    if (optional) cost += data.prize[r];
    const reason = reasons.get(r) ?? (optional ? 'not_worth_it' : 'no_feasible_route');
    const kind = r < data.jobCount ? 'job' : 'shipment';
    const id = requestId(data, r);
    unassigned.push({ id, kind, reason });
  }
  return { cost, routes: out, unassigned, iterations };
}
