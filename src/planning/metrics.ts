/**
 * Plan metrics and the co-delivery comparison.
 *
 * Co-delivery savings: the same day planned as if each courier delivered only its own parcels
 * (and collected its own pickups) with its own copy of the fleet from the same hubs, with the
 * same solver and the same budget per problem. Pickups booked without a courier count as one
 * more operator. CO₂ uses per-km factors by vehicle type (ESTIMATES: a 4.2 m diesel light truck
 * ≈ 0.25 kg/km; an electric van on the North-China grid ≈ 0.09 kg/km; an e-tricycle ≈ 0.03 kg/km).
 */
import type { RoadMatrix } from '../geo/matrix.ts';
import type { NetworkIndex } from './network-index.ts';
import { planDay } from './plan-day.ts';
import type { DayModel, PlannedRoute, SolveBudget, SolveFn } from './types.ts';

export const CO2_KG_PER_KM: Readonly<Record<string, number>> = {
  line_haul_truck: 0.25,
  van: 0.09,
  cold_chain_van: 0.12,
  e_tricycle: 0.03,
};
const DEFAULT_CO2_KG_PER_KM = 0.15;

export interface PlanMetrics {
  readonly routes: number;
  readonly km: number;
  readonly vehicleDays: number;
  readonly driverHours: number;
  readonly costYuan: number;
  readonly co2Kg: number;
  readonly unassigned: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function planMetrics(routes: readonly PlannedRoute[], unassigned = 0): PlanMetrics {
  let m = 0;
  let s = 0;
  let fen = 0;
  let co2 = 0;
  const vehicles = new Set<string>();
  for (const r of routes) {
    m += r.distanceM;
    s += r.durationS;
    fen += r.costFen;
    co2 += (r.distanceM / 1000) * (CO2_KG_PER_KM[r.vehicleType] ?? DEFAULT_CO2_KG_PER_KM);
    vehicles.add(r.vehicleId);
  }
  return {
    routes: routes.length,
    km: round1(m / 1000),
    vehicleDays: vehicles.size,
    driverHours: round1(s / 3600),
    costYuan: round1(fen / 100),
    co2Kg: round1(co2),
    unassigned,
  };
}

export interface SavingsReport {
  readonly joint: PlanMetrics;
  readonly separate: PlanMetrics;
  readonly perCourier: Readonly<Record<string, PlanMetrics>>;
  /** separate − joint: what co-delivery saves. */
  readonly saved: Omit<PlanMetrics, 'unassigned' | 'routes'> & { readonly routes: number };
  /** Saved share of the separate plans' value, per metric (0..1). */
  readonly savedShare: Readonly<Record<'km' | 'vehicleDays' | 'driverHours' | 'costYuan' | 'co2Kg', number>>;
  readonly budget: SolveBudget;
  /**
   * What both sides were measured on (src/settlement/work.ts): only items served by the joint
   * plan AND by their courier alone; the others are counted here and left out of both sides.
   */
  readonly equalWork?: { readonly items: number; readonly jointOnly: number; readonly aloneOnly: number };
}

export const SHARED_PICKUPS = '(shared pickups)';

/** Splits the day by courier: each operator's own parcels and pickups. */
export function splitByCourier(day: DayModel): Map<string, DayModel> {
  const out = new Map<string, { parcels: DayModel['parcels'][number][]; pickups: DayModel['pickups'][number][] }>();
  const get = (c: string) => {
    let d = out.get(c);
    if (!d) out.set(c, (d = { parcels: [], pickups: [] }));
    return d;
  };
  for (const p of day.parcels) get(p.courierCode).parcels.push(p);
  for (const p of day.pickups) get(p.courierCode ?? SHARED_PICKUPS).pickups.push(p);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, d]) => [c, { settings: day.settings, ...d }]));
}

/**
 * Plans one courier alone (the per-courier half of the comparison): its metrics, and its routes
 * and unserved items so the comparison can be restricted to equal work (src/settlement/work.ts).
 */
export async function planCourierAlone(
  day: DayModel,
  index: NetworkIndex,
  road: RoadMatrix,
  solve: SolveFn,
  budget: SolveBudget,
): Promise<{ readonly metrics: PlanMetrics; readonly routes: readonly PlannedRoute[]; readonly unassigned: readonly string[] }> {
  const plan = await planDay(day, index, road, solve, budget);
  return { metrics: planMetrics(plan.routes, plan.unassigned.length), routes: plan.routes, unassigned: plan.unassigned.map((u) => u.id) };
}

export function compareSavings(joint: PlanMetrics, perCourier: Readonly<Record<string, PlanMetrics>>, budget: SolveBudget): SavingsReport {
  const list = Object.values(perCourier);
  const sum = (f: (m: PlanMetrics) => number) => round1(list.reduce((a, m) => a + f(m), 0));
  const separate: PlanMetrics = {
    routes: list.reduce((a, m) => a + m.routes, 0),
    km: sum((m) => m.km),
    vehicleDays: list.reduce((a, m) => a + m.vehicleDays, 0),
    driverHours: sum((m) => m.driverHours),
    costYuan: sum((m) => m.costYuan),
    co2Kg: sum((m) => m.co2Kg),
    unassigned: list.reduce((a, m) => a + m.unassigned, 0),
  };
  const share = (a: number, b: number) => (a > 0 ? Math.round(((a - b) / a) * 1000) / 1000 : 0);
  return {
    joint,
    separate,
    perCourier,
    saved: {
      routes: separate.routes - joint.routes,
      km: round1(separate.km - joint.km),
      vehicleDays: separate.vehicleDays - joint.vehicleDays,
      driverHours: round1(separate.driverHours - joint.driverHours),
      costYuan: round1(separate.costYuan - joint.costYuan),
      co2Kg: round1(separate.co2Kg - joint.co2Kg),
    },
    savedShare: {
      km: share(separate.km, joint.km),
      vehicleDays: share(separate.vehicleDays, joint.vehicleDays),
      driverHours: share(separate.driverHours, joint.driverHours),
      costYuan: share(separate.costYuan, joint.costYuan),
      co2Kg: share(separate.co2Kg, joint.co2Kg),
    },
    budget,
  };
}
