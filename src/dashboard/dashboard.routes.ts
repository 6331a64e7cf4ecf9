/**
 * The dispatcher dashboard: static files at `/` (no build step; ES modules from src/dashboard/
 * public, Leaflet from node_modules), its public config, and two dispatcher read endpoints the
 * plan API does not cover: GET /v1/network.geojson and GET /v1/dashboard/kpis?planId=.
 *
 * The map works offline: no tile layer unless a tile URL is configured, and then the page's
 * Content-Security-Policy allows images from that origin only.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { requireRole } from '../http/auth.ts';
import { ErrorResponse } from '../http/http-errors.ts';
import { parse } from '../http/validate.ts';
import { z } from '../http/zod.ts';
import { networkGeoJson, planKpis, type NetworkShapes } from './dashboard.service.ts';

const PUBLIC_DIR = join(import.meta.dirname, 'public');
const LEAFLET_DIR = join(dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');

const KpiQuery = z.strictObject({ planId: z.string().min(1).max(64) });

export interface DashboardRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** Map tiles, e.g. https://tile.example.org/{z}/{x}/{y}.png (default: none, offline). */
  readonly tileUrl?: string | undefined;
  /** County outline and township areas (default: the project's network dataset, if loadable). */
  readonly shapes?: () => Promise<NetworkShapes>;
  readonly utcOffsetMinutes?: number;
}

async function datasetShapes(): Promise<NetworkShapes> {
  try {
    const { loadNetwork } = await import('../network/index.ts');
    const n = loadNetwork();
    return { boundary: n.boundary, townshipAreas: n.townshipAreas };
  } catch {
    return { boundary: null, townshipAreas: null };
  }
}

export function dashboardRoutes(deps: DashboardRoutesDeps): Router {
  const r = Router();
  let tileOrigin: string | null = null;
  if (deps.tileUrl) {
    try {
      tileOrigin = new URL(deps.tileUrl.replace(/\{[a-z]\}/g, 'a')).origin;
    } catch {
      tileOrigin = null;
    }
  }
  // helmet's default CSP, plus the tile origin for images; no upgrade-insecure-requests, so the
  // dashboard keeps working over plain http on a LAN address.
  const csp = helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', ...(tileOrigin ? [tileOrigin] : [])],
        'upgrade-insecure-requests': null,
      },
    },
  });
  const statics = { index: false, maxAge: '5m' } as const;

  r.get(['/', '/index.html'], csp, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(PUBLIC_DIR, 'index.html'));
  });
  r.use('/dashboard', csp, express.static(PUBLIC_DIR, statics));
  r.use('/vendor/leaflet', express.static(LEAFLET_DIR, statics));
  r.get('/dashboard-config.json', (_req, res) => {
    res.json({ tileUrl: deps.tileUrl ?? null, utcOffsetMinutes: deps.utcOffsetMinutes ?? 480 });
  });

  const dispatcher = requireRole('dispatcher', 'admin');
  let shapes: Promise<NetworkShapes> | undefined;
  r.get('/v1/network.geojson', ...deps.guard, dispatcher, async (_req, res) => {
    shapes ??= (deps.shapes ?? datasetShapes)();
    res.type('application/geo+json').send(JSON.stringify(await networkGeoJson(deps.db, await shapes)));
  });
  r.get('/v1/dashboard/kpis', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(KpiQuery, req.query);
    res.json(await planKpis(deps.db, q.planId, deps.utcOffsetMinutes ?? 480));
  });
  return r;
}

export function documentDashboardRoutes(registry: OpenAPIRegistry): void {
  const err = (d: string) => ({ description: d, content: { 'application/json': { schema: ErrorResponse } } });
  registry.registerPath({
    method: 'get',
    path: '/v1/network.geojson',
    summary: 'The network for maps: county outline, township areas, hubs and stations (layer property tells them apart)',
    security: [{ bearerAuth: [] }],
    responses: { 200: { description: 'GeoJSON FeatureCollection', content: { 'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) } } }, 401: err('No key'), 403: err('Not a dispatcher key') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/dashboard/kpis',
    summary: 'A plan’s KPIs: parcels by courier and township, pickups, unassigned by reason, delivery progress and on-time share',
    security: [{ bearerAuth: [] }],
    request: { query: KpiQuery },
    responses: { 200: { description: 'KPIs', content: { 'application/json': { schema: z.object({ planId: z.string() }).loose() } } }, 401: err('No key'), 403: err('Not a dispatcher key'), 404: err('No such plan') },
  });
}
