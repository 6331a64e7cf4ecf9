/**
 * Builds gongpei's Qin County (沁县) network dataset in data/qinxian/ from the compiled facts in
 * ../shared/qinxian (override with QINXIAN_FACTS_DIR). Run with `npm run data:build`; the output
 * is committed, so nothing at run time depends on the facts folder.
 *
 * Deterministic: the same inputs and SEED give byte-identical files.
 *
 * What is real and what is estimated (also written into every output file):
 * - real: county boundary (Amap 2018, GCJ-02 → WGS84 here), township names/codes/kinds, village
 *   names/codes/township links (NBS 2021), 8 township seats and 6 station points (Amap centres).
 * - estimated: 3 township seats (predecessor 乡 centres), township areas (Voronoi partition of the
 *   county around the seats), the county warehouse position, 218 station positions (seeded
 *   best-candidate sampling inside the township's area), station hours, most size weights, the
 *   fleet's numbers where FACTS has no source, and all costs.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { getToolSettings } from '../src/config.ts';
import { seededRandom } from '../src/util/seeded-random.ts';
import { gcj02ToWgs84, round6, wgs84ToGcj02, type LatLon } from '../src/network/gcj02.ts';
import {
  NetworkFileSchema,
  type CourierRecord,
  type HubRecord,
  type NetworkFile,
  type StationRecord,
  type TownshipRecord,
  type VehicleRecord,
  type VehicleType,
} from '../src/network/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FACTS_DIR = resolve(getToolSettings().QINXIAN_FACTS_DIR ?? join(ROOT, '..', 'shared', 'qinxian'));
const OUT_DIR = join(ROOT, 'data', 'qinxian');

const SEED = 20261128;
/** Minimum distance between two estimated stations (and from a known one). */
const MIN_SPACING_M = 1200;
/** Estimated stations stay this far inside their township's area, so "inside" is unambiguous. */
const EDGE_MARGIN_M = 250;
const COUNTY_SEAT_COMMUNITY_SPACING_M = 300;
const CANDIDATES_PER_STATION = 40;

const FACTS = 'FACTS.md (compiled facts, ../shared/qinxian)';
const NBS_2021 = 'github:liyanjie2048/AdministrativeDivisionCn@7487565:json/2021/345/345-1404.json (NBS 2021 division codes)';
const AMAP_2016 = 'github:Vonng/adcode@b755d6e:data/adcode/140430.csv (Amap centre, GCJ-02)';
const BOUNDARY_SOURCE = 'github:Vonng/adcode@b755d6e:data/fences/140430.json (Amap district boundary 2018, GCJ-02)';

// ---------------------------------------------------------------- deterministic randomness

/** A per-key stream, so adding one village does not move every other village. */
function rngFor(key: string): () => number {
  let h = SEED >>> 0;
  for (const ch of key) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return seededRandom(h);
}

// ---------------------------------------------------------------- inputs

type Row = Record<string, string>;
function readCsv(name: string): Row[] {
  return parse(readFileSync(join(FACTS_DIR, name), 'utf8'), { columns: true, skip_empty_lines: true }) as Row[];
}

const townshipRows = readCsv('townships.csv');
const villageRows = readCsv('villages.csv');
const countySeatRow = readCsv('county_seat.csv')[0]!;
const boundarySource = JSON.parse(readFileSync(join(FACTS_DIR, 'county_boundary_140430_gcj02.geojson'), 'utf8')) as FeatureCollection<Polygon>;

const num = (s: string | undefined): number => {
  const n = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(n)) throw new Error(`not a number: ${s}`);
  return n;
};
const wgs = (gcj: LatLon): LatLon => {
  const p = gcj02ToWgs84(gcj);
  return { lat: round6(p.lat), lon: round6(p.lon) };
};
const gcjSource = (gcj: LatLon) => ({ lat: round6(gcj.lat), lon: round6(gcj.lon), origin: 'source' as const });
const gcjComputed = (p: LatLon) => {
  const g = wgs84ToGcj02(p);
  return { lat: round6(g.lat), lon: round6(g.lon), origin: 'computed' as const };
};

