/**
 * A VROOM problem → the solver's integer `Problem`, exactly or not at all: whatever the routing
 * core cannot model the same way VROOM does is a 400 (`AppError invalid_data`) naming the field.
 *
 * - Matrices: `matrices.<profile>.durations` are required (a problem by coordinates alone gets
 *   them from OSRM first, coordinates.ts; without OSRM a 400 names `matrices`); `distances`
 *   optional; `costs` optional. The deprecated single `matrix` is every profile's durations.
 * - Travel times are `round(duration / speed_factor)`, per vehicle, as VROOM scales them.
 * - Cost: VROOM prices each edge `per_hour · duration / 3600 + per_km · distance / 1000` (or
 *   the profile's `costs` matrix), plus `fixed` per vehicle used. The solver minimises
 *   `fixedCost + Σ distance` of its profiles, so each solver profile's "distance" is that edge
 *   cost in one common integer unit (1/36000 of a cost unit, divided by the gcd of every
 *   coefficient: with VROOM's default costs the unit is exactly one second of travel). Travel
 *   time stays the duration matrix. `max_distance` is then a bound on that cost, so it is only
 *   accepted where the cost is proportional to distance (`per_hour: 0`, `per_km > 0`).
 * - Open routes: a vehicle without `start` (or `end`) starts (ends) at a virtual location zero
 *   away from everything, and the answer has no start (end) step, as VROOM's.
 * - Tasks: VROOM serves as many tasks as it can; so do the solver's mandatory jobs. When
 *   priorities differ, every task gets a prize instead: priority sum first, then task count, then
 *   cost, as VROOM ranks them (the prizes are larger than any routing cost).
 * - `setup` is due only on arriving at a new location; the solver has no such notion, so a
 *   non-zero setup is accepted only when every task has a location of its own (then it is always
 *   due, and it is added to the service time).
 * Extensions: `max_trips`, `reload_time` (multi-trip reloads at the start) and `release_time`.
 */
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { zodIssuesToDetails } from '../http/error-handler.ts';
import type { Job, Problem, Shipment, TimeWindow, TravelProfile, Vehicle } from '../solver/model.ts';
import { VroomInput, type VroomJob } from './vroom.schemas.ts';

/** One VROOM task as the answer needs it: which input object it is and what it carries. */
export interface TaskRef {
  readonly type: 'job' | 'pickup' | 'delivery';
  /** Index in `jobs` or `shipments`. */
  readonly index: number;
  readonly id: number;
  readonly setup: number;
  readonly service: number;
  readonly priority: number;
  readonly description?: string;
  readonly location?: readonly number[];
  readonly locationIndex: number;
}

export interface VroomModel {
  readonly input: VroomInput;
  readonly problem: Problem;
  /** Real capacity dimensions (0 when no amounts are given; the solver then gets one, all zero). */
  readonly dimensions: number;
  /** Locations of the matrices (the solver's may have one more: the virtual open-route end). */
  readonly matrixSize: number;
  /** Per vehicle: its speed-scaled travel times and its distances (null without a distances matrix). */
  readonly travel: readonly { readonly duration: Int32Array; readonly distance: Int32Array | null }[];
  /** Cost units per unit of the solver's objective (fixed costs divide exactly). */
  readonly costPerUnit: number;
  /** Solver job id → task; solver shipment id → [pickup, delivery]. */
  readonly jobTask: ReadonlyMap<string, TaskRef>;
  readonly shipmentTasks: ReadonlyMap<string, readonly [TaskRef, TaskRef]>;
  /** Solver vehicle id → index in `vehicles`. */
  readonly vehicleIndex: ReadonlyMap<string, number>;
}

/** VROOM keys gongpei does not model, refused with what to do instead. */
const UNSUPPORTED_TASK: Readonly<Record<string, string>> = {
  setup_per_type: 'per-vehicle-type setup times are not supported',
  service_per_type: 'per-vehicle-type service times are not supported',
  amount: 'the deprecated job amount is not supported: use delivery or pickup',
};
const UNSUPPORTED_VEHICLE: Readonly<Record<string, string>> = {
  max_travel_time: 'max_travel_time is not supported (gongpei bounds distance, stops and the shift, not travel time alone)',
  steps: 'vehicle steps (plan mode, initial routes) are not supported',
};

