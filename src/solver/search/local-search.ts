/**
 * Local search on penalised cost over one vehicle type (HGS, Vidal 2022): granular neighbourhoods
 * (each client against its k nearest), node operators first-improvement in a random order, then
 * the route-pair operators (SWAP*) on routes that neighbour each other, until no move improves.
 * Pairs whose routes have not changed since they were last tried are skipped (HGS-CVRP's
 * `whenLastModified` / `whenLastTested`). The solution state and the move pricing live in
 * route-state.ts; every delta is an integer, so "improves" is `delta < 0`.
 */
import type { NodeOperator, RouteOperator } from './operator.ts';
import type { Rng } from '../rng.ts';
import type { LsInstance } from './instance.ts';
import { RouteState } from './route-state.ts';
import { bestFusedMove, fusedOperators } from './fast-cvrp.ts';

export type { LsInstance } from './instance.ts';
export { BIG_TIME, loadExcessOf, penalisedCost, penalty, timeExcessOf } from './instance.ts';

export class LocalSearch extends RouteState {
  debug = false;
  /**
   * Set while `run` searches: operators may then return Infinity for a move that a cheap lower
   * bound shows cannot improve (distance delta >= the penalties of the routes involved) instead
   * of its exact delta. Improving moves are always priced exactly.
   */
  bounded = false;
  /** Set to stop a run early (deadline). */
  abortCheck: (() => boolean) | null = null;
  /** Moves applied so far. */
  moves = 0;
  /**
   * Whether `run` evaluates the node operators in one fused pass (fast-cvrp.ts) where it applies:
   * the registry's operators, pure capacity, symmetric matrices. Off, each operator's `evaluate`
   * is called (the same moves, slower).
   */
  fused = true;
  /** The delta of the move the fused pass found. */
  fusedDelta = 0;
  /** The registry's operators in the fused pass's order, when that pass applies. */
  readonly #fusedOps: NodeOperator[] | null;
  readonly lastTested: Int32Array;
  readonly lastTestedSwapStar: Int32Array;
  readonly nodeOps: NodeOperator[] = [];
  readonly routeOps: RouteOperator[] = [];
  /** nodeOps filtered by scope: [intra, inter, intra with a start depot v, inter with a start depot v]. */
  readonly #opsBy: NodeOperator[][];
  readonly #order: Int32Array;
  readonly #neighbourOrder: Int32Array;
  readonly #pairMark: Int32Array;

  constructor(inst: LsInstance, R: number, nodeOps: NodeOperator[], routeOps: RouteOperator[]) {
    super(inst, R);
    this.lastTested = new Int32Array(inst.n);
    this.lastTestedSwapStar = new Int32Array(R * R);
    this.nodeOps = nodeOps;
    this.routeOps = routeOps;
    this.#fusedOps = this.fastCvrp && inst.symmetric ? fusedOperators(nodeOps) : null;
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

  /** Loads routes (client indices); every pair of routes counts as untested. */
  override load(routes: readonly (ArrayLike<number>)[]): void {
    super.load(routes);
    this.lastTested.fill(0);
    this.lastTestedSwapStar.fill(0);
  }

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
    const fused = this.fused && this.#fusedOps !== null;
    while (improved) {
      improved = false;
      for (let oi = 0; oi < n; oi++) {
        const u = order[oi];
        if ((oi & 63) === 0 && this.abortCheck?.()) return;
        const lastTestU = lastTested[u];
        lastTested[u] = this.clock;
        for (let ni = 0; ni < k; ni++) {
          const v = neighbours[u * k + nb[ni]];
          if (v < 0) continue;
          const ru = routeOf[u];
          const rv = routeOf[v];
          if (loop > 0 && lastModified[ru] <= lastTestU && lastModified[rv] <= lastTestU) continue;
          if (fused) {
            if (this.#tryFused(u, v)) {
              improved = true;
              continue;
            }
            const pv = this.prev[v];
            if (pv >= n && this.#tryFused(u, pv)) improved = true;
            continue;
          }
          if (this.#tryOps(opsBy[ru === rv ? 0 : 1], u, v)) {
            improved = true;
            continue;
          }
          // v is the first client of its route: also try "after the start depot".
          const pv = this.prev[v];
          if (pv >= n && this.#tryOps(opsBy[ru === rv ? 2 : 3], u, pv)) improved = true;
        }
        // Try an empty route for u (only after the first loop, as HGS does).
        if (loop > 0) {
          for (let r = 0; r < this.R; r++) {
            if (this.size[r] === 0) {
              if (fused ? this.#tryFused(u, this.startDepot(r)) : this.#tryOps(opsBy[3], u, this.startDepot(r))) improved = true;
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
      const op = ops[i];
      const delta = op.evaluate(this, u, v);
      if (delta < 0) {
        const before = this.debug ? this.totalCost() : 0;
        op.apply(this, u, v);
        this.#checkApplied(before, delta, op.name);
        return true;
      }
    }
    return false;
  }

  #tryFused(u: number, v: number): boolean {
    const i = bestFusedMove(this, u, v);
    if (i < 0 || this.#fusedOps === null) return false;
    const op = this.#fusedOps[i];
    const before = this.debug ? this.totalCost() : 0;
    op.apply(this, u, v);
    this.#checkApplied(before, this.fusedDelta, op.name);
    return true;
  }

  /** Counts an applied move; in debug mode checks after === before + delta and the walked cost. */
  #checkApplied(before: number, delta: number, name: string): void {
    this.moves++;
    if (!this.debug) return;
    let walked = 0;
    for (let r = 0; r < this.R; r++) walked += this.walkCost(r);
    const after = this.totalCost();
    if (after !== before + delta || walked !== after) {
      throw new Error(`local search invariant broken by ${name}: before ${before} + delta ${delta} != after ${after} (walked ${walked})`);
    }
  }

  /** Route-pair operators on pairs of routes that are neighbours (some client's granular neighbour). */
  #routePhase(): boolean {
    const n = this.n;
    const R = this.R;
    // each client's own nearest suffice: a symmetric row's other entries are clients that have u
    // among their nearest, and their own scan marks the same pair
    const k = this.inst.nearest;
    const K = this.inst.k;
    const mark = this.#pairMark;
    const stamp = this.clock;
    for (let u = 0; u < n; u++) {
      const ru = this.routeOf[u];
      for (let i = 0; i < k; i++) {
        const v = this.inst.neighbours[u * K + i];
        if (v < 0) continue;
        const rv = this.routeOf[v];
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
        const t = this.lastTestedSwapStar[a * R + b];
        if (this.lastModified[a] <= t && this.lastModified[b] <= t) continue;
        this.lastTestedSwapStar[a * R + b] = this.clock;
        const ops = this.routeOps;
        for (let i = 0; i < ops.length; i++) {
          const op = ops[i];
          const delta = op.evaluate(this, a, b);
          if (delta < 0) {
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
