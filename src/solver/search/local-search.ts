/**
 * Local search on penalised cost over one vehicle type (HGS, Vidal 2022; PyVRP's concatenation
 * scheme). State lives in flat typed arrays: a doubly linked list of clients between per-route
 * start and end depot nodes, with forward (start..node) and backward (node..end) segment data at
 * every node, so a move's new routes are evaluated by merging a few segments:
 *
 *   distance, duration / time warp / earliest / latest start (Vidal et al. 2013),
 *   per dimension: deliveries, pickups and max load on board (load = deliveries still to drop +
 *   pickups collected).
 *
 * Penalised route cost = fixed + cpd·distance + cdu·duration + wTime·(time warp + duration excess
 * + distance excess) + wLoad·(load excess + stop excess). Node ids: clients 0..n-1, start depot of
 * route r is n + r, its end depot n + R + r. Matrix index: client i → i, start depot → n, end → n+1.
 */
import type { NodeOperator, RouteOperator } from './operator.ts';
import type { Rng } from '../rng.ts';

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
  /** Granular neighbours: neighbours[i*k .. i*k+k-1]. */
  readonly neighbours: Int32Array;
  readonly k: number;
}

export function loadExcessOf(inst: LsInstance, lm: Float64Array, off: number, count: number): number {
  let loadExcess = 0;
  for (let q = 0; q < inst.D; q++) {
    const ex = lm[off + q]! - inst.cap[q]!;
    if (ex > 0) loadExcess += ex;
  }
  if (count > inst.maxStops) loadExcess += count - inst.maxStops;
  return loadExcess;
}

export function timeExcessOf(inst: LsInstance, dist: number, dur: number, tw: number): number {
  let timeExcess = tw;
  if (dur > inst.maxDuration) timeExcess += dur - inst.maxDuration;
  if (dist > inst.maxDistance) timeExcess += dist - inst.maxDistance;
  return timeExcess;
}

/** Penalised cost of a complete non-empty route. */
export function penalisedCost(inst: LsInstance, wLoad: number, wTime: number, dist: number, dur: number, tw: number,
  lm: Float64Array, off: number, count: number): number {
  return inst.fixed + inst.cpd * dist + inst.cdu * dur + wTime * timeExcessOf(inst, dist, dur, tw)
    + wLoad * loadExcessOf(inst, lm, off, count);
}

export class LocalSearch {
  readonly inst: LsInstance;
  readonly n: number;
  readonly R: number;
  readonly M: number;
  readonly D: number;
  wLoad = 1;
  wTime = 1;
  /**
   * Whether time matters at all (windows, shift, max duration or a duration cost). Without it the
   * duration segments stay zero and the hot loop skips them (pure CVRP).
   */
  readonly timeOn: boolean;
  /**
   * Pure capacity regime (no time, no pickups, no range or stop limits): route cost = fixed +
   * cpd·distance + wLoad·Σ excess of summed deliveries, so operators compute exact deltas in O(D)
   * from prefix sums instead of merging segments (as HGS-CVRP does).
   */
  readonly fastCvrp: boolean;
  debug = false;
  /**
   * Set while `run` searches: operators may then return Infinity for a move that a cheap lower
   * bound shows cannot improve (distance delta >= the penalties of the routes involved) instead
   * of its exact delta. Improving moves are always priced exactly.
   */
  bounded = false;

  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** Matrix index of every node (client i → i, start depots → n, end depots → n + 1). */
  readonly mi: Int32Array;
  readonly routeOf: Int32Array;
  readonly pos: Int32Array;
  // forward / backward segments per node
  readonly fDist: Float64Array;
  readonly fDur: Float64Array;
  readonly fTW: Float64Array;
  readonly fE: Float64Array;
  readonly fL: Float64Array;
  readonly fLD: Float64Array;
  readonly fLP: Float64Array;
  readonly fLM: Float64Array;
  readonly bDist: Float64Array;
  readonly bDur: Float64Array;
  readonly bTW: Float64Array;
  readonly bE: Float64Array;
  readonly bL: Float64Array;
  readonly bLD: Float64Array;
  readonly bLP: Float64Array;
  readonly bLM: Float64Array;
  // per route
  readonly size: Int32Array;
  readonly routeCost: Float64Array;
  readonly routePenalty: Float64Array;
  readonly routeDistance: Float64Array;
  readonly lastModified: Int32Array;
  readonly lastTested: Int32Array;
  readonly lastTestedSwapStar: Int32Array;
  clock = 1;
  /** Set to stop a run early (deadline). */
  abortCheck: (() => boolean) | null = null;
  moves = 0;

