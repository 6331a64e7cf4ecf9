/**
 * PATCH /v1/stations/{code}: dispatchers keep each station's keeper (站长) and phone, which the
 * manifests print and the driver view dials.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { requireRole } from '../http/auth.ts';
import { jsonBody } from '../http/json-body.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { updateStationKeeper } from './station.repository.ts';

const StationParams = z.strictObject({ code: z.string().regex(/^\d{12}$/, 'a 12-digit station code').openapi({ example: '140430101201' }) });
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
  })
  .openapi('PatchStation');
const Station = z.object({ code: z.string(), name: z.string(), keeperName: z.string().nullable(), keeperPhone: z.string().nullable() }).openapi('StationKeeper');

export interface StationRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
}

export function stationRoutes(deps: StationRoutesDeps): Router {
  const r = Router();
  r.patch('/v1/stations/:code', ...deps.guard, requireRole('dispatcher', 'admin'), requireMediaType('application/json'), jsonBody('4kb'), async (req, res) => {
    const { code } = parse(StationParams, req.params);
    const body = parse(PatchStationBody, req.body);
    res.json(await updateStationKeeper(deps.db, code, body));
  });
  return r;
}

export function documentStationRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'patch',
    path: '/v1/stations/{code}',
    operationId: 'updateStationKeeper',
    tag: 'dashboard',
    summary: 'Set a station’s keeper and phone',
    description: 'The station keeper (站长) and their phone, printed on manifests and dialled from the driver view. A field left out stays as it is; null clears it.',
    roles: ['dispatcher', 'admin'],
    request: { params: StationParams, body: { schema: PatchStationBody } },
    responses: { 200: json('The station', Station) },
    errors: { 404: 'No such station' },
  });
}
