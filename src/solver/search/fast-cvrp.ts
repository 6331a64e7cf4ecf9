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
 * The relocates and swaps are written out here over one set of locals (the pair's neighbours,
 * positions and matrix rows, read once), as HGS-CVRP's setLocalVariablesRouteU/V do; each keeps
 * relocate.ts's and swap.ts's guards, deltas and bound exactly.
 */
export function bestFusedMove(ls: LocalSearch, u: number, v: number): number {
  const n = ls.n;
  const next = ls.next;
  const prev = ls.prev;
  const mi = ls.mi;
  const size = ls.size;
  const pen = ls.routePenalty;
  const inst = ls.inst;
  const dd = inst.dist;
  const M = ls.M;
  const cpd = inst.cpd;
  const ru = ls.routeOf[u];
  const rv = ls.routeOf[v];
  const same = ru === rv;
  const vClient = v < n;
  const penSum = pen[ru] + pen[rv];
  const pu = prev[u];
  const x = next[u];
  const mpu = mpuRow(mi, pu, M);
  const mx = mi[x];
  const nv = next[v];
  const mv = mi[v];
  const mvRow = mv * M;
  const mnv = mi[nv];
  const dUPu = dd[mpu + u];
  const dVNv = dd[mvRow + mnv];
  let d: number;
  // relocate u after v
  if (v !== u && v !== pu) {
    let dist: number;
    if (same && x === v) dist = dd[mpu + mv] + dd[mvRow + u] + dd[u * M + mnv] - dUPu - dd[u * M + mv] - dVNv;
    else dist = dd[mpu + mx] - dUPu - dd[u * M + mx] + dd[mvRow + u] + dd[u * M + mnv] - dVNv;
    if (same) d = cpd * dist;
    else {
      let fixedDelta = 0;
      if (size[ru] === 1) fixedDelta -= inst.fixed;
      if (size[rv] === 0) fixedDelta += inst.fixed;
      d = cpd * dist + fixedDelta >= penSum ? Infinity
        : cpd * dist + fixedDelta + ls.loadDelta(ru, pu, u, pu, pu) + ls.loadDelta(rv, pu, pu, pu, u);
    }
    if (d < 0) return found(ls, 0, d);
  }
  const xClient = x < n;
  const nx = xClient ? next[x] : -1;
  const mnx = xClient ? mi[nx] : -1;
  // relocate (u, x) after v, in that order and reversed
  if (xClient && x !== v && v !== u && v !== pu) {
    const dXV = dd[x * M + mv];
    if (same && nx === v) {
      const common = dd[mpu + mv] - dUPu - dXV - dVNv;
      d = cpd * (common + dd[mvRow + u] + dd[x * M + mnv]);
      if (d < 0) return found(ls, 1, d);
      d = cpd * (common + dd[mvRow + x] + dd[u * M + mnv]);
      if (d < 0) return found(ls, 2, d);
    } else {
      const removed = dd[mpu + mnx] - dUPu - dd[x * M + mnx];
      const dist1 = removed + dd[mvRow + u] + dd[x * M + mnv] - dVNv;
      const dist2 = removed + dd[mvRow + x] + dd[u * M + mnv] - dVNv;
      if (same) {
        d = cpd * dist1;
        if (d < 0) return found(ls, 1, d);
        d = cpd * dist2;
        if (d < 0) return found(ls, 2, d);
      } else {
        let fixedDelta = 0;
        if (size[ru] === 2) fixedDelta -= inst.fixed;
        if (size[rv] === 0) fixedDelta += inst.fixed;
        const c1 = cpd * dist1 + fixedDelta;
        const c2 = cpd * dist2 + fixedDelta;
        if (c1 < penSum || c2 < penSum) {
          const loads = ls.loadDelta(ru, pu, x, pu, pu) + ls.loadDelta(rv, pu, pu, pu, x);
          if (c1 < penSum) {
            d = c1 + loads;
            if (d < 0) return found(ls, 1, d);
          }
          if (c2 < penSum) {
            d = c2 + loads;
            if (d < 0) return found(ls, 2, d);
          }
        }
      }
    }
  }
  if (vClient) {
    const pv = prev[v];
    const mpv = mpuRow(mi, pv, M);
    const y = nv;
    const dVPv = dd[mpv + v];
    const ordered = !(same && u > v);
    // swap u and v
    if (ordered) {
      d = swapDelta(ls, u, u, v, v, ru, rv, pu, x, pv, y, mpu, mpv, dUPu, dVPv, penSum);
      if (d < 0) return found(ls, 3, d);
    }
    if (xClient) {
      // swap (u, x) and v
      d = swapDelta(ls, u, x, v, v, ru, rv, pu, nx, pv, y, mpu, mpv, dUPu, dVPv, penSum);
      if (d < 0) return found(ls, 4, d);
      // swap (u, x) and (v, y)
      if (y < n && ordered) {
        d = swapDelta(ls, u, x, v, y, ru, rv, pu, nx, pv, next[y], mpu, mpv, dUPu, dVPv, penSum);
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

/** The start of node p's matrix row. */
function mpuRow(mi: Int32Array, p: number, M: number): number {
  return mi[p] * M;
}

function found(ls: LocalSearch, op: number, delta: number): number {
  ls.fusedDelta = delta;
  return op;
}

/**
 * Swap of the chains u..uEnd and v..vEnd (clients): swap.ts's fast path. pu, nu, pv, nv are the
 * nodes around the chains; mpu and mpv the rows of pu and pv; dUPu = d(pu, u), dVPv = d(pv, v).
 */
function swapDelta(ls: LocalSearch, u: number, uEnd: number, v: number, vEnd: number, ru: number, rv: number,
  pu: number, nu: number, pv: number, nv: number, mpu: number, mpv: number, dUPu: number, dVPv: number, penSum: number): number {
  if (u === v) return Infinity;
  const M = ls.M;
  const mi = ls.mi;
  const dd = ls.inst.dist;
  const mnu = mi[nu];
  const mnv = mi[nv];
  const uRow = uEnd * M;
  const vRow = vEnd * M;
  if (ru !== rv) {
    const distDelta = dd[mpu + v] + dd[vRow + mnu] + dd[mpv + u] + dd[uRow + mnv] - dUPu - dd[uRow + mnu] - dVPv - dd[vRow + mnv];
    const c = ls.inst.cpd * distDelta;
    if (c >= penSum) return Infinity;
    return c + ls.loadDelta(ru, pu, uEnd, pv, vEnd) + ls.loadDelta(rv, pv, vEnd, pu, uEnd);
  }
  const pos = ls.pos;
  if (!(pos[uEnd] < pos[v] || pos[vEnd] < pos[u])) return Infinity;
  let distDelta: number;
  if (nu === v) {
    distDelta = dd[mpu + v] + dd[vRow + u] + dd[uRow + mnv] - dUPu - dd[uRow + v] - dd[vRow + mnv];
  } else if (nv === u) {
    distDelta = dd[mpv + u] + dd[uRow + v] + dd[vRow + mnu] - dVPv - dd[vRow + u] - dd[uRow + mnu];
  } else {
    distDelta = dd[mpu + v] + dd[vRow + mnu] + dd[mpv + u] + dd[uRow + mnv] - dUPu - dd[uRow + mnu] - dVPv - dd[vRow + mnv];
  }
  return ls.inst.cpd * distDelta;
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
