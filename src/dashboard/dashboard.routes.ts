/**
 * The dispatcher dashboard: its page at `/`, the page's assets (bundled, minified and
 * pre-compressed in memory at start-up, see assets.ts), the Chinese web font (Noto Sans SC from
 * npm, served here in unicode-range slices, so no page needs a font from outside or from the
 * system), its public config, and two dispatcher read endpoints the plan API does not cover:
 * GET /v1/network.geojson and GET /v1/dashboard/kpis?planId=.
 *
 * The map works offline: no tile layer unless a tile URL is configured, and then the page's
 * Content-Security-Policy allows images from that origin only.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { countyFor } from '../auth/api-keys.ts';
import { requirePlan } from '../plans/plan.service.ts';
import { GeoJsonFeatureCollection, json, registerOperation } from '../http/openapi-operation.ts';
import { parse } from '../http/validate.ts';
import { countyCode, z } from '../http/zod.ts';
import { buildBasemap, sendRange } from '../basemap/basemap.service.ts';
import { planKpisOf } from '../plans/plan.lifecycle.ts';
import { assetHandler, buildPage, LEAFLET_DIR } from './assets.ts';
import { networkGeoJson, type NetworkShapes } from './dashboard.service.ts';

const PUBLIC_DIR = join(import.meta.dirname, 'public');
const FONT_DIR = dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json'));
/** The font's files this server hands out: the regular and bold stylesheets and their WOFF2 slices. */
const FONT_FILE = /^\/(?:400|700)\.css$|^\/files\/noto-sans-sc-[a-z0-9-]+-(?:400|700)-normal\.woff2$/;

/** The dashboard page's modules and styles (Leaflet's stylesheet first, ours over it). */
export const DASHBOARD_PAGE = { script: 'app.js', styles: [join(LEAFLET_DIR, 'leaflet.css'), 'style.css'] } as const;
/** The driver's phone view (opened from a sign-in link: /driver#token=…). */
export const DRIVER_PAGE = { script: 'driver.js', styles: ['driver.css'] } as const;

/** Serves the Noto Sans SC web font (immutable files; nothing else from the package). */
export function fontRoutes(): Router {
  const r = Router();
  const files = express.static(FONT_DIR, { index: false, maxAge: '365d', immutable: true });
  r.use('/vendor/fonts/noto-sans-sc', (req, res, next) => (FONT_FILE.test(req.path) ? files(req, res, next) : next()));
  return r;
}

const KpiQuery = z.strictObject({ planId: z.string().min(1).max(64) });
const NetworkQuery = z.strictObject({ county: countyCode('The county whose network (default: the key’s only county, or Qin County for a key of every county)').optional() });

export interface DashboardRoutesDeps {
  readonly db: Kysely<Database>;
  readonly guard: readonly RequestHandler[];
  /** Map tiles, e.g. https://tile.example.org/{z}/{x}/{y}.png (default: none, offline). */
  readonly tileUrl?: string | undefined;
  /** County outline and township areas (default: the project's network dataset, if loadable). */
  readonly shapes?: () => Promise<NetworkShapes>;
  /** The network's clock (from TIMEZONE): local days of the KPIs, the page's clock times. */
  readonly utcOffsetMinutes: number;
}

async function datasetShapes(): Promise<NetworkShapes> {
  try {
    const { loadNetwork, DEFAULT_NETWORK_DIR } = await import('../network/index.ts');
    const n = loadNetwork();
    return { boundary: n.boundary, townshipAreas: n.townshipAreas, datasetDir: DEFAULT_NETWORK_DIR };
  } catch {
    return { boundary: null, townshipAreas: null, datasetDir: null };
  }
}

