/**
 * Read models for the dispatcher dashboard that the plan API does not have: the network as one
 * GeoJSON document (county outline, township areas, hubs, stations) and a plan's KPIs (parcels by
 * courier and township, pickups, unassigned with reasons, delivery progress and on-time share).
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import { DEFAULT_COUNTY_ID, type Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export interface NetworkShapes {
  readonly boundary: Feature<Polygon | MultiPolygon> | null;
  readonly townshipAreas: FeatureCollection<Polygon | MultiPolygon> | null;
  /** The network dataset folder (the base map looks for a user's roads.geojson there). */
  readonly datasetDir?: string | null;
}

/**
 * One county's network. Hubs and stations come from the database (what plans use); Qin County's
 * outline and township areas from the dataset, another county's outline from its import.
 */
export async function networkGeoJson(db: Kysely<Database>, datasetShapes: NetworkShapes, countyId: string = DEFAULT_COUNTY_ID): Promise<FeatureCollection> {
  const [townships, hubs, stations, county] = await Promise.all([
    db.selectFrom('townships').select(['code', 'name', 'hub_id']).where('county_id', '=', countyId).execute(),
    db.selectFrom('hubs').selectAll().where('county_id', '=', countyId).orderBy('id').execute(),
    db.selectFrom('stations').select(['code', 'name', 'kind', 'township_code', 'hub_id', 'lat', 'lon', 'coord_quality', 'keeper_name', 'keeper_phone']).where('county_id', '=', countyId).orderBy('code').execute(),
    db.selectFrom('counties').select('boundary_json').where('id', '=', countyId).executeTakeFirst(),
  ]);
  const shapes: NetworkShapes =
    countyId === DEFAULT_COUNTY_ID ? datasetShapes : { boundary: county?.boundary_json ? asFeature(JSON.parse(county.boundary_json) as Feature<Polygon | MultiPolygon> | Polygon | MultiPolygon) : null, townshipAreas: null };
  const townshipName = new Map(townships.map((t) => [t.code, t.name]));
  const features: Feature[] = [];
  if (shapes.boundary) features.push({ ...shapes.boundary, properties: { ...shapes.boundary.properties, layer: 'county' } });
  for (const area of shapes.townshipAreas?.features ?? []) {
    const code = (area.properties as { code?: string } | null)?.code;
    features.push({ ...area, properties: { ...area.properties, layer: 'township', name: code ? (townshipName.get(code) ?? (area.properties as { name?: string }).name) : null } });
  }
  for (const h of hubs) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
      properties: { layer: 'hub', id: h.id, kind: h.kind, name: h.name, township: townshipName.get(h.township_code) ?? null },
    });
  }
  for (const s of stations) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      // The keeper (站长) and phone: the dashboard's station card edits them (PATCH /v1/stations/{code}).
      // `quality` (known, estimated, corrected) styles the dot; `estimated` is kept for older readers.
      properties: { layer: 'station', code: s.code, name: s.name, kind: s.kind, hubId: s.hub_id, township: townshipName.get(s.township_code) ?? null, quality: s.coord_quality, estimated: s.coord_quality === 'estimated', keeperName: s.keeper_name, keeperPhone: s.keeper_phone },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** An imported boundary is a Feature or a bare geometry. */
function asFeature(g: Feature<Polygon | MultiPolygon> | Polygon | MultiPolygon): Feature<Polygon | MultiPolygon> {
  return g.type === 'Feature' ? g : { type: 'Feature', geometry: g, properties: {} };
}

export interface PlanKpis {
  readonly planId: string;
  readonly date: string;
  readonly status: string;
  readonly parcels: { readonly total: number; readonly byCourier: Record<string, number>; readonly byTownship: Record<string, number>; readonly byStatus: Record<string, number> };
  readonly pickups: { readonly total: number; readonly byStatus: Record<string, number> };
  readonly stations: Record<string, { readonly parcels: number; readonly pickups: number }>;
  readonly unassigned: { readonly total: number; readonly byReason: Record<string, number>; readonly stations: readonly UnassignedStation[] };
  readonly delivery: {
    readonly stopsArrived: number;
    readonly delivered: number;
    readonly failed: number;
    readonly failedByReason: Record<string, number>;
    /** Delivered by the promised date (or the service date without a promise) ÷ parcels with an outcome; null before any. */
    readonly onTimeShare: number | null;
  };
}

/** A station with parcels or pickups the plan could not place, and why (reason codes; the dashboard translates them). */
export interface UnassignedStation {
  readonly code: string;
  readonly name: string;
  readonly township: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly parcels: number;
  readonly pickups: number;
  readonly byReason: Record<string, number>;
}

interface SummaryItem {
  readonly kind: 'parcel' | 'pickup';
  readonly stationCode: string;
  readonly reason: string;
}

const bump = (rec: Record<string, number>, key: string, by = 1) => {
  rec[key] = (rec[key] ?? 0) + by;
};