// ---------------------------------------------------------------- county boundary (our own GCJ-02 → WGS84)

const ringGcj = boundarySource.features[0]!.geometry.coordinates[0]!;
const ringWgs: Position[] = ringGcj.map(([x, y]) => {
  const p = wgs({ lat: y!, lon: x! });
  return [p.lon, p.lat];
});
const county: Feature<Polygon> = turf.polygon([ringWgs], {
  name: '沁县',
  adcode: '140430',
  datum: 'WGS84',
  source: `${BOUNDARY_SOURCE}; converted to WGS84 by gongpei (iterative inverse of the GCJ-02 formula)`,
});
const countyAreaKm2 = turf.area(county) / 1e6;

// ---------------------------------------------------------------- townships and seats

const ESTIMATED_SEATS = new Set(['140430106', '140430107', '140430108']); // 沁州黄镇, 南里镇, 松村镇 (FACTS §1.1)
const COUNTY_TOWNSHIP = '140430100'; // 定昌镇: the county seat, served straight from the county warehouse
const COUNTY_WAREHOUSE_ID = 'county-warehouse';
const hubIdFor = (townshipCode: string) => (townshipCode === COUNTY_TOWNSHIP ? COUNTY_WAREHOUSE_ID : `centre-${townshipCode}`);

/** The village whose station sits at the township seat (the seat named in townships.csv). */
const SEAT_VILLAGE: Record<string, string> = {
  '140430101': '140430101201', // 郭村村
  '140430102': '140430102201', // 故县村
  '140430103': '140430103201', // 新店村
  '140430104': '140430104207', // 漳源村
  '140430105': '140430105201', // 册村村
  '140430106': '140430106201', // 次村村 (e-town transfer centre, former 次村小学)
  '140430107': '140430107201', // 南里村
  '140430108': '140430108201', // 松村村
  '140430203': '140430203209', // 牛寺村
  '140430206': '140430206201', // 杨安村
};

const seats = townshipRows.map((r) => {
  const gcj = { lat: num(r.lat), lon: num(r.lon) };
  return { code: r.code!, name: r.name!, gcj, wgs: wgs(gcj) };
});

// ---------------------------------------------------------------- township areas: Voronoi of the county around the seats

/**
 * Voronoi in a local equirectangular plane (x = lon·cos φ0), so "nearest seat" means nearest on
 * the ground, not in degrees; cells are mapped back and clipped to the county polygon.
 */
const PHI0 = (36.7 * Math.PI) / 180;
const K = Math.cos(PHI0);
const toPlane = ([x, y]: Position): Position => [x! * K, y!];
const fromPlane = ([x, y]: Position): Position => [round6(x! / K), round6(y!)];
const bboxPlane = (() => {
  const [minX, minY, maxX, maxY] = turf.bbox(county);
  return [minX! * K - 0.5, minY! - 0.5, maxX! * K + 0.5, maxY! + 0.5] as [number, number, number, number];
})();
const voronoi = turf.voronoi(
  turf.featureCollection(seats.map((s) => turf.point(toPlane([s.wgs.lon, s.wgs.lat])))),
  { bbox: bboxPlane },
);
const areas = new Map<string, Feature<Polygon | MultiPolygon>>();
seats.forEach((s, i) => {
  const cell = voronoi.features[i];
  if (!cell) throw new Error(`no Voronoi cell for ${s.name}`);
  const cellWgs = turf.polygon(cell.geometry.coordinates.map((ring) => ring.map(fromPlane)));
  const clipped = turf.intersect(turf.featureCollection([cellWgs, county]));
  if (!clipped) throw new Error(`Voronoi cell of ${s.name} misses the county`);
  const seatPt = turf.point([s.wgs.lon, s.wgs.lat]);
  if (!turf.booleanPointInPolygon(seatPt, clipped)) throw new Error(`seat of ${s.name} outside its own area`);
  // Round coordinates so the file stays small and the build byte-stable.
  areas.set(s.code, turf.truncate(clipped, { precision: 6, coordinates: 2 }));
});

