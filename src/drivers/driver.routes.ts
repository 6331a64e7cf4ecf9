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
import type { Database, Role } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { countyFor } from '../auth/api-keys.ts';
import { jsonBody } from '../http/json-body.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { countyCode, z } from '../http/zod.ts';
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
    county: countyCode('The county the driver drives in (default: the key’s only county, or Qin County for a key of every county)').optional(),
  })
  .openapi('CreateDriver');
const PatchDriverBody = z.strictObject({ active: z.boolean() }).openapi('DriverActive');
export const AssignmentBody = z
  .strictObject({
    date: z.iso.date().openapi({ example: '2026-12-02' }),
    vehicleId: z.string().min(1).max(64),
    driverId: z.string().min(1).max(64).nullable().openapi({ description: 'null takes the vehicle’s driver off for that date' }),
  })
  .openapi('DriverAssignment');
const LinkBody = z
  .strictObject({
    date: z.iso.date().openapi({ example: '2026-12-02' }),
    ttlMinutes: z.int().min(1).max(MAX_LINK_TTL_MINUTES).optional().openapi({ description: 'Default 720 (12 h); never past the end of the service day' }),
  })
  .openapi('DriverSignInLinkRequest');
export const SessionBody = z.strictObject({ token: z.string().min(20).max(200).openapi({ description: 'The token from the sign-in link (after #token=)' }) }).openapi('DriverSessionRequest');

const Driver = z.object({ id: z.string(), name: z.string(), phone: z.string(), active: z.boolean(), createdAt: z.string(), county: z.string() }).openapi('Driver');
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
  /** The network's clock from the config (and a test clock). */
  readonly options: DriverOptions;
}

