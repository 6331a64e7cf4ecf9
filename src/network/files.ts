/**
 * The network file format (docs/network-format.md): one county's network as a folder of CSV files,
 * with an optional GeoJSON file for positions and one for the county boundary. `readNetworkFolder`
 * parses and validates a folder into database rows (every problem named by file, row and field,
 * all of them at once, nothing written); `writeNetworkFolder` writes rows back out in the same
 * format, so an export imports again unchanged.
 *
 * Positions may be WGS84 or GCJ-02 (the `datum` column, or a GeoJSON feature's `datum`
 * property); everything is stored as WGS84, converted with the standard formula.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { CoordQuality } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { gcj02ToWgs84, round6 } from './gcj02.ts';

export const NETWORK_FILES = {
  county: 'county.csv',
  townships: 'townships.csv',
  hubs: 'hubs.csv',
  stations: 'stations.csv',
  vehicleTypes: 'vehicle_types.csv',
  vehicles: 'vehicles.csv',
  couriers: 'couriers.csv',
  positions: 'positions.geojson',
  boundary: 'county-boundary.geojson',
} as const;

/** The columns of each CSV file, in the order an export writes them. */
export const COLUMNS = {
  county: ['code', 'name', 'seat_lat', 'seat_lon', 'datum'],
  townships: ['code', 'name', 'kind', 'hub_id', 'seat_lat', 'seat_lon', 'datum'],
  hubs: ['id', 'kind', 'name', 'township_code', 'lat', 'lon', 'datum', 'position_quality'],
  stations: ['code', 'name', 'kind', 'township_code', 'hub_id', 'lat', 'lon', 'datum', 'position_quality', 'opens', 'closes', 'size_weight', 'keeper_name', 'keeper_phone'],
  vehicleTypes: ['type', 'label', 'capacity_kg', 'capacity_m3', 'range_km', 'speed_kmh', 'cold_chain', 'max_trips', 'fixed_cost_fen', 'cost_per_km_fen', 'cost_per_hour_fen'],
  vehicles: ['id', 'type', 'hub_id', 'name'],
  couriers: ['code', 'name'],
} as const;

/** Optional columns: a file may leave them out. */
const OPTIONAL = new Set(['datum', 'position_quality', 'keeper_name', 'keeper_phone', 'range_km', 'size_weight', 'opens', 'closes', 'lat', 'lon', 'seat_lat', 'seat_lon']);

export interface CountyRecord {
  readonly id: string;
  readonly name: string;
  readonly seat_lat: number;
  readonly seat_lon: number;
  readonly boundary_json: string | null;
}
export interface TownshipImport {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly hub_id: string;
  readonly seat_lat: number;
  readonly seat_lon: number;
}
export interface HubImport {
  readonly id: string;
  readonly kind: 'county_warehouse' | 'township_centre';
  readonly name: string;
  readonly township_code: string;
  readonly lat: number;
  readonly lon: number;
  readonly coord_quality: CoordQuality;
}
export interface StationImport {
  readonly code: string;
  readonly name: string;
  readonly kind: 'village' | 'community';
  readonly township_code: string;
  readonly hub_id: string;
  readonly lat: number;
  readonly lon: number;
  readonly coord_quality: CoordQuality;
  readonly opens_s: number;
  readonly closes_s: number;
  readonly size_weight: number;
  /** Null: the file says nothing, so a re-import keeps what dispatchers entered. */
  readonly keeper_name: string | null;
  readonly keeper_phone: string | null;
}
export interface VehicleImport {
  readonly id: string;
  readonly hub_id: string;
  readonly type: string;
  readonly name: string;
  readonly capacity_g: number;
  readonly capacity_cm3: number;
  readonly range_m: number | null;
  readonly cold_chain: number;
  readonly max_trips: number;
  readonly speed_kmh: number;
  readonly fixed_cost_fen: number;
  readonly cost_per_km_fen: number;
  readonly cost_per_hour_fen: number;
}
export interface CourierImport {
  readonly code: string;
  readonly name: string;
}

/** A county's network, validated, in database units (WGS84, grams, cm³, metres, seconds, fen). */
export interface NetworkImport {
  readonly county: CountyRecord;
  readonly townships: readonly TownshipImport[];
  readonly hubs: readonly HubImport[];
  readonly stations: readonly StationImport[];
  readonly vehicles: readonly VehicleImport[];
  readonly couriers: readonly CourierImport[];
}

