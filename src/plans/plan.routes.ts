/**
 * /v1/plans and /v1/stats (dispatcher and admin keys): ask for a day's plan (202, planned in the
 * background by the workers; asking again re-plans as a new version, keeping started work),
 * follow its progress, publish and close it, read its routes (JSON or GeoJSON), its co-delivery
 * savings, statistics over a date range, and report a vehicle broken down.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import { AppError } from '../errors.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { countyFilter, countyFor } from '../auth/api-keys.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { GeoJsonFeatureCollection, json, registerOperation } from '../http/openapi-operation.ts';
import type { Role } from '../db/schema.ts';
import { RouteEditBody, RouteEditPreview, RouteEditSaved } from './plan.schemas.ts';
import { previewRouteEdit, saveRouteEdit } from './route-edits.service.ts';
import type { RoadMatrixSource } from '../geo/matrix.ts';
import { Breakdown, BreakdownBody, CreatePlanBody, PlanList, PlanListQuery, PlanParams, PlanRequested, PlanRoutes, PlanSavings, Plan, Stats, StatsQuery, VehicleParams } from './plan.schemas.ts';
import { localDate } from '../planning/day-model.ts';
import { closePlan, publishPlan, recordBreakdown } from './plan.lifecycle.ts';
import { stats } from '../stats/stats.service.ts';
import { createPlanRequest, listPlans, planRoutes, requirePlan, routesGeoJson, toPlanView, type PlanServiceDeps } from './plan.service.ts';

/** `settings` come from the configuration (`daySettings(config)`), the same as the workers'. */
export interface PlanRoutesDeps extends PlanServiceDeps {
  readonly guard: readonly RequestHandler[];
  /** Road distances for route edits: the planner's (haversine × detour, or OSRM). */
  readonly roadSource: RoadMatrixSource;
}

export function planApiRoutes(deps: PlanRoutesDeps): Router {
  const r = Router();
  const json = jsonBody('16kb');
  const dispatcher = requireRole('dispatcher', 'admin');

  const now = () => (deps.now ?? (() => new Date()))();

  r.post('/v1/plans', ...deps.guard, dispatcher, requireMediaType('application/json'), json, async (req, res) => {
    const body = parse(CreatePlanBody, req.body);
    const countyId = countyFor(principalOf(req), body.county);
    const { plan, started } = await createPlanRequest(deps, body.date, body.seed, { countyId });
    res.status(202).location(`/v1/plans/${plan.id}`).json({ ...toPlanView(plan), started });
  });

  r.post('/v1/plans/:id/publish', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    await requirePlan(deps.db, id, principalOf(req).counties);
    res.json(toPlanView(await publishPlan(deps.db, id, now())));
  });

  r.post('/v1/plans/:id/close', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    await requirePlan(deps.db, id, principalOf(req).counties);
    res.json(toPlanView(await closePlan(deps.db, id, now(), deps.settings.utcOffsetMinutes)));
  });

  r.post('/v1/vehicles/:vehicleId/breakdowns', ...deps.guard, dispatcher, requireMediaType('application/json'), json, async (req, res) => {
    const { vehicleId } = parse(VehicleParams, req.params);
    const body = parse(BreakdownBody, req.body);
    const vehicle = await deps.db.selectFrom('vehicles').select('county_id').where('id', '=', vehicleId).executeTakeFirst();
    const counties = principalOf(req).counties;
    if (vehicle && counties !== undefined && !counties.includes(vehicle.county_id)) throw new AppError('not_found', `no vehicle ${vehicleId}`);
    const { breakdown, created } = await recordBreakdown(deps.db, vehicleId, body.date, body.at === undefined ? undefined : new Date(body.at).toISOString(), body.note, now());
    res.status(created ? 201 : 200).json(breakdown);
  });

  r.get('/v1/plans', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(PlanListQuery, req.query);
    const p = principalOf(req);
    res.json({ plans: await listPlans(deps.db, q.date, q.county !== undefined ? [countyFor(p, q.county)] : p.counties) });
  });

  r.get('/v1/plans/:id', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    res.json(toPlanView(await requirePlan(deps.db, id, principalOf(req).counties)));
  });

  r.get('/v1/plans/:id/routes', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const plan = await requirePlan(deps.db, id, principalOf(req).counties);
    res.json({ planId: plan.id, date: plan.service_date, status: plan.status, routes: await planRoutes(deps.db, plan.id) });
  });

  r.get('/v1/plans/:id/routes.geojson', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const plan = await requirePlan(deps.db, id, principalOf(req).counties);
    res.type('application/geo+json').send(JSON.stringify(routesGeoJson(await planRoutes(deps.db, plan.id))));
  });

  r.get('/v1/plans/:id/savings', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const plan = await requirePlan(deps.db, id, principalOf(req).counties);
    if (plan.status !== 'completed') throw new AppError('conflict', `the plan is ${plan.status}; savings come with the completed plan`);
    if (!plan.savings_json) throw new AppError('not_found', 'this plan was made without the co-delivery comparison');
    res.json({ planId: plan.id, date: plan.service_date, ...(JSON.parse(plan.savings_json) as object) });
  });

  r.post('/v1/plans/:id/edits/preview', ...deps.guard, dispatcher, requireMediaType('application/json'), json, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const body = parse(RouteEditBody, req.body);
    await requirePlan(deps.db, id, principalOf(req).counties);
    res.json(await previewRouteEdit(deps, id, body));
  });

  r.post('/v1/plans/:id/edits', ...deps.guard, dispatcher, requireMediaType('application/json'), json, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const body = parse(RouteEditBody, req.body);
    await requirePlan(deps.db, id, principalOf(req).counties);
    const saved = await saveRouteEdit(deps, id, body, now());
    res.status(201).location(`/v1/plans/${saved.plan.id}`).json(saved);
  });

  r.get('/v1/stats', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(StatsQuery, req.query);
    // Without dates: the operating day, not whichever day was planned last.
    const from = q.from ?? q.to ?? localDate(now(), deps.settings.utcOffsetMinutes);
    res.json(await stats(deps.db, from, q.to ?? from, deps.settings.utcOffsetMinutes, countyFilter(principalOf(req), q.county)));
  });

  return r;
}

