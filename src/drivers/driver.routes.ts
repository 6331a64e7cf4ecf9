/**
 * Drivers over HTTP.
 *
 * Dispatcher and admin keys: GET/POST /v1/drivers, PATCH /v1/drivers/{id} (active),
 * GET/PUT /v1/driver-assignments (a driver on a vehicle for a date),
 * POST /v1/drivers/{id}/sign-in-links (a link + QR code for the driver's phone),
 * POST /v1/driver-links/{linkId}/revoke and POST /v1/drivers/{id}/revoke-sign-ins.
 *
 * Public: POST /v1/driver-sessions exchanges a sign-in link's token for the phone's session
 * credential (the token itself is the proof; 256 random bits, single-use).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { requireRole } from '../http/auth.ts';
import { jsonBody } from '../http/json-body.ts';
import { ErrorResponse } from '../http/http-errors.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import {
  addDriver,
  assignDriver,
  createSignInLink,
  exchangeSignInLink,
  listDrivers,
  MAX_LINK_TTL_MINUTES,
  revokeSignIn,
  setActive,
  signInQrSvg,
  type DriverOptions,
} from './driver.service.ts';
import { assignmentsOn } from './driver.repository.ts';

const DriverParams = z.strictObject({ id: z.string().min(1).max(64) });
const LinkParams = z.strictObject({ linkId: z.string().min(1).max(64) });
const DateQuery = z.strictObject({ date: z.iso.date().optional().openapi({ example: '2026-12-02' }) });
const RequiredDateQuery = z.strictObject({ date: z.iso.date().openapi({ example: '2026-12-02' }) });
export const CreateDriverBody = z
  .strictObject({
    name: z.string().min(1).max(64).openapi({ example: '王师傅' }),
    phone: z.string().min(6).max(32).openapi({ example: '13812345678' }),
    active: z.boolean().optional(),
  })
  .openapi('CreateDriver');
const PatchDriverBody = z.strictObject({ active: z.boolean() });
export const AssignmentBody = z
  .strictObject({
    date: z.iso.date().openapi({ example: '2026-12-02' }),
    vehicleId: z.string().min(1).max(64),
    driverId: z.string().min(1).max(64).nullable().openapi({ description: 'null takes the vehicle’s driver off for that date' }),
  })
  .openapi('DriverAssignment');
const LinkBody = z.strictObject({
  date: z.iso.date().openapi({ example: '2026-12-02' }),
  ttlMinutes: z.int().min(1).max(MAX_LINK_TTL_MINUTES).optional().openapi({ description: 'Default 720 (12 h); never past the end of the service day' }),
});
export const SessionBody = z.strictObject({ token: z.string().min(20).max(200).openapi({ description: 'The token from the sign-in link (after #token=)' }) }).openapi('DriverSessionRequest');

const Driver = z.object({ id: z.string(), name: z.string(), phone: z.string(), active: z.boolean(), createdAt: z.string() }).openapi('Driver');
const DriverListing = Driver.extend({
  vehicleId: z.string().nullable(),
  signedInAt: z.string().nullable().openapi({ description: 'Last time the driver’s phone signed in for the date' }),
  routes: z.array(z.object({ routeId: z.string(), tier: z.string(), vehicleId: z.string(), startAt: z.string(), firstOpenedAt: z.string().nullable().openapi({ description: 'When the driver first opened this route’s manifest' }) })),
}).openapi('DriverListing');
const SignInLink = z
  .object({ linkId: z.string(), driverId: z.string(), date: z.string(), expiresAt: z.string(), path: z.string(), url: z.string(), qrSvg: z.string().openapi({ description: 'QR code of the URL, inline SVG' }) })
  .openapi('DriverSignInLink');
const DriverSession = z
  .object({ token: z.string().openapi({ description: 'Bearer credential for this phone: the driver’s own routes of that date' }), driverId: z.string(), driverName: z.string(), date: z.string(), vehicleId: z.string().nullable(), expiresAt: z.string() })
  .openapi('DriverSession');

export interface DriverRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  readonly options?: DriverOptions;
}

/** The server's own base URL as this request reached it (trust proxy is off: Host as sent). */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function driverRoutes(deps: DriverRoutesDeps): Router {
  const r = Router();
  const json = jsonBody('8kb');
  const dispatcher = requireRole('dispatcher', 'admin');
  const options = deps.options ?? {};
  const body = [requireMediaType('application/json'), json];

  r.get('/v1/drivers', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(DateQuery, req.query);
    res.json({ date: q.date ?? null, drivers: await listDrivers(deps.db, q.date) });
  });

  r.post('/v1/drivers', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const input = parse(CreateDriverBody, req.body);
    const driver = await addDriver(deps.db, input, options);
    res.status(201).location(`/v1/drivers/${driver.id}`).json(driver);
  });

  r.patch('/v1/drivers/:id', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const { id } = parse(DriverParams, req.params);
    const input = parse(PatchDriverBody, req.body);
    res.json(await setActive(deps.db, id, input.active, options));
  });

  r.get('/v1/driver-assignments', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(RequiredDateQuery, req.query);
    const rows = await assignmentsOn(deps.db, q.date);
    res.json({ date: q.date, assignments: rows.map((a) => ({ vehicleId: a.vehicle_id, driverId: a.driver_id, assignedAt: a.assigned_at })) });
  });

  r.put('/v1/driver-assignments', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const input = parse(AssignmentBody, req.body);
    res.json(await assignDriver(deps.db, input, options));
  });

  r.post('/v1/drivers/:id/sign-in-links', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const { id } = parse(DriverParams, req.params);
    const input = parse(LinkBody, req.body);
    const link = await createSignInLink(deps.db, { driverId: id, date: input.date, ...(input.ttlMinutes !== undefined ? { ttlMinutes: input.ttlMinutes } : {}) }, options);
    const url = `${baseUrl(req)}${link.path}`;
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ linkId: link.linkId, driverId: link.driverId, date: link.date, expiresAt: link.expiresAt, path: link.path, url, qrSvg: await signInQrSvg(url) });
  });

  r.post('/v1/driver-links/:linkId/revoke', ...deps.guard, dispatcher, async (req, res) => {
    const { linkId } = parse(LinkParams, req.params);
    res.json({ revoked: await revokeSignIn(deps.db, { linkId }, options) });
  });

  r.post('/v1/drivers/:id/revoke-sign-ins', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(DriverParams, req.params);
    res.json({ revoked: await revokeSignIn(deps.db, { driverId: id }, options) });
  });

  // Public: the token in the body is the credential. No caching of the answer anywhere.
  r.post('/v1/driver-sessions', ...body, async (req, res) => {
    const input = parse(SessionBody, req.body);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await exchangeSignInLink(deps.db, input.token, options));
  });
  return r;
}

