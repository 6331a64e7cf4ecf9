/**
 * Builds the solver's integer `Problem` from a benchmark instance, in the set's convention.
 *
 * Scaling (solver integer = file value × scale):
 * - `round` (X): scale 1; every edge is `nint(d)`, exactly the published convention.
 * - `trunc1` (Solomon distance_trunc1): scale 10; every edge is `floor(10·d)`, exactly LKH-3's
 *   integer model; windows and service times ×10; travel time = distance.
 * - `explicit` (TSPLIB EXPLICIT): scale 1; every edge is the file's integer weight.
 * - `exact` (double-precision sets): scale 1000. Edge *distance* = `round(1000·d)`, so a route's
 *   integer cost is within 0.5 per edge (×1/1000) of its double cost, and the bench re-computes
 *   the reported cost in double precision from the routes. Edge *travel time* =
 *   `ceil(1000·d)`: rounding times up means every schedule the solver finds feasible is also
 *   feasible in double precision (windows and service times are integers in these files, so
 *   they scale exactly). The price: a best-known route whose double-precision arrival lands
 *   within a few thousandths of a due date may be infeasible in the integer model.
 *
 * Fleet: the file's vehicle count (Solomon, Gehring & Homberger, Li & Lim, LKH-3 `VEHICLES`);
 * the X set's fleet is unlimited, so we give `min(n, ⌈2·D/Q⌉ + 1)` identical vehicles
 * (D = total demand): in a solution with more routes two of them together carry at most Q and
 * merging them never lengthens the tour under the triangle inequality, so no optimum is cut off.
 *
 * Objective: `vehicles-then-distance` sets get a fixed cost per vehicle larger than any possible
 * total distance (every customer's longest outgoing edge plus, per vehicle, the depot's longest
 * edge), so one vehicle fewer always beats any distance saving; the bench reports the distance
 * part under the set's convention and the vehicle count separately.
 */
import type { Job, Problem, Shipment, TimeWindow, Vehicle } from '../solver/model.ts';
import type { BenchmarkInstance, BenchmarkNode, DistanceConvention, LoadedInstance } from './types.ts';

export const SCALE: Readonly<Record<DistanceConvention, number>> = { round: 1, trunc1: 10, exact: 1000, explicit: 1 };

export interface ToProblemOptions {
  /** Override the fleet size (default: the file's, or the unlimited-fleet bound for X). */
  readonly fleet?: number;
}

/** Integer edge length and travel time in solver units for one pair of nodes. */
export function scaledEdge(convention: DistanceConvention, a: BenchmarkNode, b: BenchmarkNode, speed = 1): { distance: number; duration: number } {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  const sq = dx * dx + dy * dy;
  switch (convention) {
    case 'round': {
      const d = Math.round(Math.sqrt(sq));
      return { distance: d, duration: Math.ceil(d / speed) };
    }
    case 'trunc1': {
      const d = floorSqrt100(sq);
      return { distance: d, duration: Math.ceil(d / speed) };
    }
    case 'exact': {
      const d = 1000 * Math.sqrt(sq);
      // The 1e-7 keeps an exactly integral length (3-4-5 triangles) from rounding up by float noise.
      return { distance: Math.round(d), duration: Math.ceil(d / speed - 1e-7) };
    }
    case 'explicit':
      throw new Error('an explicit instance’s edges come from its matrix, not its coordinates');
  }
}

/** floor(10·√s), exact for integer s (no float error at perfect squares). */
function floorSqrt100(s: number): number {
  const t = 100 * s;
  let r = Math.floor(Math.sqrt(t));
  if (!Number.isInteger(t)) return r;
  while ((r + 1) * (r + 1) <= t) r++;
  while (r * r > t) r--;
  return r;
}

