/**
 * Route elimination for vehicles-first objectives (Nagata & Bräysy 2009, "A powerful route
 * minimization heuristic for the VRPTW"): take a route out, put its requests in an ejection pool
 * (EP), and insert them back one by one into the other routes. A request with no feasible place
 * is inserted anyway by ejecting up to `maxEjected` requests of one route, chosen to minimise the
 * sum of their penalty counters p[r] (p[r] grows each time r fails to go in, so requests that are
 * hard to place end up staying in and the easy ones are moved around), and the solution is then
 * perturbed by random feasible relocations and exchanges. When the pool empties the route is
 * gone and the next one is tried; when the budget runs out mid-way the last complete solution is
 * restored. Every route this module writes has been checked by the exact evaluator, so the
 * result is feasible whenever the start was.
 *
 * Requests, not nodes, move: a shipment's pickup and delivery are ejected and inserted together,
 * pickup first (the evaluator checks precedence). Nagata & Bräysy's squeeze step (insertion with
 * time-warp penalties repaired by local search) is not implemented: ejection and perturbation
 * alone carry the search.
 */
import type { Data } from './data.ts';
import { InsertionTimeBounds } from './insertion-time.ts';
import type { RouteEvaluator } from './evaluate.ts';
import type { SolveOptions } from './model.ts';
import type { Rng } from './rng.ts';

export interface EliminationParams {
  /** Most requests ejected from one route to make room for one (N&B's k_max; 1 to 3 here). */
  readonly maxEjected: number;
  /** Random feasible moves after each ejection (N&B's I_rand). */
  readonly perturbMoves: number;
  /**
   * Largest cost increase a perturbation move may bring, in average arcs of the current solution.
   * N&B's perturbation is a random walk (Infinity); a bound keeps the distance from drifting far
   * on budgets too short for the distance search to undo it.
   */
  readonly perturbSlack: number;
}

export const DEFAULT_ELIMINATION: EliminationParams = { maxEjected: 3, perturbMoves: 100, perturbSlack: 0 };

export interface EliminationBudget {
  /** Pool steps (one request taken from the pool, placed or placed by ejection): the work budget. */
  readonly maxSteps: number;
  /** The caller's clock (a share of the time budget); checked once per step. */
  readonly done?: () => boolean;
}

/** Share of the time budget the elimination phase may use before the distance search starts. */
export const ELIMINATION_TIME_SHARE = 0.4;
/** Pool steps per iteration of the caller's iteration budget (keeps a run without a clock reproducible). */
export const ELIMINATION_STEPS_PER_ITERATION = 20;

/**
 * The phase's budget from the solve options: ELIMINATION_TIME_SHARE of the time budget, and a
 * step budget tied to the iteration budget (or to n without one) so a run without a clock ends
 * and is reproducible.
 */
export function eliminationBudget(options: Pick<SolveOptions, 'deadline' | 'timeFraction' | 'maxIterations'>, n: number): EliminationBudget {
  const { deadline, timeFraction } = options;
  const maxSteps = options.maxIterations !== undefined ? ELIMINATION_STEPS_PER_ITERATION * options.maxIterations : 2000 * Math.max(1, n);
  return {
    maxSteps,
    done: () => (deadline?.() ?? false) || (timeFraction !== undefined && timeFraction() >= ELIMINATION_TIME_SHARE),
  };
}

export interface EliminationResult {
  /** One node sequence per vehicle (empty: vehicle unused). */
  readonly routes: number[][];
  /** Routes removed compared with the start. */
  readonly removed: number;
  readonly steps: number;
}

/**
 * Removes as many routes as the budget allows from a feasible `routes` (one sequence per
 * vehicle). Active mandatory requests the start leaves out are put in the pool first. Only
 * vehicles already used receive requests: the fleet never grows.
 */
export function eliminateRoutes(data: Data, ev: RouteEvaluator, rng: Rng, active: Uint8Array,
  routes: readonly (readonly number[])[], budget: EliminationBudget, params: EliminationParams = DEFAULT_ELIMINATION): EliminationResult {
  return new RouteElimination(data, ev, rng, active, params).run(routes, budget);
}

