/**
 * SWAP* (Vidal 2022): exchange u ∈ U and v ∈ V, each re-inserted at its best position of the other
 * route rather than in the other's place. Candidates are ranked on distance and a load estimate
 * using each client's three cheapest insertion positions; the best candidate is then priced exactly
 * by concatenation (time windows included) before it is accepted.
 */
import type { LocalSearch } from './local-search.ts';
import type { RouteOperator } from './operator.ts';

/**
 * `relocations`: also consider moving one client of U to its best place in V (or one of V to U)
 * alone, as HGS-CVRP's SWAP* does; the insertion places are already known, so it costs little.
 */
export function makeSwapStar(clients: number, routes: number, relocations = false): RouteOperator {
  // top-3 insertion (cost, after-node) of every client into every route, cached until that route
  // changes (stamp = the route's lastModified when computed)
  const topCost = new Float64Array(clients * routes * 3);
  const topPos = new Int32Array(clients * routes * 3);
  const stamp = new Int32Array(clients * routes);
  const removal = new Float64Array(clients);
  let bestU = -1;
  let bestV = -1;
  let bestPU = -1;
  let bestPV = -1;
  // the routes of the last evaluation (one of bestU / bestV is -1 for a relocation)
  let curU = -1;
  let curV = -1;

  /** Fills the three cheapest insertion positions of every client of route `from` into route `to`. */
  const preprocess = (ls: LocalSearch, from: number, to: number): void => {
    const n = ls.n;
    const M = ls.M;
    const R = ls.R;
    const dd = ls.inst.dist;
    const next = ls.next;
    const prev = ls.prev;
    const mi = ls.mi;
    const sTo = ls.startDepot(to);
    const stampTo = ls.lastModified[to];
    for (let x = next[ls.startDepot(from)]; x < n; x = next[x]) {
      const mpx = mi[prev[x]];
      const mnx = mi[next[x]];
      removal[x] = dd[mpx * M + x] + dd[x * M + mnx] - dd[mpx * M + mnx];
      const slot = x * R + to;
      if (stamp[slot] === stampTo) continue;
      stamp[slot] = stampTo;
      let c0 = Infinity, c1 = Infinity, c2 = Infinity;
      let p0 = -1, p1 = -1, p2 = -1;
      const xRow = x * M;
      for (let p = sTo; ; p = next[p]) {
        const q = next[p];
        const mp = mi[p] * M;
        const mq = mi[q];
        const c = dd[mp + x] + dd[xRow + mq] - dd[mp + mq];
        if (c < c2) {
          if (c < c1) {
            c2 = c1; p2 = p1;
            if (c < c0) { c1 = c0; p1 = p0; c0 = c; p0 = p; } else { c1 = c; p1 = p; }
          } else { c2 = c; p2 = p; }
        }
        if (q >= n) break;
      }
      const o = slot * 3;
      topCost[o] = c0; topCost[o + 1] = c1; topCost[o + 2] = c2;
      topPos[o] = p0; topPos[o + 1] = p1; topPos[o + 2] = p2;
    }
  };

  /** Cheapest place for x in the route of y once y is removed: a cached position not next to y, or y's place. */
  let chosenPos = -1;
  const bestInsert = (ls: LocalSearch, x: number, y: number, routeY: number): number => {
    const M = ls.M;
    const dd = ls.inst.dist;
    const py = ls.prev[y];
    const mpy = ls.mi[py] * M;
    const mny = ls.mi[ls.next[y]];
    let cost = dd[mpy + x] + dd[x * M + mny] - dd[mpy + mny];
    chosenPos = py;
    const o = (x * ls.R + routeY) * 3;
    for (let k = 0; k < 3; k++) {
      const p = topPos[o + k];
      if (p < 0) break;
      if (p === y || ls.next[p] === y) continue;
      if (topCost[o + k] < cost) {
        cost = topCost[o + k];
        chosenPos = p;
      }
      break;
    }
    return cost;
  };

  /** Appends route r without `out` and with `ins` after `after` to the accumulator (after = node of r, not `out`). */
  const build = (ls: LocalSearch, out: number, ins: number, after: number): void => {
    if (after === ls.prev[out]) {
      ls.setFwd(after);
      ls.addNode(ins);
      ls.addBwd(ls.next[out]);
    } else if (ls.pos[after] < ls.pos[out]) {
      ls.setFwd(after);
      ls.addNode(ins);
      ls.addRange(ls.next[after], ls.prev[out]);
      ls.addBwd(ls.next[out]);
    } else {
      ls.setFwd(ls.prev[out]);
      ls.addRange(ls.next[out], after);
      ls.addNode(ins);
      ls.addBwd(ls.next[after]);
    }
  };

  /** Cost of x's route without x plus the cost of the other route with x after `after`. */
  const relocationCost = (ls: LocalSearch, x: number, after: number): number => {
    ls.setFwd(ls.prev[x]);
    ls.addBwd(ls.next[x]);
    const cFrom = ls.accCost();
    ls.setFwd(after);
    ls.addNode(x);
    ls.addBwd(ls.next[after]);
    return cFrom + ls.accCost();
  };

  return {
    name: 'swap-star',
    evaluate(ls: LocalSearch, ru: number, rv: number): number {
      preprocess(ls, ru, rv);
      preprocess(ls, rv, ru);
      const inst = ls.inst;
      const D = ls.D;
      const eU = ls.endDepot(ru);
      const eV = ls.endDepot(rv);
      // load estimate: deliveries and pickups summed per dimension
      let bestDelta = 0;
      bestU = -1;
      bestV = -1;
      const cap0 = inst.cap[0];
      const lu0 = ls.fwd.maxLoad[eU * D];
      const lv0 = ls.fwd.maxLoad[eV * D];
      // D = 1: excess of U' = max(0, a + dv) and of V' = max(0, b - dv), a and b fixed per u
      const excessBefore = Math.max(0, lu0 - cap0) + Math.max(0, lv0 - cap0);
      const wLoad = ls.wLoad;
      const del = inst.del;
      const pick = inst.pick;
      for (let u = ls.next[ls.startDepot(ru)]; u < ls.n; u = ls.next[u]) {
        const du0 = D === 1 ? Math.max(del[u], pick[u]) : 0;
        const a = lu0 - du0 - cap0;
        const b = lv0 + du0 - cap0;
        const remU = removal[u];
        for (let v = ls.next[ls.startDepot(rv)]; v < ls.n; v = ls.next[v]) {
          let loadDelta = 0;
          if (D === 1) {
            const dv = del[v] > pick[v] ? del[v] : pick[v];
            const xu = a + dv;
            const xv = b - dv;
            loadDelta = (xu > 0 ? xu : 0) + (xv > 0 ? xv : 0) - excessBefore;
          } else {
            for (let q = 0; q < D; q++) {
              const du = Math.max(inst.del[u * D + q], inst.pick[u * D + q]);
              const dv = Math.max(inst.del[v * D + q], inst.pick[v * D + q]);
              const lu = ls.fwd.maxLoad[eU * D + q];
              const lv = ls.fwd.maxLoad[eV * D + q];
              const cap = inst.cap[q];
              loadDelta += Math.max(0, lu - du + dv - cap) - Math.max(0, lu - cap) + Math.max(0, lv - dv + du - cap) - Math.max(0, lv - cap);
            }
          }
          let delta = wLoad * loadDelta - remU - removal[v];
          // insertion costs are >= 0 under the triangle inequality: nothing to gain here
          if (delta >= 0) continue;
          delta += bestInsert(ls, u, v, rv);
          const pu = chosenPos;
          delta += bestInsert(ls, v, u, ru);
          const pv = chosenPos;
          delta *= inst.cpd;
          if (delta < bestDelta) {
            bestDelta = delta;
            bestU = u;
            bestV = v;
            bestPU = pu; // u goes after pu in V
            bestPV = pv; // v goes after pv in U
          }
        }
      }
      // Relocations U → V and V → U come at no extra cost: the best insertion places are known
      // (HGS-CVRP includes them in SWAP* too; the granular relocate may not reach them).
      const R = ls.R;
      for (let side = 0; side < (relocations ? 2 : 0); side++) {
        const from = side === 0 ? ru : rv;
        const eFrom = side === 0 ? eU : eV;
        const eTo = side === 0 ? eV : eU;
        const to = side === 0 ? rv : ru;
        for (let x = ls.next[ls.startDepot(from)]; x < ls.n; x = ls.next[x]) {
          let loadDelta = 0;
          for (let q = 0; q < D; q++) {
            const dx = Math.max(inst.del[x * D + q], inst.pick[x * D + q]);
            const lf = ls.fwd.maxLoad[eFrom * D + q];
            const lt = ls.fwd.maxLoad[eTo * D + q];
            const cap = inst.cap[q];
            loadDelta += Math.max(0, lf - dx - cap) - Math.max(0, lf - cap) + Math.max(0, lt + dx - cap) - Math.max(0, lt - cap);
          }
          const o = (x * R + to) * 3;
          const delta = (ls.wLoad * loadDelta - removal[x] + topCost[o]) * inst.cpd;
          if (delta < bestDelta) {
            bestDelta = delta;
            bestU = side === 0 ? x : -1;
            bestV = side === 0 ? -1 : x;
            if (side === 0) bestPU = topPos[o];
            else bestPV = topPos[o];
          }
        }
      }
      curU = ru;
      curV = rv;
      if (bestU < 0 && bestV < 0) return Infinity;
      if (bestV < 0) return relocationCost(ls, bestU, bestPU) - ls.routeCost[ru] - ls.routeCost[rv];
      if (bestU < 0) return relocationCost(ls, bestV, bestPV) - ls.routeCost[ru] - ls.routeCost[rv];
      build(ls, bestU, bestV, bestPV);
      const cU = ls.accCost();
      build(ls, bestV, bestU, bestPU);
      const cV = ls.accCost();
      return cU + cV - ls.routeCost[ru] - ls.routeCost[rv];
    },
    apply(ls: LocalSearch): void {
      if (bestU >= 0) ls.unlink(bestU);
      if (bestV >= 0) ls.unlink(bestV);
      if (bestV >= 0) ls.insertAfter(bestV, bestPV);
      if (bestU >= 0) ls.insertAfter(bestU, bestPU);
      ls.updateRoute(curU);
      ls.updateRoute(curV);
    },
  };
}
