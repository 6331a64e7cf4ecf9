/**
 * /v1/plans and /v1/stats (dispatcher and admin keys): ask for a day's plan (202, planned in the
 * background by the workers), follow its progress, read its routes (JSON or GeoJSON), its
 * co-delivery savings, and statistics over a date range.
 */
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import { AppError } from '../errors.ts';
import { requireRole } from '../http/auth.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { DEFAULT_SETTINGS } from '../planning/types.ts';
import { stats } from '../stats/stats.service.ts';
import { createPlanRequest, listPlans, planRoutes, requirePlan, routesGeoJson, toPlanView, type PlanServiceDeps } from './plan.service.ts';

export const CreatePlanBody = z.strictObject({
  date: z.iso.date().openapi({ example: '2026-11-29' }),
  seed: z.int().min(0).max(2_147_483_647).default(1),
});
const PlanParams = z.strictObject({ id: z.string().min(1).max(64) });
const PlanListQuery = z.strictObject({ date: z.iso.date().optional() });
const StatsQuery = z
  .strictObject({ from: z.iso.date(), to: z.iso.date() })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

export interface PlanRoutesDeps extends Omit<PlanServiceDeps, 'settings'> {
  readonly guard: readonly RequestHandler[];
  /** Day settings for the plan row's cut-off (default: 06:00, UTC+8); workers use their own config. */
  readonly settings?: PlanServiceDeps['settings'];
}

export function planApiRoutes(routeDeps: PlanRoutesDeps): Router {
  const deps = { ...routeDeps, settings: routeDeps.settings ?? DEFAULT_SETTINGS };
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
