/**
 * PATCH /v1/stations/{code}: dispatchers keep each station's keeper (站长) and phone, which the
 * manifests print and the driver view dials, and fix its position when the county's estimate is
 * wrong (issue 15 item 2). A move is written with its audit row in one transaction, marks the
 * position `corrected`, and makes the road matrices that held the old position forget it
 * (`onStationMoved`): the next plan asks the provider for the moved station's roads again.
 * GET /v1/stations/{code}/moves lists the audit trail.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { countyScope } from '../auth/api-keys.ts';
import type { Database } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { jsonBody } from '../http/json-body.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { gcj02ToWgs84 } from '../network/gcj02.ts';
import { AppError } from '../errors.ts';
import { moveStation, stationMoves, stationPosition, updateStationKeeper, type StationPosition } from './station.repository.ts';

const StationParams = z.strictObject({ code: z.string().regex(/^\d{12}$/, 'a 12-digit station code').openapi({ example: '140430101201' }) });
const Position = z
  .strictObject({
    lat: z.number().min(-90).max(90).openapi({ example: 36.7412 }),
    lon: z.number().min(-180).max(180).openapi({ example: 112.7031 }),
    /** WGS84 (GPS, OpenStreetMap) or GCJ-02 (read off Amap or any Chinese web map); stored as WGS84. */
    datum: z.enum(['wgs84', 'gcj02']).default('wgs84').openapi({ description: 'wgs84 (GPS) or gcj02 (Amap and other Chinese web maps); stored as WGS84' }),
  })
  .openapi('StationPositionInput');
export const PatchStationBody = z
  .strictObject({
    keeperName: z.string().trim().min(1).max(32).nullable().optional().openapi({ example: '李桂兰' }),
    keeperPhone: z
      .string()
      .trim()
      .regex(/^\+?[\d\- ]{5,20}$/, 'digits, spaces, dashes and an optional leading +')
      .nullable()
      .optional()
      .openapi({ example: '13912345678' }),
    position: Position.optional(),
    /** Why the station moves (kept in its audit trail); required with `position`. */
    reason: z.string().trim().min(1).max(200).optional().openapi({ example: '站点实际在村委会东侧小卖部' }),
  })
  .superRefine((body, ctx) => {
    if (body.position && body.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required when moving a station: why the position changes (kept in its audit trail)' });
    if (!body.position && body.reason !== undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only with position' });
  })
  .openapi('PatchStation');
const PositionOut = z.object({ lat: z.number(), lon: z.number(), quality: z.enum(['known', 'estimated', 'corrected']) }).openapi('StationPosition');
const Station = z
  .object({ code: z.string(), name: z.string(), keeperName: z.string().nullable(), keeperPhone: z.string().nullable(), position: PositionOut })
  .openapi('Station');
const Move = z
  .object({ id: z.string(), stationCode: z.string(), movedAt: z.string(), movedBy: z.string().openapi({ description: 'the API key that moved it' }), from: PositionOut, to: PositionOut, reason: z.string() })
  .openapi('StationMove');

export interface StationRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** After a move: forget cached roads from or to the old position (src/geo/matrix-cache.ts). */
  readonly onStationMoved?: ((from: StationPosition) => void) | undefined;
  readonly now?: (() => Date) | undefined;
}

export function stationRoutes(deps: StationRoutesDeps): Router {
  const r = Router();
  r.patch('/v1/stations/:code', ...deps.guard, requireRole('dispatcher', 'admin'), requireMediaType('application/json'), jsonBody('4kb'), async (req, res) => {
    const { code } = parse(StationParams, req.params);
    const body = parse(PatchStationBody, req.body);
    // Another county's station is not this key's: the same 404 as an unknown code.
    const counties = principalOf(req).counties;
    const station = await deps.db.selectFrom('stations').select('county_id').where('code', '=', code).executeTakeFirst();
    if (station && counties !== undefined && !counties.includes(station.county_id)) throw new AppError('not_found', `no station ${code}`);
    const principal = principalOf(req);
    if (body.position) {
      const p = body.position.datum === 'gcj02' ? gcj02ToWgs84(body.position) : body.position;
      const move = await moveStation(deps.db, code, { lat: round7(p.lat), lon: round7(p.lon), reason: body.reason!, movedBy: principal.keyId, at: (deps.now ?? (() => new Date()))(), counties: countyScope(principal) });
      deps.onStationMoved?.(move.from);
    }
    const keeper = await updateStationKeeper(deps.db, code, { ...(body.keeperName !== undefined ? { keeperName: body.keeperName } : {}), ...(body.keeperPhone !== undefined ? { keeperPhone: body.keeperPhone } : {}) });
    const position = await stationPosition(deps.db, code);
    if (!position) throw new AppError('not_found', `no station ${code}`);
    res.json({ ...keeper, position });
  });
  r.get('/v1/stations/:code/moves', ...deps.guard, requireRole('dispatcher', 'admin'), async (req, res) => {
    const { code } = parse(StationParams, req.params);
    res.json({ moves: await stationMoves(deps.db, code, countyScope(principalOf(req))) });
  });
  return r;
}

/** 7 decimals ≈ 1 cm: more is noise from the GCJ-02 inverse, and keeps positions comparable. */
function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

export function documentStationRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'patch',
    path: '/v1/stations/{code}',
    operationId: 'updateStation',
    tag: 'dashboard',
    summary: 'Set a station’s keeper and phone, or move it to its true position',
    description:
      'The station keeper (站长) and their phone, printed on manifests and dialled from the driver view. A field left out stays as it is; null clears it. ' +
      'With `position` (and a `reason`), the station moves there: its position becomes `corrected`, the move is kept in its audit trail (GET /v1/stations/{code}/moves), and the road distances to and from it are asked for again on the next plan.',
    roles: ['dispatcher', 'admin'],
    request: { params: StationParams, body: { schema: PatchStationBody } },
    responses: { 200: json('The station', Station) },
    errors: { 404: 'No such station' },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/stations/{code}/moves',
    operationId: 'listStationMoves',
    tag: 'dashboard',
    summary: 'A station’s moves: who moved it, when, from where to where, and why',
    description: 'The audit trail of the station’s position fixes, oldest first.',
    roles: ['dispatcher', 'admin'],
    request: { params: StationParams },
    responses: { 200: json('The moves', z.object({ moves: z.array(Move) })) },
    errors: { 404: 'No such station' },
  });
}
