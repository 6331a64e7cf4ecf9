/**
 * Exact route evaluation: the single source of truth for feasibility and cost of a vehicle's
 * route. Everything the fast search approximates (several windows per stop, multi-trip reloads,
 * shipments' exact load on board) is simulated here stop by stop, in O(route length).
 *
 * Rules:
 * - Service starts in the earliest window that is still open on arrival (waiting is allowed);
 *   earliest arrival is optimal for feasibility, and the departure is then delayed as far as the
 *   chosen windows allow, so waiting at the start does not count as duration.
 * - Load on board = deliveries still to drop + pickups already collected + shipments in transit;
 *   it must fit the capacity (every dimension) when leaving the depot and after every stop.
 * - Multi-trip: a vehicle with maxTrips > 1 returns to its start depot whenever the next stop would
 *   not fit (greedy trip breaks), unloads pickups, spends reloadTime and loads the next trip.
 */
import type { Data } from './data.ts';
import { KIND_DELIVERY, KIND_JOB, requestId } from './data.ts';
import type { Route, RouteStep, StepType } from './model.ts';

export const OK = 0;
export const FAIL_CAPACITY = 1;
export const FAIL_TIME_WINDOW = 2;
export const FAIL_MAX_DISTANCE = 3;
export const FAIL_MAX_DURATION = 4;
export const FAIL_MAX_STOPS = 5;
export const FAIL_SKILL = 6;
export const FAIL_PRECEDENCE = 7;

export class RouteEvaluator {
  readonly data: Data;
  /** Why the last evaluate() returned Infinity. */
  failure = OK;
  /** Distance and duration of the last feasible evaluation. */
  lastDistance = 0;
  lastDuration = 0;
  lastStart = 0;
  /** Trip start indices of the last evaluation (tripStarts[0] = 0). */
  readonly tripStarts: Int32Array;
  tripCount = 0;
  readonly #load: Float64Array;
  readonly #segD: Float64Array;
  readonly #segP: Float64Array;
  readonly #segM: Float64Array;
  readonly #seen: Uint8Array;

  constructor(data: Data) {
    this.data = data;
    this.tripStarts = new Int32Array(data.N + 2);
    this.#load = new Float64Array(data.D);
    this.#segD = new Float64Array(data.D);
    this.#segP = new Float64Array(data.D);
    this.#segM = new Float64Array(data.D);
    this.#seen = new Uint8Array(data.N);
  }

