/**
 * Inspecting a given route (a dispatcher's manual edit), not searching: the exact evaluator
 * (evaluate.ts) decides whether the route is feasible and prices it; when it is not, a relaxed
 * walk of the same route reports every rule it breaks — load over capacity after a stop, service
 * after a station's window closes (driving on late), more distance than the vehicle's range,
 * back after the shift ends or beyond its maximum duration, a skill the vehicle lacks — with the
 * distance and schedule it would have if driven anyway.
 *
 * Not on a hot path (one call per previewed route): it allocates freely. The relaxed walk uses
 * the evaluator's rules (greedy trip breaks, earliest open window, load on board leaving the
 * depot and after every stop) but never stops at the first failure; on a feasible route it gives
 * the evaluator's distance (its schedule may start earlier: it does not delay the departure).
 */
import { compile, KIND_JOB, type Data } from './data.ts';
import { FAIL_CAPACITY, FAIL_MAX_DISTANCE, FAIL_MAX_DURATION, FAIL_MAX_STOPS, FAIL_PRECEDENCE, FAIL_SKILL, FAIL_TIME_WINDOW, RouteEvaluator } from './evaluate.ts';
import type { Problem, RouteStep, UnassignedReason } from './model.ts';

/** One broken rule of an inspected route. */
export type RouteViolation =
  | { readonly kind: 'capacity'; readonly jobId: string | null; readonly dimension: number; readonly load: number; readonly capacity: number }
  | { readonly kind: 'time_window'; readonly jobId: string; readonly arrival: number; readonly latestStart: number }
  | { readonly kind: 'max_distance'; readonly distance: number; readonly maxDistance: number }
  | { readonly kind: 'shift_end'; readonly end: number; readonly shiftEnd: number }
  | { readonly kind: 'max_duration'; readonly duration: number; readonly maxDuration: number }
  | { readonly kind: 'max_stops'; readonly stops: number; readonly maxStops: number }
  | { readonly kind: 'skill'; readonly jobId: string };

export interface RouteInspection {
  readonly vehicleId: string;
  readonly feasible: boolean;
  /** The evaluator's verdict: null when feasible, else the first rule it found broken. */
  readonly failure: UnassignedReason | null;
  /** Exact when feasible, as driven anyway otherwise (same units as the problem). */
  readonly distance: number;
  readonly duration: number;
  /** fixed (when the route has stops) + per distance + per duration, in the problem's cost unit. */
  readonly cost: number;
  readonly trips: number;
  /** start, jobs (and reloads), end: arrival, service start, departure, load on board. */
  readonly steps: readonly RouteStep[];
  readonly violations: readonly RouteViolation[];
}

export interface RouteToInspect {
  readonly vehicleId: string;
  /** Job ids in driving order (every id a job of the problem; shipments are not inspected here). */
  readonly jobIds: readonly string[];
}

const FAILURE_REASON: Record<number, UnassignedReason> = {
  [FAIL_CAPACITY]: 'capacity',
  [FAIL_TIME_WINDOW]: 'time_window',
  [FAIL_MAX_DISTANCE]: 'max_distance',
  [FAIL_MAX_DURATION]: 'max_duration',
  [FAIL_MAX_STOPS]: 'max_stops',
  [FAIL_SKILL]: 'skill',
  [FAIL_PRECEDENCE]: 'no_feasible_route',
};

/** Inspects each route on its vehicle; throws (naming the id) for an unknown vehicle or job. */
export function inspectRoutes(problem: Problem, routes: readonly RouteToInspect[]): RouteInspection[] {
  const data = compile(problem);
  const ev = new RouteEvaluator(data);
  const vehicleIndex = new Map(problem.vehicles.map((v, k) => [v.id, k]));
  const jobIndex = new Map(problem.jobs.map((j, k) => [j.id, k]));
  return routes.map((r) => {
    const v = vehicleIndex.get(r.vehicleId);
    if (v === undefined) throw new RangeError(`no vehicle ${r.vehicleId} in the problem`);
    const seq = r.jobIds.map((id) => {
      const x = jobIndex.get(id);
      if (x === undefined) throw new RangeError(`no job ${id} in the problem`);
      return x;
    });
    const cost = ev.evaluate(v, seq, seq.length);
    if (Number.isFinite(cost)) {
      if (seq.length === 0) return { vehicleId: r.vehicleId, feasible: true, failure: null, distance: 0, duration: 0, cost: 0, trips: 0, steps: [], violations: [] };
      const route = ev.describe(v, seq, seq.length);
      return {
        vehicleId: r.vehicleId,
        feasible: true,
        failure: null,
        distance: route.distance,
        duration: route.duration,
        cost,
        trips: route.steps.filter((s) => s.type === 'reload').length + 1,
        steps: route.steps,
        violations: [],
      };
    }
    const failure = FAILURE_REASON[ev.failure] ?? 'no_feasible_route';
    return { vehicleId: r.vehicleId, feasible: false, failure, ...relaxedWalk(data, v, seq) };
  });
}

