/**
 * Solver solution → planned routes with per-stop ETAs, parcels and pickups, and the items left
 * over with their reasons. Consecutive solver steps at the same place (a split station, a dry and
 * a cold-chain visit) become one stop, as the driver sees one stop.
 */
import type { VehicleRow } from '../db/schema.ts';
import type { Route, Solution } from '../solver/model.ts';
import type { TierBuild } from './build-problems.ts';
import { vehicleCapacity } from './loads.ts';
import { remedyFor, withRemedies } from './remedies.ts';
import type { Load, PlannedRoute, PlannedStop, PlannedStopKind, TierResult, UnassignedItem } from './types.ts';

/** Route cost in fen from the fleet's own rates (fixed + per km + per hour). */
export function routeCostFen(v: VehicleRow, distanceM: number, durationS: number): number {
  return Math.round(v.fixed_cost_fen + (v.cost_per_km_fen * distanceM) / 1000 + (v.cost_per_hour_fen * durationS) / 3600);
}

export function mapSolution(build: TierBuild, solution: Solution): TierResult {
  const routes: PlannedRoute[] = [];
  for (const route of solution.routes) {
    if (!route.steps.some((s) => s.type === 'job')) continue;
    routes.push(mapRoute(build, route));
  }
  routes.sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0));
  const unassigned: UnassignedItem[] = withRemedies(build.unassigned);
  const jobById = new Map(build.problem.jobs.map((j) => [j.id, j]));
  const isCounty = build.atCounty === true;
  for (const u of solution.unassigned) {
    const content = build.jobs.get(u.id);
    if (!content) throw new Error(`solver reported unknown job ${u.id}`);
    const stationCode = content.stationCode ?? '';
    const remedy = remedyFor(u.reason, build.tier, jobById.get(u.id), build.problem, isCounty);
    for (const id of content.parcelIds) unassigned.push({ kind: 'parcel', id, stationCode, tier: build.tier, reason: u.reason, remedy });
    for (const id of content.pickupIds) unassigned.push({ kind: 'pickup', id, stationCode, tier: build.tier, reason: u.reason, remedy });
  }
  return { routes, unassigned };
}

function mapRoute(build: TierBuild, route: Route): PlannedRoute {
  const vehicle = build.vehicles.get(route.vehicleId);
  if (!vehicle) throw new Error(`solver used unknown vehicle ${route.vehicleId}`);
  const stops: PlannedStop[] = [];
  let trip = 1;
  const peak: Load = [0, 0, 0];
  type Draft = {
    kind: PlannedStopKind;
    stationCode: string | null;
    hubId: string | null;
    trip: number;
    arrivalS: number;
    serviceStartS: number;
    departureS: number;
    parcelIds: string[];
    pickupIds: string[];
    load: Load;
    location: number;
  };
  let last: Draft | undefined;
  const push = (d: Draft) => {
    stops.push({
      seq: stops.length,
      kind: d.kind,
      stationCode: d.stationCode,
      hubId: d.hubId,
      trip: d.trip,
      arrivalS: d.arrivalS,
      departureS: d.departureS,
      serviceStartS: d.serviceStartS,
      parcelIds: d.parcelIds,
      pickupIds: d.pickupIds,
      deliverCount: d.parcelIds.length,
      pickupCount: d.pickupIds.length,
      load: d.load,
    });
  };
  for (const step of route.steps) {
    const load = [step.load[0] ?? 0, step.load[1] ?? 0, step.load[2] ?? 0] as Load;
    for (let d = 0; d < 3; d++) peak[d] = Math.max(peak[d]!, load[d]!);
    if (step.type === 'reload') trip += 1;
    const ref = build.locations[step.location]!;
    const content = step.type === 'job' && step.id !== undefined ? build.jobs.get(step.id) : undefined;
    if (step.type === 'job' && !content) throw new Error(`solver routed unknown job ${step.id}`);
    if (content && last && last.location === step.location && (last.kind === 'station' || last.kind === 'hub')) {
      last.parcelIds.push(...content.parcelIds);
      last.pickupIds.push(...content.pickupIds);
      last.departureS = step.departure;
      last.load = load;
      continue;
    }
    if (last) push(last);
    const kind: PlannedStopKind =
      step.type === 'job' ? (ref.kind === 'station' ? 'station' : 'hub') : step.type === 'reload' ? 'reload' : step.type === 'start' ? 'start' : 'end';
    last = {
      kind,
      stationCode: ref.kind === 'station' ? ref.code : null,
      hubId: ref.kind === 'hub' ? ref.hubId : null,
      trip,
      arrivalS: step.arrival,
      serviceStartS: step.serviceStart,
      departureS: step.departure,
      parcelIds: content ? [...content.parcelIds] : [],
      pickupIds: content ? [...content.pickupIds] : [],
      load,
      location: step.location,
    };
  }
  if (last) push(last);
  // The load when leaving the start is the first trip's; later trips' starts are the reloads.
  const startS = route.steps[0]?.departure ?? 0;
  const endS = route.steps[route.steps.length - 1]?.arrival ?? startS;
  return {
    tier: build.tier,
    hubId: build.hubId,
    vehicleId: vehicle.id,
    vehicleType: vehicle.type,
    trips: trip,
    distanceM: route.distance,
    durationS: endS - startS,
    costFen: routeCostFen(vehicle, route.distance, endS - startS),
    startS,
    endS,
    peakLoad: peak,
    capacity: vehicleCapacity(vehicle),
    stops,
  };
}

/** When each township centre's last line-haul load has been unloaded (seconds after midnight). */
export function lineHaulArrivals(lineHaul: TierResult): Map<string, number> {
  const arrivals = new Map<string, number>();
  for (const r of lineHaul.routes) {
    for (const s of r.stops) {
      if (s.kind !== 'hub' || !s.hubId) continue;
      arrivals.set(s.hubId, Math.max(arrivals.get(s.hubId) ?? 0, s.departureS));
    }
  }
  return arrivals;
}
