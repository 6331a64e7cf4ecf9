/**
 * Manual route edits (POST /v1/plans/{id}/edits/preview and /edits): a dispatcher moves a stop to
 * another route of the same hub or to another place in its route. The preview evaluates the
 * affected routes before and after with the routing core's evaluator (src/planning/route-edit.ts,
 * no search): distance, duration, cost at the fleet's rates, load, and every rule the new order
 * breaks (capacity, station hours, range, back after the day's end, cold chain). Saving writes the
 * same evaluation as the date's next plan version (src/plans/route-edits.repository.ts).
 *
 * What a driver has done stays: a stop with a driver event is not moved (409 naming it), a
 * started route keeps its stops up to its last event first and in order, and a stop of a started
 * route does not move to another vehicle (its parcels are on board).
 */
import type { Kysely } from 'kysely';
import type { Database, PlanRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { RoadMatrixSource } from '../geo/matrix.ts';
import { localSecondsToIso } from '../planning/day-model.ts';
import { evaluateEdit, type EditedRouteFigures, type EditRoute, type EditStation, type EditStop } from '../planning/route-edit.ts';
import type { DaySettings } from '../planning/types.ts';
import { getPlan, planIdFor, planVersions } from './plan.repository.ts';
import { requirePlan, toPlanView, type PlanView } from './plan.service.ts';
import { loadEditRoutes, storeEditVersion, type StoredEditRoute } from './route-edits.repository.ts';
import { isUniqueViolation } from '../db/database.ts';

export interface RouteEditDeps {
  readonly db: Kysely<Database>;
  readonly settings: Omit<DaySettings, 'serviceDate'>;
  /** The planner's road distances (haversine × detour, or OSRM): the same as the plan's. */
  readonly roadSource: RoadMatrixSource;
}

export interface RouteEditRequest {
  readonly routes: readonly { readonly routeId: string; readonly stopIds: readonly string[] }[];
}

export interface EditViolationView {
  readonly kind: 'capacity' | 'time_window' | 'range' | 'duration' | 'cold_chain';
  readonly stopId: string | null;
  readonly stationCode: string | null;
  readonly stationName: string | null;
  /** What the route would have against its limit: load (g, cm3, pieces), distance (m), time on duty (s) or a clock time (s after local midnight). */
  readonly value: number | null;
  readonly limit: number | null;
  readonly unit: 'g' | 'cm3' | 'pieces' | 'm' | 's' | 'local_s' | null;
  readonly message: string;
}

/** Seconds after local midnight → HH:MM (the network's clock). */
function hhmm(s: number): string {
  const m = Math.round(s / 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export interface EditFiguresView {
  readonly feasible: boolean;
  readonly distanceM: number;
  readonly durationS: number;
  readonly costFen: number;
  readonly trips: number;
  readonly startAt: string;
  readonly endAt: string;
  readonly load: { readonly peak: number[]; readonly capacity: number[]; readonly units: string[] };
  readonly violations: EditViolationView[];
}

export interface EditedRouteView {
  readonly routeId: string;
  readonly vehicleId: string;
  readonly vehicleName: string;
  readonly before: EditFiguresView;
  readonly after: EditFiguresView;
  /** The new order: station stops with their new times. */
  readonly stops: { stopId: string; stationCode: string; name: string | null; trip: number; arrivalAt: string; departureAt: string }[];
}

export interface EditPreview {
  readonly planId: string;
  readonly version: number;
  readonly hubId: string;
  /** Every edited route keeps every rule. */
  readonly feasible: boolean;
  readonly routes: EditedRouteView[];
  /** after − before, over the edited routes. */
  readonly delta: { readonly distanceM: number; readonly durationS: number; readonly costFen: number };
}

interface Prepared {
  readonly plan: PlanRow;
  readonly stored: StoredEditRoute[];
  readonly before: EditedRouteFigures[];
  readonly after: EditedRouteFigures[];
  /** Per edited route: how many stored rows (start, visited stations, reloads) are history. */
  readonly locked: number[];
  readonly preview: EditPreview;
}

const UNITS = ['g', 'cm3', 'pieces'];

function bad(path: string, message: string): AppError {
  return new AppError('invalid_data', message, [{ path, message }]);
}

function conflict(path: string, message: string): AppError {
  return new AppError('conflict', message, [{ path, message }]);
}

/** The plan must be the date's current, completed, open version. */
function requireEditable(plan: PlanRow): void {
  if (plan.status !== 'completed') throw conflict('id', `the plan is ${plan.status}; only a completed plan is edited`);
  if (plan.replaced_by_plan_id !== null) throw conflict('id', `plan version ${plan.version} was replaced by ${plan.replaced_by_plan_id}; edit the current version`);
  if (plan.state === 'closed') throw conflict('id', 'the day is closed');
}

/** When a hub's village vehicles may leave: its line-haul arrival (the plan's) plus sorting. */
function releaseS(plan: PlanRow, hubId: string, countyId: string, settings: Omit<DaySettings, 'serviceDate'>): number {
  const summary = plan.summary_json ? (JSON.parse(plan.summary_json) as { state?: { lineHaul?: { arrivals?: Record<string, number> } } }) : {};
  const arrival = hubId === countyId ? undefined : summary.state?.lineHaul?.arrivals?.[hubId];
  return (arrival ?? settings.cutoffS) + settings.sortingS;
}

async function prepare(deps: RouteEditDeps, planId: string, request: RouteEditRequest): Promise<Prepared> {
  const plan = await requirePlan(deps.db, planId);
  requireEditable(plan);
  const routeIds = request.routes.map((r) => r.routeId);
  const seenRoutes = new Set<string>();
  routeIds.forEach((id, k) => {
    if (seenRoutes.has(id)) throw bad(`routes.${k}.routeId`, `route ${id} is listed twice`);
    seenRoutes.add(id);
  });
  const loaded = await loadEditRoutes(deps.db, planId, routeIds);
  const byId = new Map(loaded.map((r) => [r.row.id, r]));
  const stored = routeIds.map((id, k) => {
    const r = byId.get(id);
    if (!r) throw bad(`routes.${k}.routeId`, `plan ${planId} has no route ${id}`);
    if (r.row.tier !== 'village') throw conflict(`routes.${k}.routeId`, `route ${id} is a line-haul route; only village routes are edited by hand`);
    if (!r.vehicle) throw conflict(`routes.${k}.routeId`, `route ${id}'s vehicle ${r.row.vehicle_id} is no longer in the fleet`);
    return r;
  });
  const hubId = stored[0]!.row.hub_id;
  stored.forEach((r, k) => {
    if (r.row.hub_id !== hubId) throw conflict(`routes.${k}.routeId`, `route ${r.row.id} leaves from ${r.row.hub_id}, not ${hubId}: stops move only between routes of one hub`);
  });
  // Every station stop of the listed routes exactly once.
  const homeOf = new Map<string, StoredEditRoute>();
  const stopOf = new Map<string, ReturnType<typeof stationStops>[number]>();
  for (const r of stored) {
    for (const s of stationStops(r)) {
      homeOf.set(s.id, r);
      stopOf.set(s.id, s);
    }
  }
  const placed = new Set<string>();
  request.routes.forEach((r, k) => {
    r.stopIds.forEach((id, j) => {
      if (!stopOf.has(id)) throw bad(`routes.${k}.stopIds.${j}`, `stop ${id} is not a station stop of the listed routes`);
      if (placed.has(id)) throw bad(`routes.${k}.stopIds.${j}`, `stop ${id} is listed twice`);
      placed.add(id);
    });
  });
  for (const [id, r] of homeOf) {
    if (!placed.has(id)) throw bad('routes', `stop ${id} of route ${r.row.id} is missing: list every station stop of each listed route`);
  }
  // What drivers did stays: visited stops first and in place; a started route's stops stay on it.
  const locked: number[] = [];
  request.routes.forEach((r, k) => {
    const home = stored[k]!;
    const prefix = visitedPrefix(home);
    prefix.forEach((s, j) => {
      if (r.stopIds[j] !== s.id) throw conflict(`routes.${k}.stopIds`, `stop ${s.id} (${s.stationCode}) was already visited: it stays where it is, before the stops still to visit`);
    });
    // Every stored row up to the last one a driver reported at (the start too: the driver left) is history.
    locked.push(home.stops.reduce((n, s, k) => (s.visited ? k + 1 : n), 0));
    r.stopIds.forEach((id, j) => {
      const from = homeOf.get(id)!;
      if (from === home) return;
      const s = stopOf.get(id)!;
      if (s.visited) throw conflict(`routes.${k}.stopIds.${j}`, `stop ${id} (${s.stationCode}) was already visited; it cannot move to another route`);
      if (from.stops.some((x) => x.visited)) {
        throw conflict(`routes.${k}.stopIds.${j}`, `stop ${id} (${s.stationCode}) is on route ${from.row.id}, which has started: its parcels are on board vehicle ${from.row.vehicle_id}`);
      }
    });
  });

  const stationRows = await deps.db.selectFrom('stations').select(['code', 'name', 'lat', 'lon', 'opens_s', 'closes_s']).where('code', 'in', [...new Set([...stopOf.values()].map((s) => s.stationCode))]).execute();
  const hub = await deps.db.selectFrom('hubs').select(['id', 'lat', 'lon', 'kind']).where('id', '=', hubId).executeTakeFirstOrThrow();
  const county = await deps.db.selectFrom('hubs').select('id').where('kind', '=', 'county_warehouse').executeTakeFirst();
  const codes = stationRows.map((s) => s.code).sort();
  const byCode = new Map(stationRows.map((s) => [s.code, s]));
  const road = await deps.roadSource([{ lat: hub.lat, lon: hub.lon, id: hub.id }, ...codes.map((c) => ({ lat: byCode.get(c)!.lat, lon: byCode.get(c)!.lon, id: c }))]);
  const stations = new Map<string, EditStation>(stationRows.map((s) => [s.code, { code: s.code, opensS: s.opens_s, closesS: s.closes_s }]));
  const settings: DaySettings = { ...deps.settings, serviceDate: plan.service_date };
  const common = { settings, releaseS: releaseS(plan, hubId, county?.id ?? '', deps.settings), road, stationCodes: codes, stations };
  const asEdit = (r: StoredEditRoute, ids: readonly string[]): EditRoute => ({ routeId: r.row.id, vehicle: r.vehicle!, stops: ids.map((id) => toEditStop(stopOf.get(id)!)) });
  const before = evaluateEdit({ ...common, routes: stored.map((r) => asEdit(r, stationStops(r).map((s) => s.id))) });
  const after = evaluateEdit({ ...common, routes: request.routes.map((r, k) => asEdit(stored[k]!, r.stopIds)) });
  // A started route's history must come out of the evaluation as it is stored, step for step.
  after.forEach((a, k) => {
    const rows = stored[k]!.stops.slice(0, locked[k]);
    const same = rows.every((row, j) => {
      const step = a.schedule[j];
      return step !== undefined && step.kind === row.kind && (row.kind !== 'station' || step.stopId === row.id);
    });
    if (!same) throw conflict(`routes.${k}.stopIds`, `route ${stored[k]!.row.id} has started and its visited part would change its trips; re-plan instead`);
  });

  const iso = (s: number) => localSecondsToIso(plan.service_date, s, deps.settings.utcOffsetMinutes);
  const nameOf = (code: string | null) => (code === null ? null : (byCode.get(code)?.name ?? null));
  const figures = (f: EditedRouteFigures): EditFiguresView => ({
    feasible: f.feasible,
    distanceM: f.distanceM,
    durationS: f.durationS,
    costFen: f.costFen,
    trips: f.trips,
    startAt: iso(f.startS),
    endAt: iso(f.endS),
    load: { peak: [...f.peakLoad], capacity: [...f.capacity], units: UNITS },
    violations: f.violations.map((v) => {
      const stationName = 'stationCode' in v ? nameOf(v.stationCode) : null;
      const at = stationName ?? ('stationCode' in v ? v.stationCode : null);
      const figures =
        v.kind === 'capacity'
          ? { value: v.load, limit: v.capacity, unit: v.unit, message: `${v.load} ${v.unit} on board ${at ? `after ${at}` : 'leaving the hub'}, capacity ${v.capacity} ${v.unit}` }
          : v.kind === 'time_window'
            ? { value: v.arrivalS, limit: v.closesS, unit: 'local_s' as const, message: `arrives at ${at} at ${hhmm(v.arrivalS)}, after it closes (${hhmm(v.closesS)})` }
            : v.kind === 'range'
              ? { value: v.distanceM, limit: v.rangeM, unit: 'm' as const, message: `${(v.distanceM / 1000).toFixed(1)} km, beyond the vehicle's range of ${(v.rangeM / 1000).toFixed(1)} km` }
              : v.kind === 'duration' && v.measure === 'return'
                ? { value: v.value, limit: v.limit, unit: 'local_s' as const, message: `back at ${hhmm(v.value)}, after the vehicle's latest return (${hhmm(v.limit)})` }
                : v.kind === 'duration'
                  ? { value: v.value, limit: v.limit, unit: 's' as const, message: `${(v.value / 3600).toFixed(1)} h on duty, longer than the driver's day of ${(v.limit / 3600).toFixed(1)} h` }
                : { value: null, limit: null, unit: null, message: `${at} has cold-chain items; the vehicle has no cold chain` };
      return { kind: v.kind, stopId: 'stopId' in v ? v.stopId : null, stationCode: 'stationCode' in v ? v.stationCode : null, stationName, ...figures };
    }),
  });
  const routes: EditedRouteView[] = stored.map((r, k) => ({
    routeId: r.row.id,
    vehicleId: r.row.vehicle_id,
    vehicleName: r.vehicle!.name,
    before: figures(before[k]!),
    after: figures(after[k]!),
    stops: after[k]!.schedule
      .filter((s) => s.kind === 'station')
      .map((s) => ({ stopId: s.stopId!, stationCode: s.stationCode!, name: nameOf(s.stationCode), trip: s.trip, arrivalAt: iso(s.arrivalS), departureAt: iso(s.departureS) })),
  }));
  const sum = (list: EditedRouteFigures[], f: (x: EditedRouteFigures) => number) => list.reduce((a, x) => a + f(x), 0);
  const preview: EditPreview = {
    planId: plan.id,
    version: plan.version,
    hubId,
    feasible: after.every((a) => a.feasible),
    routes,
    delta: {
      distanceM: sum(after, (x) => x.distanceM) - sum(before, (x) => x.distanceM),
      durationS: sum(after, (x) => x.durationS) - sum(before, (x) => x.durationS),
      costFen: sum(after, (x) => x.costFen) - sum(before, (x) => x.costFen),
    },
  };
  return { plan, stored, before, after, locked, preview };
}

function stationStops(r: StoredEditRoute) {
  return r.stops.filter((s) => s.kind === 'station' && s.stationCode !== null) as (StoredEditRoute['stops'][number] & { stationCode: string })[];
}

/** A route's station stops up to and including the last one a driver reported at. */
function visitedPrefix(r: StoredEditRoute) {
  const stations = stationStops(r);
  let last = -1;
  stations.forEach((s, k) => {
    if (s.visited) last = k;
  });
  // An event at the start (the driver left) also starts the route, with no station behind it.
  if (last < 0) return [];
  return stations.slice(0, last + 1);
}

function toEditStop(s: ReturnType<typeof stationStops>[number]): EditStop {
  return { stopId: s.id, stationCode: s.stationCode, delivery: s.delivery, pickup: s.pickup, parcels: s.parcels, coldChain: s.coldChain };
}

/** The edit evaluated, nothing stored. */
export async function previewRouteEdit(deps: RouteEditDeps, planId: string, request: RouteEditRequest): Promise<EditPreview> {
  return (await prepare(deps, planId, request)).preview;
}

/**
 * The edit saved as the date's next version (201), linked to the one it replaces; refused (409)
 * when it breaks a rule unless `acceptViolations`, or when it changes nothing.
 */
export async function saveRouteEdit(deps: RouteEditDeps, planId: string, request: RouteEditRequest & { readonly acceptViolations?: boolean }, now: Date): Promise<{ plan: PlanView; edit: EditPreview }> {
  const p = await prepare(deps, planId, request);
  const changed = request.routes.some((r, k) => {
    const was = stationStops(p.stored[k]!).map((s) => s.id);
    return was.length !== r.stopIds.length || was.some((id, j) => id !== r.stopIds[j]);
  });
  if (!changed) throw bad('routes', 'the edit changes nothing: every listed route keeps its stops in their order');
  if (!p.preview.feasible && request.acceptViolations !== true) {
    const broken = p.preview.routes.flatMap((r) => r.after.violations.map((v) => ({ path: `routes.${r.routeId}`, message: v.message })));
    throw new AppError('conflict', `the edit breaks ${broken.length} rule(s); send acceptViolations: true to save it anyway`, broken);
  }
  const at = now.toISOString();
  const summary = p.plan.summary_json ? (JSON.parse(p.plan.summary_json) as Record<string, unknown> & { metrics?: Record<string, number> }) : {};
  const d = p.preview.delta;
  const metrics = summary.metrics
    ? {
        ...summary.metrics,
        km: Math.round(((summary.metrics.km ?? 0) + d.distanceM / 1000) * 10) / 10,
        driverHours: Math.round(((summary.metrics.driverHours ?? 0) + d.durationS / 3600) * 10) / 10,
        costYuan: Math.round(((summary.metrics.costYuan ?? 0) + d.costFen / 100) * 10) / 10,
      }
    : undefined;
  const edit = {
    replacesPlanId: p.plan.id,
    at,
    routes: request.routes.map((r, k) => ({ routeId: r.routeId, before: stationStops(p.stored[k]!).map((s) => s.id), after: [...r.stopIds] })),
    delta: d,
    feasible: p.preview.feasible,
    // The co-delivery comparison and the settlement are the replaced version's (not re-run by hand edits).
    savingsAndSettlementFrom: p.plan.id,
  };
  const summaryJson = JSON.stringify({ ...summary, ...(metrics ? { metrics } : {}), edit });
  let newPlanId = '';
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Re-checked inside the transaction: a re-plan or another edit may have come first.
      const current = await getPlan(trx, planId);
      if (!current) throw new AppError('not_found', 'no such plan');
      requireEditable(current);
      const versions = await planVersions(trx, current.service_date, current.county_id);
      if (versions.some((v) => v.status === 'queued' || v.status === 'running')) throw conflict('id', `a re-plan of ${current.service_date} is running; edit its result`);
      const version = (versions[0]?.version ?? 0) + 1;
      newPlanId = planIdFor(current.service_date, version, current.county_id);
      await storeEditVersion(trx, {
        replaced: current,
        newPlanId,
        version,
        summaryJson,
        routes: p.stored.map((stored, k) => ({ stored, after: p.after[k]!, locked: p.locked[k]! })),
        serviceDate: current.service_date,
        utcOffsetMinutes: deps.settings.utcOffsetMinutes,
        now: at,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('id', 'another edit or re-plan of this plan was saved first; reload and edit the current version');
    throw err;
  }
  const plan = (await getPlan(deps.db, newPlanId))!;
  return { plan: toPlanView(plan), edit: { ...p.preview, planId: plan.id, version: plan.version } };
}
