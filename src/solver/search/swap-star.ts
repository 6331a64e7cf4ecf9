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

  // route `to` as flat arrays for preprocess (insertion edges p→q), and V's clients for the
  // candidate loop: read once per evaluation instead of chasing the linked list per client
  const edgeP = new Int32Array(clients + 1);
  const edgeRowP = new Int32Array(clients + 1);
  const edgeQ = new Int32Array(clients + 1);
  const edgeGap = new Float64Array(clients + 1);
  const vId = new Int32Array(clients);
  const vDem = new Float64Array(clients);
  const vRem = new Float64Array(clients);
  // v's place in V (the edge prev(v)→next(v) it leaves) and v's three best places in U
  const vRowPrev = new Int32Array(clients);
  const vNextM = new Int32Array(clients);
  const vGap = new Float64Array(clients);
  const vTopP = new Int32Array(clients * 3);
  const vTopN = new Int32Array(clients * 3);
  const vTopC = new Float64Array(clients * 3);

  /** Fills the three cheapest insertion positions of every client of route `from` into route `to`. */
  const preprocess = (ls: LocalSearch, from: number, to: number): void => {
    const n = ls.n;
    const M = ls.M;
    const R = ls.R;
    const dd = ls.inst.dist;
    const next = ls.next;
    const prev = ls.prev;
    const mi = ls.mi;
    const stampTo = ls.lastModified[to];
    let edges = -1;
    for (let x = next[ls.startDepot(from)]; x < n; x = next[x]) {
      const mpx = mi[prev[x]];
      const mnx = mi[next[x]];
      removal[x] = dd[mpx * M + x] + dd[x * M + mnx] - dd[mpx * M + mnx];
      const slot = x * R + to;
      if (stamp[slot] === stampTo) continue;
      stamp[slot] = stampTo;
      if (edges < 0) {
        edges = 0;
        for (let p = ls.startDepot(to); ; p = next[p]) {
          const q = next[p];
          const mp = mi[p] * M;
          const mq = mi[q];
          edgeP[edges] = p;
          edgeRowP[edges] = mp;
          edgeQ[edges] = mq;
          edgeGap[edges] = dd[mp + mq];
          edges++;
          if (q >= n) break;
        }
      }
      let c0 = Infinity, c1 = Infinity, c2 = Infinity;
      let p0 = -1, p1 = -1, p2 = -1;
      const xRow = x * M;
      for (let i = 0; i < edges; i++) {
        const c = dd[edgeRowP[i] + x] + dd[xRow + edgeQ[i]] - edgeGap[i];
        if (c < c2) {
          const p = edgeP[i];
          if (c < c1) {
            c2 = c1; p2 = p1;
            if (c < c0) { c1 = c0; p1 = p0; c0 = c; p0 = p; } else { c1 = c; p1 = p; }
          } else { c2 = c; p2 = p; }
        }
      }
      const o = slot * 3;
      topCost[o] = c0; topCost[o + 1] = c1; topCost[o + 2] = c2;
      topPos[o] = p0; topPos[o + 1] = p1; topPos[o + 2] = p2;
    }
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
      const n = ls.n;
      const M = ls.M;
      const R = ls.R;
      const dd = inst.dist;
      const next = ls.next;
      const prev = ls.prev;
      const mi = ls.mi;
      const cpd = inst.cpd;
      // V's clients with what the pair loop needs of each: demand, removal gain, the edge it
      // leaves, and its three cached places in U with the node after each
      let nV = 0;
      for (let v = next[ls.startDepot(rv)]; v < n; v = next[v]) {
        vId[nV] = v;
        vDem[nV] = D === 1 ? (del[v] > pick[v] ? del[v] : pick[v]) : 0;
        vRem[nV] = removal[v];
        const mpv = mi[prev[v]] * M;
        const mnv = mi[next[v]];
        vRowPrev[nV] = mpv;
        vNextM[nV] = mnv;
        vGap[nV] = dd[mpv + mnv];
        const o = (v * R + ru) * 3;
        for (let k = 0; k < 3; k++) {
          const p = topPos[o + k];
          vTopP[nV * 3 + k] = p;
          vTopN[nV * 3 + k] = p < 0 ? -1 : next[p];
          vTopC[nV * 3 + k] = topCost[o + k];
        }
        nV++;
      }
      for (let u = next[ls.startDepot(ru)]; u < n; u = next[u]) {
        const du0 = D === 1 ? Math.max(del[u], pick[u]) : 0;
        const a = lu0 - du0 - cap0;
        const b = lv0 + du0 - cap0;
        const remU = removal[u];
        // u's place in U and its three cached places in V
        const mpu = mi[prev[u]] * M;
        const mnu = mi[next[u]];
        const uGap = dd[mpu + mnu];
        const uRow = u * M;
        const ou = (u * R + rv) * 3;
        const up0 = topPos[ou], up1 = topPos[ou + 1], up2 = topPos[ou + 2];
        const un0 = up0 < 0 ? -1 : next[up0], un1 = up1 < 0 ? -1 : next[up1], un2 = up2 < 0 ? -1 : next[up2];
        const uc0 = topCost[ou], uc1 = topCost[ou + 1], uc2 = topCost[ou + 2];
        for (let j = 0; j < nV; j++) {
          const v = vId[j];
          let loadDelta = 0;
          if (D === 1) {
            const dv = vDem[j];
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
          let delta = wLoad * loadDelta - remU - vRem[j];
          // insertion costs are >= 0 under the triangle inequality: nothing to gain here
          if (delta >= 0) continue;
          // The cheapest place for u in V once v is out: v's own place, or the first of u's
          // cached places that is not next to v when it is cheaper (the same for v in U).
          const mpv = vRowPrev[j];
          const mnv = vNextM[j];
          let insU = dd[mpv + u] + dd[uRow + mnv] - vGap[j];
          let pu = prev[v];
          if (up0 >= 0) {
            if (up0 !== v && un0 !== v) {
              if (uc0 < insU) { insU = uc0; pu = up0; }
            } else if (up1 >= 0) {
              if (up1 !== v && un1 !== v) {
                if (uc1 < insU) { insU = uc1; pu = up1; }
              } else if (up2 >= 0 && up2 !== v && un2 !== v && uc2 < insU) { insU = uc2; pu = up2; }
            }
          }
          delta += insU;
          let insV = dd[mpu + v] + dd[v * M + mnu] - uGap;
          let pv = prev[u];
          const jo = j * 3;
          for (let k = 0; k < 3; k++) {
            const p = vTopP[jo + k];
            if (p < 0) break;
            if (p === u || vTopN[jo + k] === u) continue;
            if (vTopC[jo + k] < insV) {
              insV = vTopC[jo + k];
              pv = p;
            }
            break;
          }
          delta += insV;
          delta *= cpd;
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
