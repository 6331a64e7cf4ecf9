/**
 * The local search's solution state over one vehicle type, in flat typed arrays: a doubly linked
 * list of clients between per-route start and end depot nodes, with the forward (start..node)
 * and backward (node..end) segment at every node (segment.ts) and the penalised cost of every
 * route. A move's new routes are priced by concatenating a few stored segments in the
 * accumulator (`setFwd`, `addNode`, `addRange`, `addBwd`, then `accCost`), without building them.
 *
 * Penalised route cost = fixed + cpd·distance + cdu·duration + penalty(wTime, time warp + duration
 * excess + distance excess) + penalty(wLoad, load excess + stop excess), an integer (instance.ts).
 * Node ids: clients 0..n-1, start depot of route r is n + r, its end depot n + R + r. Matrix
 * index: client i → i, start depot → n, end depot → n + 1.
 */
import { loadExcessOf, penalisedCost, penalty, routeBaseCost, timeExcessOf, timeMatters } from './instance.ts';
import type { LsInstance } from './instance.ts';
import { Accumulator, nodeSegments, Segments } from './segment.ts';

export class RouteState {
  readonly inst: LsInstance;
  readonly n: number;
  readonly R: number;
  readonly M: number;
  readonly D: number;
  wLoad = 1;
  wTime = 1;
  /**
   * Whether time matters at all (windows, shift, max duration or a duration cost). Without it the
   * duration segments stay at their start values and the merge skips them (pure CVRP).
   */
  readonly timeOn: boolean;
  /**
   * Pure capacity regime (no time, no pickups, no range or stop limits): route cost = fixed +
   * cpd·distance + penalty(wLoad, Σ excess of summed deliveries), so operators compute exact
   * deltas in O(D) from prefix sums instead of merging segments (as HGS-CVRP does).
   */
  readonly fastCvrp: boolean;

  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** Matrix index of every node (client i → i, start depots → n, end depots → n + 1). */
  readonly mi: Int32Array;
  readonly routeOf: Int32Array;
  /** Position in the route: 0 for the start depot, 1.. for clients, size + 1 for the end depot. */
  readonly pos: Int32Array;
  /** Segment start..node at every node; at an end depot, the whole route. */
  readonly fwd: Segments;
  /** Segment node..end at every node. */
  readonly bwd: Segments;
  /** Every node alone, by matrix index. */
  readonly #nodes: Segments;
  readonly size: Int32Array;
  readonly routeCost: Float64Array;
  /** The penalty part of routeCost. */
  readonly routePenalty: Float64Array;
  /** Clock value of each route's last change. */
  readonly lastModified: Int32Array;
  clock = 1;
  /** The segment a move evaluation builds. */
  readonly acc: Accumulator;

  constructor(inst: LsInstance, R: number) {
    this.inst = inst;
    this.n = inst.n;
    this.R = R;
    this.M = inst.n + 2;
    this.D = inst.D;
    const tw = timeMatters(inst);
    this.timeOn = tw;
    let pickups = false;
    for (let i = 0; i < inst.pick.length; i++) if (inst.pick[i] !== 0) pickups = true;
    this.fastCvrp = !tw && !pickups && !Number.isFinite(inst.maxDistance) && !Number.isFinite(inst.maxStops);
    const NN = inst.n + 2 * R;
    this.next = new Int32Array(NN);
    this.prev = new Int32Array(NN);
    this.mi = new Int32Array(NN);
    for (let x = 0; x < NN; x++) this.mi[x] = x < inst.n ? x : x < inst.n + R ? inst.n : inst.n + 1;
    this.routeOf = new Int32Array(NN);
    this.pos = new Int32Array(NN);
    this.fwd = new Segments(NN, inst.D);
    this.bwd = new Segments(NN, inst.D);
    this.#nodes = nodeSegments(inst);
    this.size = new Int32Array(R);
    this.routeCost = new Float64Array(R);
    this.routePenalty = new Float64Array(R);
    this.lastModified = new Int32Array(R);
    this.acc = new Accumulator(inst, tw);
  }

  /** Changes the penalty weights and re-prices every route. */
  setPenalties(wLoad: number, wTime: number): void {
    this.wLoad = wLoad;
    this.wTime = wTime;
    for (let r = 0; r < this.R; r++) this.updateRoute(r);
  }