// ---------------------------------------------------------------- station placement

interface Placed {
  code: string;
  p: LatLon;
}
const placed: Placed[] = [];

const metres = (a: LatLon, b: LatLon): number => turf.distance([a.lon, a.lat], [b.lon, b.lat], { units: 'kilometers' }) * 1000;

function nearestPlaced(p: LatLon): number {
  let best = Infinity;
  for (const q of placed) best = Math.min(best, metres(p, q.p));
  return best;
}

function insideWithMargin(area: Feature<Polygon | MultiPolygon>, outline: ReturnType<typeof turf.polygonToLine>, p: LatLon, margin: number): boolean {
  const pt = turf.point([p.lon, p.lat]);
  if (!turf.booleanPointInPolygon(pt, area) || !turf.booleanPointInPolygon(pt, county)) return false;
  const lines = outline.type === 'FeatureCollection' ? outline.features : [outline];
  for (const line of lines) {
    if (turf.pointToLineDistance(pt, line as Feature<LineString>, { units: 'meters' }) < margin) return false;
  }
  return true;
}

/**
 * Best-candidate sampling (Mitchell 1991): draw N uniform candidates inside the township's area
 * and keep the one farthest from every station already placed. Gives an even, natural-looking
 * spread with a guaranteed minimum spacing; fails the build rather than break the spacing.
 */
function placeInArea(code: string, townshipCode: string): LatLon {
  const area = areas.get(townshipCode)!;
  const outline = turf.polygonToLine(area);
  const [minX, minY, maxX, maxY] = turf.bbox(area);
  const random = rngFor(code);
  let best: LatLon | undefined;
  let bestD = -1;
  let drawn = 0;
  for (let tries = 0; drawn < CANDIDATES_PER_STATION && tries < 5000; tries++) {
    const p = { lat: round6(minY! + random() * (maxY! - minY!)), lon: round6(minX! + random() * (maxX! - minX!)) };
    if (!insideWithMargin(area, outline, p, EDGE_MARGIN_M)) continue;
    drawn++;
    const d = nearestPlaced(p);
    if (d > bestD) {
      bestD = d;
      best = p;
    }
  }
  if (!best || bestD < MIN_SPACING_M) throw new Error(`cannot place ${code} with ${MIN_SPACING_M} m spacing (best ${Math.round(bestD)} m)`);
  return best;
}

/** A point `distM` from `from` at `bearingDeg` (geodesic), rounded to 6 decimals. */
function offset(from: LatLon, distM: number, bearingDeg: number): LatLon {
  const d = turf.destination([from.lon, from.lat], distM / 1000, bearingDeg, { units: 'kilometers' });
  const [lon, lat] = d.geometry.coordinates;
  return { lat: round6(lat!), lon: round6(lon!) };
}

// ---------------------------------------------------------------- tier 1: the county warehouse

const dingchangSeat = seats.find((s) => s.code === COUNTY_TOWNSHIP)!;
/**
 * ESTIMATE: the plan puts the county warehouse at 小河村, "east of the 定昌镇 government on S322";
 * FACTS §4 suggests S322/南沁线 is the E–W road through the county seat. We put it 3.0 km due
 * east of the 定昌镇 seat, on that corridor, just outside the built-up area.
 */
const warehouseWgs = offset(dingchangSeat.wgs, 3000, 90);

// ---------------------------------------------------------------- stations

const villages = villageRows.filter((r) => r.township_code !== '140430400'); // drop the virtual 示范区 unit
const countySeat = { gcj: { lat: num(countySeatRow.lat), lon: num(countySeatRow.lon) } };
const countySeatWgs = wgs(countySeat.gcj);

/**
 * County-seat communities without a source point: placed by their names, relative to the county
 * seat centre (ESTIMATE). 南关 "south gate" 1.0 km south; 西湖 "west lake" 1.3 km west-south-west,
 * towards the lakes the 环湖旅游公路 circles (FACTS §4).
 */