/** The dashboard's routes, and `stationMoved()`: the base map's archive is built again with the new position. */
export function dashboardRoutes(deps: DashboardRoutesDeps): Router & { stationMoved(): void } {
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
  // Built once per process, started now so the first page view does not wait for it.
  const pages = [
    { paths: ['/', '/index.html'], html: 'index.html', built: buildPage('dashboard', DASHBOARD_PAGE) },
    { paths: ['/driver'], html: 'driver.html', built: buildPage('driver', DRIVER_PAGE) },
  ];
  for (const p of pages) {
    p.built.catch(() => {}); // reported by the first request that awaits it
    const template = readFileSync(join(PUBLIC_DIR, p.html), 'utf8');
    let html: string | undefined;
    r.get(p.paths, csp, async (_req, res) => {
      const assets = await p.built;
      html ??= template.replace('%STYLE%', assets.style.path).replace('%SCRIPT%', assets.script.path);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    });
  }
  r.get('/assets/:file', assetHandler(() => Promise.all(pages.map((p) => p.built))));
  // The driver view's service worker: at the root so it may control /driver; always revalidated.
  r.get('/driver-sw.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript').sendFile(join(PUBLIC_DIR, 'driver-sw.js'));
  });
  r.use(fontRoutes());
  // The offline base map: one PMTiles archive of the county, read by the map with range requests.
  let shapesForTiles: Promise<NetworkShapes> | undefined;
  let archive: Promise<Buffer> | undefined;
  r.get('/tiles/county.pmtiles', async (req, res) => {
    shapesForTiles ??= (deps.shapes ?? datasetShapes)();
    archive ??= shapesForTiles.then((s) => buildBasemap(deps.db, { boundary: s.boundary, townshipAreas: s.townshipAreas, datasetDir: s.datasetDir ?? null }));
    const body = await archive;
    const range = sendRange(req.headers.range, body.length);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', 'application/vnd.pmtiles');
    // Built once per process and again after a station moves; a restart may rebuild it with renamed stations.
    res.setHeader('Cache-Control', 'no-cache');
    if (range.status === 416) {
      res.status(416).setHeader('Content-Range', `bytes */${body.length}`).end();
      return;
    }
    if (range.status === 206) res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${body.length}`);
    res.setHeader('Content-Length', String(range.end - range.start + 1));
    res.end(body.subarray(range.start, range.end + 1));
  });
  r.get('/dashboard-config.json', (_req, res) => {
    res.json({ tileUrl: deps.tileUrl ?? null, utcOffsetMinutes: deps.utcOffsetMinutes });
  });

  const dispatcher = requireRole('dispatcher', 'admin');
  let shapes: Promise<NetworkShapes> | undefined;
  r.get('/v1/network.geojson', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(NetworkQuery, req.query);
    const countyId = countyFor(principalOf(req), q.county);
    shapes ??= (deps.shapes ?? datasetShapes)();
    res.type('application/geo+json').send(JSON.stringify(await networkGeoJson(deps.db, await shapes, countyId)));
  });
  r.get('/v1/dashboard/kpis', ...deps.guard, dispatcher, async (req, res) => {
    const q = parse(KpiQuery, req.query);
    await requirePlan(deps.db, q.planId, principalOf(req).counties);
    res.json(await planKpisOf(deps.db, q.planId, deps.utcOffsetMinutes));
  });
  // The station's name label in the base map follows it (the page asks for the archive again).
  return Object.assign(r, { stationMoved: () => (archive = undefined) });
}

const Counts = z.record(z.string(), z.int());

const PlanKpisSchema = z
  .object({
    planId: z.string(),
    date: z.string(),
    status: z.string(),
    parcels: z.object({ total: z.int(), byCourier: Counts, byTownship: Counts, byStatus: Counts }),
    pickups: z.object({ total: z.int(), byStatus: Counts }),
    stations: z.record(z.string(), z.object({ parcels: z.int(), pickups: z.int() })).openapi({ description: 'By station code: parcels and pickups on the plan’s stops' }),
    unassigned: z.object({
      total: z.int(),
      byReason: Counts,
      stations: z
        .array(z.object({ code: z.string(), name: z.string(), township: z.string().nullable(), lat: z.number(), lon: z.number(), parcels: z.int(), pickups: z.int(), byReason: Counts }))
        .openapi({ description: 'Stations with parcels or pickups the plan could not place, most first; reasons are codes (the dashboard translates them)' }),
    }),
    delivery: z.object({
      stopsArrived: z.int(),
      delivered: z.int(),
      failed: z.int(),
      failedByReason: Counts,
      onTimeShare: z.number().nullable().openapi({ description: 'Delivered by the promised date (or the service date) ÷ parcels with an outcome; null before any' }),
    }),
  })
  .openapi('PlanKpis');

const DashboardConfig = z
  .object({
    tileUrl: z.string().nullable().openapi({ description: 'Map tile URL template; null: no tile layer (the map works offline)' }),
    utcOffsetMinutes: z.int().openapi({ example: 480 }),
  })
  .openapi('DashboardConfig');

export function documentDashboardRoutes(registry: OpenAPIRegistry): void {
  const dispatcher: Role[] = ['dispatcher', 'admin'];
  registerOperation(registry, {
    method: 'get',
    path: '/v1/network.geojson',
    operationId: 'getNetworkGeoJson',
    tag: 'dashboard',
    summary: 'The network, for maps',
    description: 'County outline, township areas, hubs and stations as one FeatureCollection; each feature’s `layer` property says which.',
    roles: dispatcher,
    request: { query: NetworkQuery },
    errors: { 400: 'The key covers several counties and names none', 403: 'The key does not cover the county asked for' },
    responses: { 200: { description: 'The network', content: { 'application/geo+json': { schema: GeoJsonFeatureCollection } } } },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/v1/dashboard/kpis',
    operationId: 'getPlanKpis',
    tag: 'dashboard',
    summary: 'A plan’s KPIs',
    description: 'Parcels by courier and township, pickups, unassigned by reason, delivery progress and the on-time share.',
    roles: dispatcher,
    request: { query: KpiQuery },
    responses: { 200: json('The KPIs', PlanKpisSchema) },
    errors: { 404: 'No such plan' },
  });
  registerOperation(registry, {
    method: 'get',
    path: '/dashboard-config.json',
    operationId: 'getDashboardConfig',
    tag: 'dashboard',
    summary: 'The dashboard’s settings',
    description: 'What the dashboard page needs before it draws: the tile URL (if any) and the local time offset.',
    responses: { 200: json('The settings', DashboardConfig) },
  });
}