export async function planKpis(db: Kysely<Database>, planId: string, utcOffsetMinutes: number): Promise<PlanKpis> {
  const plan = await db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirst();
  if (!plan) throw new AppError('not_found', 'no such plan');
  const parcels = await db
    .selectFrom('parcels')
    .innerJoin('stations', 'stations.code', 'parcels.station_code')
    .innerJoin('townships', 'townships.code', 'stations.township_code')
    .select(['parcels.id', 'parcels.courier_code', 'parcels.status', 'parcels.station_code', 'parcels.promised_date', 'parcels.stop_id', 'townships.name as township'])
    .where('parcels.plan_id', '=', planId)
    .execute();
  const byCourier: Record<string, number> = {};
  const byTownship: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const stations: Record<string, { parcels: number; pickups: number }> = {};
  for (const p of parcels) {
    bump(byCourier, p.courier_code);
    bump(byTownship, p.township);
    bump(byStatus, p.status);
    if (p.stop_id !== null) (stations[p.station_code] ??= { parcels: 0, pickups: 0 }).parcels += 1;
  }
  const pickups = await db.selectFrom('pickups').select(['status', 'station_code', 'stop_id']).where('plan_id', '=', planId).execute();
  const pickupsByStatus: Record<string, number> = {};
  for (const p of pickups) {
    bump(pickupsByStatus, p.status);
    if (p.stop_id !== null) (stations[p.station_code] ??= { parcels: 0, pickups: 0 }).pickups += 1;
  }

  const summary = plan.summary_json ? (JSON.parse(plan.summary_json) as { unassigned?: { byReason?: Record<string, number>; items?: SummaryItem[] } }) : null;
  const byReason = summary?.unassigned?.byReason ?? {};
  const unassignedStations = await stationsOf(db, summary?.unassigned?.items ?? []);

  // Outcomes: the last delivered/failed event of each parcel of this plan.
  const outcomes = await db
    .selectFrom('parcel_events')
    .innerJoin('parcels', 'parcels.id', 'parcel_events.parcel_id')
    .select(['parcel_events.parcel_id', 'parcel_events.type', 'parcel_events.at', 'parcel_events.details_json', 'parcels.promised_date'])
    .where('parcels.plan_id', '=', planId)
    .where('parcel_events.type', 'in', ['delivered', 'failed'])
    .orderBy('parcel_events.at')
    .execute();
  const last = new Map<string, (typeof outcomes)[number]>();
  for (const o of outcomes) last.set(o.parcel_id, o);
  let delivered = 0;
  let failed = 0;
  let onTime = 0;
  const failedByReason: Record<string, number> = {};
  for (const o of last.values()) {
    if (o.type === 'delivered') {
      delivered += 1;
      const localDay = new Date(Date.parse(o.at) + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
      if (localDay <= (o.promised_date ?? plan.service_date)) onTime += 1;
    } else {
      failed += 1;
      const reason = o.details_json ? ((JSON.parse(o.details_json) as { reason?: string }).reason ?? 'unknown') : 'unknown';
      bump(failedByReason, reason);
    }
  }
  const arrived = await db
    .selectFrom('stop_events')
    .select((eb) => eb.fn.count<number>('stop_id').distinct().as('n'))
    .where('plan_id', '=', planId)
    .where('type', '=', 'arrived')
    .executeTakeFirst();
  const outcomesTotal = delivered + failed;
  return {
    planId,
    date: plan.service_date,
    status: plan.status,
    parcels: { total: parcels.length, byCourier, byTownship, byStatus },
    pickups: { total: pickups.length, byStatus: pickupsByStatus },
    stations,
    unassigned: { total: Object.values(byReason).reduce((a, n) => a + n, 0), byReason, stations: unassignedStations },
    delivery: {
      stopsArrived: Number(arrived?.n ?? 0),
      delivered,
      failed,
      failedByReason,
      onTimeShare: outcomesTotal === 0 ? null : Math.round((onTime / outcomesTotal) * 1000) / 1000,
    },
  };
}

/** Unassigned items grouped by station, with the station's name and place (most items first). */
async function stationsOf(db: Kysely<Database>, items: readonly SummaryItem[]): Promise<UnassignedStation[]> {
  if (items.length === 0) return [];
  const byCode = new Map<string, { parcels: number; pickups: number; byReason: Record<string, number> }>();
  for (const u of items) {
    const s = byCode.get(u.stationCode) ?? { parcels: 0, pickups: 0, byReason: {} };
    if (u.kind === 'parcel') s.parcels += 1;
    else s.pickups += 1;
    bump(s.byReason, u.reason);
    byCode.set(u.stationCode, s);
  }
  const rows = await db
    .selectFrom('stations')
    .leftJoin('townships', 'townships.code', 'stations.township_code')
    .select(['stations.code', 'stations.name', 'stations.lat', 'stations.lon', 'townships.name as township'])
    .where('stations.code', 'in', [...byCode.keys()])
    .execute();
  return rows
    .map((r) => ({ code: r.code, name: r.name, township: r.township, lat: r.lat, lon: r.lon, ...byCode.get(r.code)! }))
    .sort((a, b) => b.parcels + b.pickups - (a.parcels + a.pickups) || (a.code < b.code ? -1 : 1));
}