const COMMUNITY_ESTIMATES: Record<string, { distM: number; bearing: number; why: string }> = {
  '140430100002': { distM: 1000, bearing: 180, why: 'ESTIMATE: 南关 ("south gate") placed 1.0 km south of the county-seat centre' },
  '140430100006': { distM: 1300, bearing: 250, why: 'ESTIMATE: 西湖 ("west lake") placed 1.3 km WSW of the county-seat centre' },
};

/**
 * Village sizes (FACTS §2, §5.5). Weight 1 = an average village (~90k rural residents / 218 ≈ 410
 * people). Known populations become population / 410.
 */
const AVERAGE_VILLAGE_PEOPLE = 410;
const KNOWN_POPULATION: Record<string, { people: number; source: string }> = {
  '140430101201': { people: 1780, source: '郭村 1,780 people — http://jjgjrc.com/shanxisheng/qinxian_guocunzhen.html (FACTS §2)' },
  '140430101202': { people: 1777, source: '开村 1,777 people — http://jjgjrc.com/shanxisheng/qinxian_guocunzhen.html (FACTS §2)' },
  '140430103221': { people: 606, source: '古城村 606 people — http://sandpitts.com/shanxisheng/qinxian_xindianzhen_guchengcun.html (FACTS §2)' },
  '140430104221': { people: 510, source: '向阳村 510 people — http://jjgjrc.com/shanxisheng/qinxian_zhangyuanzhen_xiangyangcun.html (FACTS §2)' },
};
const SEAT_VILLAGE_WEIGHT = 2;
/** ≈48k county-seat residents (138.6k total − ~90k rural, FACTS §1.3/§5.5) over 6 communities ≈ 8k each. */
const COMMUNITY_WEIGHT = 20;

function sizeOf(code: string, kind: 'village' | 'community', isSeatVillage: boolean): { weight: number; source: string } {
  const known = KNOWN_POPULATION[code];
  if (known) return { weight: Math.round((known.people / AVERAGE_VILLAGE_PEOPLE) * 100) / 100, source: `${known.source}; weight = people / ${AVERAGE_VILLAGE_PEOPLE}` };
  if (kind === 'community') {
    return { weight: COMMUNITY_WEIGHT, source: 'ESTIMATE: ≈48k county-seat residents / 6 communities ≈ 8k ≈ 20 average villages (FACTS §1.3, §5.5)' };
  }
  if (isSeatVillage) return { weight: SEAT_VILLAGE_WEIGHT, source: 'ESTIMATE: township seat villages are larger (郭村 seat: 1,780 people ≈ 4.3); 2 assumed' };
  return { weight: 1, source: 'ESTIMATE: no size found; an average village (FACTS §5.5: ≈410 people, ≈25 parcels/day)' };
}

const HOURS_SOURCE = 'ESTIMATE: village station hours not found; 08:00–19:00 (FACTS §5.5)';
const stations: StationRecord[] = [];

function addStation(r: Row, p: LatLon, gcj02: StationRecord['gcj02'], coordQuality: 'known' | 'estimated', coordSource: string): void {
  const kind = r.kind!.startsWith('community') ? 'community' : 'village';
  const size = sizeOf(r.code!, kind, Object.values(SEAT_VILLAGE).includes(r.code!));
  stations.push({
    code: r.code!,
    name: r.village_name!,
    officialName: r.official_name!,
    kind,
    townshipCode: r.township_code!,
    hubId: hubIdFor(r.township_code!),
    lat: p.lat,
    lon: p.lon,
    gcj02,
    coordQuality,
    coordSource,
    opens: '08:00',
    closes: '19:00',
    hoursSource: HOURS_SOURCE,
    sizeWeight: size.weight,
    sizeSource: size.source,
    predecessor2016: r.predecessor_2016 ?? '',
  });
  placed.push({ code: r.code!, p });
}