  startDepot(r: number): number {
    return this.n + r;
  }

  endDepot(r: number): number {
    return this.n + this.R + r;
  }

  isDepot(x: number): boolean {
    return x >= this.n;
  }

  mIdx(x: number): number {
    return this.mi[x];
  }

  // ---------- loading and exporting ----------

  /** Loads routes (client indices) into the linked structure; routes beyond `routes.length` are empty. */
  load(routes: readonly (ArrayLike<number>)[]): void {
    // Every client exactly once, in at most R routes: a broken list would make traversals loop.
    let count = 0;
    for (const r of routes) count += r.length;
    if (routes.length > this.R || count !== this.n) throw new Error(`internal: local search loaded ${count} of ${this.n} clients in ${routes.length} of ${this.R} routes`);
    for (let r = 0; r < this.R; r++) {
      const s = this.startDepot(r);
      const e = this.endDepot(r);
      const seq: ArrayLike<number> = r < routes.length ? routes[r] : [];
      let p = s;
      this.routeOf[s] = r;
      this.routeOf[e] = r;
      for (let k = 0; k < seq.length; k++) {
        const x = seq[k];
        this.next[p] = x;
        this.prev[x] = p;
        this.routeOf[x] = r;
        p = x;
      }
      this.next[p] = e;
      this.prev[e] = p;
      this.prev[s] = -1;
      this.next[e] = -1;
      this.updateRoute(r);
    }
  }

  exportRoutes(): Int32Array[] {
    const out: Int32Array[] = [];
    for (let r = 0; r < this.R; r++) {
      if (this.size[r] === 0) continue;
      const a = new Int32Array(this.size[r]);
      let k = 0;
      for (let x = this.next[this.startDepot(r)]; x < this.n; x = this.next[x]) a[k++] = x;
      out.push(a);
    }
    return out;
  }

  totalCost(): number {
    let c = 0;
    for (let r = 0; r < this.R; r++) c += this.routeCost[r];
    return c;
  }

  totalPenalty(): number {
    let c = 0;
    for (let r = 0; r < this.R; r++) c += this.routePenalty[r];
    return c;
  }

  // ---------- move evaluation: building a route in the accumulator ----------

  /** Starts the accumulator with the forward segment (route start .. x). */
  setFwd(x: number): void {
    this.acc.set(this.fwd, x, this.mi[x], this.pos[x]);
  }