  /** Cost (fixed + distance + duration) of vehicle v driving seq[0..len-1], or Infinity if infeasible. */
  evaluate(v: number, seq: Int32Array | readonly number[], len: number): number {
    this.failure = OK;
    this.tripCount = 0;
    if (len === 0) {
      this.lastDistance = 0;
      this.lastDuration = 0;
      return 0;
    }
    const d = this.data;
    if (len > d.vMaxStops[v]) return this.#fail(FAIL_MAX_STOPS);
    if (d.compat) {
      const base = v * d.N;
      for (let k = 0; k < len; k++) if (d.compat[base + seq[k]] === 0) return this.#fail(FAIL_SKILL);
    }
    if (!this.#planTrips(v, seq, len)) return Infinity;
    if (!this.#checkLoads(v, seq, len)) return this.#fail(FAIL_CAPACITY);
    if (d.shipmentCount > 0 && !this.#checkPrecedence(seq, len)) return this.#fail(FAIL_PRECEDENCE);
    return this.#time(v, seq, len, null);
  }

  #fail(code: number): number {
    this.failure = code;
    return Infinity;
  }

  #checkPrecedence(seq: Int32Array | readonly number[], len: number): boolean {
    const d = this.data;
    const seen = this.#seen;
    let ok = true;
    for (let k = 0; k < len; k++) {
      const x = seq[k];
      const s = d.sibling[x];
      if (s >= 0) {
        if (d.kind[x] === KIND_DELIVERY && !seen[s]) ok = false;
        seen[x] = 1;
      }
    }
    let inRoute = true;
    for (let k = 0; k < len; k++) {
      const x = seq[k];
      const s = d.sibling[x];
      if (s >= 0 && !seen[s]) inRoute = false;
    }
    for (let k = 0; k < len; k++) seen[seq[k]] = 0;
    return ok && inRoute;
  }

  /** Greedy trip breaks on the conservative (pre-loaded deliveries, kept pickups) load bound. */
  #planTrips(v: number, seq: Int32Array | readonly number[], len: number): boolean {
    const d = this.data;
    const D = d.D;
    const trips = d.vTrips[v];
    const starts = this.tripStarts;
    starts[0] = 0;
    this.tripCount = 1;
    if (trips <= 1) return true;
    const sD = this.#segD;
    const sP = this.#segP;
    const sM = this.#segM;
    sD.fill(0);
    sP.fill(0);
    sM.fill(0);
    for (let k = 0; k < len; k++) {
      const x = seq[k];
      let fits = true;
      for (let q = 0; q < D; q++) {
        const dl = d.del[x * D + q];
        const pk = d.pick[x * D + q];
        const m = Math.max(sM[q] + dl, sP[q] + Math.max(dl, pk));
        if (m > d.vCap[v * D + q]) fits = false;
      }
      if (!fits && k > starts[this.tripCount - 1]) {
        if (this.tripCount >= trips) {
          this.failure = FAIL_CAPACITY;
          return false;
        }
        starts[this.tripCount++] = k;
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
    return true;
  }

  /** Exact load simulation over the planned trips. */
  #checkLoads(v: number, seq: Int32Array | readonly number[], len: number): boolean {
    const d = this.data;
    const D = d.D;
    const load = this.#load;
    const cap = d.vCap;
    const transit = this.#segD;
    transit.fill(0);
    for (let t = 0; t < this.tripCount; t++) {
      const a = this.tripStarts[t];
      const b = t + 1 < this.tripCount ? this.tripStarts[t + 1] : len;
      for (let q = 0; q < D; q++) load[q] = transit[q];
      for (let k = a; k < b; k++) {
        const x = seq[k];
        if (d.kind[x] === KIND_JOB) for (let q = 0; q < D; q++) load[q] = load[q] + d.del[x * D + q];
      }
      for (let q = 0; q < D; q++) if (load[q] > cap[v * D + q]) return false;
      for (let k = a; k < b; k++) {
        const x = seq[k];
        const kd = d.kind[x];
        for (let q = 0; q < D; q++) {
          const delta = d.pick[x * D + q] - d.del[x * D + q];
          load[q] = load[q] + delta;
          if (load[q] > cap[v * D + q]) return false;
          if (kd !== KIND_JOB) transit[q] = transit[q] + delta;
        }
      }
    }
    return true;
  }

  /**
   * Time simulation; fills `steps` when given. Returns the cost or Infinity.
   */
  #time(v: number, seq: Int32Array | readonly number[], len: number, steps: RouteStep[] | null): number {
    const d = this.data;
    const L = d.L;
    const dist = d.dist[d.vProfile[v]];
    const dur = d.dur[d.vProfile[v]];
    const depot = d.vStart[v];
    let totalDist = 0;
    // Pass 1 (earliest schedule) then, knowing the slack, pass 2 from the delayed departure.
    let delay = 0;
    for (let pass = 0; pass < 2; pass++) {
      const start = d.vEarly[v] + delay;
      let t = start;
      let prev = depot;
      totalDist = 0;
      let waitCum = 0;
      let slack = Infinity;
      let trip = 1;
      const emit = pass === 1 && steps !== null;
      if (emit) this.#emitStart(v, seq, len, steps, start);
      for (let k = 0; k < len; k++) {
        const x = seq[k];
        const lx = d.loc[x];
        if (trip < this.tripCount && this.tripStarts[trip] === k) {
          trip++;
          totalDist += dist[prev * L + depot];
          t += dur[prev * L + depot];
          const arr = t;
          t += d.vReload[v];
          prev = depot;
          if (emit) this.#emitReload(v, seq, len, steps, trip - 1, arr, t);
        }
        totalDist += dist[prev * L + lx];
        t += dur[prev * L + lx];
        const arrival = t;
        const w0 = d.twOff[x];
        const w1 = d.twOff[x + 1];
        let winEnd = Infinity;
        if (w1 > w0) {
          let w = w0;
          while (w < w1 && d.twEnd[w] < t) w++;
          if (w === w1) {
            this.failure = FAIL_TIME_WINDOW;
            return Infinity;
          }
          if (t < d.twStart[w]) {
            waitCum += d.twStart[w] - t;
            t = d.twStart[w];
          }
          winEnd = d.twEnd[w];
        }
        slack = Math.min(slack, waitCum + winEnd - t);
        const serviceStart = t;
        t += d.service[x];
        prev = lx;
        if (emit) this.#emitStop(seq, x, arrival, serviceStart, t, steps);
      }
      totalDist += dist[prev * L + d.vEnd[v]];
      t += dur[prev * L + d.vEnd[v]];
      if (t > d.vLate[v]) {
        this.failure = FAIL_TIME_WINDOW;
        return Infinity;
      }
      slack = Math.min(slack, waitCum + d.vLate[v] - t);
      if (emit) this.#emitEnd(v, t, steps);
      if (pass === 0) {
        delay = Math.max(0, Math.min(waitCum, slack));
        if (delay === 0 || !Number.isFinite(delay)) {
          delay = 0;
          if (steps === null) {
            return this.#finish(v, totalDist, t - start, start);
          }
        } else if (steps === null) {
          return this.#finish(v, totalDist, t - start - delay, start + delay);
        }
      } else {
        return this.#finish(v, totalDist, t - start, start);
      }
    }
    return Infinity;
  }

