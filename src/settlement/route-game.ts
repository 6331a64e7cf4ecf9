/**
 * The cost game of one day, route by route, and the shortcut costs behind it. Pure.
 *
 * A route's stored cost is fixed (the vehicle-day) + per km + per hour. What the route would
 * cost for a subset of its work (a coalition of couriers, or only the items that another plan
 * also served) is measured by shortcutting: the vehicle keeps its order but skips every stop
 * with nothing left for it, and skips the whole day when no stop is left. Distances of the
 * shortcut come from the road measure (`legMetres`), hours from the same at the vehicle's speed
 * plus the time spent at the kept stops; both are then scaled so that the full route costs
 * exactly its stored cost (waiting and the solver's own rounding stay in proportion). With the
 * triangle inequality a shortcut is never longer than the route it comes from.
 */
import {
  coalitionTable,
  coreViolations,
  EXACT_MAX_PLAYERS,
  roundToTotal,
  shapley,
  shapleyFromTable,
  type CoalitionCost,
  type CoreViolation,
} from './cost-allocation.ts';

export interface GameStop {
  /** Index of the stop's place in the road measure. */
  readonly point: number;
  /** Seconds spent at the stop (arrival → departure). */
  readonly serviceS: number;
  /**
   * Couriers with work at this stop. Empty = a waypoint of the vehicle itself (start, reload,
   * end, its own depot), kept whenever the route runs at all.
   */
  readonly users: readonly string[];
}

export interface GameRoute {
  readonly id: string;
  /** The stored route cost in fen (= fixed + km + hours, rounded). */
  readonly costFen: number;
  readonly fixedFen: number;
  /** The per-km part of the stored cost (fen, unrounded). */
  readonly kmFen: number;
  readonly distanceM: number;
  readonly durationS: number;
  readonly speedKmh: number;
  readonly stops: readonly GameStop[];
}

/** Road metres from one point to another. */
export type LegMetres = (from: number, to: number) => number;

export interface Shortcut {
  /** The route runs at all (some stop with work is kept). */
  readonly used: boolean;
  readonly distanceM: number;
  readonly durationS: number;
  readonly fixedFen: number;
  readonly kmFen: number;
  readonly timeFen: number;
  readonly costFen: number;
}

interface Raw {
  readonly metres: number;
  readonly seconds: number;
}

function rawShortcut(route: GameRoute, keep: (stopIndex: number) => boolean, legMetres: LegMetres): Raw | null {
  let prev = -1;
  let metres = 0;
  let service = 0;
  let any = false;
  for (let k = 0; k < route.stops.length; k++) {
    const s = route.stops[k]!;
    const waypoint = s.users.length === 0;
    if (!waypoint) {
      if (!keep(k)) continue;
      any = true;
    }
    if (prev >= 0) metres += legMetres(prev, s.point);
    service += s.serviceS;
    prev = s.point;
  }
  if (!any) return null;
  return { metres, seconds: (metres * 3.6) / route.speedKmh + service };
}

/** A route's cost split into its three parts, with the time part as the rest of the stored cost. */
function parts(route: GameRoute): { fixed: number; km: number; time: number } {
  return { fixed: route.fixedFen, km: route.kmFen, time: route.costFen - route.fixedFen - route.kmFen };
}

/** Measures a route's shortcut; `full` (the route's own raw measure) scales it to the stored figures. */
function scaled(route: GameRoute, raw: Raw | null, full: Raw | null): Shortcut {
  if (raw === null || full === null) return { used: false, distanceM: 0, durationS: 0, fixedFen: 0, kmFen: 0, timeFen: 0, costFen: 0 };
  const p = parts(route);
  const dRatio = full.metres > 0 ? raw.metres / full.metres : 1;
  const tRatio = full.seconds > 0 ? raw.seconds / full.seconds : 1;
  const kmFen = p.km * dRatio;
  const timeFen = p.time * tRatio;
  return {
    used: true,
    distanceM: route.distanceM * dRatio,
    durationS: route.durationS * tRatio,
    fixedFen: p.fixed,
    kmFen,
    timeFen,
    costFen: p.fixed + kmFen + timeFen,
  };
}

/** The route restricted to the stops `keep` accepts (waypoints always), scaled to its stored figures. */
export function shortcutRoute(route: GameRoute, keep: (stopIndex: number) => boolean, legMetres: LegMetres): Shortcut {
  return scaled(route, rawShortcut(route, keep, legMetres), rawShortcut(route, () => true, legMetres));
}

export interface CourierShare {
  readonly courier: string;
  /** Shapley share, fen (rounded so that the shares sum to the joint cost). */
  readonly shareFen: number;
  /** The same share by cost part (unrounded fen): vehicle-days, km, hours. */
  readonly parts: { readonly vehicleDaysFen: number; readonly kmFen: number; readonly hoursFen: number };
  /** Routes this courier had work on. */
  readonly routes: number;
  /** What the courier's own stops would cost on the joint routes without the others (shortcut). */
  readonly onJointRoutesAloneFen: number;
}

