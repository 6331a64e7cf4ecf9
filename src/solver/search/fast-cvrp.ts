/**
 * The node operators' pure-capacity evaluations (symmetric matrices, `ls.fastCvrp`) fused into one
 * pass over a (u, v) pair, as HGS-CVRP's LocalSearch does: the pair's routes, neighbours and
 * positions are read once, and each move is a handful of matrix look-ups and two O(D) load
 * deltas, called statically. Through `NodeOperator.evaluate` the same moves cost a megamorphic
 * call each (nine operator closures behind one call site, none inlined) and re-read the pair.
 *
 * The moves, their order and their deltas are exactly those of the operators' own fast paths
 * (relocate 1, 2, 2 reversed; swap 1-1, 2-1, 2-2; 2-opt; 2-opt* reversed; 2-opt*) in bounded
 * mode: a move whose distance change already covers its routes' penalties is skipped, an
 * improving move is priced exactly. The first improving move in that order wins, so the search
 * visits the same moves as with the generic loop (a unit test compares the two).
 */
import type { LocalSearch } from './local-search.ts';
import type { NodeOperator } from './operator.ts';

/** The operator names in the order the fused pass tries them (the registry's order). */
export const FUSED_ORDER = [
  'relocate1', 'relocate2', 'relocate2r', 'swap11', 'swap21', 'swap22', 'two-opt', 'two-opt-star-reversed', 'two-opt-star',
] as const;

/** The operators of `ops` in FUSED_ORDER, or null when the list is not exactly that set in that order. */
export function fusedOperators(ops: readonly NodeOperator[]): NodeOperator[] | null {
  if (ops.length !== FUSED_ORDER.length) return null;
  for (let i = 0; i < ops.length; i++) if (ops[i].name !== FUSED_ORDER[i]) return null;
  return ops.slice();
}

/**
 * The first improving move for (u, v) in FUSED_ORDER: its index, with its delta in `ls.fusedDelta`;
 * -1 when none improves. u is a client; v a client or a start depot ("after the start").
 */
export function bestFusedMove(ls: LocalSearch, u: number, v: number): number {
  const n = ls.n;
  const next = ls.next;
  const routeOf = ls.routeOf;
  const ru = routeOf[u];
  const rv = routeOf[v];
  const same = ru === rv;
  const vClient = v < n;
  const x = next[u];
  let d = relocate(ls, u, u, u, u, v, ru, rv);
  if (d < 0) return found(ls, 0, d);
  if (x < n && x !== v) {
    d = relocate(ls, u, x, u, x, v, ru, rv);
    if (d < 0) return found(ls, 1, d);
    d = relocate(ls, u, x, x, u, v, ru, rv);
    if (d < 0) return found(ls, 2, d);
  }
  if (vClient) {
    const y = next[v];
    if (!(same && u > v)) {
      d = swap(ls, u, u, v, v, ru, rv);
      if (d < 0) return found(ls, 3, d);
    }
    if (x < n) {
      d = swap(ls, u, x, v, v, ru, rv);
      if (d < 0) return found(ls, 4, d);
      if (y < n && !(same && u > v)) {
        d = swap(ls, u, x, v, y, ru, rv);
        if (d < 0) return found(ls, 5, d);
      }
    }
    if (same) {
      d = twoOpt(ls, u, v);
      if (d < 0) return found(ls, 6, d);
      return -1;
    }
    d = twoOptStarReversed(ls, u, v, ru, rv);
    if (d < 0) return found(ls, 7, d);
  }
  if (!same) {
    d = twoOptStar(ls, u, v, ru, rv);
    if (d < 0) return found(ls, 8, d);
  }
  return -1;
}

function found(ls: LocalSearch, op: number, delta: number): number {
  ls.fusedDelta = delta;
  return op;
}

/** Relocate of the chain u..uEnd (shown first..last) to after v: relocate.ts's fast path. */
function relocate(ls: LocalSearch, u: number, uEnd: number, first: number, last: number, v: number, ru: number, rv: number): number {
  if (v === u || uEnd === v) return Infinity;
  const pu = ls.prev[u];
  if (v === pu) return Infinity;
  const pos = ls.pos;
  if (ru === rv && pos[v] >= pos[u] && pos[v] <= pos[uEnd]) return Infinity;
  const nu = ls.next[uEnd];
  const nv = ls.next[v];
  const inst = ls.inst;
  const M = ls.M;
  const mi = ls.mi;
  const dd = inst.dist;
  const mpu = mi[pu];
  const mnu = mi[nu];
  const mv = mi[v];
  const mnv = mi[nv];
  let distDelta: number;
  if (ru === rv && nu === v) {
    distDelta = dd[mpu * M + mv] + dd[mv * M + first] + dd[last * M + mnv] - dd[mpu * M + u] - dd[uEnd * M + mv] - dd[mv * M + mnv];
    return inst.cpd * distDelta;
  }
  distDelta = dd[mpu * M + mnu] - dd[mpu * M + u] - dd[uEnd * M + mnu] + dd[mv * M + first] + dd[last * M + mnv] - dd[mv * M + mnv];
  if (ru === rv) return inst.cpd * distDelta;
  let fixedDelta = 0;
  if (ls.size[ru] === pos[uEnd] - pos[u] + 1) fixedDelta -= inst.fixed;
  if (ls.size[rv] === 0) fixedDelta += inst.fixed;
  const pen = ls.routePenalty;
  if (inst.cpd * distDelta + fixedDelta >= pen[ru] + pen[rv]) return Infinity;
  return inst.cpd * distDelta + fixedDelta + ls.loadDelta(ru, pu, uEnd, pu, pu) + ls.loadDelta(rv, pu, pu, pu, uEnd);
}

