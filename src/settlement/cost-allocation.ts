/**
 * Cost allocation for co-delivery settlement (结算): how the joint cost of a day is split among
 * the couriers whose parcels rode together. Pure functions, no I/O.
 *
 * The rule (see src/settlement/README.md for the argument):
 * 1. The cost game is built route by route from the joint plan (route-game.ts): what a
 *    coalition S of couriers would cost on a route is that route's vehicle-day fixed cost (if S
 *    has anything on it) plus its km and hours costs on the same route shortcut past every stop
 *    that only other couriers need. The day's game is the sum of the route games.
 * 2. Each courier pays its Shapley value of that game. Shapley is additive, so it is the sum of
 *    the per-route Shapley values; a courier with nothing on a route is a null player there.
 *    Exact over all 2^k coalitions of the k couriers on a route (k ≤ EXACT_MAX_PLAYERS), else
 *    estimated from seeded random join orders (deterministic, unbiased).
 * 3. Shares are rounded to whole fen by largest remainder, so they sum to the joint cost exactly.
 * 4. Each share is compared with that courier's stand-alone cost on the same work. Shapley is
 *    not always in the core (or even individually rational) when the game is not concave; a
 *    courier whose share exceeds its stand-alone cost is capped at it and the excess is carried
 *    by the others in proportion to what they gain (`repairIndividualRationality`). When the
 *    coalition as a whole does not save, no split can leave everyone better off: the Shapley
 *    shares stand and the settlement says so.
 */
import { seededRandom } from '../util/seeded-random.ts';

/** Coalitions are bitmasks over players 0..n-1; `cost(mask)` is what that coalition would pay. */
export type CoalitionCost = (mask: number) => number;

/** Above this many players the Shapley value is estimated from sampled join orders. */
export const EXACT_MAX_PLAYERS = 12;
/** Join orders sampled per route when estimating. */
export const SAMPLED_ORDERS = 2_000;

function popcount(x: number): number {
  let c = 0;
  while (x !== 0) {
    x &= x - 1;
    c++;
  }
  return c;
}

/** Every coalition's cost, indexed by mask (2^n entries). */
export function coalitionTable(n: number, cost: CoalitionCost): Float64Array {
  if (n > 24) throw new RangeError(`coalitionTable: ${n} players is too many for an exact table`);
  const size = 1 << n;
  const table = new Float64Array(size);
  for (let mask = 1; mask < size; mask++) table[mask] = cost(mask);
  return table;
}

/**
 * The exact Shapley value: φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! · (c(S ∪ {i}) − c(S)).
 * O(n · 2^n) once the table is known.
 */
export function shapleyFromTable(n: number, table: Float64Array): number[] {
  // weight[s] = s!(n-s-1)!/n!, built as a ratio to stay exact enough in floating point.
  const weight = new Float64Array(Math.max(1, n));
  for (let s = 0; s < n; s++) {
    let w = 1 / n;
    // 1/n · 1/C(n-1, s)
    let binom = 1;
    for (let k = 1; k <= s; k++) binom = (binom * (n - 1 - s + k)) / k;
    w /= binom;
    weight[s] = w;
  }
  const phi = new Array<number>(n).fill(0);
  const size = 1 << n;
  for (let mask = 0; mask < size; mask++) {
    const s = popcount(mask);
    if (s === n) continue;
    const w = weight[s]!;
    const base = table[mask]!;
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      if ((mask & bit) !== 0) continue;
      phi[i]! += w * (table[mask | bit]! - base);
    }
  }
  return phi;
}

export function shapleyExact(n: number, cost: CoalitionCost): number[] {
  return shapleyFromTable(n, coalitionTable(n, cost));
}

/**
 * The Shapley value estimated from `orders` random join orders (each player pays its marginal
 * cost when it joins; averaged). Seeded, so the same game gives the same estimate. Efficient by
 * construction: every order's marginals sum to c(N).
 */
export function shapleySampled(n: number, cost: CoalitionCost, orders = SAMPLED_ORDERS, seed = 1): number[] {
  const random = seededRandom(seed);
  const phi = new Array<number>(n).fill(0);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let o = 0; o < orders; o++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    let mask = 0;
    let before = 0;
    for (const p of perm) {
      mask |= 1 << p;
      const after = cost(mask);
      phi[p]! += after - before;
      before = after;
    }
  }
  return phi.map((x) => x / orders);
}

