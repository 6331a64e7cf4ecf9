/**
 * VROOM's input and output JSON (docs/API.md of VROOM-Project/vroom, v1.14 shapes), as zod
 * schemas: the request side validates `gongpei solve problem.json` and `POST /v1/solve`, the
 * answer side documents them in the OpenAPI document.
 *
 * Every object is strict: a key that is not VROOM's (nor one of our extensions, marked below) is
 * a 400 naming it. VROOM keys gongpei does not model (`breaks` with entries, `max_travel_time`,
 * `steps`, `*_per_type`, …) are refused before this schema by `refuseUnsupported`
 * (to-problem.ts) with a message that says so, rather than "unknown field".
 */
import { z } from '../http/zod.ts';

const Id = z.int().min(0).openapi({ description: 'A non-negative integer, unique per kind (jobs; pickups; deliveries; vehicles)' });
const Duration = z.int().min(0);
// Pairs are arrays of two (not tuples): OpenAPI 3.1 tuples (prefixItems) trip the linters' array rules.
const Coordinates = z.array(z.number().min(-180).max(180)).length(2).openapi({ description: '[lon, lat]; without matrices, routed on the configured OSRM; with them, echoed in the answer' });
const Amount = z.array(z.int().min(0)).max(16).openapi({ description: 'Multidimensional quantity (all amounts of a problem have the same length)' });
const TimeWindow = z
  .array(z.int().min(0))
  .length(2)
  .refine(([a, b]) => a! <= b!, { message: 'a time window starts after it ends' })
  .openapi({ description: '[start, end], both inclusive, in seconds (relative or absolute)' });
const Skills = z.array(z.int().min(0)).max(1000);
const Description = z.string().max(1000);

const Task = {
  description: Description.optional(),
  location: Coordinates.optional(),
  location_index: z.int().min(0).optional(),
  setup: Duration.optional().openapi({ description: 'Setup time; gongpei accepts a non-zero setup only where every task has its own location (then it is always due)' }),
  service: Duration.optional(),
  time_windows: z.array(TimeWindow).min(1).max(100).optional(),
};

export const VroomJob = z
  .strictObject({
    id: Id,
    ...Task,
    delivery: Amount.optional(),
    pickup: Amount.optional(),
    skills: Skills.optional(),
    priority: z.int().min(0).max(100).optional(),
  })
  .openapi('VroomJob');

const ShipmentStep = z.strictObject({ id: Id, ...Task }).openapi('VroomShipmentStep');

export const VroomShipment = z
  .strictObject({
    pickup: ShipmentStep,
    delivery: ShipmentStep,
    amount: Amount.optional(),
    skills: Skills.optional(),
    priority: z.int().min(0).max(100).optional(),
  })
  .openapi('VroomShipment');

const Costs = z
  .strictObject({
    fixed: z.int().min(0).optional(),
    per_hour: z.int().min(0).optional(),
    per_km: z.int().min(0).optional(),
    per_task_hour: z.literal(0).optional().openapi({ description: 'Only 0 (the default): task time is not priced' }),
  })
  .openapi('VroomCosts');

export const VroomVehicle = z
  .strictObject({
    id: Id,
    profile: z.string().min(1).max(100).optional().openapi({ description: 'Defaults to `car`' }),
    description: Description.optional(),
    start: Coordinates.optional(),
    start_index: z.int().min(0).optional(),
    end: Coordinates.optional(),
    end_index: z.int().min(0).optional(),
    capacity: Amount.optional(),
    costs: Costs.optional(),
    skills: Skills.optional(),
    type: z.string().max(100).optional().openapi({ description: 'A label (it only matters with `*_per_type`, which gongpei refuses)' }),
    time_window: TimeWindow.optional(),
    breaks: z.array(z.unknown()).max(0).optional().openapi({ description: 'Only an empty list: gongpei does not schedule breaks' }),
    speed_factor: z.number().gt(0).max(5).optional(),
    max_tasks: z.int().min(0).optional(),
    max_distance: z.int().min(0).optional(),
    // Extensions (not VROOM's).
    max_trips: z.int().min(1).max(100).optional().openapi({ description: 'gongpei extension: trips per shift; the vehicle may go back to its start to reload (steps of type `reload`)' }),
    reload_time: Duration.optional().openapi({ description: 'gongpei extension: time spent at the start between two trips' }),
    release_time: z.int().min(0).optional().openapi({ description: 'gongpei extension: earliest departure from the start (e.g. when its line-haul arrives)' }),
  })
  .openapi('VroomVehicle');

