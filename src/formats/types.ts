/**
 * Benchmark instances as the files describe them, before any scaling for the solver.
 *
 * The readers keep the file's own numbers (coordinates, demands, windows, service times, node
 * ids) in a `BenchmarkInstance`, and derive the solver's integer `Problem` from it in
 * `to-problem.ts`. The independent checker (`verify.ts`) works on the `BenchmarkInstance` only,
 * so a scaling mistake in the solver model cannot hide behind the same mistake in the checker.
 */
import type { Problem } from '../solver/model.ts';

/** The four text formats of the public benchmark sets (see test/fixtures/README.md). */
export type BenchmarkFormat = 'vrplib' | 'lkh-vrptw' | 'solomon' | 'li-lim';

/**
 * How an edge's length is computed from two points, per the set's published convention.
 * - `round`: TSPLIB EUC_2D, Euclidean rounded to the nearest integer per edge (X set).
 * - `trunc1`: Euclidean truncated to one decimal per edge, `floor(10·d)/10` (LKH-3 FLOOR_2D with
 *   SCALE 10, Solomon `distance_trunc1`); travel time equals the truncated distance.
 * - `exact`: Euclidean in double precision (Solomon `hierarchical_exact`, Gehring & Homberger,
 *   Li & Lim); travel time equals the distance.
 * - `explicit`: the file's own integer matrix (TSPLIB `EDGE_WEIGHT_TYPE: EXPLICIT`, in
 *   `BenchmarkInstance.weights`); travel time equals the distance.
 */
export type DistanceConvention = 'round' | 'trunc1' | 'exact' | 'explicit';

/**
 * What the set's best-known solutions minimise. `vehicles-then-distance` is the hierarchical
 * objective of the Solomon / Gehring & Homberger / Li & Lim literature: fewer vehicles always
 * wins, distance breaks ties.
 */
export type BenchmarkObjective = 'distance' | 'vehicles-then-distance';

/** One node exactly as in the file (original units, original id). */
export interface BenchmarkNode {
  /** Node id as numbered in the file. */
  readonly id: number;
  readonly x: number;
  readonly y: number;
  /**
   * Demand as written in the file. Li & Lim: positive at a pickup, negative at its delivery.
   * Elsewhere: the amount delivered from the depot.
   */
  readonly demand: number;
  /** Earliest service start; 0 when the format has no windows. */
  readonly ready: number;
  /** Latest service start; +Infinity when the format has no windows. */
  readonly due: number;
  readonly service: number;
  /** Li & Lim only: for a delivery, the id of its pickup (else 0). */
  readonly pickupSibling: number;
  /** Li & Lim only: for a pickup, the id of its delivery (else 0). */
  readonly deliverySibling: number;
}

export interface BenchmarkInstance {
  readonly name: string;
  readonly format: BenchmarkFormat;
  readonly convention: DistanceConvention;
  readonly objective: BenchmarkObjective;
  /** Id of the depot node (1 in TSPLIB-like files, 0 in Solomon and Li & Lim text). */
  readonly depotId: number;
  /** Every node in file order, the depot included. */
  readonly nodes: readonly BenchmarkNode[];
  readonly capacity: number;
  /** Fleet limit stated in the file; absent = unlimited (X set). */
  readonly fleetSize?: number;
  /** Li & Lim travel speed (travel time = distance / speed); 1 elsewhere. */
  readonly speed: number;
  readonly hasTimeWindows: boolean;
  /** Li & Lim: customers come in pickup → delivery pairs served by the same vehicle. */
  readonly paired: boolean;
  /**
   * `explicit` only: the file's edge weights as a full row-major matrix over `nodes` in file order
   * (`weights[i * n + j]` = from nodes[i] to nodes[j]); coordinates are then for display only.
   */
  readonly weights?: readonly number[];
}

/** A benchmark instance together with the solver problem built from it. */
export interface LoadedInstance {
  readonly name: string;
  readonly format: BenchmarkFormat;
  readonly instance: BenchmarkInstance;
  readonly problem: Problem;
  /**
   * Solver units per file unit: solver integer = file value × scale (1 for X, 10 for trunc1,
   * 1000 for the double-precision sets).
   */
  readonly scale: number;
  /** `nodeIds[location]` = the node id exactly as numbered in the file. */
  readonly nodeIds: readonly number[];
  readonly objective: BenchmarkObjective;
  readonly fleetSize?: number;
}
