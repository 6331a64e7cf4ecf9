/**
 * Compiles the public `Problem` into flat typed arrays the search works on.
 *
 * Nodes: one per job (0..jobCount-1), then two per shipment (pickup, delivery). A *request* is what
 * is assigned or not as a whole: request r < jobCount is job r, otherwise shipment r - jobCount.
 */
import type { Problem } from './model.ts';

export const KIND_JOB = 0;
export const KIND_PICKUP = 1;
export const KIND_DELIVERY = 2;

export class SolverInputError extends Error {
  override name = 'SolverInputError';
}

export interface Data {
  readonly problem: Problem;
  readonly L: number;
  readonly D: number;
  readonly jobCount: number;
  readonly shipmentCount: number;
  /** Nodes: jobs then (pickup, delivery) per shipment. */
  readonly N: number;
  readonly requestCount: number;
  readonly loc: Int32Array;
  readonly service: Int32Array;
  readonly kind: Uint8Array;
  /** Other node of a shipment, -1 for a job. */
  readonly sibling: Int32Array;
  readonly requestOf: Int32Array;
  /** Time windows of node i: twStart/twEnd[twOff[i] .. twOff[i+1]-1]; none = always open. */
  readonly twOff: Int32Array;
  readonly twStart: Float64Array;
  readonly twEnd: Float64Array;
  /** Hull of a node's windows (the hot loop's approximation when there are several). */
  readonly early: Float64Array;
  readonly late: Float64Array;
  readonly multiWindow: boolean;
  /**
   * Load model per node and dimension: `del` is loaded at the (trip) start and dropped here,
   * `pick` is collected here and stays to the (trip) end. A shipment's pickup node has pick =
   * amount, its delivery node del = amount (exact load is simulated in route evaluation).
   */
  readonly del: Float64Array;
  readonly pick: Float64Array;
  /** Penalty per request when left out; -1 = mandatory. */
  readonly prize: Float64Array;
  readonly V: number;
  readonly vProfile: Int32Array;
  readonly vStart: Int32Array;
  readonly vEnd: Int32Array;
  readonly vCap: Float64Array;
  /** Earliest departure (max of shift start and release time) and latest return. */
  readonly vEarly: Float64Array;
  readonly vLate: Float64Array;
  readonly vMaxDuration: Float64Array;
  readonly vMaxDistance: Float64Array;
  readonly vMaxStops: Float64Array;
  readonly vFixed: Float64Array;
  readonly vCpd: Float64Array;
  readonly vCdu: Float64Array;
  readonly vTrips: Int32Array;
  readonly vReload: Float64Array;
  /** Vehicle type of each vehicle: identical vehicles (but for id) share a type. */
  readonly vType: Int32Array;
  readonly typeCount: number;
  /** compat[v * N + node] = 1 when vehicle v holds every skill the node needs; null = all compatible. */
  readonly compat: Uint8Array | null;
  readonly dist: readonly Int32Array[];
  readonly dur: readonly Int32Array[];
}

const INF = Number.POSITIVE_INFINITY;

/**
 * Every measure is an integer in the caller's units (the caller scales once, e.g. metres, seconds,
 * fen, or a benchmark's distances ×10): the search then adds and compares them exactly.
 */
function checkInt(x: number | undefined, what: string): void {
  if (x !== undefined && !Number.isSafeInteger(x)) throw new SolverInputError(`${what} must be an integer (got ${x}).`);
}

/** An integer, or +Infinity for "no limit" (a window or shift that never closes, no range limit). */
function checkLimit(x: number | undefined, what: string): void {
  if (x !== undefined && x !== INF && !Number.isSafeInteger(x)) throw new SolverInputError(`${what} must be an integer (got ${x}).`);
}

function checkWindows(w: readonly (readonly [number, number])[] | undefined, what: string): void {
  for (const [a, b] of w ?? []) {
    checkLimit(a, `${what} time window start`);
    checkLimit(b, `${what} time window end`);
  }
}