/** Shapley value: exact up to EXACT_MAX_PLAYERS players, sampled above. */
export function shapley(n: number, cost: CoalitionCost): { readonly shares: number[]; readonly exact: boolean } {
  if (n === 0) return { shares: [], exact: true };
  if (n <= EXACT_MAX_PLAYERS) return { shares: shapleyExact(n, cost), exact: true };
  return { shares: shapleySampled(n, cost), exact: false };
}

/**
 * Rounds non-negative real shares to integers that sum to `total` exactly (largest remainder;
 * ties to the lower index). The shares should already sum to `total` up to rounding error.
 */
export function roundToTotal(shares: readonly number[], total: number): number[] {
  if (!Number.isInteger(total)) throw new RangeError('roundToTotal: total must be an integer');
  // Nobody to share with (a day whose only work is hauling produce held at the centres from the day before).
  if (shares.length === 0) return [];
  const floors = shares.map((x) => Math.floor(x));
  let rest = total - floors.reduce((a, b) => a + b, 0);
  const order = shares.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  const out = [...floors];
  // rest is small (≤ n) when the shares sum to the total; the loop also absorbs a drift of a few units.
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k]!.i]! += 1;
  for (let k = order.length - 1; rest < 0; k = (k - 1 + order.length) % order.length, rest++) out[order[k]!.i]! -= 1;
  return out;
}

export interface RepairOutcome {
  readonly shares: number[];
  /** Players whose share was above their stand-alone cost and was capped at it. */
  readonly capped: number[];
  /** False when the coalition does not save enough for every share to be ≤ stand-alone. */
  readonly individuallyRational: boolean;
}

/**
 * Makes shares individually rational when that is possible: every player with a known
 * stand-alone cost whose share exceeds it pays its stand-alone cost; the excess goes to the
 * players who gain, in proportion to their gain (so none of them is pushed above its own
 * stand-alone cost). Players with an unknown stand-alone cost (null) are left as they are.
 * When the gainers' total gain is smaller than the excess (the coalition does not save enough),
 * the shares are returned unchanged with `individuallyRational: false`.
 */
export function repairIndividualRationality(shares: readonly number[], alone: readonly (number | null)[]): RepairOutcome {
  const capped: number[] = [];
  let excess = 0;
  let headroom = 0;
  shares.forEach((x, i) => {
    const a = alone[i];
    if (a === null || a === undefined) return;
    if (x > a) {
      capped.push(i);
      excess += x - a;
    } else headroom += a - x;
  });
  if (capped.length === 0) return { shares: [...shares], capped: [], individuallyRational: true };
  if (headroom < excess) return { shares: [...shares], capped: [], individuallyRational: false };
  const out = shares.map((x, i) => {
    const a = alone[i];
    if (a === null || a === undefined) return x;
    if (x > a) return a;
    return x + (excess * (a - x)) / headroom;
  });
  return { shares: out, capped, individuallyRational: true };
}

export interface CoreViolation {
  /** Players of the coalition (indices). */
  readonly members: number[];
  /** What the coalition pays under the allocation minus what it would cost by itself (> 0). */
  readonly excess: number;
}

/**
 * Coalitions that pay more together than they would cost on their own (c(S) < Σ_{i∈S} x_i):
 * the allocation is outside the core of the game when this is non-empty. Worst first; only the
 * `limit` worst are returned. `tolerance` absorbs rounding.
 */
export function coreViolations(n: number, table: Float64Array, shares: readonly number[], tolerance = 0.5, limit = 5): CoreViolation[] {
  const size = 1 << n;
  const found: CoreViolation[] = [];
  for (let mask = 1; mask < size - 1; mask++) {
    let paid = 0;
    for (let i = 0; i < n; i++) if ((mask & (1 << i)) !== 0) paid += shares[i]!;
    const excess = paid - table[mask]!;
    if (excess > tolerance) {
      const members: number[] = [];
      for (let i = 0; i < n; i++) if ((mask & (1 << i)) !== 0) members.push(i);
      found.push({ members, excess });
    }
  }
  found.sort((a, b) => b.excess - a.excess || a.members.length - b.members.length);
  return found.slice(0, limit);
}