/** The folder's files as text (a folder on disk, or the parts of an admin API request). */
export type NetworkFileTexts = Partial<Record<(typeof NETWORK_FILES)[keyof typeof NETWORK_FILES], string>>;

export function readNetworkFolder(dir: string): NetworkImport {
  if (!existsSync(dir)) throw new AppError('invalid_data', `network folder ${dir} does not exist`, [{ path: dir, message: 'no such folder' }]);
  const texts: NetworkFileTexts = {};
  for (const name of Object.values(NETWORK_FILES)) {
    const p = join(dir, name);
    if (existsSync(p)) texts[name] = readFileSync(p, 'utf8');
  }
  return parseNetworkFiles(texts);
}

type Row = Record<string, string>;

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_DETAILS = 100;

/**
 * Parses and validates the files. Throws one AppError('invalid_data') listing every problem found
 * (up to 100), each as `file:row:field` (row 1 is the header, so the first data row is row 2).
 */
export function parseNetworkFiles(texts: NetworkFileTexts): NetworkImport {
  const problems: ErrorDetail[] = [];
  const problem = (file: string, row: number | null, field: string | null, message: string) => {
    if (problems.length < MAX_DETAILS) problems.push({ path: [file, row, field].filter((x) => x !== null).join(':'), message, ...(row !== null ? { line: row } : {}) });
  };

  const table = (key: keyof typeof COLUMNS, required: boolean): { rows: Row[]; file: string } => {
    const file = NETWORK_FILES[key];
    const text = texts[file];
    if (text === undefined) {
      if (required) problem(file, null, null, 'file missing');
      return { rows: [], file };
    }
    let records: string[][];
    try {
      records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: true }) as string[][];
    } catch (err) {
      const e = err as Error & { lines?: number };
      problem(file, e.lines ?? null, null, `not valid CSV: ${e.message}`);
      return { rows: [], file };
    }
    const header = records[0] ?? [];
    const known = new Set<string>(COLUMNS[key]);
    for (const c of header) if (!known.has(c)) problem(file, 1, c, `unknown column (expected: ${COLUMNS[key].join(', ')})`);
    for (const c of COLUMNS[key]) if (!header.includes(c) && !OPTIONAL.has(c)) problem(file, 1, c, 'column missing');
    const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
    return { rows, file };
  };

  // Positions from the GeoJSON alternative, by layer and id.
  const geo = new Map<string, { lat: number; lon: number; quality?: string }>();
  const positionsText = texts[NETWORK_FILES.positions];
  if (positionsText !== undefined) readPositions(positionsText, geo, (feature, field, message) => problem(NETWORK_FILES.positions, null, `features.${feature}${field ? `.${field}` : ''}`, message));

  let boundaryJson: string | null = null;
  const boundaryText = texts[NETWORK_FILES.boundary];
  if (boundaryText !== undefined) {
    const b = readBoundary(boundaryText);
    if (typeof b === 'string') problem(NETWORK_FILES.boundary, null, null, b);
    else boundaryJson = JSON.stringify(b);
  }

  const text = (file: string, row: number, r: Row, field: string, opts: { pattern?: RegExp; what?: string; optional?: boolean } = {}): string => {
    const v = r[field] ?? '';
    if (v === '') {
      if (!opts.optional) problem(file, row, field, 'required');
      return '';
    }
    if (opts.pattern && !opts.pattern.test(v)) problem(file, row, field, `"${v}" is not ${opts.what ?? `of the form ${String(opts.pattern)}`}`);
    return v;
  };
  const num = (file: string, row: number, r: Row, field: string, opts: { min?: number; max?: number; int?: boolean; optional?: boolean; exclusiveMin?: boolean } = {}): number | null => {
    const v = r[field] ?? '';
    if (v === '') {
      if (!opts.optional) problem(file, row, field, 'required');
      return null;
    }
    const n = Number(v);
    if (!Number.isFinite(n)) return (problem(file, row, field, `"${v}" is not a number`), null);
    if (opts.int && !Number.isInteger(n)) return (problem(file, row, field, `"${v}" is not a whole number`), null);
    if (opts.min !== undefined && (opts.exclusiveMin ? n <= opts.min : n < opts.min)) return (problem(file, row, field, `${v} must be ${opts.exclusiveMin ? 'above' : 'at least'} ${opts.min}`), null);
    if (opts.max !== undefined && n > opts.max) return (problem(file, row, field, `${v} must be at most ${opts.max}`), null);
    return n;
  };
  const oneOf = <T extends string>(file: string, row: number, r: Row, field: string, values: readonly T[], fallback?: T): T => {
    const v = r[field] ?? '';
    if (v === '' && fallback !== undefined) return fallback;
    if (!(values as readonly string[]).includes(v)) problem(file, row, field, v === '' ? `required: one of ${values.join(', ')}` : `"${v}" is not one of ${values.join(', ')}`);
    return v as T;
  };
  /** A position from lat/lon (+ datum) columns, or else from positions.geojson; WGS84 out. */
  const position = (file: string, row: number, r: Row, layer: string, id: string, latField = 'lat', lonField = 'lon'): { lat: number; lon: number; quality?: string } => {
    const fromGeo = geo.get(`${layer}:${id}`);
    if ((r[latField] ?? '') === '' && (r[lonField] ?? '') === '' && fromGeo) return fromGeo;
    const lat = num(file, row, r, latField, { min: -90, max: 90 });
    const lon = num(file, row, r, lonField, { min: -180, max: 180 });
    const datum = oneOf(file, row, r, 'datum', ['WGS84', 'GCJ02'] as const, 'WGS84');
    if (lat === null || lon === null) return { lat: 0, lon: 0 };
    if (datum === 'GCJ02') {
      const w = gcj02ToWgs84({ lat, lon });
      return { lat: round6(w.lat), lon: round6(w.lon) };
    }
    return { lat, lon };
  };
  const QUALITIES = ['known', 'estimated', 'corrected'] as const;
  const quality = (file: string, row: number, r: Row, fromGeo?: string): CoordQuality => {
    if ((r.position_quality ?? '') === '' && fromGeo !== undefined) {
      if (!(QUALITIES as readonly string[]).includes(fromGeo)) problem(file, row, 'position_quality', `positions.geojson says "${fromGeo}", not one of ${QUALITIES.join(', ')}`);
      return fromGeo as CoordQuality;
    }
    return oneOf(file, row, r, 'position_quality', QUALITIES, 'estimated');
  };
  const unique = (file: string, seen: Set<string>, row: number, field: string, v: string) => {
    if (v === '') return;
    if (seen.has(v)) problem(file, row, field, `"${v}" appears twice`);
    seen.add(v);
  };

  // county.csv: one row.
  const countyTable = table('county', true);
  let county: CountyRecord = { id: '', name: '', seat_lat: 0, seat_lon: 0, boundary_json: boundaryJson };
  if (countyTable.rows.length !== 1 && texts[NETWORK_FILES.county] !== undefined) problem(countyTable.file, null, null, `one row expected, found ${countyTable.rows.length}`);
  const c = countyTable.rows[0];
  if (c) {
    const id = text(countyTable.file, 2, c, 'code', { pattern: /^\d{6}$/, what: 'a 6-digit county code (adcode)' });
    const seat = position(countyTable.file, 2, c, 'county', id, 'seat_lat', 'seat_lon');
    county = { id, name: text(countyTable.file, 2, c, 'name'), seat_lat: seat.lat, seat_lon: seat.lon, boundary_json: boundaryJson };
  }

  const t = table('townships', true);
  const seenTownships = new Set<string>();
  const townships: TownshipImport[] = t.rows.map((r, i) => {
    const row = i + 2;
    const code = text(t.file, row, r, 'code', { pattern: /^\d{9}$/, what: 'a 9-digit township code' });
    unique(t.file, seenTownships, row, 'code', code);
    if (county.id && code && !code.startsWith(county.id)) problem(t.file, row, 'code', `${code} is not in county ${county.id} (a township code starts with its county's code)`);
    const seat = position(t.file, row, r, 'township', code, 'seat_lat', 'seat_lon');
    return { code, name: text(t.file, row, r, 'name'), kind: text(t.file, row, r, 'kind'), hub_id: text(t.file, row, r, 'hub_id'), seat_lat: seat.lat, seat_lon: seat.lon };
  });

  const h = table('hubs', true);
  const seenHubs = new Set<string>();
  const hubs: HubImport[] = h.rows.map((r, i) => {
    const row = i + 2;
    const id = text(h.file, row, r, 'id', { pattern: /^[A-Za-z0-9_.-]{1,64}$/, what: 'an id of letters, digits, _ . - (at most 64)' });
    unique(h.file, seenHubs, row, 'id', id);
    const pos = position(h.file, row, r, 'hub', id);
    return {
      id,
      kind: oneOf(h.file, row, r, 'kind', ['county_warehouse', 'township_centre'] as const),
      name: text(h.file, row, r, 'name'),
      township_code: text(h.file, row, r, 'township_code'),
      lat: pos.lat,
      lon: pos.lon,
      coord_quality: quality(h.file, row, r, pos.quality),
    };
  });

  const s = table('stations', true);
  const seenStations = new Set<string>();
  const stations: StationImport[] = s.rows.map((r, i) => {
    const row = i + 2;
    const code = text(s.file, row, r, 'code', { pattern: /^\d{12}$/, what: 'a 12-digit station (village committee) code' });
    unique(s.file, seenStations, row, 'code', code);
    const pos = position(s.file, row, r, 'station', code);
    const opens = text(s.file, row, r, 'opens', { pattern: CLOCK, what: 'a time HH:MM', optional: true }) || '08:00';
    const closes = text(s.file, row, r, 'closes', { pattern: CLOCK, what: 'a time HH:MM', optional: true }) || '19:00';
    if (CLOCK.test(opens) && CLOCK.test(closes) && clock(closes) <= clock(opens)) problem(s.file, row, 'closes', `${closes} is not after opens ${opens}`);
    const township = text(s.file, row, r, 'township_code');
    if (code && township && !code.startsWith(township)) problem(s.file, row, 'code', `${code} is not in township ${township} (a station code starts with its township's code)`);
    const phone = r.keeper_phone ?? '';
    if (phone !== '' && !/^\+?[\d\- ]{5,20}$/.test(phone)) problem(s.file, row, 'keeper_phone', `"${phone}" is not a phone number (digits, spaces, dashes and an optional leading +)`);
    return {
      code,
      name: text(s.file, row, r, 'name'),
      kind: oneOf(s.file, row, r, 'kind', ['village', 'community'] as const),
      township_code: township,
      hub_id: text(s.file, row, r, 'hub_id'),
      lat: pos.lat,
      lon: pos.lon,
      coord_quality: quality(s.file, row, r, pos.quality),
      opens_s: CLOCK.test(opens) ? clock(opens) : 0,
      closes_s: CLOCK.test(closes) ? clock(closes) : 0,
      size_weight: num(s.file, row, r, 'size_weight', { min: 0, exclusiveMin: true, optional: true }) ?? 1,
      keeper_name: (r.keeper_name ?? '') === '' ? null : r.keeper_name!,
      keeper_phone: phone === '' ? null : phone,
    };
  });

  const vt = table('vehicleTypes', true);
  const seenTypes = new Set<string>();
  const types = new Map<string, Omit<VehicleImport, 'id' | 'hub_id' | 'name'>>();
  vt.rows.forEach((r, i) => {
    const row = i + 2;
    const type = text(vt.file, row, r, 'type', { pattern: /^[a-z][a-z0-9_]{0,31}$/, what: 'a type name of lower-case letters, digits and _' });
    unique(vt.file, seenTypes, row, 'type', type);
    text(vt.file, row, r, 'label');
    const range = num(vt.file, row, r, 'range_km', { min: 0, exclusiveMin: true, optional: true });
    types.set(type, {
      type,
      capacity_g: Math.round((num(vt.file, row, r, 'capacity_kg', { min: 0, exclusiveMin: true }) ?? 0) * 1000),
      capacity_cm3: Math.round((num(vt.file, row, r, 'capacity_m3', { min: 0, exclusiveMin: true }) ?? 0) * 1_000_000),
      range_m: range === null ? null : Math.round(range * 1000),
      cold_chain: oneOf(vt.file, row, r, 'cold_chain', ['0', '1', 'true', 'false'] as const) === '1' || r.cold_chain === 'true' ? 1 : 0,
      max_trips: num(vt.file, row, r, 'max_trips', { min: 1, int: true }) ?? 1,
      speed_kmh: num(vt.file, row, r, 'speed_kmh', { min: 0, exclusiveMin: true, max: 200 }) ?? 1,
      fixed_cost_fen: num(vt.file, row, r, 'fixed_cost_fen', { min: 0, int: true }) ?? 0,
      cost_per_km_fen: num(vt.file, row, r, 'cost_per_km_fen', { min: 0, int: true }) ?? 0,
      cost_per_hour_fen: num(vt.file, row, r, 'cost_per_hour_fen', { min: 0, int: true }) ?? 0,
    });
  });

  const v = table('vehicles', true);
  const seenVehicles = new Set<string>();
  const vehicles: VehicleImport[] = [];
  v.rows.forEach((r, i) => {
    const row = i + 2;
    const id = text(v.file, row, r, 'id', { pattern: /^[A-Za-z0-9_.-]{1,64}$/, what: 'an id of letters, digits, _ . - (at most 64)' });
    unique(v.file, seenVehicles, row, 'id', id);
    const type = text(v.file, row, r, 'type');
    const hub = text(v.file, row, r, 'hub_id');
    const spec = types.get(type);
    if (type && !spec) problem(v.file, row, 'type', `"${type}" is not in ${NETWORK_FILES.vehicleTypes}`);
    if (hub && !seenHubs.has(hub)) problem(v.file, row, 'hub_id', `"${hub}" is not in ${NETWORK_FILES.hubs}`);
    if (spec) vehicles.push({ ...spec, id, hub_id: hub, name: text(v.file, row, r, 'name') });
  });

  const cr = table('couriers', false);
  const seenCouriers = new Set<string>();
  const couriers: CourierImport[] = cr.rows.map((r, i) => {
    const row = i + 2;
    const code = text(cr.file, row, r, 'code', { pattern: /^[A-Z][A-Z0-9]{0,15}$/, what: 'a courier code of capital letters and digits' });
    unique(cr.file, seenCouriers, row, 'code', code);
    return { code, name: text(cr.file, row, r, 'name') };
  });

  // Cross-references between files.
  const hubById = new Map(hubs.map((x) => [x.id, x]));
  t.rows.forEach((_, i) => {
    const tw = townships[i]!;
    if (tw.hub_id && !hubById.has(tw.hub_id)) problem(t.file, i + 2, 'hub_id', `"${tw.hub_id}" is not in ${NETWORK_FILES.hubs}`);
  });
  const warehouses = hubs.filter((x) => x.kind === 'county_warehouse');
  if (h.rows.length > 0 && warehouses.length !== 1) problem(h.file, null, 'kind', `exactly one county_warehouse expected, found ${warehouses.length}`);
  hubs.forEach((x, i) => {
    if (x.township_code && !seenTownships.has(x.township_code)) problem(h.file, i + 2, 'township_code', `"${x.township_code}" is not in ${NETWORK_FILES.townships}`);
  });
  stations.forEach((x, i) => {
    if (x.township_code && !seenTownships.has(x.township_code)) problem(s.file, i + 2, 'township_code', `"${x.township_code}" is not in ${NETWORK_FILES.townships}`);
    if (x.hub_id && !hubById.has(x.hub_id)) problem(s.file, i + 2, 'hub_id', `"${x.hub_id}" is not in ${NETWORK_FILES.hubs}`);
  });
  if (texts[NETWORK_FILES.stations] !== undefined && stations.length === 0) problem(s.file, null, null, 'no stations');
  const warehouse = warehouses[0];
  if (warehouse && !vehicles.some((x) => x.hub_id === warehouse.id && x.type === 'line_haul_truck')) {
    problem(v.file, null, 'type', `no line_haul_truck at the county warehouse ${warehouse.id}: the line-haul to the township centres needs one`);
  }

  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError('invalid_data', `network files: ${problems.length}${problems.length === MAX_DETAILS ? '+' : ''} problem(s); first: ${first.path}: ${first.message}`, problems);
  }
  return { county, townships, hubs, stations, vehicles, couriers };
}

