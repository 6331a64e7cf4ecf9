/**
 * /v1/plans and /v1/stats (dispatcher and admin keys): ask for a day's plan (202, planned in the
 * background by the workers), follow its progress, read its routes (JSON or GeoJSON), its
 * co-delivery savings, and statistics over a date range.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import { AppError } from '../errors.ts';
import { requireRole } from '../http/auth.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { GeoJsonFeatureCollection, json, registerOperation } from '../http/openapi-operation.ts';
import type { Role } from '../db/schema.ts';
import { CreatePlanBody, PlanList, PlanListQuery, PlanParams, PlanRequested, PlanRoutes, PlanSavings, Plan, Stats, StatsQuery } from './plan.schemas.ts';
import { stats } from '../stats/stats.service.ts';
import { createPlanRequest, listPlans, planRoutes, requirePlan, routesGeoJson, toPlanView, type PlanServiceDeps } from './plan.service.ts';

/** `settings` come from the configuration (`daySettings(config)`), the same as the workers'. */
export interface PlanRoutesDeps extends PlanServiceDeps {
  readonly guard: readonly RequestHandler[];
}

export function planApiRoutes(deps: PlanRoutesDeps): Router {
  const r = Router();
  const json = jsonBody('16kb');
  const dispatcher = requireRole('dispatcher', 'admin');

  r.post('/v1/plans', ...deps.guard, dispatcher, requireMediaType('application/json'), json, async (req, res) => {
    const body = parse(CreatePlanBody, req.body);
    const { plan, started } = await createPlanRequest(deps, body.date, body.seed);
    res.status(202).location(`/v1/plans/${plan.id}`).json({ ...toPlanView(plan), started });
  });

  r.get('/v1/plans', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(PlanListQuery, req.query);
    res.json({ plans: await listPlans(deps.db, q.date) });
  });

  r.get('/v1/plans/:id', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    res.json(toPlanView(await requirePlan(deps.db, id)));
  });

  r.get('/v1/plans/:id/routes', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const plan = await requirePlan(deps.db, id);
    res.json({ planId: plan.id, date: plan.service_date, status: plan.status, routes: await planRoutes(deps.db, plan.id) });
  });

  r.get('/v1/plans/:id/routes.geojson', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const plan = await requirePlan(deps.db, id);
    res.type('application/geo+json').send(JSON.stringify(routesGeoJson(await planRoutes(deps.db, plan.id))));
  });

  r.get('/v1/plans/:id/savings', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    const plan = await requirePlan(deps.db, id);
    if (plan.status !== 'completed') throw new AppError('conflict', `the plan is ${plan.status}; savings come with the completed plan`);
    if (!plan.savings_json) throw new AppError('not_found', 'this plan was made without the co-delivery comparison');
    res.json({ planId: plan.id, date: plan.service_date, ...(JSON.parse(plan.savings_json) as object) });
  });

  r.get('/v1/stats', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(StatsQuery, req.query);
    res.json(await stats(deps.db, q.from, q.to, deps.settings.utcOffsetMinutes));
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
      'Plans the service date in the background (the workers): a new plan, or a re-plan of a finished one. ' +
      'A plan already running for the date is returned as it is (`started: false`). Follow it at the `Location`.',
    roles: dispatcher,
    request: { body: { schema: CreatePlanBody } },
    responses: {
      202: {
        description: 'Accepted: planned in the background',
        headers: { Location: { description: 'The plan: /v1/plans/{id}', schema: { type: 'string' } } },
        content: { 'application/json': { schema: PlanRequested } },
      },
    },
    errors: { 503: 'The network is not loaded yet (`gongpei db migrate` loads it), or the database is unavailable; retry after `Retry-After` seconds' },
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
    method: 'get',
    path: '/v1/stats',
    operationId: 'getStats',
    tag: 'stats',
    summary: 'Statistics over a date range',
    description: 'Parcels by courier, township, day and status, and each day’s plan figures, from `from` to `to` (local days, inclusive).',
    roles: dispatcher,
    request: { query: StatsQuery },
    responses: { 200: json('The statistics', Stats) },
  });
}
