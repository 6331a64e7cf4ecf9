/**
 * /v1/pickups: produce to collect at a station (couriers, dispatchers and admins may request).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { errorResponses } from '../parcels/parcel.routes.ts';
import { CreatePickup, Pickup, PickupParams } from './pickup.schemas.ts';
import { createPickup, getPickup, type PickupServiceDeps } from './pickup.service.ts';

export interface PickupRoutesDeps extends PickupServiceDeps {
  readonly guard: readonly RequestHandler[];
  readonly jsonLimit: string;
}

export function pickupRoutes(deps: PickupRoutesDeps): Router {
  const r = Router();
  const json = jsonBody(deps.jsonLimit);
  const roles = requireRole('courier', 'dispatcher', 'admin');

  r.post('/v1/pickups', ...deps.guard, roles, requireMediaType('application/json'), json, async (req, res) => {
    const p = principalOf(req);
    const input = parse(CreatePickup, req.body);
    const { pickup, created } = await createPickup(deps, p.role === 'courier' ? p.courierCode : null, input);
    res.status(created ? 201 : 200).json(pickup);
  });

  r.get('/v1/pickups/:id', ...deps.guard, roles, async (req, res) => {
    const p = principalOf(req);
    const { id } = parse(PickupParams, req.params);
    res.json(await getPickup(deps.db, p.role === 'courier' ? p.courierCode : null, id));
  });

  return r;
}

export function documentPickupRoutes(registry: OpenAPIRegistry): void {
  const security = [{ bearerAuth: [] }];
  registry.registerPath({
    method: 'post',
    path: '/v1/pickups',
    summary: 'Request a produce pickup (农产品上行) at a station',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: CreatePickup } } } },
    responses: {
      201: { description: 'Accepted and committed', content: { 'application/json': { schema: Pickup } } },
      200: { description: 'The same `reference` and body again: the pickup already made', content: { 'application/json': { schema: Pickup } } },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 429, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/pickups/{id}',
    summary: 'A pickup (a courier sees only its own)',
    security,
    request: { params: PickupParams },
    responses: { 200: { description: 'The pickup', content: { 'application/json': { schema: Pickup } } }, ...errorResponses(400, 401, 403, 404, 429, 503) },
  });
}
