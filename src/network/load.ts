/**
 * Loads a network dataset (default: the committed Qin County one in data/qinxian) and turns it
 * into the database rows the rest of gongpei works with.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Insertable, Selectable } from 'kysely';
import type { CourierTable, HubRow, StationRow, TownshipTable, VehicleRow } from '../db/schema.ts';
import type { NetworkImport } from './files.ts';
import { NetworkFileSchema, type NetworkFile } from './types.ts';

export const DEFAULT_NETWORK_DIR = resolve(import.meta.dirname, '..', '..', 'data', 'qinxian');

export interface TownshipAreaProperties {
  readonly code: string;
  readonly name: string;
  readonly hubId: string;
  readonly areaKm2: number;
  readonly estimated: boolean;
}

export interface Network extends NetworkFile {
  /** County boundary, WGS84. */
  readonly boundary: Feature<Polygon | MultiPolygon>;
  /** One (estimated) area per township, WGS84. */
  readonly townshipAreas: FeatureCollection<Polygon | MultiPolygon, TownshipAreaProperties>;
}

const cache = new Map<string, Network>();

/**
 * Reads and validates `network.json`, `county-boundary.geojson` and `township-areas.geojson`
 * from `dir`. Cached per directory: the dataset is read-only at run time.
 */
export function loadNetwork(dir: string = DEFAULT_NETWORK_DIR): Network {
  const key = resolve(dir);
  const hit = cache.get(key);
  if (hit) return hit;
  const readJson = (name: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(key, name), 'utf8'));
    } catch (err) {
      throw Object.assign(new Error(`network dataset ${join(key, name)}: ${(err as Error).message}`, { cause: err }), { userFacing: true });
    }
  };
  const parsed = NetworkFileSchema.safeParse(readJson('network.json'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw Object.assign(new Error(`network dataset ${join(key, 'network.json')}: ${issue.path.join('.')}: ${issue.message}`), { userFacing: true });
  }
  const boundaryFile = readJson('county-boundary.geojson') as FeatureCollection<Polygon | MultiPolygon>;
  const boundary = boundaryFile.features[0];
  if (!boundary) throw Object.assign(new Error(`network dataset ${key}: county-boundary.geojson has no feature`), { userFacing: true });
  const townshipAreas = readJson('township-areas.geojson') as FeatureCollection<Polygon | MultiPolygon, TownshipAreaProperties>;
  const network: Network = Object.freeze({ ...parsed.data, boundary, townshipAreas });
  checkReferences(network);
  cache.set(key, network);
  return network;
}

/** Cross-references a schema cannot express: every link points at something that exists. */
function checkReferences(n: Network): void {
  const fail = (msg: string): never => {
    throw Object.assign(new Error(`network dataset: ${msg}`), { userFacing: true });
  };
  const townships = new Set(n.townships.map((t) => t.code));
  const hubs = new Set(n.hubs.map((h) => h.id));
  const types = new Set(n.vehicleTypes.map((t) => t.type));
  const codes = new Set<string>();
  if (n.hubs.filter((h) => h.kind === 'county_warehouse').length !== 1) fail('exactly one county warehouse expected');
  for (const t of n.townships) if (!hubs.has(t.hubId)) fail(`township ${t.code} → unknown hub ${t.hubId}`);
  for (const h of n.hubs) if (!townships.has(h.townshipCode)) fail(`hub ${h.id} → unknown township ${h.townshipCode}`);
  for (const s of n.stations) {
    if (codes.has(s.code)) fail(`duplicate station code ${s.code}`);
    codes.add(s.code);
    if (!townships.has(s.townshipCode)) fail(`station ${s.code} → unknown township ${s.townshipCode}`);
    if (!hubs.has(s.hubId)) fail(`station ${s.code} → unknown hub ${s.hubId}`);
  }
  for (const v of n.vehicles) {
    if (!hubs.has(v.hubId)) fail(`vehicle ${v.id} → unknown hub ${v.hubId}`);
    if (!types.has(v.type)) fail(`vehicle ${v.id} → unknown type ${v.type}`);
  }
}

/** `"08:30"` → 30600 (seconds after midnight). */
export function clockToSeconds(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 3600 + m! * 60;
}

/** The dataset in the network file model (src/network/files.ts), which `seedNetwork` imports. */
export function datasetImport(n: Network): NetworkImport {
  const rows = networkRows(n);
  return {
    county: { id: n.adcode, name: n.county.name, seat_lat: n.county.seat.lat, seat_lon: n.county.seat.lon, boundary_json: JSON.stringify(n.boundary) },
    townships: rows.townships.map(({ county_id: _county, ...t }) => t),
    hubs: rows.hubs.map((h) => ({ id: h.id, kind: h.kind, name: h.name, township_code: h.township_code, lat: h.lat, lon: h.lon, coord_quality: h.coord_quality })),
    stations: rows.stations.map(({ county_id: _county, ...s }) => ({ ...s, keeper_name: null, keeper_phone: null })),
    vehicles: rows.vehicles.map(({ driver_id: _driver, active: _active, county_id: _county, ...v }) => v),
    couriers: rows.couriers.map((c) => ({ code: c.code, name: c.name })),
  };
}

export interface NetworkRows {
  readonly townships: Selectable<TownshipTable>[];
  readonly hubs: HubRow[];
  readonly stations: StationRow[];
  readonly vehicles: VehicleRow[];
  readonly couriers: Omit<Insertable<CourierTable>, 'created_at'>[];
}

/**
 * The dataset as database rows (integer units: grams, cm³, metres, seconds, fen). This is what
 * `seedNetwork` writes, and what pure code (planning, destination resolution) can use directly
 * without a database.
 */
export function networkRows(n: NetworkFile): NetworkRows {
  const typeOf = new Map(n.vehicleTypes.map((t) => [t.type, t]));
  return {
    townships: n.townships.map((t) => ({ county_id: n.adcode, code: t.code, name: t.name, kind: t.kind, seat_lat: t.seat.lat, seat_lon: t.seat.lon, hub_id: t.hubId })),
    hubs: n.hubs.map((h) => ({ county_id: n.adcode, id: h.id, kind: h.kind, name: h.name, township_code: h.townshipCode, lat: h.lat, lon: h.lon, coord_quality: h.coordQuality })),
    stations: n.stations.map((s) => ({
      county_id: n.adcode,
      code: s.code,
      name: s.name,
      kind: s.kind,
      township_code: s.townshipCode,
      hub_id: s.hubId,
      lat: s.lat,
      lon: s.lon,
      coord_quality: s.coordQuality,
      opens_s: clockToSeconds(s.opens),
      closes_s: clockToSeconds(s.closes),
      size_weight: s.sizeWeight,
    })),
    vehicles: n.vehicles.map((v) => {
      const t = typeOf.get(v.type)!;
      return {
        county_id: n.adcode,
        id: v.id,
        hub_id: v.hubId,
        type: v.type,
        name: v.name,
        capacity_g: Math.round(t.capacityKg * 1000),
        capacity_cm3: Math.round(t.capacityM3 * 1_000_000),
        range_m: t.rangeKm === null ? null : Math.round(t.rangeKm * 1000),
        cold_chain: t.coldChain ? 1 : 0,
        max_trips: t.maxTrips,
        speed_kmh: t.speedKmh,
        fixed_cost_fen: t.fixedCostFen,
        cost_per_km_fen: t.costPerKmFen,
        cost_per_hour_fen: t.costPerHourFen,
        driver_id: null,
        active: 1,
      };
    }),
    couriers: n.couriers.map((c) => ({ code: c.code, name: c.name })),
  };
}