/** The server's own base URL as this request reached it (trust proxy is off: Host as sent). */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function driverRoutes(deps: DriverRoutesDeps): Router {
  const r = Router();
  const dispatcher = requireRole('dispatcher', 'admin');
  const options = deps.options;
  const body = [requireMediaType('application/json'), jsonBody('8kb')];

  r.get('/v1/drivers', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(DateQuery, req.query);
    res.json({ date: q.date ?? null, drivers: await listDrivers(deps.db, q.date, principalOf(req).counties) });
  });

  r.post('/v1/drivers', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const input = parse(CreateDriverBody, req.body);
    const driver = await addDriver(deps.db, { name: input.name, phone: input.phone, ...(input.active !== undefined ? { active: input.active } : {}), countyId: countyFor(principalOf(req), input.county) }, options);
    res.status(201).location(`/v1/drivers/${driver.id}`).json(driver);
  });

  r.patch('/v1/drivers/:id', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const { id } = parse(DriverParams, req.params);
    const input = parse(PatchDriverBody, req.body);
    res.json(await setActive(deps.db, id, input.active, options, principalOf(req).counties));
  });

  r.get('/v1/driver-assignments', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(RequiredDateQuery, req.query);
    const rows = await assignmentsOn(deps.db, q.date, principalOf(req).counties);
    res.json({ date: q.date, assignments: rows.map((a) => ({ vehicleId: a.vehicle_id, driverId: a.driver_id, assignedAt: a.assigned_at })) });
  });

  r.put('/v1/driver-assignments', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const input = parse(AssignmentBody, req.body);
    res.json(await assignDriver(deps.db, input, options, principalOf(req).counties));
  });

  r.post('/v1/drivers/:id/sign-in-links', ...deps.guard, dispatcher, ...body, async (req, res) => {
    const { id } = parse(DriverParams, req.params);
    const input = parse(LinkBody, req.body);
    const link = await createSignInLink(deps.db, { driverId: id, date: input.date, ...(input.ttlMinutes !== undefined ? { ttlMinutes: input.ttlMinutes } : {}) }, options, principalOf(req).counties);
    const url = `${baseUrl(req)}${link.path}`;
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ linkId: link.linkId, driverId: link.driverId, date: link.date, expiresAt: link.expiresAt, path: link.path, url, qrSvg: await signInQrSvg(url) });
  });

  r.post('/v1/driver-links/:linkId/revoke', ...deps.guard, dispatcher, async (req, res) => {
    const { linkId } = parse(LinkParams, req.params);
    res.json({ revoked: await revokeSignIn(deps.db, { linkId }, options, principalOf(req).counties) });
  });

  r.post('/v1/drivers/:id/revoke-sign-ins', ...deps.guard, dispatcher, async (req, res) => {
    const { id } = parse(DriverParams, req.params);
    res.json({ revoked: await revokeSignIn(deps.db, { driverId: id }, options, principalOf(req).counties) });
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
  const dispatcher: Role[] = ['dispatcher', 'admin'];
  const Revoked = z.object({ revoked: z.int().openapi({ description: 'Links and sessions revoked' }) }).openapi('Revoked');
  registerOperation(registry, {
    method: 'get',
    path: '/v1/drivers',
    operationId: 'listDrivers',
    tag: 'drivers',
    summary: 'List drivers',
    description: 'Every driver; with `date`, also each one’s vehicle, last sign-in and routes with when they were first opened.',
    roles: dispatcher,
    request: { query: DateQuery },
    responses: { 200: json('The drivers', z.object({ date: z.string().nullable(), drivers: z.array(DriverListing) }).openapi('DriverList')) },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/drivers',
    operationId: 'addDriver',
    tag: 'drivers',
    summary: 'Add a driver',
    description: 'A new driver (active unless said otherwise); `Location` is the driver.',
    roles: dispatcher,
    request: { body: { schema: CreateDriverBody } },
    responses: { 201: { ...json('Added', Driver), headers: { Location: { description: 'The driver: /v1/drivers/{id}', schema: { type: 'string' } } } } },
    errors: { 409: 'The phone number is already another driver’s' },
  });
  registerOperation(registry, {
    method: 'patch',
    path: '/v1/drivers/{id}',
    operationId: 'setDriverActive',
    tag: 'drivers',
    summary: 'Activate or deactivate a driver',
    description: 'Deactivating revokes the driver’s sign-in links and phone sessions.',
    roles: dispatcher,
    request: { params: DriverParams, body: { schema: PatchDriverBody } },
    responses: { 200: json('Updated', Driver) },
    errors: { 404: 'No such driver' },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/driver-assignments',
    operationId: 'listDriverAssignments',
    tag: 'drivers',
    summary: 'Who drives which vehicle on a date',
    description: 'The driver of each vehicle on the service date.',
    roles: dispatcher,
    request: { query: RequiredDateQuery },
    responses: {
      200: json(
        'The assignments',
        z
          .object({ date: z.string(), assignments: z.array(z.object({ vehicleId: z.string(), driverId: z.string(), assignedAt: z.string() })) })
          .openapi('DriverAssignmentList'),
      ),
    },
  });
  registerOperation(registry, {
    method: 'put',
    path: '/v1/driver-assignments',
    operationId: 'assignDriver',
    tag: 'drivers',
    summary: 'Put a driver on a vehicle for a date',
    description: 'Replaces the vehicle’s driver that day (`driverId: null` takes them off); that day’s routes of the vehicle follow.',
    roles: dispatcher,
    request: { body: { schema: AssignmentBody } },
    responses: { 200: json('Assigned', AssignmentBody) },
    errors: { 404: 'No such driver or vehicle', 409: 'The driver already drives another vehicle that day, or is inactive' },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/drivers/{id}/sign-in-links',
    operationId: 'createDriverSignInLink',
    tag: 'drivers',
    summary: 'A sign-in link for a driver’s phone',
    description: 'A short-lived, single-use link and its QR code, bound to the driver and the date. Shown once.',
    roles: dispatcher,
    request: { params: DriverParams, body: { schema: LinkBody } },
    responses: { 201: json('The link (shown once)', SignInLink) },
    errors: { 404: 'No such driver' },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/driver-links/{linkId}/revoke',
    operationId: 'revokeDriverSignInLink',
    tag: 'drivers',
    summary: 'Revoke a sign-in link',
    description: 'Revokes the link and the phone sessions made from it.',
    roles: dispatcher,
    request: { params: LinkParams },
    responses: { 200: json('Revoked', Revoked) },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/drivers/{id}/revoke-sign-ins',
    operationId: 'revokeDriverSignIns',
    tag: 'drivers',
    summary: 'Revoke all of a driver’s sign-ins',
    description: 'Revokes every sign-in link of the driver and every phone session made from them.',
    roles: dispatcher,
    request: { params: DriverParams },
    responses: { 200: json('Revoked', Revoked) },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/driver-sessions',
    operationId: 'createDriverSession',
    tag: 'drivers',
    summary: 'Sign a driver’s phone in',
    description: 'Exchanges a sign-in link’s token for the phone’s session credential. No API key: the single-use token is the proof.',
    request: { body: { schema: SessionBody } },
    responses: { 201: json('Signed in', DriverSession) },
    errors: { 401: 'Unknown, used, expired or revoked link' },
  });
}