  // accumulator (the segment being built by a move evaluation)
  aDist = 0;
  aDur = 0;
  aTW = 0;
  aE = 0;
  aL = 0;
  aLast = 0;
  aCount = 0;
  readonly aLD: Float64Array;
  readonly aLP: Float64Array;
  readonly aLM: Float64Array;

  readonly nodeOps: NodeOperator[] = [];
  readonly routeOps: RouteOperator[] = [];
  /** nodeOps filtered by scope: [intra, inter, intra with a start depot v, inter with a start depot v]. */
  readonly #opsBy: NodeOperator[][];
  readonly #order: Int32Array;
  readonly #neighbourOrder: Int32Array;
  readonly #pairMark: Int32Array;

  constructor(inst: LsInstance, R: number, nodeOps: NodeOperator[], routeOps: RouteOperator[]) {
    this.inst = inst;
    this.n = inst.n;
    this.R = R;
    this.M = inst.n + 2;
    this.D = inst.D;
    let tw = inst.cdu !== 0 || Number.isFinite(inst.maxDuration) || inst.shiftEarly > 0 || inst.shiftLate < BIG_TIME;
    for (let i = 0; i < inst.n && !tw; i++) if (inst.early[i]! > 0 || inst.late[i]! < BIG_TIME) tw = true;
    this.timeOn = tw;
    let pickups = false;
    for (let i = 0; i < inst.pick.length; i++) if (inst.pick[i] !== 0) pickups = true;
    this.fastCvrp = !tw && !pickups && !Number.isFinite(inst.maxDistance) && !Number.isFinite(inst.maxStops);
    const NN = inst.n + 2 * R;
    const D = inst.D;
    this.next = new Int32Array(NN);
    this.prev = new Int32Array(NN);
    this.mi = new Int32Array(NN);
    for (let x = 0; x < NN; x++) this.mi[x] = x < inst.n ? x : x < inst.n + R ? inst.n : inst.n + 1;
    this.routeOf = new Int32Array(NN);
    this.pos = new Int32Array(NN);
    this.fDist = new Float64Array(NN);
    this.fDur = new Float64Array(NN);
    this.fTW = new Float64Array(NN);
    this.fE = new Float64Array(NN);
    this.fL = new Float64Array(NN);
    this.fLD = new Float64Array(NN * D);
    this.fLP = new Float64Array(NN * D);
    this.fLM = new Float64Array(NN * D);
    this.bDist = new Float64Array(NN);
    this.bDur = new Float64Array(NN);
    this.bTW = new Float64Array(NN);
    this.bE = new Float64Array(NN);
    this.bL = new Float64Array(NN);
    this.bLD = new Float64Array(NN * D);
    this.bLP = new Float64Array(NN * D);
    this.bLM = new Float64Array(NN * D);
    this.size = new Int32Array(R);
    this.routeCost = new Float64Array(R);
    this.routePenalty = new Float64Array(R);
    this.routeDistance = new Float64Array(R);
    this.lastModified = new Int32Array(R);
    this.lastTested = new Int32Array(inst.n);
    this.lastTestedSwapStar = new Int32Array(R * R);
    this.aLD = new Float64Array(D);
    this.aLP = new Float64Array(D);
    this.aLM = new Float64Array(D);
    this.nodeOps = nodeOps;
    this.routeOps = routeOps;
    const intra = (op: NodeOperator): boolean => op.scope !== 'inter';
    const inter = (op: NodeOperator): boolean => op.scope !== 'intra';
    const depot = (op: NodeOperator): boolean => op.depotV !== false;
    this.#opsBy = [
      nodeOps.filter(intra),
      nodeOps.filter(inter),
      nodeOps.filter((op) => intra(op) && depot(op)),
      nodeOps.filter((op) => inter(op) && depot(op)),
    ];
    this.#order = new Int32Array(inst.n);
    for (let i = 0; i < inst.n; i++) this.#order[i] = i;
    this.#neighbourOrder = new Int32Array(inst.k);
    this.#pairMark = new Int32Array(R * R);
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
    return this.mi[x]!;
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
      const seq = r < routes.length ? routes[r]! : [];
      let p = s;
      this.routeOf[s] = r;
      this.routeOf[e] = r;
      for (let k = 0; k < seq.length; k++) {
        const x = seq[k]!;
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
    this.lastTested.fill(0);
    this.lastTestedSwapStar.fill(0);
  }

