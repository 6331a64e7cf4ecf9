/**
 * GET /v1/manifests?date= (a driver's own routes; dispatchers and admins see all),
 * GET /v1/manifests/{routeId} (JSON) and GET /v1/manifests/{routeId}.html (printable A4 with QR).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { ErrorResponse } from '../http/http-errors.ts';
import { parse } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { renderManifestHtml } from './manifest.html.ts';
import { markRouteOpened } from '../drivers/driver.service.ts';
import { buildManifest, listManifests, type Reader } from './manifest.service.ts';

const ListQuery = z.strictObject({ date: z.iso.date().openapi({ example: '2026-11-29' }) });
const RouteParams = z.strictObject({ routeId: z.string().min(1).max(64) });

export interface ManifestRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
}

function readerOf(req: Request): Reader {
  const p = principalOf(req);
  if (p.role === 'driver') return { role: 'driver', driverId: p.driverId, serviceDate: p.serviceDate };
  if (p.role === 'dispatcher' || p.role === 'admin') return { role: p.role };
  throw new Error('unreachable: role checked before');
}

export function manifestRoutes(deps: ManifestRoutesDeps): Router {
  const r = Router();
  const readers = requireRole('driver', 'dispatcher', 'admin');

  r.get('/v1/manifests', ...deps.guard, readers, async (req, res) => {
    const q = parse(ListQuery, req.query);
    res.json({ date: q.date, manifests: await listManifests(deps.db, readerOf(req), q.date) });
  });

  // One handler for both forms: "{routeId}.html" is the printable one.
  r.get('/v1/manifests/:routeId', ...deps.guard, readers, async (req, res) => {
    const raw = typeof req.params.routeId === 'string' ? req.params.routeId : '';
    const html = raw.endsWith('.html');
    const { routeId } = parse(RouteParams, { routeId: html ? raw.slice(0, -'.html'.length) : raw });
    const reader = readerOf(req);
    const manifest = await buildManifest(deps.db, reader, routeId);
    // The dispatcher sees who has opened their route: the first time its driver reads it.
    if (reader.role === 'driver') await markRouteOpened(deps.db, routeId, reader.driverId);
    if (!html) {
      res.json(manifest);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/html; charset=utf-8').send(await renderManifestHtml(manifest));
  });
  return r;
}

const ManifestParcel = z.object({
  waybill: z.string(),
  courier: z.string(),
  weightG: z.int(),
  volumeCm3: z.int(),
  coldChain: z.boolean(),
  fragile: z.boolean(),
  codAmountFen: z.int(),
  recipient: z.object({ name: z.string(), phone: z.string().openapi({ example: '138****5678' }) }),
  status: z.string(),
});
const ManifestStop = z.object({
  stopId: z.string(),
  seq: z.int(),
  trip: z.int(),
  kind: z.string(),
  eta: z.string(),
  departureAt: z.string(),
  station: z.object({ code: z.string(), name: z.string(), township: z.string().nullable() }).nullable(),
  hub: z.object({ id: z.string(), name: z.string() }).nullable(),
  parcels: z.array(ManifestParcel),
  pickups: z.array(z.object({ id: z.string(), courier: z.string().nullable(), shipper: z.object({ name: z.string(), phone: z.string() }), description: z.string().nullable(), weightG: z.int(), volumeCm3: z.int(), pieces: z.int(), coldChain: z.boolean(), status: z.string() })),
  bins: z.array(z.object({ courier: z.string(), parcels: z.int(), weightG: z.int() })),
  pickupsToCollect: z.int(),
});
export const ManifestSchema = z
  .object({
    routeId: z.string(),
    planId: z.string(),
    date: z.string(),
    tier: z.string(),
    driverId: z.string().nullable(),
    vehicle: z.object({ id: z.string(), name: z.string(), type: z.string() }),
    hub: z.object({ id: z.string(), name: z.string() }),
    startAt: z.string(),
    endAt: z.string(),
    distanceKm: z.number(),
    trips: z.int(),
    totals: z.object({ stops: z.int(), parcels: z.int(), pickups: z.int(), weightG: z.int() }),
    stops: z.array(ManifestStop),
    loadingOrder: z.array(z.object({ trip: z.int(), stops: z.array(z.object({ stopId: z.string(), seq: z.int(), name: z.string(), waybills: z.array(z.string()), parcels: z.int() })) })),
  })
  .openapi('Manifest');

export function documentManifestRoutes(registry: OpenAPIRegistry): void {
  const err = (d: string) => ({ description: d, content: { 'application/json': { schema: ErrorResponse } } });
  registry.registerPath({
    method: 'get',
    path: '/v1/manifests',
    summary: 'Routes of a day with manifest links (a driver sees their own)',
    security: [{ bearerAuth: [] }],
    request: { query: ListQuery },
    responses: { 200: { description: 'Manifests', content: { 'application/json': { schema: z.object({ date: z.string(), manifests: z.array(z.object({ routeId: z.string() }).loose()) }) } } }, 401: err('No key'), 403: err('Courier key') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/manifests/{routeId}',
    summary: 'A route’s manifest: stops in order with ETA, parcels to drop, pickups, loading order (append .html for the printable A4 with QR codes)',
    security: [{ bearerAuth: [] }],
    request: { params: RouteParams },
    responses: {
      200: { description: 'The manifest', content: { 'application/json': { schema: ManifestSchema }, 'text/html': { schema: z.string() } } },
      401: err('No key'),
      403: err('Courier key'),
      404: err('No such route, or another driver’s'),
    },
  });
}
