/**
 * Slack Induction by String Removals (Christiaens & Vanden Berghe 2020): ruin adjacent strings of
 * stops in a few routes, recreate by greedy insertion with blinks, accept by simulated annealing.
 *
 * This engine handles the whole model exactly (shipments with pairing and precedence, several
 * windows per stop, multi-trip, skills, heterogeneous vehicles, optional requests): every
 * candidate insertion is checked by the exact RouteEvaluator, after a cheap distance bound.
 */
import type { Data } from './data.ts';
import { requestNodes } from './data.ts';
import { InsertionTimeBounds } from './insertion-time.ts';
import type { RouteEvaluator } from './evaluate.ts';
import type { Rng } from './rng.ts';

export interface SisrParams {
  /** Average number of removed stops per ruin. */
  readonly avgRemoved: number;
  /** Longest removed string. */
  readonly maxString: number;
  readonly blinkRate: number;
}

export const DEFAULT_SISR: SisrParams = { avgRemoved: 10, maxString: 10, blinkRate: 0.01 };

export interface SisrStop {
  readonly deadline?: () => boolean;
  readonly maxIterations?: number;
  readonly timeFraction?: () => number;
  readonly onImprove?: (iteration: number, cost: number, feasible: boolean) => void;
  /** Stop as soon as every active mandatory request is served (repair mode). */
  readonly untilComplete?: boolean;
}

/** A set of routes (one per vehicle) with its cost; requests not in a route are unassigned. */
export class RrSolution {
  routes: number[][];
  routeCost: Float64Array;
  /** Vehicle of each request, -1 when unassigned. */
  vehicleOf: Int32Array;
  cost = 0;

  constructor(V: number, R: number) {
    this.routes = Array.from({ length: V }, () => []);
    this.routeCost = new Float64Array(V);
    this.vehicleOf = new Int32Array(R).fill(-1);
  }

  clone(): RrSolution {
    const c = new RrSolution(0, 0);
    c.routes = this.routes.map((r) => r.slice());
    c.routeCost = this.routeCost.slice();
    c.vehicleOf = this.vehicleOf.slice();
    c.cost = this.cost;
    return c;
  }
}

export class Sisr {
  readonly #d: Data;
  readonly #ev: RouteEvaluator;
  readonly #rng: Rng;
  readonly #p: SisrParams;
  /** Penalty of leaving each request out (prize, or a large value for mandatory ones). */
  readonly #leaveOut: Float64Array;
  /** Requests the search may assign (serviceable ones). */
  readonly #active: Uint8Array;
  #adj: Int32Array;
  readonly #adjK: number;
  readonly #scratch: Int32Array;
  /** The time-window prefilter on insertions. */
  readonly #time: InsertionTimeBounds;
  readonly #emptyTried: Uint8Array;
  readonly #removed: number[] = [];
  readonly #ruinedRoute: Uint8Array;

  constructor(data: Data, ev: RouteEvaluator, rng: Rng, active: Uint8Array, params: SisrParams = DEFAULT_SISR) {
    this.#d = data;
    this.#ev = ev;
    this.#rng = rng;
    this.#p = params;
    this.#active = active;
    this.#scratch = new Int32Array(data.N + 4);
    this.#time = new InsertionTimeBounds(data.N + 2);
    this.#emptyTried = new Uint8Array(data.typeCount);
    this.#ruinedRoute = new Uint8Array(data.V);
    let maxArc = 0;
    for (const m of data.dist) for (let i = 0; i < m.length; i++) if (m[i] > maxArc) maxArc = m[i];
    let maxDur = 0;
    for (const m of data.dur) for (let i = 0; i < m.length; i++) if (m[i] > maxDur) maxDur = m[i];
    let maxVeh = 0;
    for (let v = 0; v < data.V; v++) {
      maxVeh = Math.max(maxVeh, data.vFixed[v] + data.vCpd[v] * 4 * maxArc + data.vCdu[v] * 4 * maxDur);
    }
    let maxService = 0;
    for (let i = 0; i < data.N; i++) maxService = Math.max(maxService, data.service[i]);
    const big = 1000 * (maxVeh + maxService + 1);
    this.#leaveOut = new Float64Array(data.requestCount);
    for (let r = 0; r < data.requestCount; r++) this.#leaveOut[r] = data.prize[r] < 0 ? big : data.prize[r];
    this.#adjK = Math.max(Math.min(data.N - 1, 100), 0);
    this.#adj = new Int32Array(0);
  }

