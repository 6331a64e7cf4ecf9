/**
 * /v1/pickups: produce to collect at a station (couriers, dispatchers and admins may request).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
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
    const { pickup, created } = await createPickup(deps, p.role === 'courier' ? p.courierCode : null, input, p.counties);
    res.status(created ? 201 : 200).json(pickup);
  });

  r.get('/v1/pickups/:id', ...deps.guard, roles, async (req, res) => {
    const p = principalOf(req);
    const { id } = parse(PickupParams, req.params);
    res.json(await getPickup(deps.db, p.role === 'courier' ? p.courierCode : null, id, p.counties));
  });

  return r;
}

export function documentPickupRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'post',
    path: '/v1/pickups',
    operationId: 'createPickup',
    tag: 'pickups',
    summary: 'Request a produce pickup',
    description:
      'Request a produce pickup (农产品上行) at a station. With a `reference`, the same reference and body again answer 200 with the pickup already made.',
    roles: ['courier', 'dispatcher', 'admin'],
    request: { body: { schema: CreatePickup } },
    responses: {
      201: json('Accepted and committed', Pickup),
      200: json('The same `reference` and body again: the pickup already made', Pickup),
    },
    errors: { 409: 'The `reference` was already used with a different body', 422: 'The station cannot be resolved' },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/pickups/{id}',
    operationId: 'getPickup',
    tag: 'pickups',
    summary: 'A pickup',
    description: 'A pickup and its status; a courier key sees only its own.',
    roles: ['courier', 'dispatcher', 'admin'],
    request: { params: PickupParams },
    responses: { 200: json('The pickup', Pickup) },
    errors: { 404: 'No such pickup (or another courier’s)' },
  });
}
