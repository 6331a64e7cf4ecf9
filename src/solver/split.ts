/**
 * Split (Prins 2004; Vidal 2022): cut a giant tour into routes at minimum penalised cost.
 * Bellman over the tour with a bounded look-back (a route stops growing once its load is far above
 * capacity); route costs use the local search's segment concatenation (search/segment.ts), so time
 * windows and duration are priced too. With a limited fleet, a layered version caps the number of routes.
 */
import type { LsInstance } from './search/instance.ts';
import { penalisedCost, timeMatters } from './search/instance.ts';
import { Accumulator, nodeSegments } from './search/segment.ts';
import type { Segments } from './search/segment.ts';

export class Split {
  readonly #inst: LsInstance;
  readonly #pot: Float64Array;
  readonly #pred: Int32Array;
  readonly #nodes: Segments;
  /** The route giant[i..j] as it grows, and the same closed at the end depot. */
  readonly #open: Accumulator;
  readonly #closed: Accumulator;
  // The layered (limited-fleet) Bellman tables, made on first need: most runs never exceed the
  // route slots, and on a 1,000-client instance they take 200 × 1,001 × 12 bytes.
  #potK: Float64Array | undefined;
  #predK: Int32Array | undefined;
  readonly #maxRoutes: number;

  constructor(inst: LsInstance, maxRoutes: number) {
    this.#inst = inst;
    this.#maxRoutes = maxRoutes;
    this.#pot = new Float64Array(inst.n + 1);
    this.#pred = new Int32Array(inst.n + 1);
    this.#nodes = nodeSegments(inst);
    const timeOn = timeMatters(inst);
    this.#open = new Accumulator(inst, timeOn);
    this.#closed = new Accumulator(inst, timeOn);
  }

  /** Cost of the route giant[i..j] for every j reachable from i, reported through `visit`. */
  #scan(giant: Int32Array, i: number, wLoad: number, wTime: number, visit: (j: number, cost: number) => void): void {
    const inst = this.#inst;
    const n = inst.n;
    const D = inst.D;
    const nodes = this.#nodes;
    const open = this.#open;
    const closed = this.#closed;
    open.set(nodes, n, n, 0);
    for (let j = i; j < n; j++) {
      const x = giant[j];
      open.append(nodes, x, x, x, 1);
      let over = false;
      for (let q = 0; q < D; q++) if (open.maxLoad[q] > 1.5 * inst.cap[q] && j > i) over = true;
      if (over || j - i + 1 > 1.5 * inst.maxStops + 1) break;
      closed.copy(open);
      closed.append(nodes, n + 1, n + 1, n + 1, 0);
      visit(j, penalisedCost(inst, wLoad, wTime, closed.dist, closed.dur, closed.tw, closed.maxLoad, 0, closed.count));
    }
  }

  run(giant: Int32Array, wLoad: number, wTime: number): Int32Array[] {
    const n = this.#inst.n;
    const pot = this.#pot;
    const pred = this.#pred;
    pot.fill(Infinity);
    pot[0] = 0;
    for (let i = 0; i < n; i++) {
      const base = pot[i];
      if (!Number.isFinite(base)) continue;
      this.#scan(giant, i, wLoad, wTime, (j, cost) => {
        if (base + cost < pot[j + 1]) {
          pot[j + 1] = base + cost;
          pred[j + 1] = i;
        }
      });
    }
    let count = 0;
    for (let j = n; j > 0; j = pred[j]) count++;
    if (count <= this.#maxRoutes) return this.#extract(giant, pred, n);
    // Limited fleet: layered Bellman over at most maxRoutes routes. The local search has exactly
    // maxRoutes route slots, so more routes must never come out of here (an X-n733 run made 216
    // routes for 210 slots when this step was skipped above 200 layers).
    const K = Math.min(this.#maxRoutes, n);
    const W = n + 1;
    this.#potK ??= new Float64Array((K + 1) * W);
    this.#predK ??= new Int32Array((K + 1) * W);
    const potK = this.#potK;
    const predK = this.#predK;
    potK.fill(Infinity);
    potK[0] = 0;
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        const base = potK[k * W + i];
        if (!Number.isFinite(base)) continue;
        this.#scan(giant, i, wLoad, wTime, (j, cost) => {
          const idx = (k + 1) * W + j + 1;
          if (base + cost < potK[idx]) {
            potK[idx] = base + cost;
            predK[idx] = i;
          }
        });
      }
    }
    let bestK = -1;
    let best = Infinity;
    for (let k = 1; k <= K; k++) {
      if (potK[k * W + n] < best) {
        best = potK[k * W + n];
        bestK = k;
      }
    }
    if (bestK < 0) return mergeToAtMost(this.#extract(giant, pred, n), K);
    const routes: Int32Array[] = [];
    let j = n;
    for (let k = bestK; k > 0; k--) {
      const i = predK[k * W + j];
      routes.push(giant.slice(i, j));
      j = i;
    }
    return routes.reverse();
  }

  #extract(giant: Int32Array, pred: Int32Array, n: number): Int32Array[] {
    const routes: Int32Array[] = [];
    for (let j = n; j > 0; j = pred[j]) routes.push(giant.slice(pred[j], j));
    return routes.reverse();
  }
}

/**
 * Joins neighbouring routes (in giant-tour order), always the pair with the fewest clients
 * together, until at most `k` remain. The last resort when no cut of the giant tour into `k`
 * routes stays within the scan's limits (1.5 × capacity, 1.5 × max stops): the routes come out
 * overloaded, the penalties price that, and the search repairs it.
 */
export function mergeToAtMost(routes: Int32Array[], k: number): Int32Array[] {
  const out = routes.slice();
  while (out.length > Math.max(1, k)) {
    let best = 0;
    for (let i = 1; i + 1 < out.length; i++) if (out[i].length + out[i + 1].length < out[best].length + out[best + 1].length) best = i;
    const joined = new Int32Array(out[best].length + out[best + 1].length);
    joined.set(out[best], 0);
    joined.set(out[best + 1], out[best].length);
    out.splice(best, 2, joined);
  }
  return out;
}