function clock(hhmm: string): number {
  const [hh, mm] = hhmm.split(':').map(Number);
  return hh! * 3600 + mm! * 60;
}

function hhmm(seconds: number): string {
  return `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`;
}

const LAYERS = new Set(['county', 'township', 'hub', 'station']);

function readPositions(textIn: string, into: Map<string, { lat: number; lon: number; quality?: string }>, problem: (feature: number | string, field: string | null, message: string) => void): void {
  let fc: FeatureCollection;
  try {
    fc = JSON.parse(textIn) as FeatureCollection;
  } catch (err) {
    problem('', null, `not valid JSON: ${(err as Error).message}`);
    return;
  }
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return problem('', null, 'a GeoJSON FeatureCollection expected');
  fc.features.forEach((f, i) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const layer = props.layer;
    const id = props.id;
    if (typeof layer !== 'string' || !LAYERS.has(layer)) return problem(i, 'properties.layer', `one of ${[...LAYERS].join(', ')} expected`);
    if (typeof id !== 'string' || id === '') return problem(i, 'properties.id', 'the station code, hub id, township code or county code expected');
    if (f.geometry?.type !== 'Point') return problem(i, 'geometry', 'a Point expected');
    const [lon, lat] = f.geometry.coordinates as number[];
    if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180) return problem(i, 'geometry.coordinates', '[longitude, latitude] expected');
    const datum = props.datum ?? 'WGS84';
    if (datum !== 'WGS84' && datum !== 'GCJ02') return problem(i, 'properties.datum', 'WGS84 or GCJ02 expected');
    const p = datum === 'GCJ02' ? gcj02ToWgs84({ lat, lon }) : { lat, lon };
    into.set(`${layer}:${id}`, { lat: round6(p.lat), lon: round6(p.lon), ...(typeof props.position_quality === 'string' ? { quality: props.position_quality } : {}) });
  });
}

