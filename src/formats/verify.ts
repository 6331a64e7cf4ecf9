/**
 * Independent solution checker for the benchmark sets. It reads nothing from the solver: given
 * an instance as parsed from its file and routes as lists of file node ids (depot excluded), it
 * recomputes every edge from the coordinates under the set's convention and checks
 *   coverage (each customer exactly once), capacity (load on board at every point, with Li & Lim
 *   pickups and deliveries), time windows (waiting allowed, service starts by the due date, back
 *   at the depot by its due date), pickup/delivery pairing and precedence, and the fleet size;
 * then reports the cost in the set's own convention:
 *   `round`: integer sum of nint edges; `explicit`: integer sum of the file's matrix entries; `trunc1`: sum of floor(10·d)/10 edges, added in integer
 *   tenths so no float error builds up; `exact`: double-precision sum.
 */
import type { BenchmarkInstance, BenchmarkNode } from './types.ts';

export interface CheckOptions {
  /** Overrides the instance's fleet limit (e.g. when the solver was given more vehicles). */
  readonly fleetSize?: number;
  /** Slack for double-precision time comparisons (default 1e-6). */
  readonly epsilon?: number;
}

export interface CheckResult {
  readonly feasible: boolean;
  /** Human-readable reasons, at most 50 (with a final "… more"). */
  readonly violations: readonly string[];
  /** Total distance under the set's convention. */
  readonly cost: number;
  /** Non-empty routes. */
  readonly vehicles: number;
  /** Customers never visited. */
  readonly missing: readonly number[];
}

const MAX_VIOLATIONS = 50;

export function checkSolution(instance: BenchmarkInstance, routes: readonly (readonly number[])[], options: CheckOptions = {}): CheckResult {
  const violations: string[] = [];
  let dropped = 0;
  const fail = (message: string): void => {
    if (violations.length < MAX_VIOLATIONS) violations.push(message);
    else dropped++;
  };
  const eps = options.epsilon ?? 1e-6;
  const byId = new Map<number, BenchmarkNode>(instance.nodes.map((node) => [node.id, node]));
  const depot = byId.get(instance.depotId);
  if (!depot) throw new Error(`instance ${instance.name} has no depot node ${instance.depotId}`);

  // Edge length in "checker units": integers for round and explicit, integer tenths for trunc1,
  // doubles for exact. An explicit instance's edges are read from its own matrix.
  const unit = instance.convention === 'trunc1' ? 10 : 1;
  const indexOf = new Map<number, number>(instance.nodes.map((node, k) => [node.id, k]));
  const weights = instance.weights;
  if (instance.convention === 'explicit' && weights?.length !== instance.nodes.length ** 2) throw new Error(`instance ${instance.name} is explicit but has no full weight matrix`);
  const edge = (a: BenchmarkNode, b: BenchmarkNode): number => {
    if (weights) return a === b ? 0 : weights[indexOf.get(a.id)! * instance.nodes.length + indexOf.get(b.id)!]!;
    const d = Math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2);
    if (instance.convention === 'round') return Math.floor(d + 0.5);
    if (instance.convention === 'trunc1') {
      // floor(10·d) computed on the integer 100·d² where possible, so perfect squares are exact.
      const t = 100 * ((a.x - b.x) ** 2 + (a.y - b.y) ** 2);
      let r = Math.floor(Math.sqrt(t));
      if (Number.isInteger(t)) {
        while ((r + 1) * (r + 1) <= t) r++;
        while (r * r > t) r--;
      }
      return r;
    }
    return d;
  };
  // Time comparisons happen in checker units; integer conventions need no slack.
  const slack = instance.convention === 'exact' ? eps : 0;

  const seen = new Map<number, number>(); // node id → route index
  const position = new Map<number, number>(); // node id → position in its route
  let total = 0;
  let vehicles = 0;
  routes.forEach((route, r) => {
    if (route.length === 0) return;
    vehicles++;
    let prev = depot;
    let time = depot.ready * unit;
    let load = 0;
    let peak = 0;
    let routeDistance = 0;
    route.forEach((id, k) => {
      const node = byId.get(id);
      if (!node || id === instance.depotId) {
        fail(`route ${r + 1}: ${id === instance.depotId ? 'depot' : 'unknown node'} ${id} inside the route`);
        return;
      }
      if (seen.has(id)) fail(`node ${id} visited twice (routes ${seen.get(id)! + 1} and ${r + 1})`);
      seen.set(id, r);
      position.set(id, k);
      const d = edge(prev, node);
      routeDistance += d;
      if (instance.hasTimeWindows) {
        const arrival = time + d / instance.speed;
        const start = Math.max(arrival, node.ready * unit);
        if (start > node.due * unit + slack) fail(`route ${r + 1}: node ${id} served at ${fmt(start / unit)} after its due date ${node.due}`);
        time = start + node.service * unit;
      }
      // Li & Lim: +demand at a pickup, −demand at its delivery; elsewhere every demand is loaded
      // at the depot, so the running sum's peak is the load leaving the depot.
      load += node.demand;
      if (load < 0) fail(`route ${r + 1}: negative load after node ${id}`);
      peak = Math.max(peak, load);
      prev = node;
    });
    const back = edge(prev, depot);
    routeDistance += back;
    if (instance.hasTimeWindows) {
      const arrival = time + back / instance.speed;
      if (arrival > depot.due * unit + slack) fail(`route ${r + 1}: back at the depot at ${fmt(arrival / unit)} after its due date ${depot.due}`);
    }
    if (peak > instance.capacity) fail(`route ${r + 1}: load ${peak} exceeds capacity ${instance.capacity}`);
    total += routeDistance;
  });

  const missing: number[] = [];
  for (const node of instance.nodes) {
    if (node.id !== instance.depotId && !seen.has(node.id)) missing.push(node.id);
  }
  if (missing.length > 0) fail(`${missing.length} customer(s) not served: ${missing.slice(0, 20).join(' ')}${missing.length > 20 ? ' …' : ''}`);

  if (instance.paired) {
    for (const node of instance.nodes) {
      if (node.deliverySibling === 0 || node.id === instance.depotId) continue;
      const pr = seen.get(node.id);
      const dr = seen.get(node.deliverySibling);
      if (pr === undefined || dr === undefined) continue; // reported as missing
      if (pr !== dr) fail(`pickup ${node.id} and its delivery ${node.deliverySibling} are on different routes (${pr + 1}, ${dr + 1})`);
      else if (position.get(node.id)! > position.get(node.deliverySibling)!) fail(`delivery ${node.deliverySibling} comes before its pickup ${node.id} (route ${pr + 1})`);
    }
  }

  const fleet = options.fleetSize ?? instance.fleetSize;
  if (fleet !== undefined && vehicles > fleet) fail(`${vehicles} routes exceed the fleet of ${fleet}`);
  if (dropped > 0) violations.push(`… ${dropped} more`);

  const cost = instance.convention === 'trunc1' ? total / 10 : total;
  return { feasible: violations.length === 0, violations, cost, vehicles, missing };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}
