/**
 * A dispatcher's manual edit of village routes (a stop dragged to another route of the same hub,
 * or to another place in its route) → one routing problem holding the affected routes' stops as
 * jobs, evaluated by the routing core's inspection (src/solver/inspect.ts: the exact evaluator,
 * no search), and back: per route, the figures before and after, and every rule the new order
 * breaks. Pure: stored routes, the network and a road matrix in; figures out.
 *
 * One stored stop is one job: its parcels' weight and volume (and count) delivered, its produce
 * collected, the station's opening hours as its window, the planner's service time for its
 * counts, and the cold chain when any of its items needs it. The vehicle is the planner's
 * (src/planning/build-problems.ts solverVehicle): its capacity, range, rates, trips and reload
 * time, released at its hub's release time (line-haul arrival + sorting), with its type's driver's
 * day (withDuty: back by the latest return, at most the longest duty).
 */
import type { VehicleRow } from '../db/schema.ts';
import { travelProfile, type RoadMatrix } from '../geo/matrix.ts';
import { inspectRoutes, type RouteInspection, type RouteViolation } from '../solver/inspect.ts';
import type { Job, Problem } from '../solver/model.ts';
import { solverVehicle, stationServiceS, withDuty } from './build-problems.ts';
import { vehicleCapacity } from './loads.ts';
import { routeCostFen } from './map-solution.ts';
import { dutyOf, type DaySettings, type Load } from './types.ts';

/** A stored station stop as an edit sees it. */
export interface EditStop {
  readonly stopId: string;
  readonly stationCode: string;
  /** Parcels to deliver there: grams, cm³, count. */
  readonly delivery: Load;
  /** Produce to collect there: grams, cm³, pieces. */
  readonly pickup: Load;
  readonly parcels: number;
  readonly coldChain: boolean;
}

export interface EditStation {
  readonly code: string;
  readonly opensS: number;
  readonly closesS: number;
}

/** A route of the edit with its stations in the order to evaluate. */
export interface EditRoute {
  readonly routeId: string;
  readonly vehicle: VehicleRow;
  readonly stops: readonly EditStop[];
}

export interface EditProblemInput {
  readonly settings: DaySettings;
  /** When the hub's vehicles may leave (s after midnight). */
  readonly releaseS: number;
  /** Road matrix over `[hub, ...stationCodes]` in this order. */
  readonly road: RoadMatrix;
  readonly stationCodes: readonly string[];
  readonly stations: ReadonlyMap<string, EditStation>;
  readonly routes: readonly EditRoute[];
}

/** One broken rule, in the network's words (stops and stations, not solver indices). */
export type EditViolation =
  | { readonly kind: 'capacity'; readonly stopId: string | null; readonly stationCode: string | null; readonly unit: 'g' | 'cm3' | 'pieces'; readonly load: number; readonly capacity: number }
  | { readonly kind: 'time_window'; readonly stopId: string; readonly stationCode: string; readonly arrivalS: number; readonly closesS: number }
  | { readonly kind: 'range'; readonly distanceM: number; readonly rangeM: number }
  /** Back after the vehicle type's latest return (s after midnight), or longer on duty than its longest day (s). */
  | { readonly kind: 'duration'; readonly measure: 'return' | 'duty'; readonly value: number; readonly limit: number }
  | { readonly kind: 'cold_chain'; readonly stopId: string; readonly stationCode: string };

export interface EditScheduleStep {
  readonly kind: 'start' | 'station' | 'reload' | 'end';
  readonly stopId: string | null;
  readonly stationCode: string | null;
  readonly trip: number;
  readonly arrivalS: number;
  readonly departureS: number;
  /** On board when leaving: grams, cm³, pieces. */
  readonly load: Load;
}

export interface EditedRouteFigures {
  readonly routeId: string;
  readonly vehicleId: string;
  readonly feasible: boolean;
  readonly distanceM: number;
  readonly durationS: number;
  /** The fleet's own rates (as stored plans' routes): fixed + per km + per hour; 0 for a route left empty. */
  readonly costFen: number;
  readonly trips: number;
  readonly peakLoad: Load;
  readonly capacity: Load;
  readonly startS: number;
  readonly endS: number;
  readonly violations: readonly EditViolation[];
  readonly schedule: readonly EditScheduleStep[];
}

const UNITS = ['g', 'cm3', 'pieces'] as const;

