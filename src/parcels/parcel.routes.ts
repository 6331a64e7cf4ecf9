/**
 * /v1/parcels: intake (JSON and CSV), tracking, cancellation, and the dispatcher listing.
 * Handlers parse, call the service, respond; errors go to the one error middleware.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler } from 'express';
import { answering } from '../http/answers.ts';
import { jsonBody, sendJson, sendJsonSliced } from '../http/json-body.ts';
import { AppError } from '../errors.ts';
import { UnsupportedMediaTypeError } from '../http/http-errors.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import type { Role } from '../db/schema.ts';
import { localSecondsToIso } from '../planning/day-model.ts';
import * as parcelRepository from './parcel.repository.ts';
import { readParcelCsv, type CsvLimits, type ParsedCsv } from './parcel.csv.ts';
import {
  CSV_COLUMNS,
  CourierQuery,
  CreateParcel,
  CreateParcelBatch,
  ListParcelsQuery,
  MAX_PARCELS_PER_REQUEST,
  Parcel,
  ParcelBatchResult,
  ParcelList,
  ParcelWithEvents,
  WaybillParams,
} from './parcel.schemas.ts';
import { acceptParcels, cancelParcel, getParcel, toParcelView, type ParcelServiceDeps } from './parcel.service.ts';

/** The Content-Types a CSV import is read from (documented as its request body's media types). */
const CSV_MEDIA_TYPES = ['text/csv', 'text/plain', 'application/csv'];

export interface ParcelRoutesDeps extends ParcelServiceDeps {
  /** Authentication + rate limiting, applied before any body is read. */
  readonly guard: readonly RequestHandler[];
  readonly jsonLimit: string;
  /** Byte and row limits of a CSV import (CSV_MAX_BYTES, CSV_MAX_ROWS). */
  readonly csvLimits: CsvLimits;
  /** The network's clock (from TIMEZONE): `?date=` is a local day. */
  readonly utcOffsetMinutes: number;
}

/** Which courier's waybill a caller means: its own, or (dispatcher/admin) the `courier` query. */
function courierScope(req: Request): string {
  const p = principalOf(req);
  const q = parse(CourierQuery, req.query);
  if (p.role === 'courier') {
    if (q.courier !== undefined && q.courier !== p.courierCode) throw new AppError('not_found', 'no such parcel');
    return p.courierCode;
  }
  if (q.courier === undefined) throw new AppError('invalid_data', 'dispatcher and admin keys must say whose waybill: ?courier=CODE', [{ path: 'courier', message: 'required for this key' }]);
  return q.courier;
}

/**
 * The CSV import's body, read as a stream and parsed as it arrives (readParcelCsv): the event
 * loop keeps serving other requests meanwhile, and an import over the byte or row limit is
 * refused at the first byte or row too many — before the rest is read, on a connection that is
 * then closed. `req.body` becomes the validated parcels with their line numbers.
 */
function csvBody(limits: CsvLimits): RequestHandler {
  return answering(
    async (req, res, next) => {
      const encoding = req.headers['content-encoding'];
      if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw new UnsupportedMediaTypeError(['uncompressed text/csv'], `Content-Encoding ${encoding}`);
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new UnsupportedMediaTypeError(['text/csv; charset=utf-8'], req.headers['content-type']);
      try {
        const announced = Number(req.headers['content-length'] ?? 0);
        if (announced > limits.maxBytes) throw new AppError('payload_too_large', `CSV body of ${announced} bytes; at most ${limits.maxBytes}`);
        // destroyOnReturn false: stopping early must not destroy the socket the 413 goes out on.
        req.body = await readParcelCsv(req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>, limits);
      } catch (err) {
        // The rest of the body stays unread: the connection cannot be reused.
        res.setHeader('Connection', 'close');
        throw err;
      }
      next();
    },
    { statuses: [400, 413, 415] },
  );
}

/** The /v1/parcels router, and the same intake chain for the app to run ahead of routing. */
export type ParcelRouter = Router & { readonly intakeFastPath: RequestHandler };