function invalid(details: ErrorDetail[]): AppError {
  const summary = details
    .slice(0, 3)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
  return new AppError('invalid_data', `Invalid problem: ${summary}`, details);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** VROOM fields we know and do not model: a 400 that says so, before the schema's "unknown field". */
export function refuseUnsupported(raw: unknown): void {
  if (!isObject(raw)) return;
  const out: ErrorDetail[] = [];
  const check = (obj: unknown, table: Readonly<Record<string, string>>, path: string): void => {
    if (!isObject(obj)) return;
    for (const [key, message] of Object.entries(table)) if (key in obj) out.push({ path: `${path}${key}`, message });
  };
  const list = (key: string): unknown[] => (Array.isArray(raw[key]) ? raw[key] : []);
  list('jobs').forEach((j, i) => check(j, UNSUPPORTED_TASK, `jobs.${i}.`));
  list('shipments').forEach((s, i) => {
    if (!isObject(s)) return;
    check(s.pickup, UNSUPPORTED_TASK, `shipments.${i}.pickup.`);
    check(s.delivery, UNSUPPORTED_TASK, `shipments.${i}.delivery.`);
  });
  list('vehicles').forEach((v, i) => {
    check(v, UNSUPPORTED_VEHICLE, `vehicles.${i}.`);
    if (!isObject(v)) return;
    if (Array.isArray(v.breaks) && v.breaks.length > 0) out.push({ path: `vehicles.${i}.breaks`, message: 'breaks are not supported (only an empty list)' });
    if (isObject(v.costs) && v.costs.per_task_hour !== undefined && v.costs.per_task_hour !== 0) {
      out.push({ path: `vehicles.${i}.costs.per_task_hour`, message: 'per_task_hour is not supported (only 0)' });
    }
  });
  if (out.length > 0) throw invalid(out);
}

/**
 * VROOM's deprecated top-level `matrix` (its older docs' custom-matrix example) is the durations
 * of every profile: rewritten as `matrices` before validation. Both at once is ambiguous: a 400.
 */
function withMatrices(raw: unknown): unknown {
  if (!isObject(raw) || !('matrix' in raw)) return raw;
  const { matrix, ...rest } = raw;
  if ('matrices' in raw) throw invalid([{ path: 'matrix', message: 'give matrices or the deprecated matrix, not both' }]);
  const profiles = new Set<string>(['car']);
  if (Array.isArray(raw.vehicles)) for (const v of raw.vehicles) if (isObject(v) && typeof v.profile === 'string') profiles.add(v.profile);
  return { ...rest, matrices: Object.fromEntries([...profiles].map((p) => [p, { durations: matrix }])) };
}

export function parseVroomInput(raw0: unknown): VroomInput {
  const raw = withMatrices(raw0);
  refuseUnsupported(raw);
  const parsed = VroomInput.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssuesToDetails(parsed.error));
  return parsed.data;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Sorted, disjoint windows (VROOM takes them in any order; touching or overlapping ones merge). */
function normalWindows(windows: readonly (readonly number[])[] | undefined): TimeWindow[] | undefined {
  if (!windows || windows.length === 0) return undefined;
  const sorted = windows.map((w) => [w[0]!, w[1]!] as const).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const INT32_MAX = 2 ** 31 - 1;

/** Validates a VROOM problem (already parsed) against what gongpei models and builds the solver problem. */
export function toVroomModel(input: VroomInput): VroomModel {
  const issues: ErrorDetail[] = [];
  const fail = (path: string, message: string): void => {
    if (issues.length < 50) issues.push({ path, message });
  };
  const jobs = input.jobs ?? [];
  const shipments = input.shipments ?? [];
  const vehicles = input.vehicles;
  if (jobs.length + shipments.length === 0) fail('jobs', 'give at least one job or shipment');

  // Matrices: required, square, one size.
  const matrices = input.matrices;
  if (!matrices || Object.keys(matrices).length === 0) {
    throw invalid([{ path: 'matrices', message: 'required: gongpei does not compute travel times from coordinates here; give matrices.<profile>.durations (and distances)' }]);
  }
  let n = -1;
  for (const [profile, m] of Object.entries(matrices)) {
    if (!m.durations) fail(`matrices.${profile}.durations`, 'required for every profile given');
    for (const kind of ['durations', 'distances', 'costs'] as const) {
      const rows = m[kind];
      if (!rows) continue;
      if (n < 0) n = rows.length;
      if (rows.length !== n || rows.length === 0) fail(`matrices.${profile}.${kind}`, `expected ${n > 0 ? n : 'a non-empty list of'} rows (every matrix has the same size)`);
      rows.forEach((row, i) => {
        if (row.length !== rows.length) fail(`matrices.${profile}.${kind}.${i}`, `expected ${rows.length} columns (a square matrix)`);
        if (row.some((x) => x > INT32_MAX)) fail(`matrices.${profile}.${kind}.${i}`, `values above ${INT32_MAX} are not supported`);
      });
    }
  }
  if (issues.length > 0) throw invalid(issues);

  // Locations.
  const index = (value: number | undefined, coords: unknown, path: string, required: boolean): number | undefined => {
    if (value === undefined) {
      if (required || coords !== undefined) fail(`${path}_index`, coords !== undefined ? 'required with matrices (the location alone is not used to compute travel)' : 'required');
      return undefined;
    }
    if (value >= n) fail(`${path}_index`, `${value} is outside the ${n}×${n} matrices`);
    return value;
  };
  const taskIndex = (t: { location_index?: number | undefined; location?: unknown }, path: string): number => {
    if (t.location_index === undefined) {
      fail(`${path}.location_index`, t.location !== undefined ? 'required with matrices (the location alone is not used to compute travel)' : 'required');
      return 0;
    }
    if (t.location_index >= n) fail(`${path}.location_index`, `${t.location_index} is outside the ${n}×${n} matrices`);
    return t.location_index;
  };

  // Ids: unique per kind.
  const unique = (ids: number[], path: (i: number) => string, kind: string): void => {
    const seen = new Set<number>();
    ids.forEach((id, i) => {
      if (seen.has(id)) fail(path(i), `duplicate ${kind} id ${id}`);
      seen.add(id);
    });
  };
  unique(jobs.map((j) => j.id), (i) => `jobs.${i}.id`, 'job');
  unique(shipments.map((s) => s.pickup.id), (i) => `shipments.${i}.pickup.id`, 'pickup');
  unique(shipments.map((s) => s.delivery.id), (i) => `shipments.${i}.delivery.id`, 'delivery');
  unique(vehicles.map((v) => v.id), (i) => `vehicles.${i}.id`, 'vehicle');

  // Amount dimensions: one length for all.
  let dims = -1;
  const dimOf = (a: readonly number[] | undefined, path: string): void => {
    if (a === undefined) return;
    if (dims < 0) dims = a.length;
    else if (a.length !== dims) fail(path, `has ${a.length} dimensions; the other amounts have ${dims}`);
  };
  vehicles.forEach((v, i) => dimOf(v.capacity, `vehicles.${i}.capacity`));
  jobs.forEach((j, i) => {
    dimOf(j.delivery, `jobs.${i}.delivery`);
    dimOf(j.pickup, `jobs.${i}.pickup`);
  });
  shipments.forEach((s, i) => dimOf(s.amount, `shipments.${i}.amount`));
  const D = Math.max(0, dims);
  const solverD = Math.max(1, D);
  const amount = (a: readonly number[] | undefined): number[] => (a && a.length > 0 ? [...a] : new Array<number>(solverD).fill(0));
  if (D > 0) vehicles.forEach((v, i) => v.capacity === undefined && fail(`vehicles.${i}.capacity`, `required: the tasks have ${D}-dimensional amounts`));

  // Vehicles: profiles, locations, costs.
  const profileOf = vehicles.map((v, i) => {
    const p = v.profile ?? 'car';
    if (!matrices[p]) fail(`vehicles.${i}.profile`, `no matrices for profile "${p}"`);
    return p;
  });
  const starts = vehicles.map((v, i) => index(v.start_index, v.start, `vehicles.${i}.start`, false));
  const ends = vehicles.map((v, i) => index(v.end_index, v.end, `vehicles.${i}.end`, false));
  vehicles.forEach((v, i) => {
    if (starts[i] === undefined && ends[i] === undefined && v.start === undefined && v.end === undefined) fail(`vehicles.${i}`, 'give start_index, end_index or both');
    if ((v.max_trips ?? 1) > 1 && starts[i] === undefined) fail(`vehicles.${i}.max_trips`, 'a vehicle reloads at its start: give start_index');
  });
  const costs = vehicles.map((v) => ({ fixed: v.costs?.fixed ?? 0, perHour: v.costs?.per_hour ?? 3600, perKm: v.costs?.per_km ?? 0 }));
  vehicles.forEach((v, i) => {
    const m = matrices[profileOf[i]!];
    if (!m) return;
    if (m.costs && (v.costs?.per_hour !== undefined || v.costs?.per_km !== undefined)) {
      fail(`vehicles.${i}.costs`, `per_hour and per_km cannot be combined with matrices.${profileOf[i]}.costs (the costs matrix prices every edge)`);
    }
    if (!m.costs && costs[i]!.perKm > 0 && !m.distances) fail(`matrices.${profileOf[i]}.distances`, `required: vehicles.${i}.costs.per_km prices distance`);
    if (v.max_distance !== undefined) {
      if (!m.distances) fail(`matrices.${profileOf[i]}.distances`, `required: vehicles.${i}.max_distance bounds distance`);
      else if (m.costs || costs[i]!.perHour !== 0 || costs[i]!.perKm === 0) {
        fail(`vehicles.${i}.max_distance`, 'supported only when the vehicle’s cost is by distance alone (costs.per_hour: 0, costs.per_km > 0, no costs matrix)');
      }
    }
  });
  if (issues.length > 0) throw invalid(issues);

  // Tasks.
  const jobTask = new Map<string, TaskRef>();
  const shipmentTasks = new Map<string, readonly [TaskRef, TaskRef]>();
  const taskRef = (
    type: TaskRef['type'],
    i: number,
    t: { id: number; setup?: number | undefined; service?: number | undefined; description?: string | undefined; location?: number[] | undefined },
    loc: number,
    priority: number,
  ): TaskRef => ({
    type,
    index: i,
    id: t.id,
    setup: t.setup ?? 0,
    service: t.service ?? 0,
    priority,
    locationIndex: loc,
    ...(t.description === undefined ? {} : { description: t.description }),
    ...(t.location === undefined ? {} : { location: t.location }),
  });
  const jobLocs = jobs.map((j, i) => taskIndex(j, `jobs.${i}`));
  const pickLocs = shipments.map((s, i) => taskIndex(s.pickup, `shipments.${i}.pickup`));
  const dropLocs = shipments.map((s, i) => taskIndex(s.delivery, `shipments.${i}.delivery`));
  if (issues.length > 0) throw invalid(issues);

  // Setup: exact only when it is always due (no two tasks share a location, none is at a start).
  const withSetup: { path: string; loc: number }[] = [];
  const locUse = new Map<number, number>();
  const use = (loc: number): void => void locUse.set(loc, (locUse.get(loc) ?? 0) + 1);
  jobs.forEach((j, i) => {
    use(jobLocs[i]!);
    if ((j.setup ?? 0) > 0) withSetup.push({ path: `jobs.${i}.setup`, loc: jobLocs[i]! });
  });
  shipments.forEach((s, i) => {
    use(pickLocs[i]!);
    use(dropLocs[i]!);
    if ((s.pickup.setup ?? 0) > 0) withSetup.push({ path: `shipments.${i}.pickup.setup`, loc: pickLocs[i]! });
    if ((s.delivery.setup ?? 0) > 0) withSetup.push({ path: `shipments.${i}.delivery.setup`, loc: dropLocs[i]! });
  });
  const startLocs = new Set(starts.filter((s): s is number => s !== undefined));
  for (const s of withSetup) {
    if ((locUse.get(s.loc) ?? 0) > 1 || startLocs.has(s.loc)) {
      fail(s.path, 'a non-zero setup is supported only when every task has a location of its own, away from the vehicles’ starts (where VROOM would sometimes skip it)');
    }
  }
  if (issues.length > 0) throw invalid(issues);

  // Travel per vehicle (speed factor), and the common cost unit.
  const needVirtual = vehicles.some((_, i) => starts[i] === undefined || ends[i] === undefined);
  const L = needVirtual ? n + 1 : n;
  const virtual = n;
  const flat = (rows: readonly (readonly number[])[], scale: (x: number) => number = (x) => x): Int32Array => {
    const out = new Int32Array(L * L);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * L + j] = scale(rows[i]![j]!);
    return out;
  };
  const speedKey = (i: number): string => `${profileOf[i]}|${vehicles[i]!.speed_factor ?? 1}`;
  const durationCache = new Map<string, Int32Array>();
  const distanceCache = new Map<string, Int32Array>();
  const travel = vehicles.map((v, i) => {
    const p = profileOf[i]!;
    const m = matrices[p]!;
    const key = speedKey(i);
    let duration = durationCache.get(key);
    if (!duration) {
      const f = v.speed_factor ?? 1;
      if (m.durations!.some((row) => row.some((x) => Math.round(x / f) > INT32_MAX))) fail(`vehicles.${i}.speed_factor`, `travel times above ${INT32_MAX} s after scaling are not supported`);
      duration = flat(m.durations!, f === 1 ? undefined : (x) => Math.round(x / f));
      durationCache.set(key, duration);
    }
    let distance: Int32Array | null = null;
    if (m.distances) {
      distance = distanceCache.get(p) ?? flat(m.distances);
      distanceCache.set(p, distance);
    }
    return { duration, distance };
  });
  // Coefficients in 1/36000 cost units: a second of travel at per_hour costs per_hour·10, a metre
  // at per_km costs per_km·36, a cost-matrix unit or a fixed-cost unit 36000.
  let g = 0;
  vehicles.forEach((_, i) => {
    const m = matrices[profileOf[i]!]!;
    if (m.costs) g = gcd(g, 36000);
    else {
      g = gcd(g, costs[i]!.perHour * 10);
      g = gcd(g, costs[i]!.perKm * 36);
    }
    g = gcd(g, costs[i]!.fixed * 36000);
  });
  if (g === 0) g = 36000; // every cost is zero: any unit will do
  const costKey = (i: number): string => {
    const m = matrices[profileOf[i]!]!;
    return m.costs ? `${profileOf[i]}|costs` : `${speedKey(i)}|${costs[i]!.perHour}|${costs[i]!.perKm}`;
  };
  const profiles: TravelProfile[] = [];
  const profileIndex = new Map<string, number>();
  const vehicleProfile = vehicles.map((_, i) => {
    const key = costKey(i);
    let k = profileIndex.get(key);
    if (k !== undefined) return k;
    const m = matrices[profileOf[i]!]!;
    const { duration, distance } = travel[i]!;
    let carrier: Int32Array;
    if (m.costs) {
      carrier = flat(m.costs, (x) => (x * 36000) / g);
    } else {
      const hour = (costs[i]!.perHour * 10) / g;
      const km = (costs[i]!.perKm * 36) / g;
      carrier = new Int32Array(L * L);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          const e = a * L + b;
          carrier[e] = hour * duration[e]! + (km > 0 && distance ? km * distance[e]! : 0);
        }
      }
    }
    // Int32 holds the matrices; an edge cost above it cannot be represented exactly.
    let max = 0;
    const src = m.costs ?? null;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const exact = src ? (src[a]![b]! * 36000) / g : ((costs[i]!.perHour * 10) / g) * duration[a * L + b]! + ((costs[i]!.perKm * 36) / g) * (distance?.[a * L + b] ?? 0);
        if (exact > max) max = exact;
      }
    }
    if (max > INT32_MAX) fail(`vehicles.${i}.costs`, 'edge costs too large to price exactly with these coefficients (lower per_hour / per_km, or give a costs matrix)');
    k = profiles.length;
    profiles.push({ distance: carrier, duration });
    profileIndex.set(key, k);
    return k;
  });
  if (issues.length > 0) throw invalid(issues);

  // Priorities: equal → every task mandatory (VROOM's "as many as possible"); otherwise prizes.
  const taskCount = jobs.length + 2 * shipments.length;
  const priorities = [...jobs.map((j) => j.priority ?? 0), ...shipments.map((s) => s.priority ?? 0)];
  const prized = priorities.some((p) => p !== priorities[0]);
  let prizeUnit = 0;
  if (prized) {
    // Larger than any solution's routing cost: every fixed cost plus (tasks + vehicles) of the
    // longest edge of any profile.
    let maxEdge = 0;
    for (const p of profiles) for (const x of p.distance) if (x > maxEdge) maxEdge = x;
    const fixedSum = vehicles.reduce((s, _, i) => s + (costs[i]!.fixed * 36000) / g, 0);
    prizeUnit = fixedSum + (taskCount + vehicles.length) * maxEdge + 1;
    if (!Number.isSafeInteger(prizeUnit * 2 * (1 + 100 * (taskCount + 1)) * taskCount)) {
      fail(jobs.length > 0 ? 'jobs.0.priority' : 'shipments.0.priority', 'different priorities on a problem this large cannot be priced exactly; give equal priorities');
      throw invalid(issues);
    }
  }
  // Priority sum first, then the number of tasks: a task is worth 1 + priority·(tasks + 1) units.
  const prize = (priority: number, tasks: number): number => prizeUnit * tasks * (1 + priority * (taskCount + 1));

  const solverJobs: Job[] = jobs.map((j: VroomJob, i) => {
    const id = `j${i}`;
    jobTask.set(id, taskRef('job', i, j, jobLocs[i]!, j.priority ?? 0));
    const windows = normalWindows(j.time_windows);
    return {
      id,
      location: jobLocs[i]!,
      delivery: amount(j.delivery),
      pickup: amount(j.pickup),
      serviceTime: (j.setup ?? 0) + (j.service ?? 0),
      ...(windows ? { timeWindows: windows } : {}),
      ...(j.skills && j.skills.length > 0 ? { skills: j.skills.map(String) } : {}),
      ...(prized ? { penalty: prize(j.priority ?? 0, 1) } : {}),
    };
  });
  const solverShipments: Shipment[] = shipments.map((s, i) => {
    const id = `s${i}`;
    const priority = s.priority ?? 0;
    shipmentTasks.set(id, [taskRef('pickup', i, s.pickup, pickLocs[i]!, priority), taskRef('delivery', i, s.delivery, dropLocs[i]!, priority)]);
    const pw = normalWindows(s.pickup.time_windows);
    const dw = normalWindows(s.delivery.time_windows);
    return {
      id,
      amount: amount(s.amount),
      pickup: { location: pickLocs[i]!, serviceTime: (s.pickup.setup ?? 0) + (s.pickup.service ?? 0), ...(pw ? { timeWindows: pw } : {}) },
      delivery: { location: dropLocs[i]!, serviceTime: (s.delivery.setup ?? 0) + (s.delivery.service ?? 0), ...(dw ? { timeWindows: dw } : {}) },
      ...(s.skills && s.skills.length > 0 ? { skills: s.skills.map(String) } : {}),
      ...(prized ? { penalty: prize(priority, 2) } : {}),
    };
  });
  const vehicleIndex = new Map<string, number>();
  const solverVehicles: Vehicle[] = vehicles.map((v, i) => {
    const id = `v${i}`;
    vehicleIndex.set(id, i);
    const c = costs[i]!;
    const km = (c.perKm * 36) / g;
    return {
      id,
      profile: vehicleProfile[i]!,
      startLocation: starts[i] ?? virtual,
      endLocation: ends[i] ?? virtual,
      capacity: D > 0 ? [...(v.capacity ?? [])] : [0],
      ...(v.time_window ? { shift: [v.time_window[0]!, v.time_window[1]!] as const } : {}),
      ...(v.release_time === undefined ? {} : { releaseTime: v.release_time }),
      ...(v.max_tasks === undefined ? {} : { maxStops: v.max_tasks }),
      ...(v.max_distance === undefined ? {} : { maxDistance: v.max_distance * km }),
      fixedCost: (c.fixed * 36000) / g,
      costPerDistance: 1,
      costPerDuration: 0,
      ...(v.skills && v.skills.length > 0 ? { skills: v.skills.map(String) } : {}),
      ...(v.max_trips === undefined ? {} : { maxTrips: v.max_trips }),
      ...(v.reload_time === undefined ? {} : { reloadTime: v.reload_time }),
    };
  });
  return {
    input,
    problem: { locationCount: L, dimensions: solverD, profiles, jobs: solverJobs, shipments: solverShipments, vehicles: solverVehicles },
    dimensions: D,
    matrixSize: n,
    travel,
    costPerUnit: g / 36000,
    jobTask,
    shipmentTasks,
    vehicleIndex,
  };
}