/** The routing problem of an edit: the hub at location 0, then the stations; jobs are stop ids. */
export function editProblem(input: EditProblemInput): Problem {
  const s = input.settings;
  const locationOf = new Map(input.stationCodes.map((c, k) => [c, k + 1]));
  const speeds = [...new Set(input.routes.map((r) => r.vehicle.speed_kmh))].sort((a, b) => a - b);
  const jobs: Job[] = [];
  for (const r of input.routes) {
    for (const st of r.stops) {
      const station = input.stations.get(st.stationCode);
      const location = locationOf.get(st.stationCode);
      if (!station || location === undefined) throw new RangeError(`station ${st.stationCode} is not in the edit's network`);
      jobs.push({
        id: st.stopId,
        location,
        delivery: [...st.delivery],
        pickup: [...st.pickup],
        serviceTime: stationServiceS(st.parcels, st.pickup[2]),
        timeWindows: [[station.opensS, station.closesS]],
        ...(st.coldChain ? { skills: ['cold_chain'] } : {}),
      });
    }
  }
  return {
    locationCount: input.stationCodes.length + 1,
    dimensions: 3,
    profiles: speeds.map((v) => travelProfile(input.road, v)),
    jobs,
    // One solver vehicle per route (named by the route), so two routes of one vehicle stay apart.
    vehicles: input.routes.map((r) => ({ ...withDuty(solverVehicle(r.vehicle, speeds.indexOf(r.vehicle.speed_kmh), 0, [s.cutoffS, s.dayEndS], input.releaseS, s.reloadS), dutyOf(s, r.vehicle.type)), id: r.routeId })),
  };
}

/** Evaluates every route of the input in its given order. */
export function evaluateEdit(input: EditProblemInput): EditedRouteFigures[] {
  const problem = editProblem(input);
  const inspections = inspectRoutes(
    problem,
    input.routes.map((r) => ({ vehicleId: r.routeId, jobIds: r.stops.map((st) => st.stopId) })),
  );
  return input.routes.map((r, k) => figuresOf(r, inspections[k]!, input));
}

function figuresOf(route: EditRoute, inspection: RouteInspection, input: EditProblemInput): EditedRouteFigures {
  const stationOfStop = new Map(route.stops.map((st) => [st.stopId, st.stationCode]));
  const capacity = vehicleCapacity(route.vehicle);
  const violations = inspection.violations.map((v) => violationOf(v, stationOfStop)).filter((v): v is EditViolation => v !== null);
  let trip = 1;
  // A route left without stations keeps its start and end at the hub (nothing driven).
  const steps = inspection.steps.length > 0 ? inspection.steps : [
    { type: 'start' as const, location: 0, arrival: input.releaseS, serviceStart: input.releaseS, departure: input.releaseS, load: [0, 0, 0] },
    { type: 'end' as const, location: 0, arrival: input.releaseS, serviceStart: input.releaseS, departure: input.releaseS, load: [0, 0, 0] },
  ];
  const schedule: EditScheduleStep[] = steps.map((step) => {
    if (step.type === 'reload') trip += 1;
    const kind = step.type === 'job' ? 'station' : step.type === 'reload' ? 'reload' : step.type === 'start' ? 'start' : 'end';
    const stopId = step.type === 'job' ? (step.id ?? null) : null;
    return {
      kind,
      stopId,
      stationCode: stopId === null ? null : (stationOfStop.get(stopId) ?? null),
      trip,
      arrivalS: step.arrival,
      departureS: step.departure,
      load: [step.load[0] ?? 0, step.load[1] ?? 0, step.load[2] ?? 0],
    };
  });
  const peak: Load = [0, 0, 0];
  for (const step of schedule) for (let d = 0; d < 3; d++) peak[d] = Math.max(peak[d]!, step.load[d]!);
  const empty = route.stops.length === 0;
  const startS = schedule[0]?.departureS ?? input.releaseS;
  const endS = schedule[schedule.length - 1]?.arrivalS ?? startS;
  return {
    routeId: route.routeId,
    vehicleId: route.vehicle.id,
    feasible: inspection.feasible,
    distanceM: inspection.distance,
    durationS: inspection.duration,
    costFen: empty ? 0 : routeCostFen(route.vehicle, inspection.distance, inspection.duration),
    trips: Math.max(1, inspection.trips),
    peakLoad: peak,
    capacity,
    startS,
    endS,
    violations,
    schedule,
  };
}

function violationOf(v: RouteViolation, stationOfStop: ReadonlyMap<string, string>): EditViolation | null {
  switch (v.kind) {
    case 'capacity':
      return { kind: 'capacity', stopId: v.jobId, stationCode: v.jobId === null ? null : (stationOfStop.get(v.jobId) ?? null), unit: UNITS[v.dimension] ?? 'pieces', load: v.load, capacity: v.capacity };
    case 'time_window':
      return { kind: 'time_window', stopId: v.jobId, stationCode: stationOfStop.get(v.jobId) ?? '', arrivalS: v.arrival, closesS: v.latestStart };
    case 'max_distance':
      return { kind: 'range', distanceM: v.distance, rangeM: v.maxDistance };
    case 'shift_end':
      return { kind: 'duration', measure: 'return', value: v.end, limit: v.shiftEnd };
    case 'max_duration':
      return { kind: 'duration', measure: 'duty', value: v.duration, limit: v.maxDuration };
    case 'skill':
      return { kind: 'cold_chain', stopId: v.jobId, stationCode: stationOfStop.get(v.jobId) ?? '' };
    case 'max_stops':
      return null; // the fleet sets no stop limit
  }
}
