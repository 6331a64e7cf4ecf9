/**
 * 2-opt* with reversal (HGS move 8): replace arcs (u, next u) and (v, next v) of two routes by
 * (u, v) and (next u, next v), so U becomes start..u + reversed(start..v of V) and V becomes
 * reversed(next u..end of U) + next v..end. Only for symmetric matrices in the pure-capacity regime
 * (reversing a route section with time windows is not a concatenation of stored segments).
 */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';
import { link, linkReversed } from './two-opt.ts';

export function makeTwoOptStarReversed(nodes: number): NodeOperator {
  const headV = new Int32Array(nodes);
  const tailU = new Int32Array(nodes);
  return {
    name: 'two-opt-star-reversed',
    scope: 'inter',
    depotV: false,
    evaluate(ls: LocalSearch, u: number, v: number): number {
      if (!ls.fastCvrp || !ls.inst.symmetric) return Infinity;
      const n = ls.n;
      if (u >= n || v >= n) return Infinity;
      const ru = ls.routeOf[u];
      const rv = ls.routeOf[v];
      if (ru === rv) return Infinity;
      const inst = ls.inst;
      const M = ls.M;
      const dd = inst.dist;
      const nu = ls.next[u];
      const nv = ls.next[v];
      const mnu = ls.mIdx(nu);
      const mnv = ls.mIdx(nv);
      const distDelta = dd[u * M + v] + dd[mnu * M + mnv] - dd[u * M + mnu] - dd[v * M + mnv];
      const sizeV = ls.size[ru] - ls.pos[u] + ls.size[rv] - ls.pos[v];
      const used = (sizeV > 0 ? 1 : 0) - (ls.size[rv] > 0 ? 1 : 0);
      if (ls.bounded && inst.cpd * distDelta + used * inst.fixed >= ls.routePenalty[ru] + ls.routePenalty[rv]) return Infinity;
      const eU = ls.endDepot(ru);
      // U' = prefix(u) + prefix(v); V' = (U after u) + (V after v)
      const sV = ls.startDepot(rv);
      return inst.cpd * distDelta + used * inst.fixed + ls.loadDelta(ru, u, eU, sV, v) + ls.loadDelta(rv, sV, v, u, eU);
    },
    apply(ls: LocalSearch, u: number, v: number): void {
      const ru = ls.routeOf[u];
      const rv = ls.routeOf[v];
      const sV = ls.startDepot(rv);
      const eU = ls.endDepot(ru);
      let h = 0;
      for (let x = ls.next[sV]; ; x = ls.next[x]) {
        headV[h++] = x;
        if (x === v) break;
      }
      let t = 0;
      for (let x = ls.next[u]; x !== eU; x = ls.next[x]) tailU[t++] = x;
      const nv = ls.next[v];
      // U: ..u, then head of V reversed, then U's end depot
      link(ls, linkReversed(ls, u, headV, h), eU);
      // V: start, tail of U reversed, then V from nv
      link(ls, linkReversed(ls, sV, tailU, t), nv);
      ls.updateRoute(ru);
      ls.updateRoute(rv);
    },
  };
}
