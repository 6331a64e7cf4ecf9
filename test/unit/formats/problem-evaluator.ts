/**
 * A deliberately naive evaluator of routes on the solver's integer `Problem` (no solver code):
 * used by the format tests to show that the problems the readers build score the best-known
 * solutions the way the sets publish them.
 */
import type { Problem } from '../../../src/solver/model.ts';

export interface IntegerEvaluation {
  readonly distance: number;
  readonly fixed: number;
  readonly feasible: boolean;
  readonly problems: string[];
}

/** `routes` are lists of job/shipment-stop locations (depot excluded), one per vehicle used. */
export function evaluateOnProblem(problem: Problem, routes: readonly (readonly number[])[]): IntegerEvaluation {
  const n = problem.locationCount;
  const { distance, duration } = problem.profiles[0]!;
  const stops = new Map<number, { windows?: readonly (readonly [number, number])[]; service: number; load: number }>();
  for (const j of problem.jobs) stops.set(j.location, { ...(j.timeWindows ? { windows: j.timeWindows } : {}), service: j.serviceTime, load: j.delivery[0]! });
  for (const s of problem.shipments ?? []) {
    stops.set(s.pickup.location, { ...(s.pickup.timeWindows ? { windows: s.pickup.timeWindows } : {}), service: s.pickup.serviceTime, load: s.amount[0]! });
    stops.set(s.delivery.location, { ...(s.delivery.timeWindows ? { windows: s.delivery.timeWindows } : {}), service: s.delivery.serviceTime, load: -s.amount[0]! });
  }
  const problems: string[] = [];
  let total = 0;
  let fixed = 0;
  routes.forEach((route, r) => {
    const v = problem.vehicles[r];
    if (!v) {
      problems.push(`route ${r + 1}: no vehicle`);
      return;
    }
    fixed += v.fixedCost ?? 0;
    let at = v.startLocation;
    let time = v.shift?.[0] ?? 0;
    let load = problem.shipments ? 0 : route.reduce((s, loc) => s + stops.get(loc)!.load, 0);
    if (load > v.capacity[0]!) problems.push(`route ${r + 1}: over capacity`);
    for (const loc of route) {
      const stop = stops.get(loc)!;
      total += distance[at * n + loc]!;
      time += duration[at * n + loc]!;
      const w = stop.windows?.[0];
      if (w) {
        time = Math.max(time, w[0]);
        if (time > w[1]) problems.push(`route ${r + 1}: late at location ${loc} by ${time - w[1]}`);
      }
      time += stop.service;
      if (problem.shipments) {
        load += stop.load;
        if (load > v.capacity[0]!) problems.push(`route ${r + 1}: over capacity at ${loc}`);
      }
      at = loc;
    }
    total += distance[at * n + v.endLocation]!;
    time += duration[at * n + v.endLocation]!;
    if (v.shift && time > v.shift[1]) problems.push(`route ${r + 1}: back late by ${time - v.shift[1]}`);
  });
  return { distance: total, fixed, feasible: problems.length === 0, problems };
}