  exportRoutes(): Int32Array[] {
    const out: Int32Array[] = [];
    for (let r = 0; r < this.R; r++) {
      if (this.size[r] === 0) continue;
      const a = new Int32Array(this.size[r]!);
      let k = 0;
      for (let x = this.next[this.startDepot(r)]!; x < this.n; x = this.next[x]!) a[k++] = x;
      out.push(a);
    }
    return out;
  }

  totalCost(): number {
    let c = 0;
    for (let r = 0; r < this.R; r++) c += this.routeCost[r]!;
    return c;
  }

  totalPenalty(): number {
    let c = 0;
    for (let r = 0; r < this.R; r++) c += this.routePenalty[r]!;
    return c;
  }

  // ---------- segment accumulator ----------

  /** Starts the accumulator with the forward segment (route start .. x). */
  setFwd(x: number): void {
    this.aDist = this.fDist[x]!;
    this.aDur = this.fDur[x]!;
    this.aTW = this.fTW[x]!;
    this.aE = this.fE[x]!;
    this.aL = this.fL[x]!;
    this.aLast = this.mIdx(x);
    this.aCount = this.pos[x]!;
    const D = this.D;
    for (let q = 0; q < D; q++) {
      this.aLD[q] = this.fLD[x * D + q]!;
      this.aLP[q] = this.fLP[x * D + q]!;
      this.aLM[q] = this.fLM[x * D + q]!;
    }
  }

  /** Appends one client (or end depot) node. */
  addNode(x: number): void {
    const inst = this.inst;
    const n = this.n;
    const mx = this.mi[x]!;
    const arc = this.aLast * this.M + mx;
    this.aDist += inst.dist[arc]!;
    const client = x < n;
    if (client) {
      this.aCount++;
      const D = this.D;
      if (D === 1) {
        const dl = inst.del[x]!;
        const pk = inst.pick[x]!;
        const m1 = this.aLM[0]! + dl;
        const m2 = this.aLP[0]! + (dl > pk ? dl : pk);
        this.aLM[0] = m1 > m2 ? m1 : m2;
        this.aLD[0] = this.aLD[0]! + dl;
        this.aLP[0] = this.aLP[0]! + pk;
      } else {
        for (let q = 0; q < D; q++) {
          const dl = inst.del[x * D + q]!;
          const pk = inst.pick[x * D + q]!;
          const m1 = this.aLM[q]! + dl;
          const m2 = this.aLP[q]! + (dl > pk ? dl : pk);
          this.aLM[q] = m1 > m2 ? m1 : m2;
          this.aLD[q] = this.aLD[q]! + dl;
          this.aLP[q] = this.aLP[q]! + pk;
        }
      }
    }
    this.aLast = mx;
    if (!this.timeOn) return;
    const t = inst.time[arc]!;
    let srv = 0;
    let e = inst.shiftEarly;
    let l = inst.shiftLate;
    if (client) {
      srv = inst.service[x]!;
      e = inst.early[x]!;
      l = inst.late[x]!;
    }
    const delta = this.aDur - this.aTW + t;
    const dWT = Math.max(e - delta - this.aL, 0);
    const dTW = Math.max(this.aE + delta - l, 0);
    this.aDur = this.aDur + srv + t + dWT;
    this.aTW = this.aTW + dTW;
    this.aE = Math.max(e - delta, this.aE) - dWT;
    this.aL = Math.min(l - delta, this.aL) + dTW;
  }

