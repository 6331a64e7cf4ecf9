/**
 * Coordinates → integer travel matrices (metres, seconds), one travel profile per vehicle type.
 *
 * Road distance comes either from haversine × a detour factor (default 1.3: rural roads wind
 * around hills and fields; no road network is needed, so the demo runs on a bare machine) or from
 * an OSRM-compatible `/table` service (src/geo/osrm.ts). Durations are per vehicle type: a truck,
 * a van and an electric tricycle cover the same road at different speeds, so each type gets its
 * own profile. With OSRM, the service's car duration is a lower bound and a slower vehicle never
 * beats its own speed: duration = max(osrm duration, distance / speed).
 *
 * Providers (MATRIX_PROVIDER): haversine, osrm, file (the user's own matrix, src/geo/matrix-file.ts)
 * and amap (高德 driving distances, src/geo/amap.ts). `roadMatrixProvider` builds the configured
 * one with its caches (src/geo/matrix-cache.ts).
 */
import type { TravelProfile } from '../solver/model.ts';
import { memoSource, pointKey, type RoadMatrixProvider } from './matrix-cache.ts';

export type { RoadMatrixProvider } from './matrix-cache.ts';

export interface Coordinate {
  readonly lat: number;
  readonly lon: number;
  /** The location's id (station code, hub id): what a matrix file is keyed by. */
  readonly id?: string;
}

/** Road distances (m) between every pair of points, row-major; optional car durations (s). */
export interface RoadMatrix {
  readonly size: number;
  readonly distance: Int32Array;
  readonly duration?: Int32Array;
}

/** Builds a road matrix for a list of points. */
export type RoadMatrixSource = (points: readonly Coordinate[]) => Promise<RoadMatrix>;

/** Marks an unreachable pair (OSRM `null`); large but far from Int32 overflow when summed a few times. */
export const UNREACHABLE = 100_000_000;

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (float). */
export function haversineMetres(a: Coordinate, b: Coordinate): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Straight-line distance × detour factor, rounded to whole metres. Symmetric, zero diagonal. */
export function haversineRoadMatrix(points: readonly Coordinate[], detourFactor = 1.3): RoadMatrix {
  if (!(detourFactor >= 1)) throw new RangeError(`detour factor must be ≥ 1, got ${detourFactor}`);
  const n = points.length;
  const distance = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.round(haversineMetres(points[i]!, points[j]!) * detourFactor);
      distance[i * n + j] = d;
      distance[j * n + i] = d;
    }
  }
  return { size: n, distance };
}

export function haversineSource(detourFactor = 1.3): RoadMatrixSource {
  return (points) => Promise.resolve(haversineRoadMatrix(points, detourFactor));
}

/** Seconds to drive `metres` at `speedKmh`, rounded up so a plan never promises too early. */
export function secondsAt(metres: number, speedKmh: number): number {
  return Math.ceil((metres * 3.6) / speedKmh);
}

/** One solver travel profile for a vehicle speed over a road matrix. */
export function travelProfile(road: RoadMatrix, speedKmh: number): TravelProfile {
  if (!(speedKmh > 0)) throw new RangeError(`speed must be > 0 km/h, got ${speedKmh}`);
  const n2 = road.size * road.size;
  const duration = new Int32Array(n2);
  for (let k = 0; k < n2; k++) {
    const d = road.distance[k]!;
    if (d >= UNREACHABLE) {
      duration[k] = UNREACHABLE;
      continue;
    }
    const own = secondsAt(d, speedKmh);
    const car = road.duration?.[k] ?? 0;
    duration[k] = Math.max(own, car);
  }
  return { distance: road.distance, duration };
}

