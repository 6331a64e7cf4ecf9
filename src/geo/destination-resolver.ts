/**
 * Destination resolution: a station code, township + village names, or WGS84 coordinates →
 * one station. Pure over the loaded network (no I/O), so the intake API and the consolidation
 * worker resolve the same way.
 */
import { booleanPointInPolygon, distance, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { DEFAULT_COUNTY_ID } from '../db/schema.ts';

export interface NetworkTownship {
  readonly code: string;
  readonly county_id?: string;
  readonly name: string;
}
export interface NetworkStation {
  readonly code: string;
  /** The station's county (a resolver over one county may leave it out). */
  readonly county_id?: string;
  readonly name: string;
  readonly township_code: string;
  readonly lat: number;
  readonly lon: number;
}
export interface ResolverNetwork {
  readonly townships: readonly NetworkTownship[];
  readonly stations: readonly NetworkStation[];
  /** County boundary (WGS84); coordinates outside it are rejected. Null = no boundary check. */
  readonly boundary: Feature<Polygon | MultiPolygon> | null;
}

export type DestinationInput =
  | { readonly stationCode: string }
  | { readonly township?: string | undefined; readonly village: string }
  | { readonly lat: number; readonly lon: number };

export interface Candidate {
  readonly stationCode: string;
  readonly name: string;
  readonly township: string;
}

export type Resolution =
  | { readonly ok: true; readonly stationCode: string; readonly countyId: string; readonly method: 'code' | 'name' | 'coordinates'; readonly distanceM?: number }
  | {
      readonly ok: false;
      readonly reason: 'unknown_station' | 'unknown_township' | 'unknown_village' | 'ambiguous' | 'outside_county' | 'too_far';
      readonly message: string;
      readonly candidates?: readonly Candidate[];
    };

export interface ResolverOptions {
  /** A point farther than this from every station is rejected (default 5,000 m). */
  readonly maxSnapM?: number;
}

/**
 * Resolves a destination; `counties` (a key's scope) limits the stations it may resolve to, so a
 * courier of one county never reaches, nor learns the names of, another county's stations.
 * Undefined = every county.
 */
export type DestinationResolver = (destination: DestinationInput, counties?: readonly string[]) => Resolution;

/** Administrative suffixes people add or leave out: 村委会, 居委会, 社区, 村, 镇, 乡, 街道 … */
const SUFFIXES = ['村民委员会', '居民委员会', '村委会', '居委会', '社区', '街道', '村', '镇', '乡'];

/**
 * The forgiving form of a place name: NFKC (full-width → half-width), no spaces or punctuation,
 * and up to two administrative suffixes removed ("小河村委会" → "小河", "北关社区居委会" → "北关").
 */
export function normalisePlaceName(name: string): string {
  let s = name.normalize('NFKC').replace(/[\s·.,，。()（）-]/g, '').toLowerCase();
  // At most two suffixes: "北关社区居委会" → "北关社区" → "北关", so it equals "北关社区" normalised.
  for (let round = 0; round < 2; round++) {
    const suffix = SUFFIXES.find((x) => s.length > x.length && s.endsWith(x));
    if (suffix === undefined) break;
    s = s.slice(0, -suffix.length);
  }
  return s;
}

/**
 * A resolver over several counties: one single-county resolver per county (its townships, stations
 * and boundary), asked in turn for the counties in scope. A station code or a point resolves in
 * the one county that has it (the nearest station when a point is in no boundary); a name must
 * match in exactly one county, else it is ambiguous.
 */
export function createCountyResolver(network: ResolverNetwork & { readonly boundaries?: ReadonlyMap<string, Feature<Polygon | MultiPolygon> | null> }, options: ResolverOptions = {}): DestinationResolver {
  const counties = [...new Set([...network.stations.map((s) => s.county_id ?? DEFAULT_COUNTY_ID), ...network.townships.map((t) => t.county_id ?? DEFAULT_COUNTY_ID)])].sort();
  if (counties.length <= 1) return createDestinationResolver(network, options);
  const per = new Map(counties.map((c) => [c, createDestinationResolver({
    townships: network.townships.filter((t) => (t.county_id ?? DEFAULT_COUNTY_ID) === c),
    stations: network.stations.filter((s) => (s.county_id ?? DEFAULT_COUNTY_ID) === c),
    boundary: network.boundaries?.get(c) ?? null,
  }, options)]));
  return (destination, scope) => {
    const asked = scope === undefined ? counties : counties.filter((c) => scope.includes(c));
    const results = asked.map((c) => per.get(c)!(destination));
    const ok = results.filter((r): r is Extract<Resolution, { ok: true }> => r.ok);
    if (ok.length === 1) return ok[0]!;
    if (ok.length > 1) {
      if (ok[0]!.method === 'coordinates') return ok.reduce((a, b) => ((b.distanceM ?? 0) < (a.distanceM ?? 0) ? b : a));
      return { ok: false, reason: 'ambiguous', message: `the destination matches stations in ${ok.length} counties (${ok.map((r) => r.countyId).join(', ')}); give the station code` };
    }
    if (results.length === 0) return { ok: false, reason: 'unknown_station', message: 'this key may not deliver to any county' };
    // Every county refused: the most telling refusal (a near miss beats "outside the county").
    const order = ['ambiguous', 'too_far', 'unknown_village', 'unknown_township', 'unknown_station', 'outside_county'];
    return [...results].sort((a, b) => order.indexOf((a as { reason: string }).reason) - order.indexOf((b as { reason: string }).reason))[0]!;
  };
}

export function createDestinationResolver(network: ResolverNetwork, options: ResolverOptions = {}): DestinationResolver {
  const maxSnapM = options.maxSnapM ?? 5_000;
  const stationsByCode = new Map(network.stations.map((s) => [s.code, s]));
  const townshipName = new Map(network.townships.map((t) => [t.code, t.name]));
  const candidate = (s: NetworkStation): Candidate => ({
    stationCode: s.code,
    name: s.name,
    township: townshipName.get(s.township_code) ?? s.township_code,
  });
  const stationPoints = network.stations.map((s) => ({ station: s, pt: point([s.lon, s.lat]) }));

  function byName(townshipInput: string | undefined, villageInput: string): Resolution {
    let pool: readonly NetworkStation[] = network.stations;
    if (townshipInput !== undefined) {
      const t = matchOne(network.townships, townshipInput, (x) => x.name);
      if (t.length === 0) {
        return { ok: false, reason: 'unknown_township', message: `no township named "${townshipInput}" in the county` };
      }
      if (t.length > 1) {
        return { ok: false, reason: 'ambiguous', message: `township "${townshipInput}" matches ${t.length} townships` };
      }
      pool = network.stations.filter((s) => s.township_code === t[0]!.code);
    }
    const found = matchOne(pool, villageInput, (s) => s.name);
    if (found.length === 1) return { ok: true, stationCode: found[0]!.code, countyId: countyOf(found[0]!), method: 'name' };
    if (found.length === 0) {
      const where = townshipInput === undefined ? 'in the county' : `in ${townshipInput}`;
      return { ok: false, reason: 'unknown_village', message: `no station for village "${villageInput}" ${where}` };
    }
    return {
      ok: false,
      reason: 'ambiguous',
      message: `village "${villageInput}" matches ${found.length} stations; give the township or the station code`,
      candidates: found.map(candidate),
    };
  }

  function byCoordinates(lat: number, lon: number): Resolution {
    const pt = point([lon, lat]);
    if (network.boundary !== null && !booleanPointInPolygon(pt, network.boundary)) {
      return { ok: false, reason: 'outside_county', message: `(${lat}, ${lon}) is outside the county boundary` };
    }
    let best: NetworkStation | undefined;
    let bestM = Number.POSITIVE_INFINITY;
    for (const { station, pt: sp } of stationPoints) {
      const m = distance(pt, sp, { units: 'meters' });
      if (m < bestM) {
        bestM = m;
        best = station;
      }
    }
    if (best === undefined || bestM > maxSnapM) {
      return {
        ok: false,
        reason: 'too_far',
        message: `(${lat}, ${lon}) is ${Math.round(bestM)} m from the nearest station; the limit is ${maxSnapM} m`,
      };
    }
    return { ok: true, stationCode: best.code, countyId: countyOf(best), method: 'coordinates', distanceM: Math.round(bestM) };
  }

  const countyOf = (s: NetworkStation) => s.county_id ?? DEFAULT_COUNTY_ID;
  const inScope = new Set(network.stations.map(countyOf));
  return (destination, scope) => {
    if (scope !== undefined && ![...inScope].some((c) => scope.includes(c))) {
      return { ok: false, reason: 'unknown_station', message: 'this key may not deliver to this county' };
    }
    if ('stationCode' in destination) {
      const st = stationsByCode.get(destination.stationCode);
      return st
        ? { ok: true, stationCode: destination.stationCode, countyId: countyOf(st), method: 'code' }
        : { ok: false, reason: 'unknown_station', message: `no station with code ${destination.stationCode}` };
    }
    if ('village' in destination) return byName(destination.township, destination.village);
    return byCoordinates(destination.lat, destination.lon);
  };
}

/**
 * Exact name first; then the forgiving form equal; then the forgiving form contained either way
 * ("小河" ⊂ "小河村"). The first tier that finds anything decides, so an exact match is never
 * made ambiguous by looser ones.
 */
function matchOne<T>(items: readonly T[], input: string, nameOf: (x: T) => string): T[] {
  const exact = items.filter((x) => nameOf(x) === input.trim());
  if (exact.length > 0) return exact;
  const wanted = normalisePlaceName(input);
  if (wanted === '') return [];
  const equal = items.filter((x) => normalisePlaceName(nameOf(x)) === wanted);
  if (equal.length > 0) return equal;
  return items.filter((x) => {
    const n = normalisePlaceName(nameOf(x));
    return n.includes(wanted) || (n.length >= 2 && wanted.includes(n));
  });
}
