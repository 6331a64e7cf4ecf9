/** Hand-made instances for the solver's unit tests: points in the plane, rounded Euclidean metres. */
import type { Job, Problem, Shipment, Vehicle } from '../../../src/solver/model.ts';
import type { LsInstance } from '../../../src/solver/search/local-search.ts';

export type Point = readonly [number, number];

export function matrix(points: readonly Point[]): Int32Array {
  const n = points.length;
  const m = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * n + j] = Math.round(Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]));
  }
  return m;
}

export function problem(points: readonly Point[], jobs: Job[], vehicles: Vehicle[], extra: { shipments?: Shipment[]; dimensions?: number } = {}): Problem {
  const m = matrix(points);
  return {
    locationCount: points.length,
    dimensions: extra.dimensions ?? 1,
    profiles: [{ distance: m, duration: m }],
    jobs,
    vehicles,
    ...(extra.shipments ? { shipments: extra.shipments } : {}),
  };
}

export function job(id: string, location: number, delivery: number[], more: Partial<Job> = {}): Job {
  return { id, location, delivery, pickup: delivery.map(() => 0), serviceTime: 0, ...more };
}

export function vehicle(id: string, capacity: number[], more: Partial<Vehicle> = {}): Vehicle {
  return { id, profile: 0, startLocation: 0, endLocation: 0, capacity, ...more };
}

/**
 * A local-search instance from points: index 0 is the depot, clients are 1..n (renumbered 0..n-1).
 * Everything open unless windows are given; every client is a neighbour of every other.
 */
export function lsInstance(points: readonly Point[], demand: number[], cap: number,
  windows?: readonly (readonly [number, number])[], service = 0): LsInstance {
  const n = points.length - 1;
  const M = n + 2;
  const full = matrix(points);
  const idx = (i: number): number => (i < n ? i + 1 : 0);
  const dist = new Int32Array(M * M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) dist[i * M + j] = full[idx(i) * points.length + idx(j)]!;
  const k = n - 1;
  const neighbours = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    let q = 0;
    for (let j = 0; j < n; j++) if (j !== i) neighbours[i * k + q++] = j;
  }
  return {
    n, D: 1, dist, time: dist,
    service: new Float64Array(n).fill(service),
    early: Float64Array.from({ length: n }, (_, i) => windows?.[i]?.[0] ?? 0),
    late: Float64Array.from({ length: n }, (_, i) => windows?.[i]?.[1] ?? 1e12),
    del: Float64Array.from(demand), pick: new Float64Array(n), cap: Float64Array.of(cap),
    shiftEarly: 0, shiftLate: 1e12, maxDuration: Infinity, maxDistance: Infinity, maxStops: Infinity,
    fixed: 0, trueFixed: 0, cpd: 1, cdu: 0, symmetric: true, neighbours, k, nearest: k,
  };
}