export function toProblem(instance: BenchmarkInstance, options: ToProblemOptions = {}): LoadedInstance {
  const { nodes, convention } = instance;
  const scale = SCALE[convention];
  // Times in the files are integers and scale exactly; a fractional one is rounded to the safe
  // side (ready times and service up, due dates down), keeping integer-feasible ⇒ feasible.
  // (`+ 0` turns the -0 that ceil(-1e-9) gives into 0.)
  const early = (t: number): number => Math.ceil(t * scale - 1e-9) + 0;
  const late = (t: number): number => Math.floor(t * scale + 1e-9) + 0;
  const n = nodes.length;
  const distance = new Int32Array(n * n);
  const duration = new Int32Array(n * n);
  const weights = instance.weights;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (weights) {
        // The file's integers as they are (scale 1); travel time = distance, as for the other sets.
        distance[i * n + j] = weights[i * n + j]!;
        duration[i * n + j] = Math.ceil(weights[i * n + j]! / instance.speed);
        continue;
      }
      const e = scaledEdge(convention, nodes[i]!, nodes[j]!, instance.speed);
      distance[i * n + j] = e.distance;
      duration[i * n + j] = e.duration;
    }
  }
  const nodeIds = nodes.map((node) => node.id);
  const locationOf = new Map(nodeIds.map((id, loc) => [id, loc]));
  const depot = locationOf.get(instance.depotId)!;
  const depotNode = nodes[depot]!;
  const windowOf = (node: BenchmarkNode): TimeWindow[] | undefined =>
    instance.hasTimeWindows && Number.isFinite(node.due) ? [[early(node.ready), late(node.due)]] : undefined;
  const withWindows = <T extends object>(base: T, node: BenchmarkNode): T => {
    const tw = windowOf(node);
    return tw ? { ...base, timeWindows: tw } : base;
  };

  const customers = nodes.filter((node) => node.id !== instance.depotId);
  const jobs: Job[] = [];
  const shipments: Shipment[] = [];
  if (instance.paired) {
    for (const p of customers) {
      if (p.deliverySibling === 0) continue;
      const d = nodes[locationOf.get(p.deliverySibling)!]!;
      shipments.push({
        id: `${p.id}-${d.id}`,
        amount: [p.demand],
        pickup: withWindows({ location: locationOf.get(p.id)!, serviceTime: early(p.service) }, p),
        delivery: withWindows({ location: locationOf.get(d.id)!, serviceTime: early(d.service) }, d),
      });
    }
  } else {
    for (const c of customers) {
      jobs.push(withWindows({ id: String(c.id), location: locationOf.get(c.id)!, delivery: [c.demand], pickup: [0], serviceTime: early(c.service) }, c));
    }
  }

  const totalDemand = customers.reduce((sum, c) => sum + Math.max(0, c.demand), 0);
  const fleet = options.fleet ?? instance.fleetSize ?? Math.max(1, Math.min(customers.length, Math.ceil((2 * totalDemand) / instance.capacity) + 1));
  let fixedCost = 0;
  if (instance.objective === 'vehicles-then-distance') {
    const longestFrom = (i: number): number => {
      let m = 0;
      for (let j = 0; j < n; j++) m = Math.max(m, distance[i * n + j]!);
      return m;
    };
    for (let i = 0; i < n; i++) if (i !== depot) fixedCost += longestFrom(i);
    fixedCost += fleet * longestFrom(depot) + 1;
  }
  const shift: TimeWindow | undefined = instance.hasTimeWindows && Number.isFinite(depotNode.due) ? [early(depotNode.ready), late(depotNode.due)] : undefined;
  const vehicles: Vehicle[] = [];
  for (let k = 0; k < fleet; k++) {
    vehicles.push({
      id: `v${k + 1}`,
      profile: 0,
      startLocation: depot,
      endLocation: depot,
      capacity: [instance.capacity],
      ...(shift ? { shift } : {}),
      fixedCost,
      costPerDistance: 1,
      costPerDuration: 0,
    });
  }
  const problem: Problem = {
    locationCount: n,
    dimensions: 1,
    profiles: [{ distance, duration }],
    jobs,
    ...(instance.paired ? { shipments } : {}),
    vehicles,
  };
  return {
    name: instance.name,
    format: instance.format,
    instance,
    problem,
    scale,
    nodeIds,
    objective: instance.objective,
    ...(instance.fleetSize === undefined ? {} : { fleetSize: instance.fleetSize }),
  };
}