/** Whether route elimination applies: mandatory requests only, windows or shipments, and a fixed cost above the travel cost of `routes`. */
export function eliminationApplies(data: Data, ev: RouteEvaluator, active: Uint8Array, routes: readonly (readonly number[])[]): boolean {
  let timed = data.shipmentCount > 0;
  for (let i = 0; i < data.N && !timed; i++) if (data.early[i] > 0 || Number.isFinite(data.late[i])) timed = true;
  if (!timed) return false;
  for (let r = 0; r < data.requestCount; r++) if (active[r] && data.prize[r] >= 0) return false;
  let minFixed = Infinity;
  let travel = 0;
  for (let v = 0; v < data.V; v++) {
    minFixed = Math.min(minFixed, data.vFixed[v]);
    const seq = routes[v] ?? [];
    if (seq.length > 0) travel += ev.evaluate(v, seq, seq.length) - data.vFixed[v];
  }
  // One vehicle fewer is worth more than all the driving: the objective is vehicles first.
  return minFixed > 0 && Number.isFinite(travel) && minFixed > travel;
}

/** Most ejection sets tried per route and size (C(m, k) for m requests in the route). */
const MAX_COMBINATIONS = 500;

function binomial(m: number, k: number): number {
  let c = 1;
  for (let q = 0; q < k; q++) c = (c * (m - q)) / (q + 1);
  return c;
}

class RouteElimination {
  readonly #d: Data;
  readonly #ev: RouteEvaluator;
  readonly #rng: Rng;
  readonly #active: Uint8Array;
  readonly #p: EliminationParams;
  #routes: number[][] = [];
  readonly #cost: Float64Array;
  /** Penalty counter per request (N&B's p[v]). */
  readonly #count: Int32Array;
  readonly #pool: Int32Array;
  #poolSize = 0;
  /** A route minus some requests (the base an insertion is tried into) and the candidate route. */
  readonly #base: Int32Array;
  readonly #cand: Int32Array;
  /** The time prefilter on insertions into #base. */
  readonly #time: InsertionTimeBounds;
  /** Requests of the route being scanned for ejection, and the current and best combinations. */
  readonly #reqs: Int32Array;
  readonly #comb: Int32Array;
  readonly #bestComb: Int32Array;
  /** Position of each request's nodes in #base for the last best insertion. */
  #insI = -1;
  #insJ = -1;

  constructor(data: Data, ev: RouteEvaluator, rng: Rng, active: Uint8Array, params: EliminationParams) {
    this.#d = data;
    this.#ev = ev;
    this.#rng = rng;
    this.#active = active;
    this.#p = params;
    this.#cost = new Float64Array(data.V);
    this.#count = new Int32Array(data.requestCount);
    this.#pool = new Int32Array(data.requestCount);
    this.#base = new Int32Array(data.N + 4);
    this.#cand = new Int32Array(data.N + 4);
    this.#time = new InsertionTimeBounds(data.N + 4);
    this.#reqs = new Int32Array(data.N + 1);
    this.#comb = new Int32Array(3);
    this.#bestComb = new Int32Array(3);
  }

