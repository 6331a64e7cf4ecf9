/** 2-opt within a route: reverse the clients next(u)..v (u before v; u may be the start depot), HGS move 7. */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';

export function makeTwoOpt(maxClients: number): NodeOperator {
  const buf = new Int32Array(maxClients + 1);
  return {
    name: 'two-opt',
    scope: 'intra',
    depotV: false,
    evaluate(ls: LocalSearch, u: number, v: number): number {
      const ru = ls.routeOf[u];
      if (v >= ls.n || ls.routeOf[v] !== ru || ls.pos[u] >= ls.pos[v]) return Infinity;
      const nu = ls.next[u];
      if (nu === v) return Infinity;
      const nv = ls.next[v];
      const inst = ls.inst;
      if (ls.fastCvrp && inst.symmetric) {
        const M = ls.M;
        const dd = inst.dist;
        const mu = ls.mIdx(u);
        const mnv = ls.mIdx(nv);
        return inst.cpd * (dd[mu * M + v] + dd[nu * M + mnv] - dd[mu * M + nu] - dd[v * M + mnv]);
      }
      if (inst.cdu === 0 && inst.symmetric) {
        const M = ls.M;
        const dd = inst.dist;
        const mu = ls.mIdx(u);
        const mnv = ls.mIdx(nv);
        const distDelta = dd[mu * M + v] + dd[nu * M + mnv] - dd[mu * M + nu] - dd[v * M + mnv];
        if (inst.cpd * distDelta - ls.routePenalty[ru] >= 0) return Infinity;
      }
      ls.setFwd(u);
      ls.addRangeReversed(nu, v);
      ls.addBwd(nv);
      return ls.accCost() - ls.routeCost[ru];
    },
    apply(ls: LocalSearch, u: number, v: number): void {
      const ru = ls.routeOf[u];
      const nv = ls.next[v];
      let k = 0;
      for (let x = ls.next[u]; x !== nv; x = ls.next[x]) buf[k++] = x;
      link(ls, linkReversed(ls, u, buf, k), nv);
      ls.updateRoute(ru);
    },
  };
}

/** Makes b follow a. */
export function link(ls: LocalSearch, a: number, b: number): void {
  ls.next[a] = b;
  ls.prev[b] = a;
}

/** Links nodes[count − 1], …, nodes[0] one after another behind `after`; returns the last linked node. */
export function linkReversed(ls: LocalSearch, after: number, nodes: Int32Array, count: number): number {
  let a = after;
  for (let i = count - 1; i >= 0; i--) {
    link(ls, a, nodes[i]);
    a = nodes[i];
  }
  return a;
}