export function parcelRoutes(deps: ParcelRoutesDeps): ParcelRouter {
  const r = Router();
  const json = jsonBody(deps.jsonLimit);
  const csv = csvBody(deps.csvLimits);
  const courierOnly = requireRole('courier');

  const intake: RequestHandler = async (req, res) => {
    const p = principalOf(req);
    if (p.role !== 'courier') throw new AppError('forbidden', 'courier keys only');
    const body: unknown = req.body;
    const isBatch = body !== null && typeof body === 'object' && !Array.isArray(body) && 'parcels' in body;
    if (isBatch) {
      const list = (body as { parcels: unknown }).parcels;
      if (Array.isArray(list) && list.length > MAX_PARCELS_PER_REQUEST) {
        throw new AppError('payload_too_large', `${list.length} parcels in one request; at most ${MAX_PARCELS_PER_REQUEST}`);
      }
      const batch = parse(CreateParcelBatch, body);
      const result = await acceptParcels(deps, p.courierCode, batch.parcels, (i) => `parcels.${i}`, undefined, p.counties);
      await sendJsonSliced(res, result.created > 0 ? 201 : 200, { created: result.created, existing: result.existing }, 'parcels', result.parcels);
      return;
    }
    const parcel = parse(CreateParcel, body);
    const result = await acceptParcels(deps, p.courierCode, [parcel], () => '', undefined, p.counties);
    sendJson(res, result.created > 0 ? 201 : 200, result.parcels[0]);
  };
  const intakeChain: RequestHandler[] = [...deps.guard, courierOnly, requireMediaType('application/json'), json, intake];
  const intakeRoute = r.route('/v1/parcels');
  intakeRoute.post(...intakeChain);
  const intakeFastPath = fastPath('POST', '/v1/parcels', intakeRoute, intakeChain);

  r.post('/v1/parcels/import', ...deps.guard, courierOnly, requireMediaType(...CSV_MEDIA_TYPES), csv, async (req, res) => {
    const p = principalOf(req);
    if (p.role !== 'courier') throw new AppError('forbidden', 'courier keys only');
    const { parcels, lines } = req.body as ParsedCsv;
    const result = await acceptParcels(deps, p.courierCode, parcels, (i) => `line ${lines[i]}`, (i) => lines[i]!, p.counties);
    await sendJsonSliced(res, result.created > 0 ? 201 : 200, { created: result.created, existing: result.existing }, 'parcels', result.parcels);
  });

  r.get('/v1/parcels', ...deps.guard, requireRole('dispatcher', 'admin'), async (req, res) => {
    const q = parse(ListParcelsQuery, req.query);
    let after: { receivedAt: string; id: string } | undefined;
    if (q.after !== undefined) {
      const [receivedAt, id] = Buffer.from(q.after, 'base64url').toString('utf8').split('|');
      if (!receivedAt || !id) throw new AppError('invalid_data', 'bad cursor', [{ path: 'after', message: 'not a cursor from a previous page' }]);
      after = { receivedAt, id };
    }
    // `date` is a local day of the network's clock (TIMEZONE, no DST); received_at is UTC.
    const from = q.date === undefined ? undefined : new Date(localSecondsToIso(q.date, 0, deps.utcOffsetMinutes));
    const rows = await parcelRepository.list(deps.db, {
      status: q.status,
      courierCode: q.courier,
      counties: principalOf(req).counties,
      stationCode: q.stationCode,
      receivedFrom: from?.toISOString(),
      receivedBefore: from === undefined ? undefined : new Date(from.getTime() + 86_400_000).toISOString(),
      after,
      limit: q.limit,
    });
    const last = rows.at(-1);
    const next = rows.length === q.limit && last !== undefined ? Buffer.from(`${last.received_at}|${last.id}`).toString('base64url') : null;
    res.json({ parcels: rows.map(toParcelView), next });
  });

  r.get('/v1/parcels/:waybill', ...deps.guard, requireRole('courier', 'dispatcher', 'admin'), async (req, res) => {
    const { waybill } = parse(WaybillParams, req.params);
    res.json(await getParcel(deps.db, courierScope(req), waybill, principalOf(req).counties));
  });

  r.delete('/v1/parcels/:waybill', ...deps.guard, courierOnly, async (req, res) => {
    const { waybill } = parse(WaybillParams, req.params);
    res.json(await cancelParcel(deps.db, courierScope(req), waybill, principalOf(req).counties));
  });

  return Object.assign(r, { intakeFastPath });
}

