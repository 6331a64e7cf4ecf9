/**
 * POST /v1/stops/{stopId}/events (driver keys, own stops only): arrived, delivered, failed (with
 * a reason), picked_up, for some or all of the stop's parcels and pickups. Couriers then see the
 * parcel's new status and events at GET /v1/parcels/{waybill}, and on their webhook.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import { jsonBody } from '../http/json-body.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { EVENT_TYPES, recordDeliveryEvent, type Actor, type ReturnPolicy } from './delivery-events.service.ts';

export const StopParams = z.strictObject({ stopId: z.string().min(1).max(64) });

export const DeliveryEventBody = z
  .strictObject({
    type: z.enum(EVENT_TYPES).openapi({ example: 'delivered' }),
    waybills: z.array(z.string().min(1).max(64)).min(1).max(2_000).optional().openapi({ description: 'Parcels of this stop; omitted = all of them' }),
    parcelIds: z.array(z.string().min(1).max(64)).min(1).max(2_000).optional().openapi({ description: 'Parcels of this stop by id (unambiguous)' }),
    parcels: z
      .array(z.strictObject({ courier: z.string().min(1).max(16), waybill: z.string().min(1).max(64) }))
      .min(1)
      .max(2_000)
      .optional()
      .openapi({ description: 'Parcels of this stop by courier and waybill (unambiguous when two couriers share a waybill)' }),
    pickupIds: z.array(z.string().min(1).max(64)).min(1).max(500).optional().openapi({ description: 'Pickups of this stop (picked_up, failed); omitted = all of them' }),
    reason: z.string().min(1).max(200).optional().openapi({ description: 'Required for failed', example: '收件人不在家' }),
    note: z.string().max(500).optional(),
    at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When it happened (default: now)' }),
  })
  .openapi('DeliveryEvent');

const ItemOutcome = { status: z.string(), changed: z.boolean() };
export const DeliveryEventResponse = z
  .object({
    stopEventId: z.string().nullable().openapi({ description: 'Null when nothing changed (a replay)' }),
    stopId: z.string(),
    routeId: z.string(),
    type: z.enum(EVENT_TYPES),
    at: z.string(),
    parcels: z.array(z.object({ waybill: z.string(), courier: z.string(), ...ItemOutcome })),
    pickups: z.array(z.object({ id: z.string(), ...ItemOutcome })),
    notifications: z.int(),
  })
  .openapi('DeliveryEventResult');

export interface DeliveryEventRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** Wake the outbox relay: notify rows were committed. */
  readonly onOutboxWritten?: () => void;
  /** The network's clock (config TIMEZONE): an event's time must fall on its route's local day. */
  readonly utcOffsetMinutes: number;
  readonly returnPolicy?: ReturnPolicy;
  /** The server's clock (an event without `at` happened now); tests pass a fixed one. */
  readonly now?: () => Date;
}

export function deliveryEventRoutes(deps: DeliveryEventRoutesDeps): Router {
  const r = Router();
  const json = jsonBody('256kb');
  r.post('/v1/stops/:stopId/events', ...deps.guard, requireRole('driver'), requireMediaType('application/json'), json, async (req, res) => {
    const { stopId } = parse(StopParams, req.params);
    const body = parse(DeliveryEventBody, req.body);
    const p = principalOf(req);
    const actor: Actor = p.role === 'driver' ? { role: 'driver', driverId: p.driverId, serviceDate: p.serviceDate, counties: p.counties } : { role: 'admin', counties: p.counties };
    const result = await recordDeliveryEvent(deps.db, stopId, actor, body, deps.utcOffsetMinutes, deps.now?.() ?? new Date(), deps.returnPolicy);
    if (result.notifications > 0) deps.onOutboxWritten?.();
    res.json(result);
  });
  return r;
}

export function documentDeliveryEventRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'post',
    path: '/v1/stops/{stopId}/events',
    operationId: 'recordStopEvent',
    tag: 'stop events',
    summary: 'Report what happened at a stop',
    description:
      'arrived, delivered, failed (with a reason) or picked_up, for some or all of the stop’s parcels and pickups. ' +
      'Recording what is already in effect changes nothing (a replay). Couriers see the new status at GET /v1/parcels/{waybill} and on their webhook.',
    roles: ['driver'],
    request: { params: StopParams, body: { schema: DeliveryEventBody } },
    responses: { 200: json('Recorded (or already in effect)', DeliveryEventResponse) },
    errors: {
      400: 'The event’s time (`at`, or now when it is omitted) is not on the route’s service day, or in the future',
      404: 'No such stop on this driver’s routes',
      409: 'An item cannot take this event (e.g. failing a delivered parcel); the plan is still a draft (not published), closed, or replaced',
      422: 'A waybill or pickup is not on this stop',
    },
  });
}