  run(start: readonly (readonly number[])[], budget: EliminationBudget): EliminationResult {
    const d = this.#d;
    this.#routes = Array.from({ length: d.V }, (_, v) => (start[v] ?? []).slice());
    for (let v = 0; v < d.V; v++) this.#cost[v] = this.#ev.evaluate(v, this.#routes[v], this.#routes[v].length);
    const startRoutes = this.#used();
    let steps = 0;
    const out = (): boolean => steps >= budget.maxSteps || budget.done?.() === true;
    // Requests the start leaves out go in first; if they do not all fit, the start stands.
    this.#poolUnserved();
    let saved = this.#routes.map((r) => r.slice());
    let savedCost = this.#cost.slice();
    let failedInRow = 0;
    for (;;) {
      if (this.#poolSize > 0) {
        this.#count.fill(1);
        const emptied = this.#emptyPool(() => {
          steps++;
          return out();
        });
        if (!emptied) {
          this.#routes = saved.map((r) => r.slice());
          this.#cost.set(savedCost);
          // The pool held requests that are in the restored routes again: only what they leave
          // out (a start that was not complete) goes back in.
          this.#poolUnserved();
          // A pool that cannot be emptied at all (no ejection fits) with budget left: try another
          // route, a few times; otherwise the budget is spent.
          if (out() || ++failedInRow > 3) break;
          if (this.#poolSize > 0) continue;
        } else {
          failedInRow = 0;
          saved = this.#routes.map((r) => r.slice());
          savedCost = this.#cost.slice();
        }
      }
      if (out() || this.#used() <= 1) break;
      this.#removeRoute(this.#pickRoute());
    }
    return { routes: this.#routes, removed: startRoutes - this.#used(), steps };
  }

  /** The pool: the active mandatory requests no route serves. */
  #poolUnserved(): void {
    const d = this.#d;
    const served = new Uint8Array(d.requestCount);
    for (const route of this.#routes) for (const x of route) served[d.requestOf[x]] = 1;
    this.#poolSize = 0;
    for (let r = 0; r < d.requestCount; r++) if (this.#active[r] && d.prize[r] < 0 && !served[r]) this.#pool[this.#poolSize++] = r;
  }

  #used(): number {
    let k = 0;
    for (const r of this.#routes) if (r.length > 0) k++;
    return k;
  }

  /** A used route, the smaller of two drawn at random (short routes are the easier ones to empty). */
  #pickRoute(): number {
    const used: number[] = [];
    for (let v = 0; v < this.#d.V; v++) if (this.#routes[v].length > 0) used.push(v);
    const a = used[this.#rng.int(used.length)];
    const b = used[this.#rng.int(used.length)];
    return this.#routes[b].length < this.#routes[a].length ? b : a;
  }

  #removeRoute(v: number): void {
    const d = this.#d;
    const route = this.#routes[v];
    // Pushed in reverse so the pool (a stack) gives them back in route order.
    for (let k = route.length - 1; k >= 0; k--) {
      const x = route[k];
      const r = d.requestOf[x];
      if (d.sibling[x] >= 0 && d.sibling[x] < x) continue;
      this.#pool[this.#poolSize++] = r;
    }
    this.#routes[v] = [];
    this.#cost[v] = 0;
  }

  /** Empties the pool (true) or stops when `tick` says the budget is spent, or no ejection fits (false). */
  #emptyPool(tick: () => boolean): boolean {
    while (this.#poolSize > 0) {
      if (tick()) return false;
      const r = this.#pool[--this.#poolSize];
      if (this.#insertCheapest(r)) continue;
      this.#count[r]++;
      if (!this.#insertByEjection(r)) {
        this.#pool[this.#poolSize++] = r;
        return false;
      }
      this.#perturb();
    }
    return true;
  }

  /** Copies route v without the requests flagged in `skip` (by request) into #base; returns its length. */
  #copyWithout(v: number, skipA: number, skipB: number, skipC: number): number {
    const d = this.#d;
    const route = this.#routes[v];
    const base = this.#base;
    let n = 0;
    for (let k = 0; k < route.length; k++) {
      const r = d.requestOf[route[k]];
      if (r === skipA || r === skipB || r === skipC) continue;
      base[n++] = route[k];
    }
    return n;
  }

  /** Cheapest feasible insertion of r into any used route; applies it. */
  #insertCheapest(r: number): boolean {
    const d = this.#d;
    let bestV = -1;
    let bestDelta = Infinity;
    let bestI = -1;
    let bestJ = -1;
    for (let v = 0; v < d.V; v++) {
      if (this.#routes[v].length === 0) continue;
      const n = this.#copyWithout(v, -1, -1, -1);
      const c = this.#bestInsertion(v, n, r);
      if (c - this.#cost[v] < bestDelta) {
        bestDelta = c - this.#cost[v];
        bestV = v;
        bestI = this.#insI;
        bestJ = this.#insJ;
      }
    }
    if (bestV < 0) return false;
    const n = this.#copyWithout(bestV, -1, -1, -1);
    this.#apply(bestV, n, r, bestI, bestJ, this.#cost[bestV] + bestDelta);
    return true;
  }

  /** Writes #base[0..n) with r inserted at (i, j) as route v. */
  #apply(v: number, n: number, r: number, i: number, j: number, cost: number): void {
    const len = this.#fill(n, r, i, j);
    this.#routes[v] = Array.from(this.#cand.subarray(0, len));
    this.#cost[v] = cost;
  }

  /** #base[0..n) with request r inserted before base position i (and its delivery before j) into #cand; returns the length. */
  #fill(n: number, r: number, i: number, j: number): number {
    const d = this.#d;
    const base = this.#base;
    const cand = this.#cand;
    if (r < d.jobCount) {
      for (let k = 0; k < i; k++) cand[k] = base[k];
      cand[i] = r;
      for (let k = i; k < n; k++) cand[k + 1] = base[k];
      return n + 1;
    }
    const p = d.jobCount + 2 * (r - d.jobCount);
    let w = 0;
    for (let k = 0; k < i; k++) cand[w++] = base[k];
    cand[w++] = p;
    for (let k = i; k < j; k++) cand[w++] = base[k];
    cand[w++] = p + 1;
    for (let k = j; k < n; k++) cand[w++] = base[k];
    return w;
  }

