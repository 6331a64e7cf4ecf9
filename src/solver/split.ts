/**
 * Split (Prins 2004; Vidal 2022): cut a giant tour into routes at minimum penalised cost.
 * Bellman over the tour with a bounded look-back (a route stops growing once its load is far above
 * capacity); route costs use the same concatenation as the local search, so time windows and
 * duration are priced too. With a limited fleet, a layered version caps the number of routes.
 */
import type { LsInstance } from './search/local-search.ts';
import { penalisedCost } from './search/local-search.ts';

export class Split {
  readonly #inst: LsInstance;
  readonly #pot: Float64Array;
  readonly #pred: Int32Array;
  readonly #lm: Float64Array;
  readonly #lp: Float64Array;
  readonly #ld: Float64Array;
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
    this.#lm = new Float64Array(inst.D);
    this.#lp = new Float64Array(inst.D);
    this.#ld = new Float64Array(inst.D);
  }

  /** Cost of the route giant[i..j] for every j reachable from i, reported through `visit`. */
  #scan(giant: Int32Array, i: number, wLoad: number, wTime: number, visit: (j: number, cost: number) => void): void {
    const inst = this.#inst;
    const n = inst.n;
    const M = n + 2;
    const D = inst.D;
    const lm = this.#lm;
    const lp = this.#lp;
    const ld = this.#ld;
    lm.fill(0);
    lp.fill(0);
    ld.fill(0);
    let dist = 0;
    let dur = 0;
    let tw = 0;
    let E = inst.shiftEarly;
    let L = inst.shiftLate;
    let last = n;
    for (let j = i; j < n; j++) {
      const x = giant[j]!;
      const t = inst.time[last * M + x]!;
      dist += inst.dist[last * M + x]!;
      const delta = dur - tw + t;
      const dWT = Math.max(inst.early[x]! - delta - L, 0);
      const dTW = Math.max(E + delta - inst.late[x]!, 0);
      dur = dur + inst.service[x]! + t + dWT;
      tw += dTW;
      E = Math.max(inst.early[x]! - delta, E) - dWT;
      L = Math.min(inst.late[x]! - delta, L) + dTW;
      let over = false;
      for (let q = 0; q < D; q++) {
        const dl = inst.del[x * D + q]!;
        const pk = inst.pick[x * D + q]!;
        lm[q] = Math.max(lm[q]! + dl, lp[q]! + Math.max(dl, pk));
        ld[q] = ld[q]! + dl;
        lp[q] = lp[q]! + pk;
        if (lm[q]! > 1.5 * inst.cap[q]! + 1e-9 && j > i) over = true;
      }
      if (over || j - i + 1 > 1.5 * inst.maxStops + 1) break;
      last = x;
      // close with the end depot
      const te = inst.time[x * M + n + 1]!;
      const dd = dist + inst.dist[x * M + n + 1]!;
      const deltaE = dur - tw + te;
      const dTWe = Math.max(E + deltaE - inst.shiftLate, 0);
      const dWTe = Math.max(inst.shiftEarly - deltaE - L, 0);
      const cost = penalisedCost(inst, wLoad, wTime, dd, dur + te + dWTe, tw + dTWe, lm, 0, j - i + 1);
      visit(j, cost);
    }
  }

  run(giant: Int32Array, wLoad: number, wTime: number): Int32Array[] {
    const n = this.#inst.n;
    const pot = this.#pot;
    const pred = this.#pred;
    pot.fill(Infinity);
    pot[0] = 0;
    for (let i = 0; i < n; i++) {
      const base = pot[i]!;
      if (!Number.isFinite(base)) continue;
      this.#scan(giant, i, wLoad, wTime, (j, cost) => {
        if (base + cost < pot[j + 1]!) {
          pot[j + 1] = base + cost;
          pred[j + 1] = i;
        }
      });
    }
    let count = 0;
    for (let j = n; j > 0; j = pred[j]!) count++;
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
        const base = potK[k * W + i]!;
        if (!Number.isFinite(base)) continue;
        this.#scan(giant, i, wLoad, wTime, (j, cost) => {
          const idx = (k + 1) * W + j + 1;
          if (base + cost < potK[idx]!) {
            potK[idx] = base + cost;
            predK[idx] = i;
          }
        });
      }
    }
    let bestK = -1;
    let best = Infinity;
    for (let k = 1; k <= K; k++) {
      if (potK[k * W + n]! < best) {
        best = potK[k * W + n]!;
        bestK = k;
      }
    }
    if (bestK < 0) return mergeToAtMost(this.#extract(giant, pred, n), K);
    const routes: Int32Array[] = [];
    let j = n;
    for (let k = bestK; k > 0; k--) {
      const i = predK[k * W + j]!;
      routes.push(giant.slice(i, j));
      j = i;
    }
    return routes.reverse();
  }

  #extract(giant: Int32Array, pred: Int32Array, n: number): Int32Array[] {
    const routes: Int32Array[] = [];
    for (let j = n; j > 0; j = pred[j]!) routes.push(giant.slice(pred[j]!, j));
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
    for (let i = 1; i + 1 < out.length; i++) if (out[i]!.length + out[i + 1]!.length < out[best]!.length + out[best + 1]!.length) best = i;
    const joined = new Int32Array(out[best]!.length + out[best + 1]!.length);
    joined.set(out[best]!, 0);
    joined.set(out[best + 1]!, out[best]!.length);
    out.splice(best, 2, joined);
  }
  return out;
}