/** The sub-matrix over `indices` (in that order), e.g. one township's hub and stations. */
export function subMatrix(road: RoadMatrix, indices: readonly number[]): RoadMatrix {
  const n = road.size;
  const m = indices.length;
  const distance = new Int32Array(m * m);
  const duration = road.duration ? new Int32Array(m * m) : undefined;
  for (let i = 0; i < m; i++) {
    const row = indices[i]! * n;
    for (let j = 0; j < m; j++) {
      distance[i * m + j] = road.distance[row + indices[j]!]!;
      if (duration) duration[i * m + j] = road.duration![row + indices[j]!]!;
    }
  }
  return duration ? { size: m, distance, duration } : { size: m, distance };
}

export const MATRIX_PROVIDERS = ['haversine', 'osrm', 'file', 'amap'] as const;
export type MatrixProviderName = (typeof MATRIX_PROVIDERS)[number];

/** The matrix settings of the config (src/config.ts). */
export interface MatrixSettings {
  readonly MATRIX_PROVIDER?: MatrixProviderName | undefined;
  readonly DETOUR_FACTOR: number;
  readonly OSRM_URL?: string | undefined;
  readonly MATRIX_FILE?: string | undefined;
  readonly AMAP_KEY?: string | undefined;
  readonly AMAP_URL?: string | undefined;
  readonly AMAP_QPS?: number | undefined;
}

/**
 * The configured provider, wrapped in a memo of whole matrices (the last few lists of positions:
 * re-planning an unchanged network asks nobody). MATRIX_PROVIDER unset: OSRM when OSRM_URL is
 * set, haversine × detour otherwise (as before providers could be chosen).
 */
export async function roadMatrixProvider(settings: MatrixSettings, options: { readonly fetch?: typeof fetch } = {}): Promise<RoadMatrixProvider> {
  const name: MatrixProviderName = settings.MATRIX_PROVIDER ?? (settings.OSRM_URL ? 'osrm' : 'haversine');
  let inner: RoadMatrixSource;
  let forgetPairs: (point: Coordinate) => void = () => undefined;
  switch (name) {
    case 'haversine':
      // Computed, not fetched: nothing worth caching.
      return { name, source: haversineSource(settings.DETOUR_FACTOR), forgetPoint: () => undefined };
    case 'osrm': {
      if (!settings.OSRM_URL) throw new RangeError('MATRIX_PROVIDER=osrm needs OSRM_URL');
      const { osrmSource } = await import('./osrm.ts');
      inner = osrmSource({ baseUrl: settings.OSRM_URL, ...(options.fetch ? { fetch: options.fetch } : {}) });
      break;
    }
    case 'file': {
      if (!settings.MATRIX_FILE) throw new RangeError('MATRIX_PROVIDER=file needs MATRIX_FILE');
      const { matrixFileSource } = await import('./matrix-file.ts');
      inner = await matrixFileSource(settings.MATRIX_FILE);
      break;
    }
    case 'amap': {
      const { amapSource } = await import('./amap.ts');
      const amap = amapSource({
        key: settings.AMAP_KEY ?? '',
        ...(settings.AMAP_URL ? { baseUrl: settings.AMAP_URL } : {}),
        ...(settings.AMAP_QPS ? { qps: settings.AMAP_QPS } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      inner = amap;
      forgetPairs = (point) => amap.cache.forgetPoint(pointKey(point));
      break;
    }
  }
  const memo = memoSource(inner);
  return {
    name,
    source: memo.source,
    forgetPoint: (point) => {
      memo.forgetPoint(point);
      forgetPairs(point);
    },
  };
}

/** Chooses the matrix source: OSRM when a URL is configured, haversine × detour otherwise. */
export async function roadMatrixSource(options: {
  readonly detourFactor?: number;
  readonly osrmUrl?: string;
  readonly osrmMaxTableSize?: number;
}): Promise<RoadMatrixSource> {
  if (options.osrmUrl) {
    const { osrmSource } = await import('./osrm.ts');
    return osrmSource({ baseUrl: options.osrmUrl, maxTableSize: options.osrmMaxTableSize });
  }
  return haversineSource(options.detourFactor ?? 1.3);
}
