/**
 * GET /v1/settlements?date= | ?month= and GET /v1/plans/{id}/settlement: how a day's (or a
 * month's) joint cost is split among the couriers, each share beside that courier's stand-alone
 * cost on the same work. Dispatcher and admin keys see every courier; a courier key sees only
 * its own line (and the day's joint cost).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse } from '../http/validate.ts';
import { countyCode, z } from '../http/zod.ts';
import { countyFor } from '../auth/api-keys.ts';
import { requirePlan } from '../plans/plan.service.ts';
import { planSettlement, settlementOfMonth, settlementOn } from './settlement.service.ts';

export const SettlementQuery = z
  .strictObject({
    date: z.iso.date().optional().openapi({ example: '2026-12-02' }),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')
      .optional()
      .openapi({ example: '2026-12' }),
    county: countyCode('The county whose settlement (default: the key’s only county, or Qin County for a key of every county)').optional(),
  })
  .refine((q) => (q.date === undefined) !== (q.month === undefined), { message: 'give date or month (one of them)', path: ['date'] });
const PlanParams = z.strictObject({ id: z.string().min(1).max(64) });

const Parts = z.object({ vehicleDaysFen: z.int(), kmFen: z.int(), hoursFen: z.int() });
const CourierLine = z
  .object({
    courier: z.string(),
    shareFen: z.int().openapi({ description: 'What the courier pays (fen); the shares of a day sum to its joint cost' }),
    shapleyFen: z.int().openapi({ description: 'The Shapley share before the individual-rationality repair' }),
    parts: Parts,
    routes: z.int(),
    aloneFen: z.int().nullable().openapi({ description: 'The courier alone on the same work (items both plans served); null without the comparison' }),
    aloneMissingItems: z.int().openapi({ description: 'Items the joint plan served that the courier alone could not: aloneFen is then a lower bound' }),
    savedFen: z.int().nullable(),
    belowAlone: z.boolean().nullable(),
    capped: z.boolean().openapi({ description: 'The Shapley share was above the stand-alone cost and was capped at it' }),
  })
  .openapi('CourierSettlement');
export const DaySettlementSchema = z
  .object({
    date: z.string(),
    planId: z.string(),
    frozen: z.boolean().openapi({ description: 'True once the day has closed: the numbers never change again' }),
    frozenAt: z.string().nullable(),
    rule: z.string().openapi({ example: 'shapley-route-game/v1' }),
    jointCostFen: z.int(),
    aloneTotalFen: z.int().nullable(),
    couriers: z.array(CourierLine),
    individuallyRational: z.boolean().nullable(),
    exact: z.boolean(),
    coreViolations: z.array(z.object({ couriers: z.array(z.string()), excessFen: z.int() })).nullable(),
  })
  .openapi('DaySettlement');
export const MonthSettlementSchema = z
  .object({
    month: z.string(),
    jointCostFen: z.int(),
    frozenDays: z.int(),
    provisionalDays: z.int(),
    days: z.array(z.object({ date: z.string(), planId: z.string(), frozen: z.boolean(), jointCostFen: z.int() })),
    couriers: z.array(z.object({ courier: z.string(), days: z.int(), shareFen: z.int(), aloneFen: z.int().nullable(), savedFen: z.int().nullable(), daysAboveAlone: z.int() })),
  })
  .openapi('MonthSettlement');

export interface SettlementRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
}

/** A courier key sees its own line only. */
function visibleTo<T extends { readonly couriers: readonly { readonly courier: string }[] }>(req: Request, value: T): T {
  const p = principalOf(req);
  return p.role === 'courier' ? { ...value, couriers: value.couriers.filter((c) => c.courier === p.courierCode) } : value;
}

export function settlementRoutes(deps: SettlementRoutesDeps): Router {
  const r = Router();
  const readers = requireRole('dispatcher', 'admin', 'courier');
  r.get('/v1/settlements', ...deps.guard, readers, async (req, res) => {
    const q = parse(SettlementQuery, req.query);
    // Settled per county: a key names the county unless it has only one.
    const countyId = countyFor(principalOf(req), q.county);
    res.json(visibleTo(req, q.date !== undefined ? await settlementOn(deps.db, q.date, countyId) : await settlementOfMonth(deps.db, q.month!, countyId)));
  });
  r.get('/v1/plans/:id/settlement', ...deps.guard, requireRole('dispatcher', 'admin'), async (req, res) => {
    const { id } = parse(PlanParams, req.params);
    await requirePlan(deps.db, id, principalOf(req).counties);
    res.json(await planSettlement(deps.db, id));
  });
  return r;
}

export function documentSettlementRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'get',
    path: '/v1/settlements',
    operationId: 'getSettlement',
    tag: 'settlement',
    summary: 'Settlement (结算) of a day or a month',
    description:
      'Of a day (`date`) or a month (`month`): each courier’s Shapley share of the joint cost, beside its stand-alone cost on the same work; ' +
      'frozen when the day closes, provisional before. A courier key sees its own line.',
    roles: ['dispatcher', 'admin', 'courier'],
    request: { query: SettlementQuery },
    responses: { 200: json('A day (DaySettlement) or a month (MonthSettlement)', z.union([DaySettlementSchema, MonthSettlementSchema])) },
    errors: { 404: 'No completed plan with a settlement for that date' },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/plans/{id}/settlement',
    operationId: 'getPlanSettlement',
    tag: 'settlement',
    summary: 'A plan’s settlement',
    description: 'The settlement computed with a completed plan (provisional until its day closes).',
    roles: ['dispatcher', 'admin'],
    request: { params: PlanParams },
    responses: { 200: json('The plan’s settlement', DaySettlementSchema) },
    errors: { 404: 'No such plan, or no settlement', 409: 'The plan is not completed' },
  });
}
