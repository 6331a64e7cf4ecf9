/**
 * GET /v1/manifests?date= (a driver's own routes; dispatchers and admins see all),
 * GET /v1/manifests/{routeId} (JSON) and GET /v1/manifests/{routeId}.html (printable A4 with QR),
 * POST /v1/manifests/{routeId}/links (the printable manifest at a URL to copy or open in a new
 * tab, which cannot send a Bearer key) and the page such a link opens: GET /manifest?token=….
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { toHttpFailure } from '../http/error-handler.ts';
import { jsonBody } from '../http/json-body.ts';
import { renderManifestHtml } from './manifest.html.ts';
import { createManifestLink, DEFAULT_MANIFEST_LINK_MINUTES, MANIFEST_PAGE_PATH, MAX_MANIFEST_LINK_MINUTES, openManifestLink, readerOfPrincipal } from './manifest-links.ts';
import { markRouteOpened } from '../drivers/driver.service.ts';
import { buildManifest, listManifests, type Manifest, type Reader } from './manifest.service.ts';

const ListQuery = z.strictObject({ date: z.iso.date().openapi({ example: '2026-11-29' }) });
const RouteParams = z.strictObject({ routeId: z.string().min(1).max(64) });
export const ManifestLinkBody = z
  .strictObject({
    ttlMinutes: z
      .int()
      .min(1)
      .max(MAX_MANIFEST_LINK_MINUTES)
      .optional()
      .openapi({ description: `How long the link opens the manifest; default ${DEFAULT_MANIFEST_LINK_MINUTES}, never past the end of a driver’s phone session` }),
  })
  .openapi('ManifestLinkRequest');
const ManifestLinkQuery = z.strictObject({ token: z.string().min(20).max(200) });
const ManifestLinkSchema = z
  .object({
    routeId: z.string(),
    path: z.string().openapi({ example: '/manifest?token=…' }),
    url: z.string().openapi({ description: 'The path on this server’s address as the request reached it' }),
    expiresAt: z.string(),
  })
  .openapi('ManifestLink');

export interface ManifestRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** The network's clock (from TIMEZONE), for the printable manifest's times. */
  readonly utcOffsetMinutes: number;
}

function readerOf(req: Request): Reader {
  return readerOfPrincipal(principalOf(req));
}

