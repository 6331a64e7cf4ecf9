/** A solution in the genetic search: routes, giant tour, and successor/predecessor arrays for diversity. */
import type { LsInstance } from './search/instance.ts';
import { penalty } from './search/instance.ts';

export interface Proximity {
  d: number;
  ind: Individual;
}

export class Individual {
  routes: Int32Array[];
  readonly giant: Int32Array;
  readonly succ: Int32Array;
  readonly pred: Int32Array;
  /** Cost without penalties, and the excesses the penalties apply to. */
  pure: number;
  loadExcess: number;
  timeExcess: number;
  penalised = 0;
  fitness = 0;
  proximity: Proximity[] = [];

  constructor(inst: LsInstance, routes: Int32Array[], pure: number, loadExcess: number, timeExcess: number) {
    const n = inst.n;
    this.routes = orderRoutes(inst, routes);
    this.pure = pure;
    this.loadExcess = loadExcess;
    this.timeExcess = timeExcess;
    this.giant = new Int32Array(n);
    this.succ = new Int32Array(n);
    this.pred = new Int32Array(n);
    let k = 0;
    for (const r of this.routes) {
      for (let i = 0; i < r.length; i++) {
        const x = r[i];
        this.giant[k++] = x;
        this.pred[x] = i === 0 ? n : r[i - 1];
        this.succ[x] = i === r.length - 1 ? n : r[i + 1];
      }
    }
  }

  get feasible(): boolean {
    return this.loadExcess === 0 && this.timeExcess === 0;
  }

  reprice(wLoad: number, wTime: number): void {
    this.penalised = this.pure + penalty(wLoad, this.loadExcess) + penalty(wTime, this.timeExcess);
  }

  avgClosest(count: number): number {
    const m = Math.min(count, this.proximity.length);
    if (m === 0) return 0;
    let s = 0;
    for (let i = 0; i < m; i++) s += this.proximity[i].d;
    return s / m;
  }
}

/**
 * Order routes into a good giant tour without coordinates: chain each route to the unused route
 * whose first client is nearest to the current route's last client.
 */
function orderRoutes(inst: LsInstance, routes: Int32Array[]): Int32Array[] {
  const M = inst.n + 2;
  const left = routes.filter((r) => r.length > 0);
  const out: Int32Array[] = [];
  let last = inst.n;
  while (left.length > 0) {
    let best = 0;
    let bd = Infinity;
    for (let i = 0; i < left.length; i++) {
      const d = inst.dist[last * M + left[i][0]];
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    const r = left.splice(best, 1)[0];
    out.push(r);
    last = r[r.length - 1];
  }
  return out;
}

/** Broken-pairs distance (Vidal 2022): share of clients whose neighbours differ. */
export function brokenPairs(a: Individual, b: Individual, n: number): number {
  let diff = 0;
  for (let j = 0; j < n; j++) {
    if (a.succ[j] !== b.succ[j] && a.succ[j] !== b.pred[j]) diff++;
    if (a.pred[j] === n && b.pred[j] !== n && b.pred[j] !== b.succ[j]) diff++;
  }
  return diff / n;
}
