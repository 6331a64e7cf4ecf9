/**
 * /v1/plans and /v1/stats schemas: the requests the handlers validate, and the answers (the shapes
 * of plan.service.ts's and stats.service.ts's views) the OpenAPI document describes.
 */
import { z } from '../http/zod.ts';

const IsoDate = z.iso.date().openapi({ example: '2026-11-29' });

export const CreatePlanBody = z
  .strictObject({
    date: IsoDate.openapi({ description: 'The service date (local day) to plan' }),
    seed: z.int().min(0).max(2_147_483_647).default(1).openapi({ description: 'The solver’s seed: the same parcels and seed give the same plan' }),
    county: z.string().regex(/^\d{6}$/, 'a 6-digit county code').optional().openapi({ description: 'The county whose day is planned (its 6-digit code); default: the key’s only county, or Qin County (140430) for a key of every county', example: '140430' }),
  })
  .openapi('CreatePlan');

export const PlanParams = z.strictObject({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });
export const PlanListQuery = z.strictObject({
  date: IsoDate.optional().openapi({ description: 'Only this service date’s plans' }),
  county: z.string().regex(/^\d{6}$/, 'a 6-digit county code').optional().openapi({ description: 'Only this county’s plans (default: every county of the key)' }),
});
export const StatsQuery = z
  .strictObject({
    from: IsoDate.optional().openapi({ description: 'Default: the operating day (today, local)' }),
    to: IsoDate.optional().openapi({ description: 'Inclusive; not before `from`. Default: `from`' }),
    county: z.string().regex(/^\d{6}$/, 'a 6-digit county code').optional().openapi({ description: 'Only this county (default: every county of the key)' }),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export const VehicleParams = z.strictObject({ vehicleId: z.string().min(1).max(64).openapi({ param: { name: 'vehicleId', in: 'path' } }) });
export const BreakdownBody = z
  .strictObject({
    date: IsoDate.openapi({ description: 'The service date it broke down on' }),
    at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When it broke down (default: now)' }),
    note: z.string().max(500).optional(),
  })
  .openapi('VehicleBreakdownRequest');
export const Breakdown = z
  .object({ id: z.string(), date: z.string(), vehicleId: z.string(), at: z.string(), note: z.string().nullable() })
  .openapi('VehicleBreakdown');

const Counts = z.record(z.string(), z.int());

export const PlanStatus = z.enum(['queued', 'running', 'completed', 'failed']);

export const Plan = z
  .object({
    id: z.string(),
    date: z.string(),
    status: PlanStatus,
    progress: z.int().openapi({ description: 'Percent done, 0–100' }),
    seed: z.int(),
    cutoffAt: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
    timings: z.record(z.string(), z.number()).nullable().openapi({ description: 'Milliseconds per pipeline step' }),
    counts: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'When completed: parcels, pickups, stations served, per-tier figures, metrics, unassigned by reason and by what would serve them (unassignedByRemedy: another_cold_van, second_trip, another_vehicle, larger_vehicle, longer_duty, earlier_line_haul, another_truck_trip, vehicle_at_hub, station_address), and the driver-day figures (duty: longest route, last township out, last back, empty truck km, routes over duty, late townships)' }),
    state: z.enum(['draft', 'published', 'in_progress', 'closed']).openapi({ description: 'Life-cycle: draft → published (drivers see it) → in_progress (first driver event) → closed (numbers frozen)' }),
    version: z.int().openapi({ description: '1 for the date’s first plan; each re-plan is the next version' }),
    replacesPlanId: z.string().nullable().openapi({ description: 'The version this one replaces' }),
    replacedByPlanId: z.string().nullable().openapi({ description: 'The version that replaced this one (set once it completed)' }),
    publishedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi('Plan');

export const PlanRequested = Plan.extend({
  started: z.boolean().openapi({ description: 'False when a plan for the date was already running: that plan is returned' }),
}).openapi('PlanRequested');

export const PlanList = z.object({ plans: z.array(Plan) }).openapi('PlanList');

const RouteStop = z.object({
  id: z.string().openapi({ description: 'The stop’s id (drivers report events against it; route edits list it)' }),
  visited: z.boolean().openapi({ description: 'A driver reported at this stop: it stays where it is in a route edit' }),
  seq: z.int(),
  kind: z.enum(['start', 'station', 'hub', 'reload', 'end']),
  stationCode: z.string().nullable(),
  hubId: z.string().nullable(),
  name: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  trip: z.int(),
  arrivalAt: z.string(),
  departureAt: z.string(),
  deliverCount: z.int(),
  pickupCount: z.int(),
  load: z.array(z.number()).openapi({ description: 'On board when leaving, per unit of `load.units`' }),
});

export const PlannedRoute = z
  .object({
    id: z.string(),
    tier: z.enum(['line_haul', 'village']),
    hubId: z.string(),
    vehicleId: z.string(),
    vehicleType: z.string(),
    trips: z.int(),
    distanceM: z.int(),
    durationS: z.int(),
    costFen: z.int(),
    startAt: z.string(),
    endAt: z.string(),
    load: z.object({ peak: z.array(z.number()), capacity: z.array(z.number()), units: z.array(z.string()) }),
    stops: z.array(RouteStop),
  })
  .openapi('PlannedRoute');

export const PlanRoutes = z
  .object({ planId: z.string(), date: z.string(), status: PlanStatus, routes: z.array(PlannedRoute) })
  .openapi('PlanRoutes');

const PlanMetrics = z
  .object({
    routes: z.int(),
    km: z.number(),
    vehicleDays: z.int(),
    driverHours: z.number(),
    costYuan: z.number(),
    co2Kg: z.number(),
    unassigned: z.int(),
  })
  .openapi('PlanMetrics');

export const PlanSavings = z
  .object({
    planId: z.string(),
    date: z.string(),
    joint: PlanMetrics.openapi({ description: 'The co-delivery plan' }),
    separate: PlanMetrics.openapi({ description: 'Every courier alone, added up' }),
    perCourier: z.record(z.string(), PlanMetrics),
    saved: z
      .object({ routes: z.int(), km: z.number(), vehicleDays: z.int(), driverHours: z.number(), costYuan: z.number(), co2Kg: z.number() })
      .openapi({ description: 'separate − joint' }),
    savedShare: z
      .object({ km: z.number(), vehicleDays: z.number(), driverHours: z.number(), costYuan: z.number(), co2Kg: z.number() })
      .openapi({ description: 'Saved share of the separate plans’ value, per metric (0–1)' }),
    budget: z.object({ seed: z.int(), timeLimitMs: z.int(), maxIterations: z.int().optional() }),
  })
  .openapi('PlanSavings');

export const Stats = z
  .object({
    from: z.string(),
    to: z.string(),
    parcels: z.object({ total: z.int(), byCourier: Counts, byTownship: Counts, byDay: Counts, byStatus: Counts }),
    plans: z.array(
      z.object({ date: z.string(), planId: z.string(), status: z.string(), state: z.string(), routes: z.int(), km: z.number(), plannedParcels: z.int(), onTimeShare: z.number().nullable() }),
    ),
  })
  .openapi('Stats');

const Id = z.string().min(1).max(64);

export const RouteEditBody = z
  .strictObject({
    routes: z
      .array(
        z.strictObject({
          routeId: Id.openapi({ description: 'A village route of this plan' }),
          stopIds: z.array(Id).max(1000).openapi({ description: 'Every station stop the route is to drive, in order (its own and those moved to it)' }),
        }),
      )
      .min(1)
      .max(50)
      .openapi({ description: 'Each route the edit changes, with its new order: every station stop of the listed routes appears exactly once' }),
    acceptViolations: z.boolean().optional().openapi({ description: 'Saving only: save even though the new order breaks a rule the preview reports' }),
  })
  .openapi('RouteEdit');

const EditViolation = z.object({
  kind: z.enum(['capacity', 'time_window', 'range', 'duration', 'cold_chain']),
  stopId: z.string().nullable(),
  stationCode: z.string().nullable(),
  stationName: z.string().nullable(),
  value: z.number().nullable().openapi({ description: 'What the route would have: a load, a distance or a clock time, in `unit`' }),
  limit: z.number().nullable().openapi({ description: 'The limit it breaks, in `unit`' }),
  unit: z.enum(['g', 'cm3', 'pieces', 'm', 's', 'local_s']).nullable().openapi({ description: '`s`: a duration; `local_s`: a clock time, seconds after local midnight' }),
  message: z.string().openapi({ description: 'The same in words (English, local clock times)' }),
});

const EditFigures = z.object({
  feasible: z.boolean(),
  distanceM: z.int(),
  durationS: z.int(),
  costFen: z.int().openapi({ description: 'At the fleet’s rates: fixed + per km + per hour (0 for a route left empty)' }),
  trips: z.int(),
  startAt: z.string(),
  endAt: z.string(),
  load: z.object({ peak: z.array(z.number()), capacity: z.array(z.number()), units: z.array(z.string()) }),
  violations: z.array(EditViolation),
});

export const RouteEditPreview = z
  .object({
    planId: z.string(),
    version: z.int(),
    hubId: z.string(),
    feasible: z.boolean().openapi({ description: 'Every edited route keeps capacity, station hours, range, the driver’s day (latest return, longest duty) and the cold chain' }),
    routes: z.array(
      z.object({
        routeId: z.string(),
        vehicleId: z.string(),
        vehicleName: z.string(),
        before: EditFigures,
        after: EditFigures,
        stops: z.array(z.object({ stopId: z.string(), stationCode: z.string(), name: z.string().nullable(), trip: z.int(), arrivalAt: z.string(), departureAt: z.string() })),
      }),
    ),
    delta: z.object({ distanceM: z.int(), durationS: z.int(), costFen: z.int() }).openapi({ description: 'after − before over the edited routes' }),
  })
  .openapi('RouteEditPreview');

export const RouteEditSaved = z.object({ plan: Plan, edit: RouteEditPreview }).openapi('RouteEditSaved');