  /**
   * Cheapest feasible insertion of request r into #base[0..n) for vehicle v: the new route's cost
   * (Infinity if none) with the positions in #insI/#insJ. Positions failing the earliest/latest
   * start prefilter are not evaluated.
   */
  #bestInsertion(v: number, n: number, r: number): number {
    const d = this.#d;
    const ev = this.#ev;
    const timed = this.#time.prepare(d, v, this.#base, n);
    let best = Infinity;
    this.#insI = -1;
    this.#insJ = -1;
    // The remainder's cost plus the detour bounds the new route's cost from below (as in SISR):
    // positions that cannot beat the best so far are not evaluated.
    const baseCost = n === 0 ? d.vFixed[v] : ev.evaluate(v, this.#base, n);
    const bounded = Number.isFinite(baseCost) && d.vCdu[v] === 0;
    const dist = d.dist[d.vProfile[v]];
    const L = d.L;
    const cpd = d.vCpd[v];
    const base = this.#base;
    if (r < d.jobCount) {
      if (d.compat && d.compat[v * d.N + r] === 0) return Infinity;
      const lx = d.loc[r];
      for (let i = 0; i <= n; i++) {
        if (timed && !this.#time.fits(d, v, base, n, i, r)) continue;
        if (bounded) {
          const a = i === 0 ? d.vStart[v] : d.loc[base[i - 1]];
          const b = i === n ? d.vEnd[v] : d.loc[base[i]];
          if (baseCost + cpd * (dist[a * L + lx] + dist[lx * L + b] - dist[a * L + b]) >= best) continue;
        }
        const len = this.#fill(n, r, i, i);
        const c = ev.evaluate(v, this.#cand, len);
        if (c < best) {
          best = c;
          this.#insI = i;
        }
      }
      return best;
    }
    const p = d.jobCount + 2 * (r - d.jobCount);
    if (d.compat && (d.compat[v * d.N + p] === 0 || d.compat[v * d.N + p + 1] === 0)) return Infinity;
    const lp = d.loc[p];
    const lq = d.loc[p + 1];
    for (let i = 0; i <= n; i++) {
      if (timed && !this.#time.fits(d, v, base, n, i, p)) continue;
      const a = i === 0 ? d.vStart[v] : d.loc[base[i - 1]];
      const b = i === n ? d.vEnd[v] : d.loc[base[i]];
      const detourP = dist[a * L + lp] + dist[lp * L + b] - dist[a * L + b];
      if (bounded && baseCost + cpd * detourP >= best) continue;
      for (let j = i; j <= n; j++) {
        if (timed && j > i && !this.#time.fits(d, v, base, n, j, p + 1)) continue;
        if (bounded) {
          let detour: number;
          if (j === i) detour = dist[a * L + lp] + dist[lp * L + lq] + dist[lq * L + b] - dist[a * L + b];
          else {
            const a2 = d.loc[base[j - 1]];
            const b2 = j === n ? d.vEnd[v] : d.loc[base[j]];
            detour = detourP + dist[a2 * L + lq] + dist[lq * L + b2] - dist[a2 * L + b2];
          }
          if (baseCost + cpd * detour >= best) continue;
        }
        const len = this.#fill(n, r, i, j);
        const c = ev.evaluate(v, this.#cand, len);
        if (c < best) {
          best = c;
          this.#insI = i;
          this.#insJ = j;
        }
      }
    }
    return best;
  }

  /**
   * Places r by ejecting at most maxEjected requests from one route: the set with the least sum
   * of penalty counters, then the cheapest, among those that leave a feasible route with r in it.
   * Ejected requests go to the pool.
   */
  #insertByEjection(r: number): boolean {
    const d = this.#d;
    const kMax = Math.max(1, Math.min(3, this.#p.maxEjected));
    let bestSum = Infinity;
    let bestDelta = Infinity;
    let bestV = -1;
    let bestK = 0;
    let bestI = -1;
    let bestJ = -1;
    const reqs = this.#reqs;
    const comb = this.#comb;
    const count = this.#count;
    for (let k = 1; k <= kMax; k++) {
      // Every counter is at least 1: k ejections cost at least k.
      if (k > bestSum) break;
      for (let v = 0; v < d.V; v++) {
        const route = this.#routes[v];
        if (route.length === 0) continue;
        let m = 0;
        for (const x of route) if (d.sibling[x] < 0 || d.sibling[x] > x) reqs[m++] = d.requestOf[x];
        // Long routes: fewer requests ejected at once, so one ejection stays a bounded amount of work.
        if (m < k || binomial(m, k) > MAX_COMBINATIONS) continue;
        // Combinations of k requests in lexicographic order, pruned on the counter sum.
        for (let q = 0; q < k; q++) comb[q] = q;
        for (;;) {
          let sum = 0;
          for (let q = 0; q < k; q++) sum += count[reqs[comb[q]]];
          if (sum <= bestSum) {
            const n = this.#copyWithout(v, reqs[comb[0]], k > 1 ? reqs[comb[1]] : -1, k > 2 ? reqs[comb[2]] : -1);
            const c = this.#bestInsertion(v, n, r);
            const delta = c - this.#cost[v];
            if (Number.isFinite(c) && (sum < bestSum || delta < bestDelta)) {
              bestSum = sum;
              bestDelta = delta;
              bestV = v;
              bestK = k;
              bestI = this.#insI;
              bestJ = this.#insJ;
              for (let q = 0; q < k; q++) this.#bestComb[q] = reqs[comb[q]];
            }
          }
          let q = k - 1;
          while (q >= 0 && comb[q] === m - k + q) q--;
          if (q < 0) break;
          comb[q]++;
          for (let t = q + 1; t < k; t++) comb[t] = comb[t - 1] + 1;
        }
      }
    }
    if (bestV < 0) return false;
    const bc = this.#bestComb;
    const n = this.#copyWithout(bestV, bc[0], bestK > 1 ? bc[1] : -1, bestK > 2 ? bc[2] : -1);
    this.#apply(bestV, n, r, bestI, bestJ, this.#cost[bestV] + bestDelta);
    for (let q = 0; q < bestK; q++) this.#pool[this.#poolSize++] = bc[q];
    return true;
  }

  /** Random feasible relocations and exchanges of requests between two used routes, within the cost slack. */
  #perturb(): void {
    const d = this.#d;
    const rng = this.#rng;
    const routes = this.#routes;
    let slack = Infinity;
    if (Number.isFinite(this.#p.perturbSlack)) {
      let travel = 0;
      let arcs = 0;
      for (let v = 0; v < d.V; v++) {
        if (routes[v].length === 0) continue;
        travel += this.#cost[v] - d.vFixed[v];
        arcs += routes[v].length + 1;
      }
      slack = arcs > 0 ? (this.#p.perturbSlack * travel) / arcs : 0;
    }
    for (let it = 0; it < this.#p.perturbMoves; it++) {
      const a = rng.int(d.V);
      const b = rng.int(d.V);
      if (a === b || routes[a].length === 0 || routes[b].length === 0) continue;
      const ra = d.requestOf[routes[a][rng.int(routes[a].length)]];
      if (rng.next() < 0.5) {
        // Relocate ra from a to its cheapest feasible place in b.
        const nb = this.#copyWithout(b, -1, -1, -1);
        const cb = this.#bestInsertion(b, nb, ra);
        if (!Number.isFinite(cb)) continue;
        const ib = this.#insI;
        const jb = this.#insJ;
        const na = this.#copyWithout(a, ra, -1, -1);
        const ca = na === 0 ? 0 : this.#ev.evaluate(a, this.#base, na);
        if (!Number.isFinite(ca) || ca + cb - this.#cost[a] - this.#cost[b] > slack) continue;
        this.#routes[a] = Array.from(this.#base.subarray(0, na));
        this.#cost[a] = ca;
        this.#copyWithout(b, -1, -1, -1);
        this.#apply(b, nb, ra, ib, jb, cb);
        if (na === 0) return;
      } else {
        // Exchange ra with a request of b, each at its cheapest feasible place in the other route.
        const rb = d.requestOf[routes[b][rng.int(routes[b].length)]];
        const nb = this.#copyWithout(b, rb, -1, -1);
        const cb = this.#bestInsertion(b, nb, ra);
        if (!Number.isFinite(cb)) continue;
        const ib = this.#insI;
        const jb = this.#insJ;
        const na = this.#copyWithout(a, ra, -1, -1);
        const ca = this.#bestInsertion(a, na, rb);
        if (!Number.isFinite(ca) || ca + cb - this.#cost[a] - this.#cost[b] > slack) continue;
        this.#apply(a, na, rb, this.#insI, this.#insJ, ca);
        this.#copyWithout(b, rb, -1, -1);
        this.#apply(b, nb, ra, ib, jb, cb);
      }
    }
  }
}