  #finish(v: number, distance: number, duration: number, start: number): number {
    const d = this.data;
    if (distance > d.vMaxDistance[v]) return this.#fail(FAIL_MAX_DISTANCE);
    if (duration > d.vMaxDuration[v]) return this.#fail(FAIL_MAX_DURATION);
    this.lastDistance = distance;
    this.lastDuration = duration;
    this.lastStart = start;
    return d.vFixed[v] + d.vCpd[v] * distance + d.vCdu[v] * duration;
  }

  // ---- output (not on the hot path) ----
  #outLoad: number[] = [];
  #transit: number[] = [];

  #tripInitial(seq: Int32Array | readonly number[], len: number, trip: number): number[] {
    const d = this.data;
    const a = this.tripStarts[trip];
    const b = trip + 1 < this.tripCount ? this.tripStarts[trip + 1] : len;
    const load = this.#transit.slice();
    for (let k = a; k < b; k++) {
      const x = seq[k];
      if (d.kind[x] === KIND_JOB) for (let q = 0; q < d.D; q++) load[q] = load[q] + d.del[x * d.D + q];
    }
    return load;
  }

  #emitStart(v: number, seq: Int32Array | readonly number[], len: number, steps: RouteStep[], t: number): void {
    this.#transit = new Array<number>(this.data.D).fill(0);
    this.#outLoad = this.#tripInitial(seq, len, 0);
    steps.push(step('start', undefined, this.data.vStart[v], t, t, t, this.#outLoad));
  }

  #emitReload(v: number, seq: Int32Array | readonly number[], len: number, steps: RouteStep[], trip: number, arr: number, dep: number): void {
    this.#outLoad = this.#tripInitial(seq, len, trip);
    steps.push(step('reload', undefined, this.data.vStart[v], arr, arr, dep, this.#outLoad));
  }

  #emitStop(_seq: Int32Array | readonly number[], x: number, arr: number, st: number, dep: number, steps: RouteStep[]): void {
    const d = this.data;
    const kd = d.kind[x];
    for (let q = 0; q < d.D; q++) {
      const delta = d.pick[x * d.D + q] - d.del[x * d.D + q];
      this.#outLoad[q] = this.#outLoad[q] + delta;
      if (kd !== KIND_JOB) this.#transit[q] = this.#transit[q] + delta;
    }
    const r = d.requestOf[x];
    const type: StepType = kd === KIND_JOB ? 'job' : kd === 1 ? 'pickup' : 'delivery';
    const id = requestId(d, r);
    steps.push(step(type, id, d.loc[x], arr, st, dep, this.#outLoad));
  }

  #emitEnd(v: number, t: number, steps: RouteStep[]): void {
    steps.push(step('end', undefined, this.data.vEnd[v], t, t, t, this.#outLoad));
  }

  /** The public route of vehicle v (the sequence must be feasible). */
  describe(v: number, seq: Int32Array | readonly number[], len: number): Route {
    const cost = this.evaluate(v, seq, len);
    if (!Number.isFinite(cost)) throw new Error(`internal: describing an infeasible route (failure ${this.failure})`);
    const steps: RouteStep[] = [];
    this.#time(v, seq, len, steps);
    return {
      vehicleId: this.data.problem.vehicles[v].id,
      steps,
      distance: this.lastDistance,
      duration: this.lastDuration,
      cost,
    };
  }
}

function step(type: StepType, id: string | undefined, location: number, arrival: number, serviceStart: number,
  departure: number, load: readonly number[]): RouteStep {
  const s: RouteStep = { type, location, arrival, serviceStart, departure, load: load.slice() };
  return id === undefined ? s : { ...s, id };
}