  /** Appends the backward segment (x .. route end). */
  addBwd(x: number): void {
    const inst = this.inst;
    const n = this.n;
    const mx = this.mi[x]!;
    const arc = this.aLast * this.M + mx;
    this.aDist += inst.dist[arc]! + this.bDist[x]!;
    const D = this.D;
    if (D === 1) {
      const m1 = this.aLM[0]! + this.bLD[x]!;
      const m2 = this.aLP[0]! + this.bLM[x]!;
      this.aLM[0] = m1 > m2 ? m1 : m2;
      this.aLD[0] = this.aLD[0]! + this.bLD[x]!;
      this.aLP[0] = this.aLP[0]! + this.bLP[x]!;
    } else {
      for (let q = 0; q < D; q++) {
        const m1 = this.aLM[q]! + this.bLD[x * D + q]!;
        const m2 = this.aLP[q]! + this.bLM[x * D + q]!;
        this.aLM[q] = m1 > m2 ? m1 : m2;
        this.aLD[q] = this.aLD[q]! + this.bLD[x * D + q]!;
        this.aLP[q] = this.aLP[q]! + this.bLP[x * D + q]!;
      }
    }
    if (x < n) this.aCount += this.size[this.routeOf[x]!]! - this.pos[x]! + 1;
    this.aLast = n + 1;
    if (!this.timeOn) return;
    const t = inst.time[arc]!;
    const delta = this.aDur - this.aTW + t;
    const dWT = Math.max(this.bE[x]! - delta - this.aL, 0);
    const dTW = Math.max(this.aE + delta - this.bL[x]!, 0);
    this.aDur = this.aDur + this.bDur[x]! + t + dWT;
    this.aTW = this.aTW + this.bTW[x]! + dTW;
    this.aE = Math.max(this.bE[x]! - delta, this.aE) - dWT;
    this.aL = Math.min(this.bL[x]! - delta, this.aL) + dTW;
  }

  /** Appends clients a..b following `next` (a and b in the same route, a not after b). */
  addRange(a: number, b: number): void {
    for (let x = a; ; x = this.next[x]!) {
      this.addNode(x);
      if (x === b) break;
    }
  }

  /** Appends clients b..a following `prev` (the range a..b reversed). */
  addRangeReversed(a: number, b: number): void {
    for (let x = b; ; x = this.prev[x]!) {
      this.addNode(x);
      if (x === a) break;
    }
  }

  /** Penalised cost of the complete route in the accumulator (it must end at an end depot). */
  accCost(): number {
    if (this.aCount === 0) return 0;
    return this.#cost(this.aDist, this.aDur, this.aTW, this.aLM, this.aCount);
  }

