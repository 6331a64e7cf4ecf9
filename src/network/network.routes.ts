/**
 * POST /v1/admin/networks: an admin imports (or re-imports) a county's network, the files of
 * docs/network-format.md sent as one JSON object of file name → text. All or nothing; a bad file
 * is a 400 naming file, row and field. Intake in this process sees the new stations at once
 * (`onImported`); other API processes within their resolver's refresh period.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { countyFor } from '../auth/api-keys.ts';
import { jsonBody } from '../http/json-body.ts';
import { json, registerOperation } from '../http/openapi-operation.ts';
import { parse, requireMediaType } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { NETWORK_FILES, parseNetworkFiles } from './files.ts';
import { importNetwork } from './import.ts';

const fileText = (what: string) => z.string().max(8 * 1024 * 1024).optional().openapi({ description: what });

export const ImportNetworkBody = z
  .strictObject({
    files: z.strictObject({
      [NETWORK_FILES.county]: fileText('county.csv (required)'),
      [NETWORK_FILES.townships]: fileText('townships.csv (required)'),
      [NETWORK_FILES.hubs]: fileText('hubs.csv (required)'),
      [NETWORK_FILES.stations]: fileText('stations.csv (required)'),
      [NETWORK_FILES.vehicleTypes]: fileText('vehicle_types.csv (required)'),
      [NETWORK_FILES.vehicles]: fileText('vehicles.csv (required)'),
      [NETWORK_FILES.couriers]: fileText('couriers.csv'),
      [NETWORK_FILES.positions]: fileText('positions.geojson: positions as GeoJSON points'),
      [NETWORK_FILES.boundary]: fileText('county-boundary.geojson'),
    }),
  })
  .openapi('ImportNetwork', { description: 'A county network in the folder format of docs/network-format.md: each file’s text under its name.' });

const ImportedNetwork = z
  .object({
    county: z.string().openapi({ example: '140430' }),
    created: z.boolean().openapi({ description: 'false: a re-import, rows updated in place' }),
    townships: z.int(),
    hubs: z.int(),
    stations: z.int(),
    stationsClosed: z.int().openapi({ description: 'Stations of the county the files left out: kept, closed to intake' }),
    vehicles: z.int(),
    vehiclesRetired: z.int().openapi({ description: 'Vehicles of the county the files left out: out of service' }),
    couriers: z.int(),
  })
  .openapi('ImportedNetwork');

export interface NetworkRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** Called after a committed import (the intake's destination resolver reloads). */
  readonly onImported?: (() => Promise<void>) | undefined;
}

const County = z.object({ id: z.string().openapi({ example: '140430' }), name: z.string().openapi({ example: '沁县' }) }).openapi('County');

export function networkRoutes(deps: NetworkRoutesDeps): Router {
  const r = Router();
  // The counties the key covers (the dashboard's county picker; one county: no picker).
  r.get('/v1/counties', ...deps.guard, requireRole('courier', 'dispatcher', 'admin'), async (req, res) => {
    const counties = principalOf(req).counties;
    let q = deps.db.selectFrom('counties').select(['id', 'name']).orderBy('id');
    if (counties !== undefined) q = q.where('id', 'in', [...counties]);
    res.json({ counties: await q.execute() });
  });
  r.post('/v1/admin/networks', ...deps.guard, requireRole('admin'), requireMediaType('application/json'), jsonBody('8mb'), async (req, res) => {
    const body = parse(ImportNetworkBody, req.body);
    const network = parseNetworkFiles(body.files);
    // An admin key of some counties imports those counties only (a new county needs a key of every county).
    countyFor(principalOf(req), network.county.id, 'files.county.csv');
    const counts = await importNetwork(deps.db, network);
    await deps.onImported?.();
    res.status(counts.created ? 201 : 200).json(counts);
  });
  return r;
}

export function documentNetworkRoutes(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'get',
    path: '/v1/counties',
    operationId: 'listCounties',
    tag: 'networks',
    summary: 'The counties this key covers',
    description: 'The imported counties the key may see and act in (every county for a key of every county), by code.',
    roles: ['courier', 'dispatcher', 'admin'],
    responses: { 200: json('The counties', z.object({ counties: z.array(County) }).openapi('CountyList')) },
  });
  registerOperation(registry, {
    method: 'post',
    path: '/v1/admin/networks',
    operationId: 'importNetwork',
    tag: 'networks',
    summary: 'Import or re-import a county’s network',
    description:
      'Townships, hubs, stations (official codes, WGS84 or GCJ-02 positions, hours, keepers), fleet and couriers, as the files of docs/network-format.md. ' +
      'Validated as a whole (400 names `file:row:field` for every problem), written in one transaction, updated in place by code on a re-import; nothing is deleted.',
    roles: ['admin'],
    request: { body: { schema: ImportNetworkBody } },
    responses: { 201: json('A new county, imported', ImportedNetwork), 200: json('A county re-imported in place', ImportedNetwork) },
  });
}