  /** Neighbours of every node by distance (first profile), for string removal; built on first use. */
  #neighbours(): Int32Array {
    if (this.#adj.length > 0 || this.#adjK === 0) return this.#adj;
    const data = this.#d;
    const N = data.N;
    const K = this.#adjK;
    const adj = new Int32Array(N * K);
    const dist = data.dist[0];
    const key = new Float64Array(N);
    const idx = Array.from({ length: N }, (_, i) => i);
    for (let i = 0; i < N; i++) {
      const li = data.loc[i];
      for (let j = 0; j < N; j++) key[j] = j === i ? Infinity : dist[li * data.L + data.loc[j]] + dist[data.loc[j] * data.L + li];
      idx.sort((a, b) => key[a] - key[b] || a - b);
      for (let k = 0; k < K; k++) adj[i * K + k] = idx[k];
    }
    this.#adj = adj;
    return adj;
  }

  /** Debug invariant mode: re-cost every solution after ruin & recreate and compare. */
  debug = false;

  leaveOutCost(r: number): number {
    return this.#leaveOut[r];
  }

  /** Total cost from scratch (routes + leave-out penalties of active requests). */
  recompute(s: RrSolution): number {
    let c = 0;
    for (let v = 0; v < this.#d.V; v++) {
      s.routeCost[v] = this.#ev.evaluate(v, s.routes[v], s.routes[v].length);
      c += s.routeCost[v];
    }
    for (let r = 0; r < this.#d.requestCount; r++) if (this.#active[r] && s.vehicleOf[r] < 0) c += this.#leaveOut[r];
    s.cost = c;
    return c;
  }

  /** Greedy construction: insert every active request in random order. */
  construct(): RrSolution {
    const d = this.#d;
    const s = new RrSolution(d.V, d.requestCount);
    const reqs: number[] = [];
    for (let r = 0; r < d.requestCount; r++) if (this.#active[r]) reqs.push(r);
    this.#rng.shuffle(reqs);
    // Far-from-depot first gives better seeds for the routes.
    const far = (r: number): number => {
      const x = requestNodes(d, r)[0];
      return d.dist[0][d.vStart[0] * d.L + d.loc[x]] ?? 0;
    };
    if (d.V > 0) reqs.sort((a, b) => far(b) - far(a));
    for (let r = 0; r < d.requestCount; r++) if (this.#active[r]) s.cost += this.#leaveOut[r];
    for (const r of reqs) this.#insertBest(s, r, 0);
    return s;
  }

  /**
   * A solution from given per-vehicle sequences: each route is checked exactly; stops are dropped
   * from the end of an infeasible route until it is feasible, then every active request left out
   * is inserted where it fits best.
   */
  fromRoutes(routes: readonly (readonly number[])[]): RrSolution {
    const d = this.#d;
    const s = new RrSolution(d.V, d.requestCount);
    for (let v = 0; v < d.V; v++) {
      const route = (routes[v] ?? []).slice();
      let c = this.#ev.evaluate(v, route, route.length);
      while (!Number.isFinite(c) && route.length > 0) {
        const r = d.requestOf[route[route.length - 1]];
        const kept = route.filter((x) => d.requestOf[x] !== r);
        route.length = 0;
        route.push(...kept);
        c = this.#ev.evaluate(v, route, route.length);
      }
      s.routes[v] = route;
      for (const x of route) s.vehicleOf[d.requestOf[x]] = v;
    }
    this.recompute(s);
    for (let r = 0; r < d.requestCount; r++) if (this.#active[r] && s.vehicleOf[r] < 0) this.#insertBest(s, r, 0);
    return s;
  }

  /** Runs SA over ruin & recreate from `start`; returns the best solution found. */
  run(start: RrSolution, stop: SisrStop, iterationOffset = 0): { best: RrSolution; iterations: number } {
    const d = this.#d;
    let cur = start.clone();
    let best = start.clone();
    const nodesAssigned = (s: RrSolution): number => s.routes.reduce((a, r) => a + r.length, 0);
    const used = (s: RrSolution): number => s.routes.reduce((a, r) => a + (r.length > 0 ? 1 : 0), 0);
    let routeCostSum = 0;
    // Temperatures follow the travel cost per arc; fixed costs (huge under a vehicles-first
    // objective) would make the annealing a random walk.
    for (let v = 0; v < d.V; v++) if (cur.routes[v].length > 0) routeCostSum += cur.routeCost[v] - d.vFixed[v];
    const avgArc = Math.max(1e-9, routeCostSum / Math.max(1, nodesAssigned(cur) + used(cur)));
    const T0 = 0.3 * avgArc;
    const Tf = 0.003 * avgArc;
    let cycleLen = 2000;
    let cycleStart = 0;
    let it = 0;
    for (;;) {
      if (stop.maxIterations !== undefined && it >= stop.maxIterations) break;
      if (stop.untilComplete && this.#allMandatory(best)) break;
      if ((it & 15) === 0 && stop.deadline?.()) break;
      let frac: number;
      if (stop.timeFraction) frac = Math.min(1, stop.timeFraction());
      else if (stop.maxIterations !== undefined) frac = it / stop.maxIterations;
      else {
        if (it - cycleStart >= cycleLen) {
          cycleStart = it;
          cycleLen *= 2;
          cur = best.clone();
        }
        frac = (it - cycleStart) / cycleLen;
      }
      const T = T0 * Math.pow(Tf / T0, frac);
      const next = cur.clone();
      this.#ruin(next);
      this.#recreate(next);
      it++;
      if (this.debug) {
        const incremental = next.cost;
        const full = this.recompute(next.clone());
        if (Math.abs(full - incremental) > 1e-6 * (1 + Math.abs(full))) {
          throw new Error(`SISR invariant broken: incremental cost ${incremental} != recomputed ${full}`);
        }
      }
      if (next.cost < cur.cost - T * Math.log(this.#rng.next())) {
        cur = next;
        if (cur.cost < best.cost) {
          best = cur.clone();
          stop.onImprove?.(iterationOffset + it, best.cost, this.#allMandatory(best));
        }
      }
    }
    return { best, iterations: it };
  }

  #allMandatory(s: RrSolution): boolean {
    for (let r = 0; r < this.#d.requestCount; r++) {
      if (this.#active[r] && this.#d.prize[r] < 0 && s.vehicleOf[r] < 0) return false;
    }
    return true;
  }

  #removeRequest(s: RrSolution, r: number): void {
    const v = s.vehicleOf[r];
    if (v < 0) return;
    const route = s.routes[v];
    const d = this.#d;
    let w = 0;
    for (let k = 0; k < route.length; k++) if (d.requestOf[route[k]] !== r) route[w++] = route[k];
    route.length = w;
    s.vehicleOf[r] = -1;
    this.#removed.push(r);
  }

  #ruin(s: RrSolution): void {
    const d = this.#d;
    const rng = this.#rng;
    this.#removed.length = 0;
    let assignedNodes = 0;
    let usedRoutes = 0;
    for (let v = 0; v < d.V; v++) {
      const n = s.routes[v].length;
      assignedNodes += n;
      if (n > 0) usedRoutes++;
    }
    if (assignedNodes === 0) return;
    const lsMax = Math.min(this.#p.maxString, assignedNodes / usedRoutes);
    const ksMax = (4 * this.#p.avgRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * ksMax) + 1;
    this.#ruinedRoute.fill(0);
    // Seed: a random assigned node.
    let seed = -1;
    let pick = rng.int(assignedNodes);
    for (let v = 0; v < d.V && seed < 0; v++) {
      const n = s.routes[v].length;
      if (pick < n) seed = s.routes[v][pick];
      else pick -= n;
    }
    let ruined = 0;
    const K = this.#adjK;
    const adj = this.#neighbours();
    for (let k = -1; k < K && ruined < ks; k++) {
      const c = k < 0 ? seed : adj[seed * K + k];
      const r = d.requestOf[c];
      const v = s.vehicleOf[r];
      if (v < 0 || this.#ruinedRoute[v]) continue;
      const route = s.routes[v];
      const pos = route.indexOf(c);
      if (pos < 0) continue;
      this.#ruinedRoute[v] = 1;
      ruined++;
      const lMax = Math.min(route.length, lsMax);
      const l = Math.floor(rng.next() * lMax) + 1;
      const first = Math.max(0, Math.min(pos - rng.int(l), route.length - l));
      const toRemove: number[] = [];
      for (let q = first; q < first + l && q < route.length; q++) toRemove.push(d.requestOf[route[q]]);
      for (const rq of toRemove) this.#removeRequest(s, rq);
    }
    // Touched routes are re-costed; leave-out penalties are added for removed requests.
    for (let v = 0; v < d.V; v++) {
      if (!this.#ruinedRoute[v]) continue;
      s.cost -= s.routeCost[v];
      s.routeCost[v] = this.#ev.evaluate(v, s.routes[v], s.routes[v].length);
      if (!Number.isFinite(s.routeCost[v])) {
        // Removing stops can break a time-dependent route only through triangle-inequality gaps in
        // the matrices; empty it then, so the solution stays feasible.
        for (const x of s.routes[v].slice()) this.#removeRequest(s, d.requestOf[x]);
        s.routeCost[v] = 0;
      }
      s.cost += s.routeCost[v];
    }
    for (const r of this.#removed) s.cost += this.#leaveOut[r];
  }

  #recreate(s: RrSolution): void {
    const d = this.#d;
    const rng = this.#rng;
    const list = this.#removed.slice();
    this.#removed.length = 0;
    // Also retry the currently unassigned active requests.
    for (let r = 0; r < d.requestCount; r++) if (this.#active[r] && s.vehicleOf[r] < 0 && !list.includes(r)) list.push(r);
    const mode = rng.int(11);
    const key = new Float64Array(d.requestCount);
    for (const r of list) {
      const nodes = requestNodes(d, r);
      if (mode < 4) key[r] = rng.next();
      else if (mode < 8) {
        let dem = 0;
        for (const x of nodes) for (let q = 0; q < d.D; q++) dem += d.del[x * d.D + q] + d.pick[x * d.D + q];
        key[r] = -dem;
      } else {
        const x = nodes[0];
        const far = d.dist[0][d.vStart[0] * d.L + d.loc[x]];
        key[r] = mode < 10 ? -far : far;
      }
    }
    list.sort((a, b) => key[a] - key[b] || a - b);
    for (const r of list) this.#insertBest(s, r, this.#p.blinkRate);
  }

  /** Cheapest feasible insertion of request r (if it beats leaving it out); returns whether inserted. */
  #insertBest(s: RrSolution, r: number, blink: number): boolean {
    const d = this.#d;
    const ev = this.#ev;
    const rng = this.#rng;
    const nodes = requestNodes(d, r);
    const L = d.L;
    const sc = this.#scratch;
    let bestDelta = this.#leaveOut[r];
    let bestV = -1;
    let bestI = -1;
    let bestJ = -1;
    this.#emptyTried.fill(0);
    const x = nodes[0];
    const lx = d.loc[x];
    for (let v = 0; v < d.V; v++) {
      const route = s.routes[v];
      const n = route.length;
      if (n === 0) {
        if (this.#emptyTried[d.vType[v]]) continue;
        this.#emptyTried[d.vType[v]] = 1;
      }
      if (d.compat && d.compat[v * d.N + x] === 0) continue;
      const dist = d.dist[d.vProfile[v]];
      const cpd = d.vCpd[v];
      const base = s.routeCost[v];
      const fixed = n === 0 ? d.vFixed[v] : 0;
      const timed = this.#time.prepare(d, v, route, n);
      if (nodes.length === 1) {
        for (let i = 0; i <= n; i++) {
          if (blink > 0 && rng.next() < blink) continue;
          if (timed && !this.#time.fits(d, v, route, n, i, x)) continue;
          const a = i === 0 ? d.vStart[v] : d.loc[route[i - 1]];
          const b = i === n ? d.vEnd[v] : d.loc[route[i]];
          const lb = fixed + cpd * (dist[a * L + lx] + dist[lx * L + b] - dist[a * L + b]);
          if (lb >= bestDelta) continue;
          for (let k = 0; k < i; k++) sc[k] = route[k];
          sc[i] = x;
          for (let k = i; k < n; k++) sc[k + 1] = route[k];
          const c = ev.evaluate(v, sc, n + 1);
          if (c - base < bestDelta) {
            bestDelta = c - base;
            bestV = v;
            bestI = i;
          }
        }
      } else {
        const y = nodes[1];
        const ly = d.loc[y];
        for (let i = 0; i <= n; i++) {
          if (blink > 0 && rng.next() < blink) continue;
          if (timed && !this.#time.fits(d, v, route, n, i, x)) continue;
          const a = i === 0 ? d.vStart[v] : d.loc[route[i - 1]];
          const b = i === n ? d.vEnd[v] : d.loc[route[i]];
          const lbP = fixed + cpd * (dist[a * L + lx] + dist[lx * L + b] - dist[a * L + b]);
          if (lbP >= bestDelta) continue;
          for (let j = i; j <= n; j++) {
            let lb: number;
            if (j === i) lb = fixed + cpd * (dist[a * L + lx] + dist[lx * L + ly] + dist[ly * L + b] - dist[a * L + b]);
            else {
              const a2 = d.loc[route[j - 1]];
              const b2 = j === n ? d.vEnd[v] : d.loc[route[j]];
              lb = lbP + cpd * (dist[a2 * L + ly] + dist[ly * L + b2] - dist[a2 * L + b2]);
            }
            if (lb >= bestDelta) continue;
            if (timed && j > i && !this.#time.fits(d, v, route, n, j, y)) continue;
            let w = 0;
            for (let k = 0; k < i; k++) sc[w++] = route[k];
            sc[w++] = x;
            for (let k = i; k < j; k++) sc[w++] = route[k];
            sc[w++] = y;
            for (let k = j; k < n; k++) sc[w++] = route[k];
            const c = ev.evaluate(v, sc, n + 2);
            if (c - base < bestDelta) {
              bestDelta = c - base;
              bestV = v;
              bestI = i;
              bestJ = j;
            }
          }
        }
      }
    }
    if (bestV < 0) return false;
    const route = s.routes[bestV];
    if (nodes.length === 1) route.splice(bestI, 0, x);
    else {
      route.splice(bestJ, 0, nodes[1]);
      route.splice(bestI, 0, x);
    }
    s.vehicleOf[r] = bestV;
    s.cost += bestDelta - this.#leaveOut[r];
    s.routeCost[bestV] = s.routeCost[bestV] + bestDelta;
    return true;
  }
}