  #cost(dist: number, dur: number, tw: number, lm: Float64Array, count: number): number {
    return penalisedCost(this.inst, this.wLoad, this.wTime, dist, dur, tw, lm, 0, count);
  }

  /** Excess load and time of route r (0 and 0 when feasible). */
  routeExcess(r: number): { load: number; time: number; pure: number } {
    const e = this.endDepot(r);
    const D = this.D;
    if (this.size[r] === 0) return { load: 0, time: 0, pure: 0 };
    return {
      load: loadExcessOf(this.inst, this.fLM, e * D, this.size[r]!),
      time: timeExcessOf(this.inst, this.fDist[e]!, this.fDur[e]!, this.fTW[e]!),
      pure: this.inst.trueFixed + this.inst.cpd * this.fDist[e]! + this.inst.cdu * this.fDur[e]!,
    };
  }

  /**
   * Fast-regime load penalty change of route r when `sign`·(prefix(b) − prefix(a)) of deliveries
   * leaves it and `sign2`·(prefix(d) − prefix(c)) arrives (prefix = forward delivery sums; pass
   * a = b or c = d for nothing).
   */
  loadDelta(r: number, a: number, b: number, c: number, d: number): number {
    const D = this.D;
    const e = this.n + this.R + r;
    const cap = this.inst.cap;
    if (D === 1) {
      const f = this.fLD;
      const load = f[e]!;
      const nl = load - (f[b]! - f[a]!) + (f[d]! - f[c]!);
      const c0 = cap[0]!;
      return this.wLoad * ((nl > c0 ? nl - c0 : 0) - (load > c0 ? load - c0 : 0));
    }
    let delta = 0;
    for (let q = 0; q < D; q++) {
      const load = this.fLD[e * D + q]!;
      const nl = load - (this.fLD[b * D + q]! - this.fLD[a * D + q]!) + (this.fLD[d * D + q]! - this.fLD[c * D + q]!);
      const c0 = cap[q]!;
      delta += (nl > c0 ? nl - c0 : 0) - (load > c0 ? load - c0 : 0);
    }
    return this.wLoad * delta;
  }

  /** Penalty part of a route's cost as evaluated now. */
  penaltyOf(r: number): number {
    return this.routePenalty[r]!;
  }

  // ---------- route update ----------

  updateRoute(r: number): void {
    if (!this.timeOn) {
      this.#updateRouteNoTime(r);
      return;
    }
    const inst = this.inst;
    const D = this.D;
    const s = this.startDepot(r);
    const e = this.endDepot(r);
    this.pos[s] = 0;
    this.fDist[s] = 0;
    this.fDur[s] = 0;
    this.fTW[s] = 0;
    this.fE[s] = inst.shiftEarly;
    this.fL[s] = inst.shiftLate;
    for (let q = 0; q < D; q++) {
      this.fLD[s * D + q] = 0;
      this.fLP[s * D + q] = 0;
      this.fLM[s * D + q] = 0;
    }
    let p = 0;
    let x = s;
    while (x !== e) {
      const y = this.next[x]!;
      this.routeOf[y] = r;
      this.pos[y] = ++p;
      this.setFwd(x);
      this.addNode(y);
      this.fDist[y] = this.aDist;
      this.fDur[y] = this.aDur;
      this.fTW[y] = this.aTW;
      this.fE[y] = this.aE;
      this.fL[y] = this.aL;
      for (let q = 0; q < D; q++) {
        this.fLD[y * D + q] = this.aLD[q]!;
        this.fLP[y * D + q] = this.aLP[q]!;
        this.fLM[y * D + q] = this.aLM[q]!;
      }
      x = y;
    }
    const size = p - 1;
    this.size[r] = size;
    // backward: end depot alone, then prepend nodes
    this.bDist[e] = 0;
    this.bDur[e] = 0;
    this.bTW[e] = 0;
    this.bE[e] = inst.shiftEarly;
    this.bL[e] = inst.shiftLate;
    for (let q = 0; q < D; q++) {
      this.bLD[e * D + q] = 0;
      this.bLP[e * D + q] = 0;
      this.bLM[e * D + q] = 0;
    }
    x = e;
    while (x !== s) {
      const y = this.prev[x]!;
      // segment = node(y) + bwd(x)
      const my = this.mIdx(y);
      const mx = this.mIdx(x);
      let srv = 0;
      let ey = inst.shiftEarly;
      let ly = inst.shiftLate;
      if (y < this.n) {
        srv = inst.service[y]!;
        ey = inst.early[y]!;
        ly = inst.late[y]!;
      }
      for (let q = 0; q < D; q++) {
        const dl = y < this.n ? inst.del[y * D + q]! : 0;
        const pk = y < this.n ? inst.pick[y * D + q]! : 0;
        const m1 = (dl > pk ? dl : pk) + this.bLD[x * D + q]!;
        const m2 = pk + this.bLM[x * D + q]!;
        this.bLM[y * D + q] = m1 > m2 ? m1 : m2;
        this.bLD[y * D + q] = dl + this.bLD[x * D + q]!;
        this.bLP[y * D + q] = pk + this.bLP[x * D + q]!;
      }
      const t = inst.time[my * this.M + mx]!;
      this.bDist[y] = inst.dist[my * this.M + mx]! + this.bDist[x]!;
      const delta = srv + t;
      const dWT = Math.max(this.bE[x]! - delta - ly, 0);
      const dTW = Math.max(ey + delta - this.bL[x]!, 0);
      this.bDur[y] = srv + this.bDur[x]! + t + dWT;
      this.bTW[y] = this.bTW[x]! + dTW;
      this.bE[y] = Math.max(this.bE[x]! - delta, ey) - dWT;
      this.bL[y] = Math.min(this.bL[x]! - delta, ly) + dTW;
      x = y;
    }
    this.#finishRoute(r, size);
  }

  /**
   * updateRoute without time (the duration segments stay at their start values, as addNode and
   * addBwd never read them): distance, position and load prefixes and suffixes only.
   */
  #updateRouteNoTime(r: number): void {
    const inst = this.inst;
    const D = this.D;
    const M = this.M;
    const n = this.n;
    const s = this.startDepot(r);
    const e = this.endDepot(r);
    const next = this.next;
    const prev = this.prev;
    const mi = this.mi;
    const dd = inst.dist;
    const fDist = this.fDist;
    const bDist = this.bDist;
    const fLD = this.fLD;
    const fLP = this.fLP;
    const fLM = this.fLM;
    const bLD = this.bLD;
    const bLP = this.bLP;
    const bLM = this.bLM;
    this.pos[s] = 0;
    fDist[s] = 0;
    for (let q = 0; q < D; q++) {
      fLD[s * D + q] = 0;
      fLP[s * D + q] = 0;
      fLM[s * D + q] = 0;
    }
    let p = 0;
    let x = s;
    while (x !== e) {
      const y = next[x]!;
      this.routeOf[y] = r;
      this.pos[y] = ++p;
      fDist[y] = fDist[x]! + dd[mi[x]! * M + mi[y]!]!;
      this.fDur[y] = this.fDur[x]!;
      this.fTW[y] = this.fTW[x]!;
      this.fE[y] = this.fE[x]!;
      this.fL[y] = this.fL[x]!;
      for (let q = 0; q < D; q++) {
        if (y >= n) {
          // the end depot: no load change (as in addNode)
          fLM[y * D + q] = fLM[x * D + q]!;
          fLD[y * D + q] = fLD[x * D + q]!;
          fLP[y * D + q] = fLP[x * D + q]!;
          continue;
        }
        const dl = inst.del[y * D + q]!;
        const pk = inst.pick[y * D + q]!;
        const m1 = fLM[x * D + q]! + dl;
        const m2 = fLP[x * D + q]! + (dl > pk ? dl : pk);
        fLM[y * D + q] = m1 > m2 ? m1 : m2;
        fLD[y * D + q] = fLD[x * D + q]! + dl;
        fLP[y * D + q] = fLP[x * D + q]! + pk;
      }
      x = y;
    }
    const size = p - 1;
    this.size[r] = size;
    bDist[e] = 0;
    for (let q = 0; q < D; q++) {
      bLD[e * D + q] = 0;
      bLP[e * D + q] = 0;
      bLM[e * D + q] = 0;
    }
    x = e;
    while (x !== s) {
      const y = prev[x]!;
      bDist[y] = dd[mi[y]! * M + mi[x]!]! + bDist[x]!;
      for (let q = 0; q < D; q++) {
        const dl = y < n ? inst.del[y * D + q]! : 0;
        const pk = y < n ? inst.pick[y * D + q]! : 0;
        const m1 = (dl > pk ? dl : pk) + bLD[x * D + q]!;
        const m2 = pk + bLM[x * D + q]!;
        bLM[y * D + q] = m1 > m2 ? m1 : m2;
        bLD[y * D + q] = dl + bLD[x * D + q]!;
        bLP[y * D + q] = pk + bLP[x * D + q]!;
      }
      x = y;
    }
    this.#finishRoute(r, size);
  }

  #finishRoute(r: number, size: number): void {
    const inst = this.inst;
    const e = this.endDepot(r);
    this.routeDistance[r] = this.fDist[e]!;
    if (size === 0) {
      this.routeCost[r] = 0;
      this.routePenalty[r] = 0;
    } else {
      const c = penalisedCost(inst, this.wLoad, this.wTime, this.fDist[e]!, this.fDur[e]!, this.fTW[e]!, this.fLM, e * this.D, size);
      const base = inst.fixed + inst.cpd * this.fDist[e]! + inst.cdu * this.fDur[e]!;
      this.routeCost[r] = c;
      this.routePenalty[r] = c - base;
    }
    this.lastModified[r] = this.clock++;
  }

  /** Full recomputation of the penalised cost of route r by walking it (debug check). */
  walkCost(r: number): number {
    this.setFwd(this.startDepot(r));
    for (let x = this.next[this.startDepot(r)]!; ; x = this.next[x]!) {
      this.addNode(x);
      if (x >= this.n) break;
    }
    return this.accCost();
  }

  // ---------- list surgery used by operators' apply ----------

  /** Unlinks x from its route (does not update route data). */
  unlink(x: number): void {
    const p = this.prev[x]!;
    const q = this.next[x]!;
    this.next[p] = q;
    this.prev[q] = p;
  }

  /** Links x right after a. */
  insertAfter(x: number, a: number): void {
    const b = this.next[a]!;
    this.next[a] = x;
    this.prev[x] = a;
    this.next[x] = b;
    this.prev[b] = x;
    this.routeOf[x] = this.routeOf[a]!;
  }

  // ---------- the search ----------

  /** Runs the local search to a local optimum (or until abortCheck says stop). */
  run(rng: Rng): void {
    this.bounded = true;
    try {
      this.#run(rng);
    } finally {
      this.bounded = false;
    }
  }

  #run(rng: Rng): void {
    const n = this.n;
    const k = this.inst.k;
    const order = this.#order;
    rng.shuffle(order);
    const nb = this.#neighbourOrder;
    for (let i = 0; i < k; i++) nb[i] = i;
    rng.shuffle(nb);
    let improved = true;
    let loop = 0;
    const lastTested = this.lastTested;
    lastTested.fill(-1);
    const opsBy = this.#opsBy;
    const neighbours = this.inst.neighbours;
    const routeOf = this.routeOf;
    const lastModified = this.lastModified;
    while (improved) {
      improved = false;
      for (let oi = 0; oi < n; oi++) {
        const u = order[oi]!;
        if ((oi & 63) === 0 && this.abortCheck?.()) return;
        const lastTestU = lastTested[u]!;
        lastTested[u] = this.clock;
        for (let ni = 0; ni < k; ni++) {
          const v = neighbours[u * k + nb[ni]!]!;
          if (v < 0) continue;
          const ru = routeOf[u]!;
          const rv = routeOf[v]!;
          if (loop > 0 && lastModified[ru]! <= lastTestU && lastModified[rv]! <= lastTestU) continue;
          if (this.#tryOps(opsBy[ru === rv ? 0 : 1]!, u, v)) {
            improved = true;
            continue;
          }
          // v is the first client of its route: also try "after the start depot".
          const pv = this.prev[v]!;
          if (pv >= n && this.#tryOps(opsBy[ru === rv ? 2 : 3]!, u, pv)) improved = true;
        }
        // Try an empty route for u (only after the first loop, as HGS does).
        if (loop > 0) {
          for (let r = 0; r < this.R; r++) {
            if (this.size[r] === 0) {
              if (this.#tryOps(opsBy[3]!, u, this.startDepot(r))) improved = true;
              break;
            }
          }
        }
      }
      if (this.routeOps.length > 0) {
        if (this.abortCheck?.()) return;
        if (this.#routePhase()) improved = true;
      }
      loop++;
    }
  }

  #tryOps(ops: NodeOperator[], u: number, v: number): boolean {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const delta = op.evaluate(this, u, v);
      if (delta < -1e-7) {
        const before = this.debug ? this.totalCost() : 0;
        op.apply(this, u, v);
        this.#checkApplied(before, delta, op.name);
        return true;
      }
    }
    return false;
  }

  /** Counts an applied move; in debug mode checks after === before + delta and the walked cost. */
  #checkApplied(before: number, delta: number, name: string): void {
    this.moves++;
    if (!this.debug) return;
    let walked = 0;
    for (let r = 0; r < this.R; r++) walked += this.walkCost(r);
    const after = this.totalCost();
    if (Math.abs(after - (before + delta)) > 1e-6 * (1 + Math.abs(after)) || Math.abs(walked - after) > 1e-6 * (1 + Math.abs(after))) {
      throw new Error(`local search invariant broken by ${name}: before ${before} + delta ${delta} != after ${after} (walked ${walked})`);
    }
  }

  /** Route-pair operators on pairs of routes that are neighbours (some client's granular neighbour). */
  #routePhase(): boolean {
    const n = this.n;
    const R = this.R;
    const k = this.inst.k;
    const mark = this.#pairMark;
    const stamp = this.clock;
    for (let u = 0; u < n; u++) {
      const ru = this.routeOf[u]!;
      for (let i = 0; i < k; i++) {
        const v = this.inst.neighbours[u * k + i]!;
        if (v < 0) continue;
        const rv = this.routeOf[v]!;
        if (ru === rv) continue;
        const a = ru < rv ? ru : rv;
        const b = ru < rv ? rv : ru;
        mark[a * R + b] = stamp;
      }
    }
    let improved = false;
    for (let a = 0; a < R; a++) {
      for (let b = a + 1; b < R; b++) {
        if (mark[a * R + b] !== stamp) continue;
        if (this.size[a] === 0 || this.size[b] === 0) continue;
        const t = this.lastTestedSwapStar[a * R + b]!;
        if (this.lastModified[a]! <= t && this.lastModified[b]! <= t) continue;
        this.lastTestedSwapStar[a * R + b] = this.clock;
        const ops = this.routeOps;
        for (let i = 0; i < ops.length; i++) {
          const op = ops[i]!;
          const delta = op.evaluate(this, a, b);
          if (delta < -1e-7) {
            const before = this.debug ? this.totalCost() : 0;
            op.apply(this);
            this.#checkApplied(before, delta, op.name);
            improved = true;
            break;
          }
        }
      }
    }
    return improved;
  }
}
