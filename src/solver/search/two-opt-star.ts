/**
 * 2-opt*: exchange the tails of two routes after u and after v (u, v may be start depots), HGS
 * move 9. The routes keep their own depots; only clients move.
 */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';
import { link } from './two-opt.ts';

export const twoOptStar: NodeOperator = {
  name: 'two-opt-star',
  scope: 'inter',
  evaluate(ls: LocalSearch, u: number, v: number): number {
    const ru = ls.routeOf[u];
    const rv = ls.routeOf[v];
    if (ru === rv) return Infinity;
    if (u >= ls.n + ls.R || v >= ls.n + ls.R) return Infinity;
    const nu = ls.next[u];
    const nv = ls.next[v];
    const inst = ls.inst;
    if (ls.fastCvrp) {
      const arcs = tailExchangeArcCost(ls, u, v, nu, nv, ru, rv);
      // U keeps prefix(u) and receives V's tail (prefix(eV) − prefix(v)), and vice versa
      if (ls.bounded && arcs >= ls.routePenalty[ru] + ls.routePenalty[rv]) return Infinity;
      const eU = ls.endDepot(ru);
      const eV = ls.endDepot(rv);
      return arcs + ls.loadDelta(ru, u, eU, v, eV) + ls.loadDelta(rv, v, eV, u, eU);
    }
    // Lower bound when time costs nothing: the arcs' change less what the penalties could give back.
    if (inst.cdu === 0 && tailExchangeArcCost(ls, u, v, nu, nv, ru, rv) - ls.routePenalty[ru] - ls.routePenalty[rv] >= 0) return Infinity;
    ls.setFwd(u);
    ls.addBwd(nv);
    const c1 = ls.accCost();
    ls.setFwd(v);
    ls.addBwd(nu);
    return c1 + ls.accCost() - ls.routeCost[ru] - ls.routeCost[rv];
  },
  apply(ls: LocalSearch, u: number, v: number): void {
    const ru = ls.routeOf[u];
    const rv = ls.routeOf[v];
    const eu = ls.endDepot(ru);
    const ev = ls.endDepot(rv);
    const nu = ls.next[u];
    const nv = ls.next[v];
    const lastU = ls.prev[eu];
    const lastV = ls.prev[ev];
    const tailU = nu !== eu;
    const tailV = nv !== ev;
    // U: ..u, then V's tail (if any), then U's end depot; V likewise with U's tail.
    if (tailV) {
      link(ls, u, nv);
      link(ls, lastV, eu);
    } else link(ls, u, eu);
    if (tailU) {
      link(ls, v, nu);
      link(ls, lastU, ev);
    } else link(ls, v, ev);
    ls.updateRoute(ru);
    ls.updateRoute(rv);
  },
};

/**
 * Distance and fixed-cost change of exchanging the tails after u and after v: arcs (u, nu) and
 * (v, nv) become (u, nv) and (v, nu), and a route left empty (or newly used) frees (costs) its
 * fixed cost.
 */
function tailExchangeArcCost(ls: LocalSearch, u: number, v: number, nu: number, nv: number, ru: number, rv: number): number {
  const inst = ls.inst;
  const M = ls.M;
  const dd = inst.dist;
  const mu = ls.mIdx(u);
  const mv = ls.mIdx(v);
  const mnu = ls.mIdx(nu);
  const mnv = ls.mIdx(nv);
  const distDelta = dd[mu * M + mnv] + dd[mv * M + mnu] - dd[mu * M + mnu] - dd[mv * M + mnv];
  const sizeU = ls.pos[u] + ls.size[rv] + 1 - ls.pos[nv];
  const sizeV = ls.pos[v] + ls.size[ru] + 1 - ls.pos[nu];
  const used = (sizeU > 0 ? 1 : 0) + (sizeV > 0 ? 1 : 0) - (ls.size[ru] > 0 ? 1 : 0) - (ls.size[rv] > 0 ? 1 : 0);
  return inst.cpd * distDelta + used * inst.fixed;
}
