/**
 * A necessary time condition for inserting a node into a single-trip route, shared by the two
 * insertion heuristics (SISR's recreate and route elimination's ejection pool). Both price many
 * candidate places per request with the exact evaluator; this O(1) check rejects places where
 * the node cannot start in time or would make its successor late, before that pricing. Sound with
 * several windows too: the latest starts use the hull of each node's windows.
 */
import type { Data } from './data.ts';

export class InsertionTimeBounds {
  /** Earliest service start and latest allowed start per position of the prepared route. */
  readonly #es: Float64Array;
  readonly #ls: Float64Array;

  /** `capacity`: the longest route it will be asked to prepare. */
  constructor(capacity: number) {
    this.#es = new Float64Array(capacity);
    this.#ls = new Float64Array(capacity);
  }

  /** Prepares route[0..n) for vehicle v; false when the condition does not apply (multi-trip). */
  prepare(d: Data, v: number, route: ArrayLike<number>, n: number): boolean {
    if (d.vTrips[v] > 1) return false;
    const L = d.L;
    const dur = d.dur[d.vProfile[v]];
    const es = this.#es;
    const ls = this.#ls;
    let t = d.vEarly[v];
    let prev = d.vStart[v];
    for (let k = 0; k < n; k++) {
      const x = route[k];
      t += dur[prev * L + d.loc[x]];
      const w1 = d.twOff[x + 1];
      let w = d.twOff[x];
      while (w < w1 && d.twEnd[w] < t) w++;
      if (w < w1 && t < d.twStart[w]) t = d.twStart[w];
      es[k] = t;
      t += d.service[x];
      prev = d.loc[x];
    }
    let latest = d.vLate[v];
    let next = d.vEnd[v];
    for (let k = n - 1; k >= 0; k--) {
      const x = route[k];
      latest = Math.min(d.late[x], latest - d.service[x] - dur[d.loc[x] * L + next]);
      ls[k] = latest;
      next = d.loc[x];
    }
    return true;
  }

  /** Node x inserted before position i of the prepared route[0..n) can start in time, and so can what follows. */
  fits(d: Data, v: number, route: ArrayLike<number>, n: number, i: number, x: number): boolean {
    const L = d.L;
    const dur = d.dur[d.vProfile[v]];
    const lx = d.loc[x];
    let depart: number;
    let from: number;
    if (i === 0) {
      depart = d.vEarly[v];
      from = d.vStart[v];
    } else {
      const p = route[i - 1];
      depart = this.#es[i - 1] + d.service[p];
      from = d.loc[p];
    }
    const arr = depart + dur[from * L + lx];
    if (arr > d.late[x]) return false;
    const start = Math.max(arr, d.early[x]);
    const to = i === n ? d.vEnd[v] : d.loc[route[i]];
    const arrNext = start + d.service[x] + dur[lx * L + to];
    return arrNext <= (i === n ? d.vLate[v] : this.#ls[i]);
  }
}