  /** Appends one client (or end depot) node. */
  addNode(x: number): void {
    const m = this.mi[x];
    this.acc.append(this.#nodes, m, m, m, x < this.n ? 1 : 0);
  }

  /** Appends the backward segment (x .. route end). */
  addBwd(x: number): void {
    const count = x < this.n ? this.size[this.routeOf[x]] - this.pos[x] + 1 : 0;
    this.acc.append(this.bwd, x, this.mi[x], this.n + 1, count);
  }

  /** Appends clients a..b following `next` (a and b in the same route, a not after b). */
  addRange(a: number, b: number): void {
    for (let x = a; ; x = this.next[x]) {
      this.addNode(x);
      if (x === b) break;
    }
  }

  /** Appends clients b..a following `prev` (the range a..b reversed). */
  addRangeReversed(a: number, b: number): void {
    for (let x = b; ; x = this.prev[x]) {
      this.addNode(x);
      if (x === a) break;
    }
  }

  /** Penalised cost of the complete route in the accumulator (it must end at an end depot). */
  accCost(): number {
    const a = this.acc;
    if (a.count === 0) return 0;
    return penalisedCost(this.inst, this.wLoad, this.wTime, a.dist, a.dur, a.tw, a.maxLoad, 0, a.count);
  }

  /** Excess load and time of route r (0 and 0 when feasible), and its cost without penalties. */
  routeExcess(r: number): { load: number; time: number; pure: number } {
    const e = this.endDepot(r);
    if (this.size[r] === 0) return { load: 0, time: 0, pure: 0 };
    const f = this.fwd;
    return {
      load: loadExcessOf(this.inst, f.maxLoad, e * this.D, this.size[r]),
      time: timeExcessOf(this.inst, f.dist[e], f.dur[e], f.tw[e]),
      pure: this.inst.trueFixed + this.inst.cpd * f.dist[e] + this.inst.cdu * f.dur[e],
    };
  }

  /**
   * Fast-regime change of route r's load penalty when (prefix(b) − prefix(a)) of deliveries
   * leaves it and (prefix(d) − prefix(c)) arrives (prefix = forward delivery sums; pass a = b or
   * c = d for nothing). In that regime the route's penalty is its load penalty.
   */
  loadDelta(r: number, a: number, b: number, c: number, d: number): number {
    const D = this.D;
    const e = this.n + this.R + r;
    const cap = this.inst.cap;
    const f = this.fwd.del;
    let excess = 0;
    if (D === 1) {
      const nl = f[e] - (f[b] - f[a]) + (f[d] - f[c]);
      excess = nl > cap[0] ? nl - cap[0] : 0;
    } else {
      for (let q = 0; q < D; q++) {
        const nl = f[e * D + q] - (f[b * D + q] - f[a * D + q]) + (f[d * D + q] - f[c * D + q]);
        if (nl > cap[q]) excess += nl - cap[q];
      }
    }
    return penalty(this.wLoad, excess) - this.routePenalty[r];
  }

  /** Penalty part of a route's cost as evaluated now. */
  penaltyOf(r: number): number {
    return this.routePenalty[r];
  }

  // ---------- route update ----------

  /** Recomputes positions, segments and cost of route r after its list changed. */
  updateRoute(r: number): void {
    const s = this.startDepot(r);
    const e = this.endDepot(r);
    const acc = this.acc;
    const nodes = this.#nodes;
    const fwd = this.fwd;
    const bwd = this.bwd;
    const next = this.next;
    const prev = this.prev;
    const mi = this.mi;
    const n = this.n;
    // forward: one running accumulator from the start depot
    this.pos[s] = 0;
    acc.set(nodes, n, n, 0);
    acc.store(fwd, s);
    let p = 0;
    for (let x = s; x !== e;) {
      const y = next[x];
      this.routeOf[y] = r;
      this.pos[y] = ++p;
      const m = mi[y];
      acc.append(nodes, m, m, m, y < n ? 1 : 0);
      acc.store(fwd, y);
      x = y;
    }
    const size = p - 1;
    this.size[r] = size;
    // backward: the end depot alone, then each node prepended
    acc.set(nodes, n + 1, n + 1, 0);
    acc.store(bwd, e);
    for (let x = e; x !== s;) {
      const y = prev[x];
      const m = mi[y];
      acc.set(nodes, m, m, 0);
      acc.append(bwd, x, mi[x], n + 1, 0);
      acc.store(bwd, y);
      x = y;
    }
    const inst = this.inst;
    if (size === 0) {
      this.routeCost[r] = 0;
      this.routePenalty[r] = 0;
    } else {
      const c = penalisedCost(inst, this.wLoad, this.wTime, fwd.dist[e], fwd.dur[e], fwd.tw[e], fwd.maxLoad, e * this.D, size);
      this.routeCost[r] = c;
      this.routePenalty[r] = c - routeBaseCost(inst, fwd.dist[e], fwd.dur[e]);
    }
    this.lastModified[r] = this.clock++;
  }

  /** Full recomputation of the penalised cost of route r by walking it (debug check). */
  walkCost(r: number): number {
    this.setFwd(this.startDepot(r));
    for (let x = this.next[this.startDepot(r)]; ; x = this.next[x]) {
      this.addNode(x);
      if (x >= this.n) break;
    }
    return this.accCost();
  }

  // ---------- list surgery used by operators' apply ----------

  /** Unlinks x from its route (does not update route data). */
  unlink(x: number): void {
    const p = this.prev[x];
    const q = this.next[x];
    this.next[p] = q;
    this.prev[q] = p;
  }

  /** Links x right after a. */
  insertAfter(x: number, a: number): void {
    const b = this.next[a];
    this.next[a] = x;
    this.prev[x] = a;
    this.next[x] = b;
    this.prev[b] = x;
    this.routeOf[x] = this.routeOf[a];
  }
}