const Matrix = z.array(z.array(z.int().min(0)));

export const VroomMatrices = z
  .strictObject({
    durations: Matrix.optional(),
    distances: Matrix.optional(),
    costs: Matrix.optional(),
  })
  .openapi('VroomProfileMatrices');

/** Most parallel searches a problem may ask for (`threads`). */
export const MAX_SEARCH_THREADS = 64;

export const VroomInput = z
  .strictObject({
    jobs: z.array(VroomJob).max(10_000).optional(),
    shipments: z.array(VroomShipment).max(5_000).optional(),
    vehicles: z.array(VroomVehicle).min(1).max(1_000),
    matrices: z.record(z.string().min(1).max(100), VroomMatrices).optional().openapi({ description: 'Per vehicle profile: `durations` (required), `distances`, `costs`' }),
    threads: z
      .int()
      .min(1)
      .max(MAX_SEARCH_THREADS)
      .optional()
      .openapi({
        description:
          'gongpei extension (VROOM’s `-t`): independent searches of this problem on the solver’s threads, the best one answered (default 1). ' +
          'Same seed, threads and work budget ⇒ the same answer; at most the serving process’s solver threads (SOLVE_THREADS).',
      }),
  })
  .openapi('VroomProblem', { description: 'A problem in VROOM’s input format (docs/API.md of VROOM), with custom matrices' });

export type VroomInput = z.infer<typeof VroomInput>;
export type VroomJob = z.infer<typeof VroomJob>;
export type VroomShipment = z.infer<typeof VroomShipment>;
export type VroomVehicle = z.infer<typeof VroomVehicle>;

// ---- the answer ----

export const VroomStepType = z.enum(['start', 'job', 'pickup', 'delivery', 'break', 'end', 'reload']);

export const VroomStep = z
  .object({
    type: VroomStepType.openapi({ description: '`reload` is a gongpei extension (a multi-trip vehicle back at its start)' }),
    arrival: z.int(),
    duration: z.int().openapi({ description: 'Cumulated travel time upon arrival' }),
    setup: z.int(),
    service: z.int(),
    waiting_time: z.int(),
    violations: z.array(z.object({ cause: z.string(), duration: z.int().optional() })),
    description: z.string().optional(),
    location: z.array(z.number()).length(2).optional(),
    location_index: z.int().optional(),
    id: z.int().optional(),
    load: z.array(z.int()),
    distance: z.int().optional().openapi({ description: 'Cumulated distance upon arrival (with a `distances` matrix)' }),
  })
  .openapi('VroomStep');

const Totals = {
  cost: z.int(),
  setup: z.int(),
  service: z.int(),
  duration: z.int().openapi({ description: 'Travel time' }),
  waiting_time: z.int(),
  priority: z.int(),
  violations: z.array(z.object({ cause: z.string(), duration: z.int().optional() })),
  delivery: z.array(z.int()),
  pickup: z.array(z.int()),
  distance: z.int().optional(),
};

export const VroomRoute = z
  .object({
    vehicle: z.int(),
    steps: z.array(VroomStep),
    ...Totals,
    description: z.string().optional(),
  })
  .openapi('VroomRoute');

export const VroomUnassigned = z
  .object({
    id: z.int(),
    type: z.enum(['job', 'pickup', 'delivery']),
    description: z.string().optional(),
    location: z.array(z.number()).length(2).optional(),
    location_index: z.int().optional(),
    reason: z.string().openapi({ description: 'gongpei extension: why (capacity, time_window, skill, max_distance, max_duration, max_stops: alone it fits no vehicle; no_feasible_route: no room left; lower_priority: left for tasks ranked first)' }),
  })
  .openapi('VroomUnassigned');

export const VroomAnswer = z
  .object({
    code: z.literal(0),
    summary: z.object({
      ...Totals,
      routes: z.int(),
      unassigned: z.int(),
      computing_times: z.object({ loading: z.int(), solving: z.int() }),
      iterations: z.int().openapi({ description: 'gongpei extension: solver iterations spent' }),
    }),
    unassigned: z.array(VroomUnassigned),
    routes: z.array(VroomRoute),
  })
  .openapi('VroomSolution', { description: 'The answer in VROOM’s output format' });

export type VroomAnswer = z.infer<typeof VroomAnswer>;
export type VroomRoute = z.infer<typeof VroomRoute>;
export type VroomStep = z.infer<typeof VroomStep>;
export type VroomUnassigned = z.infer<typeof VroomUnassigned>;