export function documentDriverRoutes(registry: OpenAPIRegistry): void {
  const err = (d: string) => ({ description: d, content: { 'application/json': { schema: ErrorResponse } } });
  const ok = (d: string, schema: z.ZodType) => ({ description: d, content: { 'application/json': { schema } } });
  const sec = [{ bearerAuth: [] }];
  const jsonBody = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
  const denied = { 401: err('No key'), 403: err('Not a dispatcher or admin key') };
  registry.registerPath({
    method: 'get',
    path: '/v1/drivers',
    summary: 'Drivers; with ?date= also each one’s vehicle, last sign-in and routes with when they were first opened',
    security: sec,
    request: { query: DateQuery },
    responses: { 200: ok('Drivers', z.object({ date: z.string().nullable(), drivers: z.array(DriverListing) })), ...denied },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/drivers',
    summary: 'Add a driver',
    security: sec,
    request: jsonBody(CreateDriverBody),
    responses: { 201: ok('Added', Driver), 400: err('Bad name or phone'), ...denied, 409: err('Phone already taken') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/drivers/{id}',
    summary: 'Activate or deactivate a driver (deactivating revokes their sign-in links and phone sessions)',
    security: sec,
    request: { params: DriverParams, ...jsonBody(PatchDriverBody) },
    responses: { 200: ok('Updated', Driver), ...denied, 404: err('No such driver') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/driver-assignments',
    summary: 'Which driver drives which vehicle on a date',
    security: sec,
    request: { query: RequiredDateQuery },
    responses: { 200: ok('Assignments', z.object({ date: z.string(), assignments: z.array(z.object({ vehicleId: z.string(), driverId: z.string(), assignedAt: z.string() })) })), ...denied },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/driver-assignments',
    summary: 'Put a driver on a vehicle for a date (replaces the vehicle’s driver that day; null takes them off); that day’s routes of the vehicle follow',
    security: sec,
    request: jsonBody(AssignmentBody),
    responses: { 200: ok('Assigned', AssignmentBody), 400: err('Bad input'), ...denied, 404: err('No such driver or vehicle'), 409: err('The driver already drives another vehicle that day, or is inactive') },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/drivers/{id}/sign-in-links',
    summary: 'A sign-in link and QR code for the driver’s phone: short-lived, single-use, bound to the driver and the date',
    security: sec,
    request: { params: DriverParams, ...jsonBody(LinkBody) },
    responses: { 201: ok('The link (shown once)', SignInLink), 400: err('Bad date or TTL'), ...denied, 404: err('No such driver') },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/driver-links/{linkId}/revoke',
    summary: 'Revoke a sign-in link and the phone sessions made from it',
    security: sec,
    request: { params: LinkParams },
    responses: { 200: ok('Links and sessions revoked', z.object({ revoked: z.int() })), ...denied },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/drivers/{id}/revoke-sign-ins',
    summary: 'Revoke every sign-in link of a driver and every phone session made from them',
    security: sec,
    request: { params: DriverParams },
    responses: { 200: ok('Links and sessions revoked', z.object({ revoked: z.int() })), ...denied },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/driver-sessions',
    summary: 'Exchange a sign-in link’s token for the phone’s session credential (no API key needed)',
    request: jsonBody(SessionBody),
    responses: { 201: ok('Signed in', DriverSession), 400: err('No token'), 401: err('Unknown, used, expired or revoked link') },
  });
}