/** The server's address as this request reached it (trust proxy is off: Host as sent). */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** A short page for a person who opened a link that no longer works (not a JSON error). */
function linkErrorPage(message: string): string {
  const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>派送清单 manifest</title></head><body style="font:16px sans-serif;margin:2em"><h1 style="font-size:1.2em">无法打开派送清单 · Cannot open this manifest</h1><p>${esc(message)}</p><p>请向调度员索取新的链接。Ask the dispatcher for a new link.</p></body></html>`;
}

/** A manifest, read by `reader`; the dispatcher sees who has opened their route: the first time its driver reads it (either form). */
async function readManifest(db: Kysely<Database>, reader: Reader, routeId: string): Promise<Manifest> {
  const manifest = await buildManifest(db, reader, routeId);
  if (reader.role === 'driver') await markRouteOpened(db, routeId, reader.driverId);
  return manifest;
}

export function manifestRoutes(deps: ManifestRoutesDeps): Router {
  const r = Router();
  const readers = requireRole('driver', 'dispatcher', 'admin');

  r.get('/v1/manifests', ...deps.guard, readers, async (req, res) => {
    const q = parse(ListQuery, req.query);
    res.json({ date: q.date, manifests: await listManifests(deps.db, readerOf(req), q.date) });
  });

  // The printable form first: "/v1/manifests/R1.html" would otherwise match ":routeId" as "R1.html".
  r.get('/v1/manifests/:routeId.html', ...deps.guard, readers, async (req, res) => {
    const { routeId } = parse(RouteParams, req.params);
    const manifest = await readManifest(deps.db, readerOf(req), routeId);
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/html; charset=utf-8').send(await renderManifestHtml(manifest, { origin: originOf(req), utcOffsetMinutes: deps.utcOffsetMinutes }));
  });
  r.post('/v1/manifests/:routeId/links', ...deps.guard, readers, requireMediaType('application/json'), jsonBody('1kb'), async (req, res) => {
    const { routeId } = parse(RouteParams, req.params);
    const body = parse(ManifestLinkBody, req.body);
    await buildManifest(deps.db, readerOf(req), routeId); // 404 (or 403) unless this key may read the route
    const link = await createManifestLink(deps.db, principalOf(req), routeId, { ttlMinutes: body.ttlMinutes });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ ...link, url: `${originOf(req)}${link.path}` });
  });
  // Public: the token in the query is the credential (the request log keeps no query strings).
  r.get(MANIFEST_PAGE_PATH, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    try {
      const { token } = parse(ManifestLinkQuery, req.query);
      const link = await openManifestLink(deps.db, token);
      const manifest = await readManifest(deps.db, link.reader, link.routeId);
      res.type('text/html; charset=utf-8').send(await renderManifestHtml(manifest, { origin: originOf(req), utcOffsetMinutes: deps.utcOffsetMinutes }));
    } catch (err) {
      const failure = toHttpFailure(err);
      if (failure.unexpected) throw err;
      res.status(failure.status).type('text/html; charset=utf-8').send(linkErrorPage(failure.body.error.message));
    }
  });
  r.get('/v1/manifests/:routeId', ...deps.guard, readers, async (req, res) => {
    const { routeId } = parse(RouteParams, req.params);
    res.json(await readManifest(deps.db, readerOf(req), routeId));
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
  failedReason: z.string().nullable(),
});
const ManifestStop = z.object({
  stopId: z.string(),
  seq: z.int(),
  number: z.int().nullable().openapi({ description: '1…n over the stops the driver serves (stations, other hubs, reloads); null for start and end' }),
  trip: z.int(),
  kind: z.string(),
  eta: z.string(),
  departureAt: z.string(),
  station: z.object({ code: z.string(), name: z.string(), township: z.string().nullable(), keeper: z.object({ name: z.string().nullable(), phone: z.string().nullable() }) }).nullable(),
  hub: z.object({ id: z.string(), name: z.string() }).nullable(),
  location: z
    .object({ lat: z.number(), lon: z.number(), gcj02: z.object({ lat: z.number(), lon: z.number() }) })
    .nullable()
    .openapi({ description: 'WGS84 (GPS) and GCJ-02 (Chinese map apps) coordinates of the stop' }),
  parcels: z.array(ManifestParcel),
  pickups: z.array(z.object({ id: z.string(), courier: z.string().nullable(), shipper: z.object({ name: z.string(), phone: z.string() }), description: z.string().nullable(), weightG: z.int(), volumeCm3: z.int(), pieces: z.int(), coldChain: z.boolean(), status: z.string() })),
  bins: z.array(z.object({ courier: z.string(), parcels: z.int(), weightG: z.int() })),
  pickupsToCollect: z.int(),
  totals: z.object({ parcels: z.int(), weightG: z.int(), volumeCm3: z.int(), codFen: z.int(), pickups: z.int() }),
});
export const ManifestSchema = z
  .object({
    routeId: z.string(),
    planId: z.string(),
    date: z.string(),
    tier: z.string(),
    driverId: z.string().nullable(),
    driverName: z.string().nullable().openapi({ description: 'The driver’s name, as printed; null when the route has no driver on record' }),
    vehicle: z.object({ id: z.string(), name: z.string(), type: z.string() }),
    hub: z.object({ id: z.string(), name: z.string() }),
    startAt: z.string(),
    endAt: z.string(),
    distanceKm: z.number(),
    trips: z.int(),
    totals: z.object({ stops: z.int(), parcels: z.int(), pickups: z.int(), weightG: z.int() }),
    stops: z.array(ManifestStop),
    replacedBy: z.object({ planId: z.string(), routeId: z.string().nullable() }).nullable().openapi({ description: 'A re-plan replaced this version and the route did not continue: the current version and this vehicle’s route in it' }),
    loadingOrder: z.array(z.object({ trip: z.int(), stops: z.array(z.object({ stopId: z.string(), seq: z.int(), name: z.string(), waybills: z.array(z.string()), parcels: z.int() })) })),
  })
  .openapi('Manifest');

const ManifestList = z
  .object({
    date: z.string(),
    manifests: z.array(
      z.object({
        routeId: z.string(),
        planId: z.string(),
        date: z.string(),
        tier: z.string(),
        driverId: z.string().nullable(),
        vehicleId: z.string(),
        hubId: z.string(),
        startAt: z.string(),
        endAt: z.string(),
        stops: z.int(),
        links: z.object({ json: z.string(), html: z.string() }),
      }),
    ),
  })
  .openapi('ManifestList');

export function documentManifestRoutes(registry: OpenAPIRegistry): void {
  const readers: Role[] = ['driver', 'dispatcher', 'admin'];
  const notFound = { 404: 'No such route (or another driver’s)' };
  registerOperation(registry, {
    method: 'get',
    path: '/v1/manifests',
    operationId: 'listManifests',
    tag: 'manifests',
    summary: 'A day’s manifests',
    description: 'The routes of a service day with links to their manifests; a driver key sees its own routes.',
    roles: readers,
    request: { query: ListQuery },
    responses: { 200: json('The day’s manifests', ManifestList) },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/manifests/{routeId}',
    operationId: 'getManifest',
    tag: 'manifests',
    summary: 'A route’s manifest',
    description: 'Stops in order with ETA, the parcels to drop, the pickups to collect, and the loading order.',
    roles: readers,
    request: { params: RouteParams },
    responses: { 200: json('The manifest', ManifestSchema) },
    errors: notFound,
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/manifests/{routeId}.html',
    operationId: 'getPrintableManifest',
    tag: 'manifests',
    summary: 'A route’s manifest, printable',
    description: 'The same manifest as an A4 HTML page with a QR code per stop, for printing.',
    roles: readers,
    request: { params: RouteParams },
    responses: { 200: { description: 'The printable manifest', content: { 'text/html': { schema: z.string() } } } },
    errors: notFound,
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/manifests/{routeId}/links',
    operationId: 'createManifestLink',
    tag: 'manifests',
    summary: 'A link to a route’s printable manifest',
    description:
      'A short-lived URL (`/manifest?token=…`) that opens the printable manifest in any browser without a key: to open in a new tab, copy into a message, or open on the driver’s phone. It reads the manifest as the key that made it (a driver’s link: only their own route, and no longer than their phone session); revoking that key ends it.',
    roles: readers,
    request: { params: RouteParams, body: { schema: ManifestLinkBody } },
    responses: { 201: json('The link', ManifestLinkSchema) },
    errors: notFound,
  });
}
