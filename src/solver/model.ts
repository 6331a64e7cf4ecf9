/**
 * The routing core's public model: plain data in, plain data out.
 *
 * This file is the contract between the solver (src/solver), the benchmark readers (bench/,
 * src/solver/formats) and the planner (src/planning). Everything is an integer in the caller's
 * units (the planner uses metres, seconds and fen; benchmark readers scale their instances'
 * distances to integers). Indices are dense: a location is 0..locationCount-1.
 */

/** One travel profile: distance and duration between every pair of locations, row-major. */
export interface TravelProfile {
  /** `distance[from * locationCount + to]` in integer distance units (e.g. metres). */
  readonly distance: Int32Array;
  /** `duration[from * locationCount + to]` in integer time units (e.g. seconds). */
  readonly duration: Int32Array;
}

/** Inclusive interval `[start, end]` in time units within which service may *start*. */
export type TimeWindow = readonly [start: number, end: number];

/** A stop at one location: delivers and/or picks up goods, in every capacity dimension. */
export interface Job {
  readonly id: string;
  readonly location: number;
  /** Amount loaded at the start depot (or at a reload) and dropped here, one per dimension. */
  readonly delivery: readonly number[];
  /** Amount collected here and carried back to the end depot, one per dimension. */
  readonly pickup: readonly number[];
  readonly serviceTime: number;
  /** Sorted, disjoint windows; service must start inside one. Empty or absent = always open. */
  readonly timeWindows?: readonly TimeWindow[];
  /** Every skill must be held by the vehicle (e.g. `cold_chain`). */
  readonly skills?: readonly string[];
  /**
   * Absent = mandatory: the solver serves it whenever any feasible insertion exists, and reports
   * it unassigned with a reason otherwise. Present = optional: leaving it out costs this prize.
   */
  readonly penalty?: number;
}

/** A pickup at one location delivered later on the same route (Li & Lim PDPTW). */
export interface Shipment {
  readonly id: string;
  readonly amount: readonly number[];
  readonly pickup: ShipmentStop;
  readonly delivery: ShipmentStop;
  readonly skills?: readonly string[];
  readonly penalty?: number;
}

export interface ShipmentStop {
  readonly location: number;
  readonly serviceTime: number;
  readonly timeWindows?: readonly TimeWindow[];
}

export interface Vehicle {
  readonly id: string;
  /** Index into `Problem.profiles`. */
  readonly profile: number;
  readonly startLocation: number;
  readonly endLocation: number;
  /** Capacity per dimension; the load on board must fit at every point of the route. */
  readonly capacity: readonly number[];
  /** Shift: the vehicle may leave its start at `shift[0]` at the earliest and must be back by `shift[1]`. */
  readonly shift?: TimeWindow;
  /** Earliest departure from the start (a township van waits for its line-haul); defaults to `shift[0]`. */
  readonly releaseTime?: number;
  /** Upper bound on end time minus start time. */
  readonly maxDuration?: number;
  /** Upper bound on distance driven (electric range), over all trips of the shift. */
  readonly maxDistance?: number;
  /** Upper bound on the number of job visits in a route. */
  readonly maxStops?: number;
  /** Paid once when the vehicle is used (default 0). */
  readonly fixedCost?: number;
  /** Default 1: without costs the objective is the distance, as in every public benchmark. */
  readonly costPerDistance?: number;
  /** Default 0. Duration = arrival at the end minus departure (waiting included, reloads included). */
  readonly costPerDuration?: number;
  readonly skills?: readonly string[];
  /** Trips per shift: the vehicle may return to its start depot to reload (default 1). */
  readonly maxTrips?: number;
  /** Time spent at the depot between two trips (reloading). */
  readonly reloadTime?: number;
}

export interface Problem {
  readonly locationCount: number;
  /** Number of capacity dimensions (e.g. 3: grams, cubic decimetres, parcel count). */
  readonly dimensions: number;
  readonly profiles: readonly TravelProfile[];
  readonly jobs: readonly Job[];
  readonly shipments?: readonly Shipment[];
  readonly vehicles: readonly Vehicle[];
}

export interface SolveOptions {
  /** Seed of the solver's own RNG. Same problem + seed + iteration budget ⇒ same solution. */
  readonly seed?: number;
  /** Called often; returns true once the time budget is spent. The core never reads a clock. */
  readonly deadline?: () => boolean;
  /** Iteration budget (deterministic stop). */
  readonly maxIterations?: number;
  /** Best penalised-feasible cost so far, reported when it improves. */
  readonly onProgress?: (progress: SolveProgress) => void;
  /**
   * Optional: fraction of the time budget spent so far (0..1), for annealing schedules. The runner
   * that owns the clock may pass it; without it the schedules restart in growing cycles.
   */
  readonly timeFraction?: () => number;
  /** Debug invariant mode: re-cost every route after each applied move and assert the delta. */
  readonly debug?: boolean;
}

export interface SolveProgress {
  readonly iteration: number;
  readonly bestCost: number;
  readonly feasible: boolean;
}

export type StepType = 'start' | 'job' | 'pickup' | 'delivery' | 'reload' | 'end';

export interface RouteStep {
  readonly type: StepType;
  /** Job or shipment id; absent for start, reload and end. */
  readonly id?: string;
  readonly location: number;
  readonly arrival: number;
  /** When service starts (after waiting for a window to open). */
  readonly serviceStart: number;
  readonly departure: number;
  /** Load on board when leaving this step, per dimension. */
  readonly load: readonly number[];
}

export interface Route {
  readonly vehicleId: string;
  readonly steps: readonly RouteStep[];
  readonly distance: number;
  readonly duration: number;
  readonly cost: number;
}

export type UnassignedReason =
  | 'capacity'
  | 'time_window'
  | 'skill'
  | 'max_distance'
  | 'max_duration'
  | 'max_stops'
  | 'not_worth_it'
  | 'no_feasible_route';

export interface Unassigned {
  readonly id: string;
  readonly kind: 'job' | 'shipment';
  readonly reason: UnassignedReason;
}

export interface Solution {
  /** Fixed + distance + duration costs of the routes plus penalties of optional jobs left out. */
  readonly cost: number;
  readonly routes: readonly Route[];
  readonly unassigned: readonly Unassigned[];
  readonly iterations: number;
}