/**
 * Runs `handlers` (the very chain the router has for this route) for an exact `METHOD path`
 * request without the router: the single-parcel intake POST otherwise walks every app-level
 * layer, the nested router (its `restore` closures, per-layer matches and param processing) and
 * the route's dispatch, ≈ 15 KB of garbage per request. Any other URL (a query string, a
 * trailing slash, another case) is passed on to the router unchanged. As in the router, a
 * throw or a rejected promise goes to the error middleware, `next('route')` passes the request
 * on, and `req.route` is the route (for the metrics label).
 */
function fastPath(method: string, path: string, route: { path: string }, handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    if (req.method !== method || req.url !== path) {
      done();
      return;
    }
    req.route = route;
    req.params = {};
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null && err !== false) {
        done(err === 'route' ? undefined : err);
        return;
      }
      const handler = handlers[i++];
      if (handler === undefined) {
        done();
        return;
      }
      try {
        const ret = handler(req, res, next) as unknown;
        if (ret instanceof Promise) ret.then(undefined, (e: unknown) => next(e ?? new Error('Rejected promise')));
      } catch (e) {
        next(e);
      }
    };
    next();
  };
}

export function documentParcelRoutes(registry: OpenAPIRegistry): void {
  const courier: Role[] = ['courier'];
  const conflict = 'The same waybill was accepted with different contents';
  const unresolvable = 'A destination cannot be resolved (unknown, ambiguous or outside the county; `details` name the parcel and may list candidates)';
  registerOperation(registry, {
    method: 'post',
    path: '/v1/parcels',
    operationId: 'createParcels',
    tag: 'parcels',
    summary: 'Submit one parcel, or a batch',
    description:
      'Submit one parcel, or up to 1,000 as `{"parcels": [...]}` (all or nothing). Idempotent on courier + waybill: ' +
      'the same parcel again answers 200 with the parcel already accepted. A 2xx means the parcel is committed.',
    roles: courier,
    request: { body: { schema: z.union([CreateParcel, CreateParcelBatch]) } },
    responses: {
      201: json('Accepted and committed (one parcel: the parcel; a batch: the batch result)', z.union([Parcel, ParcelBatchResult])),
      200: json('An identical replay: already accepted, nothing changed', z.union([Parcel, ParcelBatchResult])),
    },
    errors: { 409: conflict, 422: unresolvable },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/parcels/import',
    operationId: 'importParcels',
    tag: 'parcels',
    summary: 'Submit parcels as CSV',
    description: `A CSV with a header row (columns: ${CSV_COLUMNS.join(', ')}). The same rules as a JSON batch; errors carry line numbers.`,
    roles: courier,
    request: { body: { schema: z.string().openapi({ example: `${CSV_COLUMNS.join(',')}\n` }), mediaTypes: CSV_MEDIA_TYPES } },
    responses: {
      201: json('Accepted and committed', ParcelBatchResult),
      200: json('An identical replay: already accepted, nothing changed', ParcelBatchResult),
    },
    errors: { 409: conflict, 422: unresolvable },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/parcels',
    operationId: 'listParcels',
    tag: 'parcels',
    summary: 'List parcels',
    description: 'A page of parcels, newest first, filtered by status, local day, courier or station; `next` is the cursor of the following page.',
    roles: ['dispatcher', 'admin'],
    request: { query: ListParcelsQuery },
    responses: { 200: json('A page of parcels', ParcelList) },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/parcels/{waybill}',
    operationId: 'getParcel',
    tag: 'parcels',
    summary: 'A parcel with its events',
    description: 'Status and events of a parcel. A courier key sees only its own; dispatcher and admin keys say whose waybill with `courier`.',
    roles: ['courier', 'dispatcher', 'admin'],
    request: { params: WaybillParams, query: CourierQuery },
    responses: { 200: json('The parcel', ParcelWithEvents) },
    errors: { 404: 'No such parcel (or another courier’s)' },
  });
  registerOperation(registry, {
    method: 'delete',
    path: '/v1/parcels/{waybill}',
    operationId: 'cancelParcel',
    tag: 'parcels',
    summary: 'Cancel a parcel',
    description: 'Cancel a parcel before it is planned; cancelling again answers the cancelled parcel.',
    roles: courier,
    request: { params: WaybillParams },
    responses: { 200: json('Cancelled (or already cancelled)', Parcel) },
    errors: { 404: 'No such parcel (or another courier’s)', 409: 'Too late: the parcel is already planned' },
  });
}
