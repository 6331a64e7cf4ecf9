/**
 * Routes with the work they carry, for the two comparisons a co-delivery operator must get
 * right: the savings report and the settlement. Both compare the joint plan with each courier
 * planned alone, and both must compare EQUAL WORK: an item served by one side only (the joint
 * plan left it for tomorrow, or the courier alone could not fit it) is taken out of both sides,
 * and the routes are shortcut past stops left with nothing to do (route-game.ts). Pure.
 */
import { CO2_KG_PER_KM, type PlanMetrics, type SavingsReport } from '../planning/metrics.ts';
import type { NetworkIndex } from '../planning/network-index.ts';
import type { PlannedRoute, SolveBudget } from '../planning/types.ts';
import { compareSavings } from '../planning/metrics.ts';
import { allocateDay, shortcutRoute, type GameRoute, type LegMetres } from './route-game.ts';
import { settleDay, type DaySettlement, type StandAlone } from './settlement.ts';

export interface WorkStop {
  readonly point: number;
  readonly serviceS: number;
  /** Parcel and pickup ids handled here; empty = a waypoint (start, reload, end). */
  readonly items: readonly string[];
}

export interface WorkRoute {
  readonly vehicleId: string;
  readonly vehicleType: string;
  readonly costFen: number;
  readonly fixedFen: number;
  readonly kmFen: number;
  readonly distanceM: number;
  readonly durationS: number;
  readonly speedKmh: number;
  readonly stops: readonly WorkStop[];
}

/** A planned route (e.g. one of a courier alone) with the work on each stop, in the road matrix's points. */
export function workOfPlannedRoute(route: PlannedRoute, index: NetworkIndex): WorkRoute {
  const v = index.vehicles.get(route.vehicleId);
  return {
    vehicleId: route.vehicleId,
    vehicleType: route.vehicleType,
    costFen: route.costFen,
    fixedFen: v?.fixed_cost_fen ?? 0,
    kmFen: ((v?.cost_per_km_fen ?? 0) * route.distanceM) / 1000,
    distanceM: route.distanceM,
    durationS: route.durationS,
    speedKmh: v?.speed_kmh ?? 40,
    stops: route.stops.map((s) => ({
      point: s.stationCode !== null ? index.stationPoint.get(s.stationCode)! : index.hubPoint.get(s.hubId!)!,
      serviceS: Math.max(0, s.departureS - s.arrivalS),
      items: s.kind === 'station' || s.kind === 'hub' ? [...s.parcelIds, ...s.pickupIds] : [],
    })),
  };
}

function toGameRoute(route: WorkRoute, k: number, keep: (item: string) => boolean, courierOf: (item: string) => string | undefined): GameRoute {
  return {
    id: String(k),
    costFen: route.costFen,
    fixedFen: route.fixedFen,
    kmFen: route.kmFen,
    distanceM: route.distanceM,
    durationS: route.durationS,
    speedKmh: route.speedKmh,
    stops: route.stops.map((s) => ({
      point: s.point,
      serviceS: s.serviceS,
      users: s.items.length === 0 ? [] : [...new Set(s.items.filter(keep).map((i) => courierOf(i) ?? '(unknown)'))],
    })),
  };
}

/** The metrics of these routes doing only the items `keep` accepts (shortcut past the rest). */
export function metricsOfWork(routes: readonly WorkRoute[], keep: (item: string) => boolean, legMetres: LegMetres): PlanMetrics & { readonly costFen: number } {
  let m = 0;
  let s = 0;
  let fen = 0;
  let co2 = 0;
  let used = 0;
  const vehicles = new Set<string>();
  for (const r of routes) {
    const cut = shortcutRoute(toGameRoute(r, 0, () => true, () => 'x'), (k) => r.stops[k]!.items.some(keep), legMetres);
    if (!cut.used) continue;
    used += 1;
    m += cut.distanceM;
    s += cut.durationS;
    fen += cut.costFen;
    co2 += (cut.distanceM / 1000) * (CO2_KG_PER_KM[r.vehicleType] ?? 0.15);
    vehicles.add(r.vehicleId);
  }
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return { routes: used, km: round1(m / 1000), vehicleDays: vehicles.size, driverHours: round1(s / 3600), costYuan: round1(fen / 100), co2Kg: round1(co2), unassigned: 0, costFen: Math.round(fen) };
}

/** One courier planned alone: its routes and what it could not serve. */
export interface CourierAlone {
  readonly courier: string;
  readonly routes: readonly WorkRoute[];
  readonly unassigned: readonly string[];
}

export interface EqualWork {
  /** Items served both by the joint plan and by their courier alone: what both sides are measured on. */
  readonly items: number;
  /** Served by the joint plan only (their courier alone could not): left out of the comparison. */
  readonly jointOnly: number;
  /** Served by the courier alone only (the joint plan left them for later): left out. */
  readonly aloneOnly: number;
}

export interface DayComparison {
  readonly savings: (SavingsReport & { readonly equalWork: EqualWork }) | null;
  readonly settlement: DaySettlement;
}

/**
 * The savings report on equal work, and the settlement: Shapley shares of the joint routes'
 * cost (all of the joint plan's work: that is the bill to split) compared with each courier's
 * stand-alone cost on the items both served. `alone` null = the day was planned without the
 * stand-alone plans (PLAN_SAVINGS=false): shares without a comparison.
 */
export function compareDay(
  joint: readonly WorkRoute[],
  courierOf: ReadonlyMap<string, string>,
  alone: readonly CourierAlone[] | null,
  legMetres: LegMetres,
  budget: SolveBudget,
  /** Items the joint plan could not serve today (reported beside the equal-work figures). */
  jointUnassigned = 0,
): DayComparison {
  const of = (i: string) => courierOf.get(i);
  const allocation = allocateDay(joint.map((r, k) => toGameRoute(r, k, () => true, of)), legMetres);
  if (alone === null) return { savings: null, settlement: settleDay(allocation, null) };

  const jointItems = new Set(joint.flatMap((r) => r.stops.flatMap((s) => s.items)));
  const aloneItems = new Set(alone.flatMap((c) => c.routes.flatMap((r) => r.stops.flatMap((s) => s.items))));
  const both = (i: string) => jointItems.has(i) && aloneItems.has(i);
  let items = 0;
  let jointOnly = 0;
  for (const i of jointItems) if (aloneItems.has(i)) items++;
  else jointOnly++;
  const aloneOnly = [...aloneItems].filter((i) => !jointItems.has(i)).length;

  const jointEqual = metricsOfWork(joint, both, legMetres);
  const perCourier: Record<string, PlanMetrics> = {};
  const standAlone = new Map<string, StandAlone>();
  const missing = new Map<string, number>();
  for (const i of jointItems) if (!aloneItems.has(i)) missing.set(of(i) ?? '(unknown)', (missing.get(of(i) ?? '(unknown)') ?? 0) + 1);
  for (const c of [...alone].sort((a, b) => (a.courier < b.courier ? -1 : 1))) {
    const m = metricsOfWork(c.routes, both, legMetres);
    const { costFen, ...metrics } = m;
    perCourier[c.courier] = { ...metrics, unassigned: c.unassigned.length };
    standAlone.set(c.courier, { costFen, missingItems: missing.get(c.courier) ?? 0 });
  }
  const { costFen: _jointFen, ...jointMetrics } = jointEqual;
  void _jointFen;
  const savings = { ...compareSavings({ ...jointMetrics, unassigned: jointUnassigned }, perCourier, budget), equalWork: { items, jointOnly, aloneOnly } };
  return { savings, settlement: settleDay(allocation, standAlone) };
}
