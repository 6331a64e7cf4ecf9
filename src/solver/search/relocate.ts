/**
 * Relocate: move a chain of `length` consecutive clients starting at u to just after v (v may be
 * a start depot), optionally reversed (HGS moves 1, 2 and 3).
 */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';

export function makeRelocate(length: number, reversed = false): NodeOperator {
  const chain = new Int32Array(length);
  return {
    name: `relocate${length}${reversed ? 'r' : ''}`,
    evaluate(ls: LocalSearch, u: number, v: number): number {
      const n = ls.n;
      if (u >= n || v === u) return Infinity;
      let uEnd = u;
      for (let i = 1; i < length; i++) {
        uEnd = ls.next[uEnd];
        if (uEnd >= n || uEnd === v) return Infinity;
      }
      const ru = ls.routeOf[u];
      const rv = ls.routeOf[v];
      const pu = ls.prev[u];
      if (v === pu) return Infinity;
      if (ru === rv && ls.pos[v] >= ls.pos[u] && ls.pos[v] <= ls.pos[uEnd]) return Infinity;
      const nu = ls.next[uEnd];
      const nv = ls.next[v];
      const inst = ls.inst;
      const M = ls.M;
      const first = reversed ? uEnd : u;
      const last = reversed ? u : uEnd;
      const mpu = ls.mIdx(pu);
      const mnu = ls.mIdx(nu);
      const mv = ls.mIdx(v);
      const mnv = ls.mIdx(nv);
      const dd = inst.dist;
      if (ls.fastCvrp && (!reversed || inst.symmetric)) {
        let distDelta = dd[mpu * M + mnu] - dd[mpu * M + u] - dd[uEnd * M + mnu] + dd[mv * M + first] + dd[last * M + mnv] - dd[mv * M + mnv];
        if (ru === rv && nu === v) {
          distDelta = dd[mpu * M + mv] + dd[mv * M + first] + dd[last * M + mnv] - dd[mpu * M + u] - dd[uEnd * M + mv] - dd[mv * M + mnv];
        }
        if (ru === rv) return inst.cpd * distDelta;
        let fixedDelta = 0;
        if (ls.size[ru] === length) fixedDelta -= inst.fixed;
        if (ls.size[rv] === 0) fixedDelta += inst.fixed;
        // the load penalties can at best fall to zero (HGS-CVRP's early exit)
        if (ls.bounded && inst.cpd * distDelta + fixedDelta >= ls.routePenalty[ru] + ls.routePenalty[rv]) return Infinity;
        // chain deliveries = prefix(uEnd) − prefix(pu): they leave U and arrive in V
        return inst.cpd * distDelta + fixedDelta + ls.loadDelta(ru, pu, uEnd, pu, pu) + ls.loadDelta(rv, pu, pu, pu, uEnd);
      }
      if (inst.cdu === 0 && (!reversed || inst.symmetric)) {
        let distDelta = dd[mpu * M + mnu] - dd[mpu * M + u] - dd[uEnd * M + mnu] + dd[mv * M + first] + dd[last * M + mnv] - dd[mv * M + mnv];
        if (ru === rv && nu === v) {
          // pu, [chain], v, nv  ->  pu, v, [chain], nv
          distDelta = dd[mpu * M + mv] + dd[mv * M + first] + dd[last * M + mnv] - dd[mpu * M + u] - dd[uEnd * M + mv] - dd[mv * M + mnv];
        }
        let fixedDelta = 0;
        if (ru !== rv) {
          if (ls.size[ru] === length) fixedDelta -= inst.fixed;
          if (ls.size[rv] === 0) fixedDelta += inst.fixed;
        }
        const pen = ru === rv ? ls.routePenalty[ru] : ls.routePenalty[ru] + ls.routePenalty[rv];
        if (inst.cpd * distDelta + fixedDelta - pen >= 0) return Infinity;
      }
      if (ru !== rv) {
        ls.setFwd(pu);
        ls.addBwd(nu);
        const cu = ls.accCost();
        ls.setFwd(v);
        if (reversed) ls.addRangeReversed(u, uEnd);
        else ls.addRange(u, uEnd);
        ls.addBwd(nv);
        return cu + ls.accCost() - ls.routeCost[ru] - ls.routeCost[rv];
      }
      if (ls.pos[v] > ls.pos[uEnd]) {
        ls.setFwd(pu);
        ls.addRange(nu, v);
        if (reversed) ls.addRangeReversed(u, uEnd);
        else ls.addRange(u, uEnd);
        ls.addBwd(nv);
      } else {
        ls.setFwd(v);
        if (reversed) ls.addRangeReversed(u, uEnd);
        else ls.addRange(u, uEnd);
        ls.addRange(nv, pu);
        ls.addBwd(nu);
      }
      return ls.accCost() - ls.routeCost[ru];
    },
    apply(ls: LocalSearch, u: number, v: number): void {
      const ru = ls.routeOf[u];
      const rv = ls.routeOf[v];
      let x = u;
      for (let i = 0; i < length; i++) {
        chain[i] = x;
        x = ls.next[x];
      }
      for (let i = 0; i < length; i++) ls.unlink(chain[i]);
      let a = v;
      for (let i = 0; i < length; i++) {
        const c = reversed ? chain[length - 1 - i] : chain[i];
        ls.insertAfter(c, a);
        a = c;
      }
      ls.updateRoute(ru);
      if (rv !== ru) ls.updateRoute(rv);
    },
  };
}
