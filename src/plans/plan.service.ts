/**
 * Plan requests and read models for the API and the demo.
 *
 * Requesting a plan writes the plan row and a `start` job in the outbox in one transaction, so
 * a plan asked for while Redis is down starts once it is back (the intake relay moves the row).
 */
import type { Kysely } from 'kysely';
import type { Database, PlanRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { cutoffInstant, localDate } from '../planning/day-model.ts';
import type { DaySettings } from '../planning/types.ts';
import { outboxRow } from '../queue/outbox.ts';
import { QUEUE_NAMES } from '../queue/queues.ts';
import { requireNetworkLoaded } from '../setup-checks.ts';
import { PLAN_JOBS, planJobId, runOf, type PlanJobPayload } from '../pipeline/plan.jobs.ts';
import { getPlan, requestPlan } from './plan.repository.ts';

export interface PlanServiceDeps {
  readonly db: Kysely<Database>;
  readonly settings: Omit<DaySettings, 'serviceDate'>;
  /** Wake the outbox relay (optional). */
  readonly onOutboxWritten?: () => void;
  readonly now?: () => Date;
  /** Plan dates allowed around today (default today − 7 … today + 14). */
  readonly dateWindow?: PlanDateWindow;
}

export interface PlanView {
  readonly id: string;
  readonly date: string;
  readonly status: PlanRow['status'];
  readonly progress: number;
  readonly seed: number;
  readonly cutoffAt: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly timings: Record<string, number> | null;
  readonly counts: Record<string, unknown> | null;
  /** Life-cycle: draft → published (drivers see it) → in_progress (first event) → closed (numbers frozen). */
  readonly state: PlanRow['state'];
  readonly version: number;
  readonly replacesPlanId: string | null;
  readonly replacedByPlanId: string | null;
  readonly publishedAt: string | null;
  readonly closedAt: string | null;
}

export function toPlanView(p: PlanRow): PlanView {
  const summary = p.summary_json ? (JSON.parse(p.summary_json) as Record<string, unknown>) : null;
  const done = p.status === 'completed' && summary !== null;
  return {
    id: p.id,
    date: p.service_date,
    status: p.status,
    progress: p.progress,
    seed: p.seed,
    cutoffAt: p.cutoff_at,
    createdAt: p.created_at,
    startedAt: p.started_at,
    finishedAt: p.finished_at,
    error: p.error,
    timings: summary ? ((summary.timings as Record<string, number> | undefined) ?? null) : null,
    counts: done
      ? {
          parcels: summary.parcels,
          pickups: summary.pickups,
          stationsServed: summary.stationsServed,
          tiers: summary.tiers,
          metrics: summary.metrics,
          unassignedByReason: (summary.unassigned as { byReason: unknown } | undefined)?.byReason ?? {},
          // What would serve them (another cold van, a second trip, a larger vehicle, …).
          unassignedByRemedy: (summary.unassigned as { byRemedy?: unknown } | undefined)?.byRemedy ?? {},
          // Longest route, last township out, last back, empty truck km (issue 11 item 6).
          duty: summary.duty ?? null,
        }
      : null,
    state: p.state,
    version: p.version,
    replacesPlanId: p.replaces_plan_id,
    replacedByPlanId: p.replaced_by_plan_id,
    publishedAt: p.published_at,
    closedAt: p.closed_at,
  };
}

/** Plan dates a request may name, in days around today (local): a typo must not plan 2062. */
export interface PlanDateWindow {
  readonly pastDays: number;
  readonly futureDays: number;
}
export const DEFAULT_PLAN_DATE_WINDOW: PlanDateWindow = { pastDays: 7, futureDays: 14 };

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 400 naming `date` when it is outside the window (today − past … today + future, local). */
export function checkPlanDate(date: string, now: Date, utcOffsetMinutes: number, window: PlanDateWindow = DEFAULT_PLAN_DATE_WINDOW): void {
  const today = localDate(now, utcOffsetMinutes);
  const from = addDays(today, -window.pastDays);
  const to = addDays(today, window.futureDays);
  if (date < from || date > to) {
    throw new AppError('invalid_data', `date ${date} is outside the planning window ${from} … ${to}`, [{ path: 'date', message: `must be between ${from} and ${to}` }]);
  }
}

/**
 * Asks for `date`'s plan: version 1, or the next version re-planning the current one (never the
 * same id back to queued); a version already queued or running is returned as is. The version
 * row and its `start` job are one transaction, so a plan asked for while Redis is down starts
 * once it is back. `enqueue: false` (the CLI's and the demo's in-process run) writes no job: the
 * caller runs it, and no worker computes the same plan beside it.
 */
export async function createPlanRequest(
  deps: PlanServiceDeps,
  date: string,
  seed = 1,
  options: { readonly enqueue?: boolean; readonly countyId?: string } = {},
): Promise<{ plan: PlanRow; started: boolean }> {
  // Planning an empty network would "complete" with nothing planned; say what is missing instead.
  await requireNetworkLoaded(deps.db);
  const now = (deps.now ?? (() => new Date()))();
  checkPlanDate(date, now, deps.settings.utcOffsetMinutes, deps.dateWindow);
  const nowIso = now.toISOString();
  const cutoff = cutoffInstant({ ...deps.settings, serviceDate: date });
  const enqueue = options.enqueue ?? true;
  const { plan, start } = await requestPlan(deps.db, date, seed, cutoff, nowIso, async (trx, created) => {
    if (!enqueue) return;
    const payload: PlanJobPayload = { planId: created.id, run: runOf(created.created_at) };
    await trx.insertInto('outbox').values(outboxRow({ queue: QUEUE_NAMES.plan, name: PLAN_JOBS.start, id: planJobId(PLAN_JOBS.start, payload), payload }, nowIso)).execute();
  }, options.countyId);
  if (start && enqueue) deps.onOutboxWritten?.();
  return { plan, started: start };
}

/** The plan, if it exists and is in one of `counties` (undefined = every county): another county's plan is a 404, as if it did not exist. */
export async function requirePlan(db: Kysely<Database>, id: string, counties?: readonly string[]): Promise<PlanRow> {
  const plan = await getPlan(db, id);
  if (!plan || (counties !== undefined && !counties.includes(plan.county_id))) throw new AppError('not_found', 'no such plan');
  return plan;
}

export async function listPlans(db: Kysely<Database>, date?: string, counties?: readonly string[]): Promise<PlanView[]> {
  let q = db.selectFrom('plans').selectAll().orderBy('service_date', 'desc').orderBy('version', 'desc').limit(100);
  if (date) q = q.where('service_date', '=', date);
  if (counties !== undefined) q = q.where('county_id', 'in', counties.length > 0 ? [...counties] : ['']);
  return (await q.execute()).map(toPlanView);
}

export interface RouteView {
  readonly id: string;
  readonly tier: string;
  readonly hubId: string;
  readonly vehicleId: string;
  /** The fleet's name for the vehicle (what drivers and manifests call it); the id when the vehicle is gone. */
  readonly vehicleName: string;
  readonly vehicleType: string;
  readonly trips: number;
  readonly distanceM: number;
  readonly durationS: number;
  readonly costFen: number;
  readonly startAt: string;
  readonly endAt: string;
  readonly load: { peak: number[]; capacity: number[]; units: string[] };
  readonly stops: {
    id: string;
    visited: boolean;
    seq: number;
    kind: string;
    stationCode: string | null;
    hubId: string | null;
    name: string | null;
    lat: number | null;
    lon: number | null;
    trip: number;
    arrivalAt: string;
    departureAt: string;
    deliverCount: number;
    pickupCount: number;
    load: number[];
  }[];
}

export async function planRoutes(db: Kysely<Database>, planId: string): Promise<RouteView[]> {
  const routes = await db
    .selectFrom('routes')
    .leftJoin('vehicles', 'vehicles.id', 'routes.vehicle_id')
    .selectAll('routes')
    .select('vehicles.name as vehicle_name')
    .where('routes.plan_id', '=', planId)
    .orderBy('routes.tier')
    .orderBy('routes.hub_id')
    .orderBy('routes.vehicle_id')
    .execute();
  if (routes.length === 0) return [];
  const stops = await db
    .selectFrom('stops')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .leftJoin('stations', 'stations.code', 'stops.station_code')
    .leftJoin('hubs', 'hubs.id', 'stops.hub_id')
    .select([
      'stops.id',
      'stops.route_id',
      'stops.seq',
      'stops.kind',
      'stops.station_code',
      'stops.hub_id',
      'stops.trip',
      'stops.arrival_at',
      'stops.departure_at',
      'stops.deliver_count',
      'stops.pickup_count',
      'stops.load_json',
      'stations.name as station_name',
      'stations.lat as station_lat',
      'stations.lon as station_lon',
      'hubs.name as hub_name',
      'hubs.lat as hub_lat',
      'hubs.lon as hub_lon',
    ])
    .where('routes.plan_id', '=', planId)
    .orderBy('stops.route_id')
    .orderBy('stops.seq')
    .execute();
  const visited = new Set(
    (await db.selectFrom('stop_events').innerJoin('routes', 'routes.id', 'stop_events.route_id').select('stop_events.stop_id').distinct().where('routes.plan_id', '=', planId).execute()).map((e) => e.stop_id),
  );
  const byRoute = new Map<string, RouteView['stops']>();
  for (const s of stops) {
    const list = byRoute.get(s.route_id) ?? [];
    list.push({
      id: s.id,
      visited: visited.has(s.id),
      seq: s.seq,
      kind: s.kind,
      stationCode: s.station_code,
      hubId: s.hub_id,
      name: s.station_name ?? s.hub_name ?? null,
      lat: s.station_lat ?? s.hub_lat ?? null,
      lon: s.station_lon ?? s.hub_lon ?? null,
      trip: s.trip,
      arrivalAt: s.arrival_at,
      departureAt: s.departure_at,
      deliverCount: s.deliver_count,
      pickupCount: s.pickup_count,
      load: JSON.parse(s.load_json) as number[],
    });
    byRoute.set(s.route_id, list);
  }
  return routes.map((r) => {
    const load = JSON.parse(r.load_json) as { vehicle_type: string; peak: number[]; capacity: number[]; units: string[] };
    return {
      id: r.id,
      tier: r.tier,
      hubId: r.hub_id,
      vehicleId: r.vehicle_id,
      vehicleName: r.vehicle_name ?? r.vehicle_id,
      vehicleType: load.vehicle_type,
      trips: r.trips,
      distanceM: r.distance_m,
      durationS: r.duration_s,
      costFen: r.cost_fen,
      startAt: r.start_at,
      endAt: r.end_at,
      load: { peak: load.peak, capacity: load.capacity, units: load.units },
      stops: byRoute.get(r.id) ?? [],
    };
  });
}

/** Routes as GeoJSON: one LineString per route (stops in order, straight segments) and one Point per stop. */
export function routesGeoJson(routes: readonly RouteView[]): { type: 'FeatureCollection'; features: unknown[] } {
  const features: unknown[] = [];
  for (const r of routes) {
    const coords = r.stops.filter((s) => s.lat !== null && s.lon !== null).map((s) => [s.lon!, s.lat!]);
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: coords },
      properties: { routeId: r.id, tier: r.tier, hubId: r.hubId, vehicleId: r.vehicleId, vehicleName: r.vehicleName, vehicleType: r.vehicleType, distanceM: r.distanceM, startAt: r.startAt, endAt: r.endAt },
    });
    for (const s of r.stops) {
      if (s.kind !== 'station' && s.kind !== 'hub') continue;
      if (s.lat === null || s.lon === null) continue;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
        properties: { routeId: r.id, seq: s.seq, kind: s.kind, stationCode: s.stationCode, hubId: s.hubId, name: s.name, arrivalAt: s.arrivalAt, deliverCount: s.deliverCount, pickupCount: s.pickupCount },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
