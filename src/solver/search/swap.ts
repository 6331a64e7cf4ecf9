/**
 * Swap: exchange a chain of `lengthU` clients starting at u with a chain of `lengthV` clients
 * starting at v (HGS moves 4, 5 and 6).
 */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';

export function makeSwap(lengthU: number, lengthV: number): NodeOperator {
  const cu = new Int32Array(lengthU);
  const cv = new Int32Array(lengthV);
  return {
    name: `swap${lengthU}${lengthV}`,
    depotV: false,
    evaluate(ls: LocalSearch, u: number, v: number): number {
      const n = ls.n;
      if (u >= n || v >= n || u === v) return Infinity;
      if (lengthU === lengthV && u > v && ls.routeOf[u] === ls.routeOf[v]) return Infinity;
      let uEnd = u;
      for (let i = 1; i < lengthU; i++) {
        uEnd = ls.next[uEnd];
        if (uEnd >= n) return Infinity;
      }
      let vEnd = v;
      for (let i = 1; i < lengthV; i++) {
        vEnd = ls.next[vEnd];
        if (vEnd >= n) return Infinity;
      }
      const ru = ls.routeOf[u];
      const rv = ls.routeOf[v];
      const pu = ls.prev[u];
      const nu = ls.next[uEnd];
      const pv = ls.prev[v];
      const nv = ls.next[vEnd];
      const inst = ls.inst;
      if (ls.fastCvrp) {
        const M = ls.M;
        const dd = inst.dist;
        const mpu = ls.mIdx(pu);
        const mnu = ls.mIdx(nu);
        const mpv = ls.mIdx(pv);
        const mnv = ls.mIdx(nv);
        if (ru !== rv) {
          const distDelta = chainSwapDistDelta(ls, u, uEnd, v, vEnd, pu, nu, pv, nv);
          if (ls.bounded && inst.cpd * distDelta >= ls.routePenalty[ru] + ls.routePenalty[rv]) return Infinity;
          return inst.cpd * distDelta + ls.loadDelta(ru, pu, uEnd, pv, vEnd) + ls.loadDelta(rv, pv, vEnd, pu, uEnd);
        }
        // Same route, load unchanged, nothing reversed: only the arcs around the chains change.
        if (ls.pos[uEnd] < ls.pos[v] || ls.pos[vEnd] < ls.pos[u]) {
          let distDelta: number;
          if (nu === v) {
            // pu [u..uEnd][v..vEnd] nv  →  pu [v..vEnd][u..uEnd] nv
            distDelta = dd[mpu * M + v] + dd[vEnd * M + u] + dd[uEnd * M + mnv] - dd[mpu * M + u] - dd[uEnd * M + v] - dd[vEnd * M + mnv];
          } else if (nv === u) {
            // pv [v..vEnd][u..uEnd] nu  →  pv [u..uEnd][v..vEnd] nu
            distDelta = dd[mpv * M + u] + dd[uEnd * M + v] + dd[vEnd * M + mnu] - dd[mpv * M + v] - dd[vEnd * M + u] - dd[uEnd * M + mnu];
          } else {
            // pu [u..uEnd] nu .. pv [v..vEnd] nv  →  pu [v..vEnd] nu .. pv [u..uEnd] nv (either order)
            distDelta = chainSwapDistDelta(ls, u, uEnd, v, vEnd, pu, nu, pv, nv);
          }
          return inst.cpd * distDelta;
        }
        return Infinity;
      }
      if (ru !== rv) {
        if (inst.cdu === 0) {
          const distDelta = chainSwapDistDelta(ls, u, uEnd, v, vEnd, pu, nu, pv, nv);
          if (inst.cpd * distDelta - ls.routePenalty[ru] - ls.routePenalty[rv] >= 0) return Infinity;
        }
        ls.setFwd(pu);
        ls.addRange(v, vEnd);
        ls.addBwd(nu);
        const c1 = ls.accCost();
        ls.setFwd(pv);
        ls.addRange(u, uEnd);
        ls.addBwd(nv);
        return c1 + ls.accCost() - ls.routeCost[ru] - ls.routeCost[rv];
      }
      if (ls.pos[uEnd] < ls.pos[v]) {
        ls.setFwd(pu);
        ls.addRange(v, vEnd);
        if (nu !== v) ls.addRange(nu, pv);
        ls.addRange(u, uEnd);
        ls.addBwd(nv);
      } else if (ls.pos[vEnd] < ls.pos[u]) {
        ls.setFwd(pv);
        ls.addRange(u, uEnd);
        if (nv !== u) ls.addRange(nv, pu);
        ls.addRange(v, vEnd);
        ls.addBwd(nu);
      } else return Infinity;
      return ls.accCost() - ls.routeCost[ru];
    },
    apply(ls: LocalSearch, u: number, v: number): void {
      const ru = ls.routeOf[u];
      const rv = ls.routeOf[v];
      let x = u;
      for (let i = 0; i < lengthU; i++) {
        cu[i] = x;
        x = ls.next[x];
      }
      x = v;
      for (let i = 0; i < lengthV; i++) {
        cv[i] = x;
        x = ls.next[x];
      }
      const uEnd = cu[lengthU - 1];
      const vEnd = cv[lengthV - 1];
      let pu = ls.prev[u];
      let pv = ls.prev[v];
      // Adjacent chains: anchor on the node before the pair.
      if (ls.next[uEnd] === v) pv = pu;
      else if (ls.next[vEnd] === u) pu = pv;
      for (let i = 0; i < lengthU; i++) ls.unlink(cu[i]);
      for (let i = 0; i < lengthV; i++) ls.unlink(cv[i]);
      if (pu === pv) {
        // u-chain and v-chain were adjacent: the later one comes first now.
        let a = pu;
        const uFirst = ls.pos[u] < ls.pos[v];
        const A = uFirst ? cv : cu;
        const B = uFirst ? cu : cv;
        for (let i = 0; i < A.length; i++) {
          ls.insertAfter(A[i], a);
          a = A[i];
        }
        for (let i = 0; i < B.length; i++) {
          ls.insertAfter(B[i], a);
          a = B[i];
        }
      } else {
        let a = pu;
        for (let i = 0; i < lengthV; i++) {
          ls.insertAfter(cv[i], a);
          a = cv[i];
        }
        a = pv;
        for (let i = 0; i < lengthU; i++) {
          ls.insertAfter(cu[i], a);
          a = cu[i];
        }
      }
      ls.updateRoute(ru);
      if (rv !== ru) ls.updateRoute(rv);
    },
  };
}

/**
 * Distance change of putting chain v..vEnd between pu and nu and chain u..uEnd between pv and nv,
 * when the two chains are not adjacent (different routes, or apart in one route).
 */
function chainSwapDistDelta(ls: LocalSearch, u: number, uEnd: number, v: number, vEnd: number, pu: number, nu: number, pv: number, nv: number): number {
  const M = ls.M;
  const dd = ls.inst.dist;
  const mpu = ls.mIdx(pu);
  const mnu = ls.mIdx(nu);
  const mpv = ls.mIdx(pv);
  const mnv = ls.mIdx(nv);
  return dd[mpu * M + v] + dd[vEnd * M + mnu] + dd[mpv * M + u] + dd[uEnd * M + mnv]
    - dd[mpu * M + u] - dd[uEnd * M + mnu] - dd[mpv * M + v] - dd[vEnd * M + mnv];
}
