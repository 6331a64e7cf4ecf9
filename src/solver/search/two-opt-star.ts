/**
 * 2-opt*: exchange the tails of two routes after u and after v (u, v may be start depots), HGS
 * move 9. The routes keep their own depots; only clients move.
 */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';

export const twoOptStar: NodeOperator = {
  name: 'two-opt-star',
  scope: 'inter',
  evaluate(ls: LocalSearch, u: number, v: number): number {
    const ru = ls.routeOf[u]!;
    const rv = ls.routeOf[v]!;
    if (ru === rv) return Infinity;
    if (u >= ls.n + ls.R || v >= ls.n + ls.R) return Infinity;
    const nu = ls.next[u]!;
    const nv = ls.next[v]!;
    const inst = ls.inst;
    if (ls.fastCvrp) {
      const M = ls.M;
      const dd = inst.dist;
      const mu = ls.mIdx(u);
      const mv = ls.mIdx(v);
      const mnu = ls.mIdx(nu);
      const mnv = ls.mIdx(nv);
      const distDelta = dd[mu * M + mnv]! + dd[mv * M + mnu]! - dd[mu * M + mnu]! - dd[mv * M + mnv]!;
      const sizeU = ls.pos[u]! + ls.size[rv]! + 1 - ls.pos[nv]!;
      const sizeV = ls.pos[v]! + ls.size[ru]! + 1 - ls.pos[nu]!;
      const used = (sizeU > 0 ? 1 : 0) + (sizeV > 0 ? 1 : 0) - (ls.size[ru]! > 0 ? 1 : 0) - (ls.size[rv]! > 0 ? 1 : 0);
      // U keeps prefix(u) and receives V's tail (prefix(eV) − prefix(v)), and vice versa
      if (ls.bounded && inst.cpd * distDelta + used * inst.fixed >= ls.routePenalty[ru]! + ls.routePenalty[rv]!) return Infinity;
      const eU = ls.endDepot(ru);
      const eV = ls.endDepot(rv);
      return inst.cpd * distDelta + used * inst.fixed + ls.loadDelta(ru, u, eU, v, eV) + ls.loadDelta(rv, v, eV, u, eU);
    }
    if (inst.cdu === 0) {
      const M = ls.M;
      const dd = inst.dist;
      const mu = ls.mIdx(u);
      const mv = ls.mIdx(v);
      const mnu = ls.mIdx(nu);
      const mnv = ls.mIdx(nv);
      const distDelta = dd[mu * M + mnv]! + dd[mv * M + mnu]! - dd[mu * M + mnu]! - dd[mv * M + mnv]!;
      const sizeU = ls.pos[u]! + ls.size[rv]! + 1 - ls.pos[nv]!;
      const sizeV = ls.pos[v]! + ls.size[ru]! + 1 - ls.pos[nu]!;
      const used = (sizeU > 0 ? 1 : 0) + (sizeV > 0 ? 1 : 0) - (ls.size[ru]! > 0 ? 1 : 0) - (ls.size[rv]! > 0 ? 1 : 0);
      if (inst.cpd * distDelta + used * inst.fixed - ls.routePenalty[ru]! - ls.routePenalty[rv]! >= 0) return Infinity;
    }
    ls.setFwd(u);
    ls.addBwd(nv);
    const c1 = ls.accCost();
    ls.setFwd(v);
    ls.addBwd(nu);
    return c1 + ls.accCost() - ls.routeCost[ru]! - ls.routeCost[rv]!;
  },
  apply(ls: LocalSearch, u: number, v: number): void {
    const ru = ls.routeOf[u]!;
    const rv = ls.routeOf[v]!;
    const eu = ls.endDepot(ru);
    const ev = ls.endDepot(rv);
    const nu = ls.next[u]!;
    const nv = ls.next[v]!;
    const lastU = ls.prev[eu]!;
    const lastV = ls.prev[ev]!;
    const tailU = nu !== eu;
    const tailV = nv !== ev;
    if (tailV) {
      ls.next[u] = nv;
      ls.prev[nv] = u;
      ls.next[lastV] = eu;
      ls.prev[eu] = lastV;
    } else {
      ls.next[u] = eu;
      ls.prev[eu] = u;
    }
    if (tailU) {
      ls.next[v] = nu;
      ls.prev[nu] = v;
      ls.next[lastU] = ev;
      ls.prev[ev] = lastU;
    } else {
      ls.next[v] = ev;
      ls.prev[ev] = v;
    }
    ls.updateRoute(ru);
    ls.updateRoute(rv);
  },
};