export function compile(problem: Problem): Data {
  const L = problem.locationCount;
  const D = problem.dimensions;
  const jobs = problem.jobs;
  const ships = problem.shipments ?? [];
  const NJ = jobs.length;
  const NS = ships.length;
  const N = NJ + 2 * NS;
  if (problem.profiles.length === 0) throw new SolverInputError('Problem has no travel profile.');
  for (const p of problem.profiles) {
    if (p.distance.length !== L * L || p.duration.length !== L * L) {
      throw new SolverInputError('Travel profile matrices must have locationCount² entries.');
    }
  }
  const loc = new Int32Array(N);
  const service = new Int32Array(N);
  const kind = new Uint8Array(N);
  const sibling = new Int32Array(N).fill(-1);
  const requestOf = new Int32Array(N);
  const del = new Float64Array(N * D);
  const pick = new Float64Array(N * D);
  const prize = new Float64Array(NJ + NS);
  const windows: (readonly (readonly [number, number])[] | undefined)[] = new Array(N);
  const skills: (readonly string[] | undefined)[] = new Array(N);
  const checkLoc = (l: number, what: string): void => {
    if (!Number.isInteger(l) || l < 0 || l >= L) throw new SolverInputError(`${what} references invalid location ${l}.`);
  };
  const checkVec = (a: readonly number[], what: string): void => {
    if (a.length !== D) throw new SolverInputError(`${what} must have ${D} dimensions.`);
    for (const x of a) checkInt(x, what);
  };
  const ids = new Set<string>();
  for (let j = 0; j < NJ; j++) {
    const job = jobs[j];
    if (ids.has(job.id)) throw new SolverInputError(`Duplicate job id: ${job.id}.`);
    ids.add(job.id);
    checkLoc(job.location, `Job ${job.id}`);
    checkVec(job.delivery, `Job ${job.id} delivery`);
    checkVec(job.pickup, `Job ${job.id} pickup`);
    checkInt(job.serviceTime, `Job ${job.id} serviceTime`);
    checkInt(job.penalty, `Job ${job.id} penalty`);
    checkWindows(job.timeWindows, `Job ${job.id}`);
    loc[j] = job.location;
    service[j] = job.serviceTime;
    kind[j] = KIND_JOB;
    requestOf[j] = j;
    for (let d = 0; d < D; d++) {
      del[j * D + d] = job.delivery[d];
      pick[j * D + d] = job.pickup[d];
    }
    windows[j] = job.timeWindows;
    skills[j] = job.skills;
    prize[j] = job.penalty === undefined ? -1 : job.penalty;
  }
  for (let s = 0; s < NS; s++) {
    const sh = ships[s];
    if (ids.has(sh.id)) throw new SolverInputError(`Duplicate shipment id: ${sh.id}.`);
    ids.add(sh.id);
    checkVec(sh.amount, `Shipment ${sh.id} amount`);
    const p = NJ + 2 * s;
    const q = p + 1;
    checkLoc(sh.pickup.location, `Shipment ${sh.id} pickup`);
    checkLoc(sh.delivery.location, `Shipment ${sh.id} delivery`);
    checkInt(sh.pickup.serviceTime, `Shipment ${sh.id} pickup serviceTime`);
    checkInt(sh.delivery.serviceTime, `Shipment ${sh.id} delivery serviceTime`);
    checkInt(sh.penalty, `Shipment ${sh.id} penalty`);
    checkWindows(sh.pickup.timeWindows, `Shipment ${sh.id} pickup`);
    checkWindows(sh.delivery.timeWindows, `Shipment ${sh.id} delivery`);
    loc[p] = sh.pickup.location;
    loc[q] = sh.delivery.location;
    service[p] = sh.pickup.serviceTime;
    service[q] = sh.delivery.serviceTime;
    kind[p] = KIND_PICKUP;
    kind[q] = KIND_DELIVERY;
    sibling[p] = q;
    sibling[q] = p;
    requestOf[p] = NJ + s;
    requestOf[q] = NJ + s;
    for (let d = 0; d < D; d++) {
      pick[p * D + d] = sh.amount[d];
      del[q * D + d] = sh.amount[d];
    }
    windows[p] = sh.pickup.timeWindows;
    windows[q] = sh.delivery.timeWindows;
    skills[p] = sh.skills;
    skills[q] = sh.skills;
    prize[NJ + s] = sh.penalty === undefined ? -1 : sh.penalty;
  }
  let twCount = 0;
  for (let i = 0; i < N; i++) twCount += windows[i]?.length ?? 0;
  const twOff = new Int32Array(N + 1);
  const twStart = new Float64Array(twCount);
  const twEnd = new Float64Array(twCount);
  const early = new Float64Array(N);
  const late = new Float64Array(N);
  let multiWindow = false;
  let k = 0;
  for (let i = 0; i < N; i++) {
    twOff[i] = k;
    const w = windows[i];
    if (!w || w.length === 0) {
      early[i] = 0;
      late[i] = INF;
      continue;
    }
    if (w.length > 1) multiWindow = true;
    let prevEnd = -INF;
    for (const [a, b] of w) {
      if (!(a <= b) || a < prevEnd) throw new SolverInputError('Time windows must be sorted, disjoint and non-empty.');
      twStart[k] = a;
      twEnd[k] = b;
      prevEnd = b;
      k++;
    }
    early[i] = w[0][0];
    late[i] = w[w.length - 1][1];
  }
  twOff[N] = k;

  const vs = problem.vehicles;
  const V = vs.length;
  const vProfile = new Int32Array(V);
  const vStart = new Int32Array(V);
  const vEnd = new Int32Array(V);
  const vCap = new Float64Array(V * D);
  const vEarly = new Float64Array(V);
  const vLate = new Float64Array(V);
  const vMaxDuration = new Float64Array(V);
  const vMaxDistance = new Float64Array(V);
  const vMaxStops = new Float64Array(V);
  const vFixed = new Float64Array(V);
  const vCpd = new Float64Array(V);
  const vCdu = new Float64Array(V);
  const vTrips = new Int32Array(V);
  const vReload = new Float64Array(V);
  const vType = new Int32Array(V);
  const typeKeys = new Map<string, number>();
  const allSkills = new Map<string, number>();
  for (let v = 0; v < V; v++) {
    const veh = vs[v];
    if (veh.profile < 0 || veh.profile >= problem.profiles.length) throw new SolverInputError(`Vehicle ${veh.id} references invalid profile.`);
    checkLoc(veh.startLocation, `Vehicle ${veh.id} start`);
    checkLoc(veh.endLocation, `Vehicle ${veh.id} end`);
    checkVec(veh.capacity, `Vehicle ${veh.id} capacity`);
    checkLimit(veh.shift?.[0], `Vehicle ${veh.id} shift start`);
    checkLimit(veh.shift?.[1], `Vehicle ${veh.id} shift end`);
    checkInt(veh.releaseTime, `Vehicle ${veh.id} releaseTime`);
    checkLimit(veh.maxDuration, `Vehicle ${veh.id} maxDuration`);
    checkLimit(veh.maxDistance, `Vehicle ${veh.id} maxDistance`);
    checkLimit(veh.maxStops, `Vehicle ${veh.id} maxStops`);
    checkInt(veh.fixedCost, `Vehicle ${veh.id} fixedCost`);
    checkInt(veh.costPerDistance, `Vehicle ${veh.id} costPerDistance`);
    checkInt(veh.costPerDuration, `Vehicle ${veh.id} costPerDuration`);
    checkInt(veh.reloadTime, `Vehicle ${veh.id} reloadTime`);
    vProfile[v] = veh.profile;
    vStart[v] = veh.startLocation;
    vEnd[v] = veh.endLocation;
    for (let d = 0; d < D; d++) vCap[v * D + d] = veh.capacity[d];
    const shift0 = veh.shift ? veh.shift[0] : 0;
    vEarly[v] = Math.max(shift0, veh.releaseTime ?? shift0);
    vLate[v] = veh.shift ? veh.shift[1] : INF;
    vMaxDuration[v] = veh.maxDuration ?? INF;
    vMaxDistance[v] = veh.maxDistance ?? INF;
    vMaxStops[v] = veh.maxStops ?? INF;
    vFixed[v] = veh.fixedCost ?? 0;
    // Default objective = distance, the convention of every public benchmark.
    vCpd[v] = veh.costPerDistance ?? 1;
    vCdu[v] = veh.costPerDuration ?? 0;
    vTrips[v] = Math.max(1, veh.maxTrips ?? 1);
    vReload[v] = veh.reloadTime ?? 0;
    for (const s of veh.skills ?? []) if (!allSkills.has(s)) allSkills.set(s, allSkills.size);
    const key = JSON.stringify([
      veh.profile, veh.startLocation, veh.endLocation, veh.capacity, vEarly[v], vLate[v], veh.maxDuration ?? null,
      veh.maxDistance ?? null, veh.maxStops ?? null, vFixed[v], vCpd[v], vCdu[v], vTrips[v], vReload[v],
      [...(veh.skills ?? [])].sort(),
    ]);
    let t = typeKeys.get(key);
    if (t === undefined) {
      t = typeKeys.size;
      typeKeys.set(key, t);
    }
    vType[v] = t;
  }
  let compat: Uint8Array | null = null;
  let anySkill = false;
  for (let i = 0; i < N; i++) if ((skills[i]?.length ?? 0) > 0) anySkill = true;
  if (anySkill) {
    compat = new Uint8Array(V * N);
    for (let v = 0; v < V; v++) {
      const have = new Set(vs[v].skills ?? []);
      for (let i = 0; i < N; i++) {
        const need = skills[i] ?? [];
        let ok = 1;
        for (const s of need) if (!have.has(s)) ok = 0;
        compat[v * N + i] = ok;
      }
    }
  }
  return {
    problem, L, D, jobCount: NJ, shipmentCount: NS, N, requestCount: NJ + NS, loc, service, kind, sibling, requestOf,
    twOff, twStart, twEnd, early, late, multiWindow, del, pick, prize, V, vProfile, vStart, vEnd, vCap, vEarly, vLate,
    vMaxDuration, vMaxDistance, vMaxStops, vFixed, vCpd, vCdu, vTrips, vReload, vType, typeCount: typeKeys.size, compat,
    dist: problem.profiles.map((p) => p.distance), dur: problem.profiles.map((p) => p.duration),
  };
}

/** The job's or shipment's id of request r. */
export function requestId(data: Data, r: number): string {
  return r < data.jobCount ? data.problem.jobs[r].id : (data.problem.shipments ?? [])[r - data.jobCount].id;
}

/** Nodes of request r (one for a job, pickup then delivery for a shipment). */
export function requestNodes(data: Data, r: number): [number] | [number, number] {
  if (r < data.jobCount) return [r];
  const p = data.jobCount + 2 * (r - data.jobCount);
  return [p, p + 1];
}