// 1. Known points first: everything else keeps its distance from them.
for (const r of villages.filter((v) => v.lat !== '')) {
  const gcj = { lat: num(r.lat), lon: num(r.lon) };
  addStation(r, wgs(gcj), gcjSource(gcj), 'known', `${AMAP_2016} (NBS 2016 point; same code and name in 2021)`);
}
// 2. Landmarks tied to hubs: seat villages next to their seat, 小河村 next to the warehouse.
for (const [townshipCode, code] of Object.entries(SEAT_VILLAGE)) {
  const r = villages.find((v) => v.code === code)!;
  const seat = seats.find((s) => s.code === townshipCode)!;
  const p = offset(seat.wgs, 400, rngFor(code)() * 360);
  addStation(r, p, gcjComputed(p), 'estimated', `ESTIMATE: seat village of ${seat.name}, placed 400 m from the township seat at a seeded bearing`);
}
{
  const r = villages.find((v) => v.code === '140430100218')!; // 小河村
  const p = offset(warehouseWgs, 400, 20);
  addStation(r, p, gcjComputed(p), 'estimated', 'ESTIMATE: 小河村, the county warehouse site; placed 400 m NNE of the estimated warehouse');
}
for (const [code, e] of Object.entries(COMMUNITY_ESTIMATES)) {
  const r = villages.find((v) => v.code === code)!;
  const p = offset(countySeatWgs, e.distM, e.bearing);
  if (nearestPlaced(p) < COUNTY_SEAT_COMMUNITY_SPACING_M) throw new Error(`${r.village_name} too close to another community`);
  addStation(r, p, gcjComputed(p), 'estimated', e.why);
}
// 3. Every other village: best-candidate inside its township's area, in code order.
for (const r of [...villages].sort((a, b) => a.code!.localeCompare(b.code!))) {
  if (stations.some((s) => s.code === r.code)) continue;
  const p = placeInArea(r.code!, r.township_code!);
  addStation(r, p, gcjComputed(p), 'estimated', `ESTIMATE: village coordinates not public (FACTS §2); placed inside the township's Voronoi area by seeded best-candidate sampling (seed ${SEED}, ≥ ${MIN_SPACING_M} m spacing)`);
}
stations.sort((a, b) => a.code.localeCompare(b.code));

// ---------------------------------------------------------------- townships and hubs

const townships: TownshipRecord[] = townshipRows.map((r) => {
  const seat = seats.find((s) => s.code === r.code)!;
  const estimated = ESTIMATED_SEATS.has(r.code!);
  return {
    code: r.code!,
    name: r.name!,
    kind: r.type as '镇' | '乡',
    seat: {
      name: r.seat!,
      lat: seat.wgs.lat,
      lon: seat.wgs.lon,
      gcj02: gcjSource(seat.gcj),
      quality: estimated ? 'estimated' : 'known',
      source: estimated
        ? `ESTIMATE: 2016 centre of the predecessor 乡 (${r.coord_note}); ${AMAP_2016}`
        : `${AMAP_2016} (town centre = government seat)`,
    },
    hubId: hubIdFor(r.code!),
    villageCount: num(r.n_village_committees_2021),
    communityCount: num(r.n_communities_2021),
    areaKm2: Math.round((turf.area(areas.get(r.code!)!) / 1e6) * 10) / 10,
    formedFrom: r.formed_from!,
  };
});

const hubs: HubRecord[] = [
  {
    id: COUNTY_WAREHOUSE_ID,
    kind: 'county_warehouse',
    tier: 1,
    name: '沁县县级共配中心 (小河村)',
    townshipCode: COUNTY_TOWNSHIP,
    lat: warehouseWgs.lat,
    lon: warehouseWgs.lon,
    gcj02: gcjComputed(warehouseWgs),
    coordQuality: 'estimated',
    source: 'Plan: county warehouse at 小河村 (定昌镇 140430100218), east of the town government on S322. ESTIMATE: 3.0 km due east of the 定昌镇 seat (FACTS §1.1, §4)',
  },
  ...townships
    .filter((t) => t.code !== COUNTY_TOWNSHIP)
    .map((t): HubRecord => ({
      id: t.hubId,
      kind: 'township_centre',
      tier: 2,
      name: t.code === '140430106' ? '沁州黄镇电商物流中转中心 (次村, 原次村小学)' : `${t.name}共配站`,
      townshipCode: t.code,
      lat: t.seat.lat,
      lon: t.seat.lon,
      gcj02: t.seat.gcj02,
      coordQuality: t.seat.quality,
      source:
        t.code === '140430106'
          ? `Plan: the 沁州黄 e-town transfer centre at 次村 (former 次村小学); placed at the estimated seat. ${t.seat.source}`
          : `Township centre placed at the township seat. ${t.seat.source}`,
    })),
];