export interface DayAllocation {
  readonly jointCostFen: number;
  readonly shares: readonly CourierShare[];
  /** False when some route had more than EXACT_MAX_PLAYERS couriers and its shares were sampled. */
  readonly exact: boolean;
  /**
   * Coalitions of couriers that pay more under the Shapley shares than the same joint routes
   * would cost them by themselves (outside the core of the route game), worst first; null when
   * there are too many couriers to check every coalition.
   */
  readonly coreViolations: readonly { readonly couriers: readonly string[]; readonly excessFen: number }[] | null;
}

/**
 * Shapley shares of the day's route game. Couriers are the players (sorted by code); the game is
 * the sum over routes of "that route, shortcut to the coalition's stops", so a courier pays, on
 * average over every order in which the couriers could have joined, the extra cost its stops
 * add to each route it uses: the vehicle-day fixed cost is shared equally among a route's users,
 * detours are paid by those who cause them.
 */
export function allocateDay(routes: readonly GameRoute[], legMetres: LegMetres): DayAllocation {
  const couriers = [...new Set(routes.flatMap((r) => r.stops.flatMap((s) => s.users)))].sort();
  const n = couriers.length;
  const global = new Map(couriers.map((c, i) => [c, i]));
  const sums = couriers.map(() => ({ fixed: 0, km: 0, time: 0, routes: 0, aloneOnJoint: 0 }));
  let exact = true;
  const checkCore = n <= EXACT_MAX_PLAYERS;
  const coreTable = checkCore ? new Float64Array(1 << n) : null;
  let jointCostFen = 0;

  for (const route of routes) {
    jointCostFen += route.costFen;
    const local = [...new Set(route.stops.flatMap((s) => s.users))].sort();
    const k = local.length;
    if (k === 0) {
      // A route with nobody's work on it (an empty run): its cost is shared equally by everyone
      // of the day, as an overhead, rather than dropped from the settlement.
      for (const s of sums) s.fixed += n === 0 ? 0 : route.costFen / n;
      if (coreTable) for (let m = 1; m < coreTable.length; m++) coreTable[m]! += route.costFen;
      continue;
    }
    const localIndex = new Map(local.map((c, i) => [c, i]));
    const stopMask = route.stops.map((s) => s.users.reduce((m, u) => m | (1 << localIndex.get(u)!), 0));
    const full = rawShortcut(route, () => true, legMetres);
    const measure = (mask: number): Shortcut => scaled(route, rawShortcut(route, (i) => (stopMask[i]! & mask) !== 0, legMetres), full);
    const memo = new Map<number, Shortcut>();
    const at = (mask: number): Shortcut => {
      let m = memo.get(mask);
      if (m === undefined) memo.set(mask, (m = measure(mask)));
      return m;
    };
    // The vehicle-day is paid by any non-empty coalition (every local player has work on the
    // route): its Shapley value is an equal split, exactly, however many couriers there are.
    const fixedShares = local.map(() => route.fixedFen / k);
    const games: CoalitionCost[] = [(m) => at(m).kmFen, (m) => at(m).timeFen];
    const shares = [
      fixedShares,
      ...games.map((g) => {
        if (k <= EXACT_MAX_PLAYERS) return shapleyFromTable(k, coalitionTable(k, g));
        exact = false;
        return shapley(k, g).shares;
      }),
    ];
    local.forEach((c, i) => {
      const s = sums[global.get(c)!]!;
      s.fixed += shares[0]![i]!;
      s.km += shares[1]![i]!;
      s.time += shares[2]![i]!;
      s.routes += 1;
      s.aloneOnJoint += at(1 << i).costFen;
    });
    if (coreTable) {
      const bits = local.map((c) => 1 << global.get(c)!);
      for (let m = 1; m < coreTable.length; m++) {
        let lm = 0;
        for (let i = 0; i < k; i++) if ((m & bits[i]!) !== 0) lm |= 1 << i;
        if (lm !== 0) coreTable[m]! += at(lm).costFen;
      }
    }
  }

  const real = sums.map((s) => s.fixed + s.km + s.time);
  const rounded = roundToTotal(real, jointCostFen);
  const violations = coreTable === null ? null : coreViolations(n, coreTable, real).map((v: CoreViolation) => ({ couriers: v.members.map((i) => couriers[i]!), excessFen: Math.round(v.excess) }));
  return {
    jointCostFen,
    shares: couriers.map((courier, i) => ({
      courier,
      shareFen: rounded[i]!,
      parts: { vehicleDaysFen: sums[i]!.fixed, kmFen: sums[i]!.km, hoursFen: sums[i]!.time },
      routes: sums[i]!.routes,
      onJointRoutesAloneFen: Math.round(sums[i]!.aloneOnJoint),
    })),
    exact,
    coreViolations: violations,
  };
}