export function documentPlanRoutes(registry: OpenAPIRegistry): void {
  const dispatcher: Role[] = ['dispatcher', 'admin'];
  const noPlan = { 404: 'No such plan' };
  registerOperation(registry, {
    method: 'post',
    path: '/v1/plans',
    operationId: 'requestPlan',
    tag: 'plans',
    summary: 'Ask for a day’s plan',
    description:
      'Plans the service date in the background (the workers). The first request makes version 1; asking again makes the next version ' +
      '(a new id linked to the one it replaces): routes with driver events keep every stop up to their last event and continue from there, ' +
      'the rest (late parcels, a broken-down vehicle’s stops) is re-optimised. A version already queued or running is returned as it is ' +
      '(`started: false`): one run per date at a time. The date must lie within today − 7 … today + 14 (local). Follow it at the `Location`.',
    roles: dispatcher,
    request: { body: { schema: CreatePlanBody } },
    responses: {
      202: {
        description: 'Accepted: planned in the background',
        headers: { Location: { description: 'The plan: /v1/plans/{id}', schema: { type: 'string' } } },
        content: { 'application/json': { schema: PlanRequested } },
      },
    },
    errors: {
      409: 'The day is closed',
      503: 'The network is not loaded yet (`gongpei db migrate` loads it), or the database is unavailable; retry after `Retry-After` seconds',
    },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/plans/{id}/publish',
    operationId: 'publishPlan',
    tag: 'plans',
    summary: 'Publish a plan to its drivers',
    description: 'draft → published: the drivers see the plan. Publishing again answers the plan as it is.',
    roles: dispatcher,
    request: { params: PlanParams },
    responses: { 200: json('The plan', Plan) },
    errors: { 404: 'No such plan', 409: 'Not completed, replaced by a newer version, or closed' },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/plans/{id}/close',
    operationId: 'closePlan',
    tag: 'plans',
    summary: 'Close the day',
    description:
      'published | in_progress → closed: the day’s KPIs are computed once and frozen (statistics and the dashboard answer from the snapshot ever after), ' +
      'returns that rode the day’s line-haul are handed back to their couriers, and parcels nobody reported go back to the pool for the next day.',
    roles: dispatcher,
    request: { params: PlanParams },
    responses: { 200: json('The plan', Plan) },
    errors: { 404: 'No such plan', 409: 'A draft (publish first), not completed, or replaced' },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/vehicles/{vehicleId}/breakdowns',
    operationId: 'reportBreakdown',
    tag: 'plans',
    summary: 'Report a vehicle broken down',
    description: 'The vehicle broke down on a service date: the next re-plan (POST /v1/plans) keeps its route up to its last event and moves its remaining stops to other vehicles.',
    roles: dispatcher,
    request: { params: VehicleParams, body: { schema: BreakdownBody } },
    responses: { 201: json('Recorded', Breakdown), 200: json('Already recorded for that date', Breakdown) },
    errors: { 404: 'No such vehicle' },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/plans',
    operationId: 'listPlans',
    tag: 'plans',
    summary: 'List plans',
    description: 'Plans, newest first; `date` keeps one service date’s.',
    roles: dispatcher,
    request: { query: PlanListQuery },
    responses: { 200: json('The plans', PlanList) },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/plans/{id}',
    operationId: 'getPlan',
    tag: 'plans',
    summary: 'A plan and its progress',
    description: 'Status, progress, step timings and, when completed, its counts.',
    roles: dispatcher,
    request: { params: PlanParams },
    responses: { 200: json('The plan', Plan) },
    errors: noPlan,
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/plans/{id}/routes',
    operationId: 'getPlanRoutes',
    tag: 'plans',
    summary: 'A plan’s routes',
    description: 'Every route of the plan (line-haul and village) with its stops in order, times and loads; empty until the plan completes.',
    roles: dispatcher,
    request: { params: PlanParams },
    responses: { 200: json('The routes', PlanRoutes) },
    errors: noPlan,
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/plans/{id}/routes.geojson',
    operationId: 'getPlanRoutesGeoJson',
    tag: 'plans',
    summary: 'A plan’s routes, for maps',
    description: 'One LineString per route (its stops in order, straight segments) and one Point per stop.',
    roles: dispatcher,
    request: { params: PlanParams },
    responses: { 200: { description: 'The routes', content: { 'application/geo+json': { schema: GeoJsonFeatureCollection } } } },
    errors: noPlan,
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/plans/{id}/savings',
    operationId: 'getPlanSavings',
    tag: 'plans',
    summary: 'What co-delivery saved',
    description: 'The completed plan against every courier planning alone: routes, km, vehicle-days, driver hours, cost and CO₂.',
    roles: dispatcher,
    request: { params: PlanParams },
    responses: { 200: json('The comparison', PlanSavings) },
    errors: { 404: 'No such plan, or it was made without the comparison', 409: 'The plan has not completed' },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/plans/{id}/edits/preview',
    operationId: 'previewRouteEdit',
    tag: 'plans',
    summary: 'What a manual route edit would cost',
    description:
      'Moves stops between village routes of one hub or within a route, and evaluates the routes before and after with the routing core’s evaluator (no search): ' +
      'km, duration, cost at the fleet’s rates, load, and every rule the new order breaks (capacity, station hours, the vehicle’s range, back after the day ends, cold chain). Stores nothing.',
    roles: dispatcher,
    request: { params: PlanParams, body: { schema: RouteEditBody } },
    responses: { 200: json('The routes before and after', RouteEditPreview) },
    errors: {
      404: 'No such plan',
      409: 'The plan is not the current completed version, or the day is closed; a visited stop moved (named); a stop of a started route moved to another vehicle; routes of different hubs or a line-haul route',
    },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/plans/{id}/edits',
    operationId: 'saveRouteEdit',
    tag: 'plans',
    summary: 'Save a manual route edit as a new plan version',
    description:
      'Evaluates the edit as the preview does and saves it as the date’s next version, linked to the one it replaces (`replacesPlanId`); every route moves to it with its id, ' +
      'so drivers’ manifests show the new order. Stops keep their ids; nothing a driver reported is touched. An edit that breaks a rule is refused unless `acceptViolations`.',
    roles: dispatcher,
    request: { params: PlanParams, body: { schema: RouteEditBody } },
    responses: {
      201: {
        description: 'Saved: the new version and the evaluation',
        headers: { Location: { description: 'The new version: /v1/plans/{id}', schema: { type: 'string' } } },
        content: { 'application/json': { schema: RouteEditSaved } },
      },
    },
    errors: {
      404: 'No such plan',
      409: 'As the preview; also: the edit breaks a rule (without `acceptViolations`), or another edit or re-plan came first',
    },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/stats',
    operationId: 'getStats',
    tag: 'stats',
    summary: 'Statistics over a date range',
    description:
      'Parcels by courier, township, day and status, and each day’s current plan figures, from `from` to `to` (local days, inclusive; default the operating day). ' +
      'A closed day answers from the snapshot frozen when it closed.',
    roles: dispatcher,
    request: { query: StatsQuery },
    responses: { 200: json('The statistics', Stats) },
  });
}