// ---------------------------------------------------------------- fleet

const vehicleTypes: VehicleType[] = [
  {
    type: 'line_haul_truck', label: '4.2 m box light truck (蓝牌)', capacityKg: 1500, capacityM3: 14, rangeKm: null, speedKmh: 50,
    coldChain: false, maxTrips: 1, fixedCostFen: 35000, costPerKmFen: 150, costPerHourFen: 3500,
    sources: {
      capacity: 'box ≈ 4.2 × 1.8 × 1.85 m ≈ 14 m³, payload 1.5–2 t, 1,500 kg taken as conservative default — http://www.jmlpay.cn/post/73ecg7po.html (low authority), FACTS §5.4',
      rangeKm: 'ESTIMATE: diesel; no practical limit within a day',
      speedKmh: 'ESTIMATE: 50 km/h average on county and provincial roads',
      maxTrips: 'ESTIMATE: one loop county → township centres → county per day (一日一配, FACTS §5.5)',
      costs: 'ESTIMATE: fixed 350 yuan/day (driver day + depreciation), 1.50 yuan/km (diesel ≈ 10 L/100 km + wear), 35 yuan/h',
    },
  },
  {
    type: 'van', label: 'minivan (五菱/金杯-type)', capacityKg: 800, capacityM3: 5, rangeKm: null, speedKmh: 40,
    coldChain: false, maxTrips: 2, fixedCostFen: 15000, costPerKmFen: 80, costPerHourFen: 2500,
    sources: {
      capacity: 'ESTIMATE: minivan specs NOT FOUND; FACTS §5.4 range 500–800 kg / 3–5 m³, upper end taken',
      rangeKm: 'ESTIMATE: petrol; no practical limit within a day',
      speedKmh: 'ESTIMATE: 40 km/h on village roads',
      maxTrips: 'ESTIMATE: may return to reload once',
      costs: 'ESTIMATE: fixed 150 yuan/day, 0.80 yuan/km, 25 yuan/h',
    },
  },
  {
    type: 'cold_chain_van', label: 'refrigerated minivan', capacityKg: 600, capacityM3: 4, rangeKm: null, speedKmh: 40,
    coldChain: true, maxTrips: 1, fixedCostFen: 25000, costPerKmFen: 120, costPerHourFen: 2800,
    sources: {
      capacity: 'ESTIMATE: a minivan with a refrigerated box loses some payload and volume to insulation and the unit',
      coldChain: 'Cold chain for eggs/meat/fresh produce (FACTS §5.6); Qin County cold-chain assets NOT FOUND — ESTIMATE: three vans at the county warehouse',
      speedKmh: 'ESTIMATE: 40 km/h',
      costs: 'ESTIMATE: fixed 250 yuan/day, 1.20 yuan/km (refrigeration), 28 yuan/h',
    },
  },
  {
    type: 'e_tricycle', label: 'electric express tricycle', capacityKg: 300, capacityM3: 1.5, rangeKm: 60, speedKmh: 25,
    coldChain: false, maxTrips: 3, fixedCostFen: 5000, costPerKmFen: 10, costPerHourFen: 2000,
    sources: {
      capacity: 'ESTIMATE: payload NOT FOUND, 300 kg assumed (200–500), 1.5 m³ box (FACTS §5.4)',
      rangeKm: '50–100 km per charge — 21xqjy.com and m.sboyo.com (low authority), FACTS §5.4; 60 km taken',
      speedKmh: 'ESTIMATE: 25 km/h',
      maxTrips: 'ESTIMATE: reloads at the township centre (multi-trip)',
      costs: 'ESTIMATE: fixed 50 yuan/day, 0.10 yuan/km (electricity), 20 yuan/h',
    },
  },
];

