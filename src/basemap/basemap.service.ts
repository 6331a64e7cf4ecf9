/**
 * The county base map the server hands out: its network (county outline and township areas from
 * the dataset, hubs and stations from the database, so renamed stations show as renamed) and the
 * roads the user supplies as `roads.geojson` (LineStrings, an optional `name`) in the network
 * dataset folder, built into one PMTiles archive on first request and kept in memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import { centroid } from '@turf/turf';
import type { Database } from '../db/schema.ts';
import { buildCountyArchive, place } from './county-archive.ts';

export interface BasemapSources {
  readonly boundary: Feature<Polygon | MultiPolygon> | null;
  readonly townshipAreas: FeatureCollection<Polygon | MultiPolygon> | null;
  /** The network dataset folder, where a user's `roads.geojson` is looked for. */
  readonly datasetDir: string | null;
}

/** The user's roads, or null when there are none. A file that is not GeoJSON stops the build with its path. */
export function roadsOf(datasetDir: string | null): FeatureCollection | null {
  if (datasetDir === null) return null;
  const path = join(datasetDir, 'roads.geojson');
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const fc = parsed as FeatureCollection;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${path} is not a GeoJSON FeatureCollection`);
  return { type: 'FeatureCollection', features: fc.features.filter((f) => f.geometry?.type === 'LineString' || f.geometry?.type === 'MultiLineString') };
}

export async function buildBasemap(db: Kysely<Database>, sources: BasemapSources): Promise<Buffer> {
  const [townships, hubs, stations] = await Promise.all([
    db.selectFrom('townships').select(['code', 'name']).execute(),
    db.selectFrom('hubs').select(['name', 'kind', 'lat', 'lon']).orderBy('id').execute(),
    db.selectFrom('stations').select(['name', 'lat', 'lon']).orderBy('code').execute(),
  ]);
  const townshipName = new Map(townships.map((t) => [t.code, t.name]));
  const areas = (sources.townshipAreas?.features ?? []).map((f) => {
    const code = (f.properties as { code?: string } | null)?.code;
    return { ...f, properties: { name: (code && townshipName.get(code)) ?? (f.properties as { name?: string } | null)?.name ?? '' } };
  });
  const places: Feature[] = [
    ...areas.map((a) => {
      const [lon, lat] = centroid(a).geometry.coordinates as [number, number];
      return place(lon, lat, a.properties.name, 'township');
    }),
    ...hubs.map((h) => place(h.lon, h.lat, h.name, h.kind)),
    ...stations.map((s) => place(s.lon, s.lat, s.name, 'station')),
  ];
  return buildCountyArchive({
    county: { type: 'FeatureCollection', features: sources.boundary ? [{ ...sources.boundary, properties: {} }] : [] },
    townships: { type: 'FeatureCollection', features: areas },
    roads: roadsOf(sources.datasetDir),
    places: { type: 'FeatureCollection', features: places },
  });
}

/**
 * Answers a GET for an in-memory file, honouring one `Range: bytes=a-b` (what PMTiles readers
 * send): 206 with Content-Range, 416 for a range past the end, 200 with the whole file otherwise.
 */
export function sendRange(rangeHeader: string | undefined, size: number): { status: 200 | 206 | 416; start: number; end: number } {
  const m = rangeHeader ? /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return { status: 200, start: 0, end: size - 1 };
  let start: number;
  let end: number;
  if (m[1] === '') {
    // bytes=-N: the last N bytes
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return { status: 416, start: 0, end: -1 };
  return { status: 206, start, end };
}