function readBoundary(textIn: string): Feature<Polygon | MultiPolygon> | string {
  let g: Feature | FeatureCollection;
  try {
    g = JSON.parse(textIn) as Feature | FeatureCollection;
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
  const f = g?.type === 'FeatureCollection' ? g.features[0] : g;
  if (!f || f.type !== 'Feature' || (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon')) return 'a GeoJSON Feature (or FeatureCollection whose first feature is one) with a Polygon or MultiPolygon expected';
  return f as Feature<Polygon | MultiPolygon>;
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [columns.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

/** The vehicle types of a fleet: one per distinct type (the first vehicle of each carries its specification). */
function vehicleTypesOf(vehicles: readonly VehicleImport[]): VehicleImport[] {
  const seen = new Map<string, VehicleImport>();
  for (const v of vehicles) if (!seen.has(v.type)) seen.set(v.type, v);
  return [...seen.values()];
}

/** Writes a county's network as the folder format (WGS84 positions). Returns the files written. */
export function writeNetworkFolder(dir: string, n: NetworkImport & { readonly typeLabels?: ReadonlyMap<string, string> }): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    [NETWORK_FILES.county, csv(COLUMNS.county, [[n.county.id, n.county.name, n.county.seat_lat, n.county.seat_lon, 'WGS84']])],
    [NETWORK_FILES.townships, csv(COLUMNS.townships, n.townships.map((t) => [t.code, t.name, t.kind, t.hub_id, t.seat_lat, t.seat_lon, 'WGS84']))],
    [NETWORK_FILES.hubs, csv(COLUMNS.hubs, n.hubs.map((h) => [h.id, h.kind, h.name, h.township_code, h.lat, h.lon, 'WGS84', h.coord_quality]))],
    [
      NETWORK_FILES.stations,
      csv(COLUMNS.stations, n.stations.map((s) => [s.code, s.name, s.kind, s.township_code, s.hub_id, s.lat, s.lon, 'WGS84', s.coord_quality, hhmm(s.opens_s), hhmm(s.closes_s), s.size_weight, s.keeper_name, s.keeper_phone])),
    ],
    [
      NETWORK_FILES.vehicleTypes,
      csv(COLUMNS.vehicleTypes, vehicleTypesOf(n.vehicles).map((v) => [
        v.type, n.typeLabels?.get(v.type) ?? v.type, v.capacity_g / 1000, v.capacity_cm3 / 1_000_000, v.range_m === null ? null : v.range_m / 1000,
        v.speed_kmh, v.cold_chain, v.max_trips, v.fixed_cost_fen, v.cost_per_km_fen, v.cost_per_hour_fen,
      ])),
    ],
    [NETWORK_FILES.vehicles, csv(COLUMNS.vehicles, n.vehicles.map((v) => [v.id, v.type, v.hub_id, v.name]))],
    [NETWORK_FILES.couriers, csv(COLUMNS.couriers, n.couriers.map((c) => [c.code, c.name]))],
  ];
  if (n.county.boundary_json !== null) files.push([NETWORK_FILES.boundary, `${JSON.stringify({ type: 'FeatureCollection', features: [JSON.parse(n.county.boundary_json)] })}\n`]);
  for (const [name, body] of files) writeFileSync(join(dir, name), body);
  return files.map(([name]) => name);
}