/** Swap of the chains u..uEnd and v..vEnd (clients): swap.ts's fast path. */
function swap(ls: LocalSearch, u: number, uEnd: number, v: number, vEnd: number, ru: number, rv: number): number {
  if (u === v) return Infinity;
  const pu = ls.prev[u];
  const nu = ls.next[uEnd];
  const pv = ls.prev[v];
  const nv = ls.next[vEnd];
  const inst = ls.inst;
  const M = ls.M;
  const mi = ls.mi;
  const dd = inst.dist;
  const mpu = mi[pu];
  const mnu = mi[nu];
  const mpv = mi[pv];
  const mnv = mi[nv];
  if (ru !== rv) {
    const distDelta = dd[mpu * M + v] + dd[vEnd * M + mnu] + dd[mpv * M + u] + dd[uEnd * M + mnv]
      - dd[mpu * M + u] - dd[uEnd * M + mnu] - dd[mpv * M + v] - dd[vEnd * M + mnv];
    const pen = ls.routePenalty;
    if (inst.cpd * distDelta >= pen[ru] + pen[rv]) return Infinity;
    return inst.cpd * distDelta + ls.loadDelta(ru, pu, uEnd, pv, vEnd) + ls.loadDelta(rv, pv, vEnd, pu, uEnd);
  }
  const pos = ls.pos;
  if (!(pos[uEnd] < pos[v] || pos[vEnd] < pos[u])) return Infinity;
  let distDelta: number;
  if (nu === v) {
    distDelta = dd[mpu * M + v] + dd[vEnd * M + u] + dd[uEnd * M + mnv] - dd[mpu * M + u] - dd[uEnd * M + v] - dd[vEnd * M + mnv];
  } else if (nv === u) {
    distDelta = dd[mpv * M + u] + dd[uEnd * M + v] + dd[vEnd * M + mnu] - dd[mpv * M + v] - dd[vEnd * M + u] - dd[uEnd * M + mnu];
  } else {
    distDelta = dd[mpu * M + v] + dd[vEnd * M + mnu] + dd[mpv * M + u] + dd[uEnd * M + mnv]
      - dd[mpu * M + u] - dd[uEnd * M + mnu] - dd[mpv * M + v] - dd[vEnd * M + mnv];
  }
  return inst.cpd * distDelta;
}

/** 2-opt inside one route (u before v, both clients): two-opt.ts's fast path. */
function twoOpt(ls: LocalSearch, u: number, v: number): number {
  const pos = ls.pos;
  if (pos[u] >= pos[v]) return Infinity;
  const nu = ls.next[u];
  if (nu === v) return Infinity;
  const mnv = ls.mi[ls.next[v]];
  const M = ls.M;
  const dd = ls.inst.dist;
  return ls.inst.cpd * (dd[u * M + v] + dd[nu * M + mnv] - dd[u * M + nu] - dd[v * M + mnv]);
}

/** 2-opt* with reversal between two routes (u, v clients): two-opt-star-reversed.ts. */
function twoOptStarReversed(ls: LocalSearch, u: number, v: number, ru: number, rv: number): number {
  const inst = ls.inst;
  const M = ls.M;
  const dd = inst.dist;
  const mnu = ls.mi[ls.next[u]];
  const mnv = ls.mi[ls.next[v]];
  const distDelta = dd[u * M + v] + dd[mnu * M + mnv] - dd[u * M + mnu] - dd[v * M + mnv];
  const sizeV = ls.size[ru] - ls.pos[u] + ls.size[rv] - ls.pos[v];
  const used = (sizeV > 0 ? 1 : 0) - (ls.size[rv] > 0 ? 1 : 0);
  const pen = ls.routePenalty;
  if (inst.cpd * distDelta + used * inst.fixed >= pen[ru] + pen[rv]) return Infinity;
  const eU = ls.endDepot(ru);
  const sV = ls.startDepot(rv);
  return inst.cpd * distDelta + used * inst.fixed + ls.loadDelta(ru, u, eU, sV, v) + ls.loadDelta(rv, sV, v, u, eU);
}

/** 2-opt* between two routes (u a client, v a client or a start depot): two-opt-star.ts. */
function twoOptStar(ls: LocalSearch, u: number, v: number, ru: number, rv: number): number {
  const inst = ls.inst;
  const M = ls.M;
  const dd = inst.dist;
  const mi = ls.mi;
  const nu = ls.next[u];
  const nv = ls.next[v];
  const mv = mi[v];
  const mnu = mi[nu];
  const mnv = mi[nv];
  const pos = ls.pos;
  const size = ls.size;
  const distDelta = dd[u * M + mnv] + dd[mv * M + mnu] - dd[u * M + mnu] - dd[mv * M + mnv];
  const sizeU = pos[u] + size[rv] + 1 - pos[nv];
  const sizeV = pos[v] + size[ru] + 1 - pos[nu];
  const used = (sizeU > 0 ? 1 : 0) + (sizeV > 0 ? 1 : 0) - (size[ru] > 0 ? 1 : 0) - (size[rv] > 0 ? 1 : 0);
  const arcs = inst.cpd * distDelta + used * inst.fixed;
  const pen = ls.routePenalty;
  if (arcs >= pen[ru] + pen[rv]) return Infinity;
  const eU = ls.endDepot(ru);
  const eV = ls.endDepot(rv);
  return arcs + ls.loadDelta(ru, u, eU, v, eV) + ls.loadDelta(rv, v, eV, u, eU);
}