/** The route driven whatever happens, with every broken rule. */
function relaxedWalk(d: Data, v: number, seq: readonly number[]): Omit<RouteInspection, 'vehicleId' | 'feasible' | 'failure'> {
  const D = d.D;
  const L = d.L;
  const violations: RouteViolation[] = [];
  const idOf = (x: number) => d.problem.jobs[x].id;
  const cap = (q: number) => d.vCap[v * D + q];
  if (seq.length > d.vMaxStops[v]) violations.push({ kind: 'max_stops', stops: seq.length, maxStops: d.vMaxStops[v] });
  if (d.compat) for (const x of seq) if (d.compat[v * d.N + x] === 0) violations.push({ kind: 'skill', jobId: idOf(x) });
  // Trip breaks: as the evaluator, a new trip when the next stop's load would not fit, while
  // trips remain; with none left the stop stays on the trip and its overload is reported below.
  const tripStart: number[] = [0];
  const sD = new Array<number>(D).fill(0);
  const sP = new Array<number>(D).fill(0);
  const sM = new Array<number>(D).fill(0);
  for (let k = 0; k < seq.length; k++) {
    const x = seq[k];
    let fits = true;
    for (let q = 0; q < D; q++) {
      const dl = d.del[x * D + q];
      const pk = d.pick[x * D + q];
      if (Math.max(sM[q] + dl, sP[q] + Math.max(dl, pk)) > cap(q)) fits = false;
    }
    if (!fits && k > tripStart[tripStart.length - 1] && tripStart.length < d.vTrips[v]) {
      tripStart.push(k);
      sD.fill(0);
      sP.fill(0);
      sM.fill(0);
    }
    for (let q = 0; q < D; q++) {
      const dl = d.del[x * D + q];
      const pk = d.pick[x * D + q];
      sM[q] = Math.max(sM[q] + dl, sP[q] + Math.max(dl, pk));
      sD[q] = sD[q] + dl;
      sP[q] = sP[q] + pk;
    }
  }
  const overloaded = new Set<string>();
  const checkLoad = (load: readonly number[], jobId: string | null) => {
    for (let q = 0; q < D; q++) {
      const key = `${jobId}:${q}`;
      if (load[q] > cap(q) && !overloaded.has(key)) {
        overloaded.add(key);
        violations.push({ kind: 'capacity', jobId, dimension: q, load: load[q], capacity: cap(q) });
      }
    }
  };
  const dist = d.dist[d.vProfile[v]];
  const dur = d.dur[d.vProfile[v]];
  const depot = d.vStart[v];
  const steps: RouteStep[] = [];
  const start = d.vEarly[v];
  let t = start;
  let prev = depot;
  let distance = 0;
  let firstWait = -1;
  let load = new Array<number>(D).fill(0);
  const tripLoad = (trip: number) => {
    const a = tripStart[trip];
    const b = trip + 1 < tripStart.length ? tripStart[trip + 1] : seq.length;
    const l = new Array<number>(D).fill(0);
    for (let k = a; k < b; k++) for (let q = 0; q < D; q++) l[q] = l[q] + d.del[seq[k] * D + q];
    return l;
  };
  load = tripLoad(0);
  checkLoad(load, null);
  steps.push({ type: 'start', location: depot, arrival: t, serviceStart: t, departure: t, load: load.slice() });
  let trip = 1;
  for (let k = 0; k < seq.length; k++) {
    const x = seq[k];
    if (trip < tripStart.length && tripStart[trip] === k) {
      distance += dist[prev * L + depot];
      t += dur[prev * L + depot];
      const arrival = t;
      t += d.vReload[v];
      load = tripLoad(trip);
      checkLoad(load, null);
      steps.push({ type: 'reload', location: depot, arrival, serviceStart: arrival, departure: t, load: load.slice() });
      prev = depot;
      trip++;
    }
    const lx = d.loc[x];
    distance += dist[prev * L + lx];
    t += dur[prev * L + lx];
    const arrival = t;
    const w0 = d.twOff[x];
    const w1 = d.twOff[x + 1];
    if (w1 > w0) {
      let w = w0;
      while (w < w1 && d.twEnd[w] < t) w++;
      if (w === w1) {
        violations.push({ kind: 'time_window', jobId: idOf(x), arrival, latestStart: d.twEnd[w1 - 1] });
      } else if (t < d.twStart[w]) {
        if (firstWait < 0) firstWait = d.twStart[w] - t;
        t = d.twStart[w];
      }
    }
    if (firstWait < 0) firstWait = 0;
    const serviceStart = t;
    t += d.service[x];
    for (let q = 0; q < D; q++) load[q] = load[q] + d.pick[x * D + q] - (d.kind[x] === KIND_JOB ? d.del[x * D + q] : 0);
    checkLoad(load, idOf(x));
    steps.push({ type: 'job', id: idOf(x), location: lx, arrival, serviceStart, departure: t, load: load.slice() });
    prev = lx;
  }
  distance += dist[prev * L + d.vEnd[v]];
  t += dur[prev * L + d.vEnd[v]];
  steps.push({ type: 'end', location: d.vEnd[v], arrival: t, serviceStart: t, departure: t, load: load.slice() });
  // Waiting for the first station to open is not driving time: leave that much later.
  const shift = Math.max(0, firstWait);
  const duration = t - start - shift;
  if (shift > 0) {
    steps[0] = { ...steps[0], arrival: start + shift, serviceStart: start + shift, departure: start + shift };
  }
  if (t > d.vLate[v]) violations.push({ kind: 'shift_end', end: t, shiftEnd: d.vLate[v] });
  if (distance > d.vMaxDistance[v]) violations.push({ kind: 'max_distance', distance, maxDistance: d.vMaxDistance[v] });
  if (duration > d.vMaxDuration[v]) violations.push({ kind: 'max_duration', duration, maxDuration: d.vMaxDuration[v] });
  const cost = seq.length === 0 ? 0 : d.vFixed[v] + d.vCpd[v] * distance + d.vCdu[v] * duration;
  return { distance, duration, cost, trips: tripStart.length, steps, violations };
}