/** More tricycles where a township has many villages; the county seat gets its own small fleet. */
const vehicles: VehicleRecord[] = [
  { id: 'line-haul-1', type: 'line_haul_truck', hubId: COUNTY_WAREHOUSE_ID, name: '4.2 m line-haul truck 1' },
  { id: 'line-haul-2', type: 'line_haul_truck', hubId: COUNTY_WAREHOUSE_ID, name: '4.2 m line-haul truck 2' },
  { id: 'county-van-1', type: 'van', hubId: COUNTY_WAREHOUSE_ID, name: '定昌镇 van 1' },
  { id: 'county-van-2', type: 'van', hubId: COUNTY_WAREHOUSE_ID, name: '定昌镇 van 2' },
  // Three refrigerated vans, one per direction out of the county seat (north, south-west, south-east):
  // ≈ 3 % cold-chain items spread over 224 stations are more than one van can reach in a day.
  { id: 'county-cold-1', type: 'cold_chain_van', hubId: COUNTY_WAREHOUSE_ID, name: 'cold-chain van 1' },
  { id: 'county-cold-2', type: 'cold_chain_van', hubId: COUNTY_WAREHOUSE_ID, name: 'cold-chain van 2' },
  { id: 'county-cold-3', type: 'cold_chain_van', hubId: COUNTY_WAREHOUSE_ID, name: 'cold-chain van 3' },
  { id: 'county-trike-1', type: 'e_tricycle', hubId: COUNTY_WAREHOUSE_ID, name: '定昌镇 e-tricycle 1 (county-seat communities)' },
  { id: 'county-trike-2', type: 'e_tricycle', hubId: COUNTY_WAREHOUSE_ID, name: '定昌镇 e-tricycle 2 (county-seat communities)' },
];
for (const t of townships.filter((x) => x.code !== COUNTY_TOWNSHIP)) {
  vehicles.push({ id: `${t.hubId}-van-1`, type: 'van', hubId: t.hubId, name: `${t.name} van` });
  const trikes = t.villageCount >= 20 ? 2 : 1;
  for (let i = 1; i <= trikes; i++) vehicles.push({ id: `${t.hubId}-trike-${i}`, type: 'e_tricycle', hubId: t.hubId, name: `${t.name} e-tricycle ${i}` });
}

// ---------------------------------------------------------------- couriers

const COURIER_SOURCE = 'https://developers.weixin.qq.com/miniprogram/dev/platform-capabilities/industry/express-old/expressinfo.html (FACTS §5.3)';
const couriers: CourierRecord[] = [
  { code: 'ZTO', name: '中通快递', network: 'franchise', source: COURIER_SOURCE },
  { code: 'YTO', name: '圆通速递', network: 'franchise', source: COURIER_SOURCE },
  { code: 'STO', name: '申通快递', network: 'franchise', source: COURIER_SOURCE },
  { code: 'YUNDA', name: '韵达快递', network: 'franchise', source: COURIER_SOURCE },
  { code: 'JT', name: '极兔速递 (含原百世)', network: 'franchise', source: `${COURIER_SOURCE}; 百世 China express sold to 极兔 2021 (FACTS §5.3)` },
  { code: 'EMS', name: '中国邮政 EMS', network: 'direct', source: COURIER_SOURCE },
  { code: 'SF', name: '顺丰速运', network: 'direct', source: COURIER_SOURCE },
  { code: 'JD', name: '京东物流', network: 'direct', source: COURIER_SOURCE },
  { code: 'DEPPON', name: '德邦快递', network: 'direct', source: COURIER_SOURCE },
];

// ---------------------------------------------------------------- checks and output

const network: NetworkFile = NetworkFileSchema.parse({
  name: '沁县 Qin County, Changzhi, Shanxi',
  adcode: '140430',
  datum: 'WGS84',
  generatedBy: 'scripts/build-qinxian-data.ts (npm run data:build)',
  seed: SEED,
  minSpacingM: MIN_SPACING_M,
  sources: [
    `${NBS_2021} — township and village names, codes, links`,
    'github:modood/Administrative-divisions-of-China@57a0aa9:dist/streets.csv — township list unchanged in NBS 2022/2023',
    `${AMAP_2016} — township seats, county seat, 6 station points`,
    BOUNDARY_SOURCE,
    `${FACTS} — compiled facts, derivations and estimates`,
  ],
  estimates: [
    'Township areas: Voronoi partition of the county polygon around the 11 seats (ground distance), NOT official boundaries.',
    'Seats of 沁州黄镇, 南里镇, 松村镇: 2016 centres of the predecessor 乡.',
    'County warehouse: 3.0 km east of the 定昌镇 seat on the S322 corridor (the plan says 小河村, east of the town government on S322).',
    `218 of 224 station coordinates: seeded (seed ${SEED}) best-candidate sampling inside the township area, ≥ ${MIN_SPACING_M} m apart and ≥ ${EDGE_MARGIN_M} m inside the area; seat villages 400 m from their seat; 2 communities by name.`,
    'GCJ-02 values with origin "computed" are the forward GCJ-02 formula applied to our estimated WGS84 point.',
    'Station hours 08:00–19:00; size weights except 4 villages with a known population; fleet numbers where no source is given; all costs.',
  ],
  county: {
    name: '沁县',
    seat: { ...countySeatWgs, gcj02: gcjSource(countySeat.gcj), source: `${AMAP_2016} row 140430000000 (县人民政府)` },
    areaKm2: Math.round(countyAreaKm2 * 10) / 10,
  },
  townships,
  hubs,
  stations,
  vehicleTypes,
  vehicles,
  couriers,
});

// Invariants the tests also check; failing here keeps a bad dataset from ever being written.
for (const s of network.stations) {
  const pt = turf.point([s.lon, s.lat]);
  if (!turf.booleanPointInPolygon(pt, county)) throw new Error(`${s.name} ${s.code} outside the county`);
  if (!turf.booleanPointInPolygon(pt, areas.get(s.townshipCode)!)) throw new Error(`${s.name} ${s.code} outside ${s.townshipCode}'s area`);
}
if (network.stations.length !== 224) throw new Error(`expected 224 stations, got ${network.stations.length}`);

const areasFile: FeatureCollection<Polygon | MultiPolygon> = turf.featureCollection(
  townships.map((t) => {
    const f = areas.get(t.code)!;
    return { type: 'Feature' as const, properties: { code: t.code, name: t.name, hubId: t.hubId, areaKm2: t.areaKm2, estimated: true }, geometry: f.geometry };
  }),
);
const areasWithMeta = {
  ...areasFile,
  properties: undefined,
  name: 'township areas (ESTIMATE)',
  note: 'ESTIMATE: township boundaries are not public (FACTS §3); each area is the Voronoi cell of its seat (ground distance) clipped to the county boundary.',
};
const boundaryFile = { ...turf.featureCollection([county]), name: 'county boundary', note: county.properties!.source };

mkdirSync(OUT_DIR, { recursive: true });
const write = (name: string, value: unknown) => writeFileSync(join(OUT_DIR, name), `${JSON.stringify(value, null, 1)}\n`);
write('network.json', network);
write('township-areas.geojson', areasWithMeta);
write('county-boundary.geojson', boundaryFile);

const byTownship = townships.map((t) => `${t.name} ${network.stations.filter((s) => s.townshipCode === t.code).length}`).join(', ');
process.stdout.write(
  `data/qinxian: ${townships.length} townships, ${hubs.length} hubs, ${network.stations.length} stations ` +
    `(${network.stations.filter((s) => s.coordQuality === 'known').length} known), ${vehicles.length} vehicles, ${couriers.length} couriers\n` +
    `stations per township: ${byTownship}\n` +
    `county area ${countyAreaKm2.toFixed(1)} km²; township areas ${townships.map((t) => `${t.name} ${t.areaKm2}`).join(', ')}\n`,
);
