/**
 * Synthetic counties in the network model (issue 15): for tests, demos and province-scale
 * benchmarks of many counties in one deployment. Seeded: the same options give the same county.
 *
 * A county's shape (townships, villages per township, population) is drawn from the spread of
 * Shanxi's counties (SHANXI_COUNTY_SPREAD) unless the caller fixes it. Its geography is a few
 * valleys radiating from the county seat, each a meandering polyline; township seats sit along
 * the valleys and their villages cluster near the valley floor, as loess-plateau and mountain
 * villages do, rather than spread uniformly. The county warehouse is at the seat, one township
 * centre per other township, and the fleet grows with the county's size. Every position is
 * `estimated` and the county says it is synthetic in its name.
 */
import { seededRandom } from '../util/seeded-random.ts';
import type { CourierImport, NetworkImport, VehicleImport } from './files.ts';

/**
 * The spread of Shanxi's county-level divisions, as fixed parameters (ESTIMATE: fitted by hand to
 * the round totals below, not to a per-county table).
 * - 117 county-level divisions; ≈ 1,200 township-level divisions (towns, townships, sub-districts);
 *   ≈ 19,000 administrative villages after the 2019–2021 village mergers — 山西省统计年鉴 and the
 *   provincial 民政厅 division lists (round figures). Hence ≈ 10 townships a county and ≈ 16
 *   villages a township, with mountain counties at 5–7 townships and plains counties near 20.
 * - Resident population 34.9 million (2020 census, 山西省第七次全国人口普查公报), ≈ 300k a
 *   county including the cities' districts; rural counties, the ones co-delivery serves, are
 *   smaller: 45k (永和县, 石楼县) to ≈ 400k, Qin County 138.6k (FACTS.md §2).
 * - Qin County: 11 townships, 218 villages and 6 county-seat communities; ≈ 44 % of its parcels go
 *   to the seat (FACTS.md §5.5).
 * Population is log-normal with median 130k so that the province's mean county, ≈ 147k people,
 * gets ≈ 12,000 parcels a day as Qin County's demo day does: 117 counties ≈ 1.4 million parcels.
 */
export const SHANXI_COUNTY_SPREAD = {
  counties: 117,
  townships: { median: 10, sigma: 0.35, min: 5, max: 20 },
  villagesPerTownship: { median: 16, sigma: 0.45, min: 5, max: 40 },
  population: { median: 130_000, sigma: 0.5, min: 45_000, max: 420_000 },
  /** Share of residents in the county seat's communities (Qin County ≈ 0.44 of parcels). */
  seatShare: { min: 0.35, max: 0.5 },
} as const;

/** People per unit of station `size_weight` (docs/network-format.md: 1 ≈ an average village, ≈ 410 people). */
export const RESIDENTS_PER_WEIGHT = 410;
/** Parcels a day per unit of `size_weight`: Qin County's demo day, 12,000 parcels over Σ weight 354. */
export const PARCELS_PER_WEIGHT = 12_000 / 354.39;

/** The national courier companies (shared by every county of a deployment; examples/networks/qinxian). */
export const COURIERS: readonly CourierImport[] = [
  { code: 'DEPPON', name: '德邦快递' },
  { code: 'EMS', name: '中国邮政 EMS' },
  { code: 'JD', name: '京东物流' },
  { code: 'JT', name: '极兔速递 (含原百世)' },
  { code: 'SF', name: '顺丰速运' },
  { code: 'STO', name: '申通快递' },
  { code: 'YTO', name: '圆通速递' },
  { code: 'YUNDA', name: '韵达快递' },
  { code: 'ZTO', name: '中通快递' },
];

export interface SyntheticCountyOptions {
  /** 6-digit county code; pick one no real county has in the deployment (e.g. 1499xx). */
  readonly code: string;
  readonly name?: string;
  readonly seed?: number;
  /** Township seat of the county (WGS84). */
  readonly seat?: { readonly lat: number; readonly lon: number };
  /** Fixed township count (default: drawn from SHANXI_COUNTY_SPREAD). */
  readonly townships?: number;
  /**
   * Fixed villages per township and no county-seat communities (default: drawn per township from
   * SHANXI_COUNTY_SPREAD, plus communities at the seat).
   */
  readonly villagesPerTownship?: number;
  /** Residents (default: drawn from SHANXI_COUNTY_SPREAD); sets the stations' size weights. */
  readonly population?: number;
  /** Direction of the first valley, degrees clockwise from north (default 35). */
  readonly bearingDeg?: number;
  /** Include the national couriers (default true: a county imported alone can take parcels). */
  readonly couriers?: boolean;
}

const KM_LAT = 1 / 111.32;

const SPECS: Record<string, Omit<VehicleImport, 'id' | 'hub_id' | 'name' | 'type'>> = {
  line_haul_truck: { capacity_g: 1_500_000, capacity_cm3: 14_000_000, range_m: null, cold_chain: 0, max_trips: 1, speed_kmh: 50, fixed_cost_fen: 35_000, cost_per_km_fen: 150, cost_per_hour_fen: 3_500 },
  van: { capacity_g: 800_000, capacity_cm3: 5_000_000, range_m: null, cold_chain: 0, max_trips: 2, speed_kmh: 40, fixed_cost_fen: 15_000, cost_per_km_fen: 80, cost_per_hour_fen: 2_500 },
  cold_chain_van: { capacity_g: 600_000, capacity_cm3: 4_000_000, range_m: null, cold_chain: 1, max_trips: 1, speed_kmh: 40, fixed_cost_fen: 25_000, cost_per_km_fen: 120, cost_per_hour_fen: 3_000 },
  e_tricycle: { capacity_g: 300_000, capacity_cm3: 1_500_000, range_m: 60_000, cold_chain: 0, max_trips: 3, speed_kmh: 25, fixed_cost_fen: 5_000, cost_per_km_fen: 10, cost_per_hour_fen: 2_000 },
};

/** The shape of a county drawn from the spread: what `syntheticCounty` builds when not told. */
export interface CountyShape {
  readonly villagesByTownship: readonly number[];
  readonly population: number;
  readonly seatShare: number;
}

export function drawCountyShape(seed: number): CountyShape {
  const rnd = seededRandom(seed ^ 0x5a17);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const logNormal = (p: { median: number; sigma: number; min: number; max: number }) => Math.min(p.max, Math.max(p.min, p.median * Math.exp(p.sigma * gauss())));
  const s = SHANXI_COUNTY_SPREAD;
  const townships = Math.round(logNormal(s.townships));
  const villagesByTownship = Array.from({ length: townships }, () => Math.round(logNormal(s.villagesPerTownship)));
  return {
    villagesByTownship,
    population: Math.round(logNormal(s.population) / 100) * 100,
    seatShare: Math.round((s.seatShare.min + rnd() * (s.seatShare.max - s.seatShare.min)) * 100) / 100,
  };
}

/** Parcels a day a county's stations receive, from their size weights (Qin County's rate). */
export function dailyParcels(stations: readonly { readonly size_weight: number }[]): number {
  return Math.round(stations.reduce((a, s) => a + s.size_weight, 0) * PARCELS_PER_WEIGHT);
}

export function syntheticCounty(o: SyntheticCountyOptions): NetworkImport {
  if (!/^\d{6}$/.test(o.code)) throw new Error(`synthetic county code must be 6 digits, got ${o.code}`);
  const seed = o.seed ?? 1;
  const rnd = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const drawn = drawCountyShape(seed);
  const nTownships = o.townships ?? drawn.villagesByTownship.length;
  const fixedVillages = o.villagesPerTownship;
  const villagesByTownship = Array.from({ length: nTownships }, (_, t) => fixedVillages ?? drawn.villagesByTownship[t % drawn.villagesByTownship.length]!);
  const population = o.population ?? drawn.population;
  // Fixed villages (the small counties of tests) keep exactly the stations asked for: no communities.
  const communities = fixedVillages === undefined ? Math.max(2, Math.round(population / 25_000)) : 0;
  const seatShare = communities > 0 ? drawn.seatShare : 0;
  const seat = o.seat ?? { lat: 37.2, lon: 112.2 };
  const kmLon = KM_LAT / Math.cos((seat.lat * Math.PI) / 180);
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

  // Valleys radiate from the seat: 2–5 of them, spread round the compass, each a polyline of
  // 2 km steps that turns a little at every step (a meander). Townships are dealt to the valleys
  // in turn and sit 6–10 km apart along them.
  const nValleys = Math.min(nTownships - 1, 2 + Math.floor(rnd() * 4)) || 1;
  const first = ((o.bearingDeg ?? 35) * Math.PI) / 180;
  const townsOnValley = (v: number) => Math.ceil((nTownships - 1 - v) / nValleys);
  const valleys = Array.from({ length: nValleys }, (_, v) => {
    let bearing = first + (2 * Math.PI * v) / nValleys + (rnd() - 0.5) * 0.6;
    const pts = [{ x: 0, y: 0 }];
    const steps = Math.ceil((townsOnValley(v) * 10 + 8) / 2);
    for (let i = 0; i < steps; i++) {
      bearing += (rnd() - 0.5) * 0.5;
      const p = pts[pts.length - 1]!;
      pts.push({ x: p.x + 2 * Math.sin(bearing), y: p.y + 2 * Math.cos(bearing) });
    }
    return pts;
  });
  /** The point `along` km down valley `v`, and its bearing there; east `x`, north `y` in km. */
  const onValley = (v: number, along: number) => {
    const pts = valleys[v]!;
    const i = Math.max(0, Math.min(pts.length - 2, Math.floor(along / 2)));
    const f = Math.max(0, Math.min(1, along / 2 - i));
    const a = pts[i]!;
    const b = pts[i + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    return { x: a.x + f * dx, y: a.y + f * dy, nx: dy / 2, ny: -dx / 2 };
  };
  /** A point `across` km off valley `v`'s floor (perpendicular), `along` km down it. */
  const at = (v: number, along: number, across: number) => {
    const p = onValley(v, along);
    return { lat: round6(seat.lat + (p.y + across * p.ny) * KM_LAT), lon: round6(seat.lon + (p.x + across * p.nx) * kmLon) };
  };

  const warehouseId = `${o.code}-warehouse`;
  const townships: NetworkImport['townships'][number][] = [];
  const hubs: NetworkImport['hubs'][number][] = [];
  const stations: NetworkImport['stations'][number][] = [];
  const vehicles: VehicleImport[] = [];
  const vehicle = (id: string, type: string, hub: string, name: string) => vehicles.push({ id, type, hub_id: hub, name, ...SPECS[type]! });

  // Village sizes vary (a few large villages, many small); they share the residents outside the seat.
  const villageSizes = villagesByTownship.map((n) => Array.from({ length: n }, () => 0.5 + rnd() * 1.5));
  const sizeTotal = villageSizes.flat().reduce((a, b) => a + b, 0);
  const ruralWeight = fixedVillages === undefined ? (population * (1 - seatShare)) / RESIDENTS_PER_WEIGHT : sizeTotal;
  const weightOf = (size: number) => Math.max(0.05, Math.round(((size * ruralWeight) / sizeTotal) * 100) / 100);
  const hubWeight = new Map<string, number>();

  const valleyRun = new Array<number>(nValleys).fill(0);
  for (let t = 0; t < nTownships; t++) {
    const code = `${o.code}${String(100 + t).padStart(3, '0')}`;
    const v = t === 0 ? 0 : (t - 1) % nValleys;
    const along = t === 0 ? 0 : (valleyRun[v]! += 6 + rnd() * 4);
    const townSeat = t === 0 ? { lat: seat.lat, lon: seat.lon } : at(v, along, 0);
    const hubId = t === 0 ? warehouseId : `${o.code}-centre-${code}`;
    const label = t === 0 ? '城关' : `第${t}`;
    townships.push({ code, name: `${label}镇`, kind: '镇', hub_id: hubId, seat_lat: townSeat.lat, seat_lon: townSeat.lon });
    if (t === 0) {
      // The county warehouse 2 km down the first valley from the seat, as a logistics park would be.
      const w = at(0, 2, 0);
      hubs.push({ id: warehouseId, kind: 'county_warehouse', name: `${o.name ?? o.code} 县级共配中心`, township_code: code, lat: w.lat, lon: w.lon, coord_quality: 'estimated' });
    } else {
      hubs.push({ id: hubId, kind: 'township_centre', name: `第${t}镇共配站`, township_code: code, lat: townSeat.lat, lon: townSeat.lon, coord_quality: 'estimated' });
    }
    const station = (n: number, name: string, kind: 'village' | 'community', p: { lat: number; lon: number }, weight: number) => {
      stations.push({
        code: `${code}${String(n).padStart(3, '0')}`, name, kind, township_code: code, hub_id: hubId, lat: p.lat, lon: p.lon,
        coord_quality: 'estimated', opens_s: 8 * 3600, closes_s: 19 * 3600, size_weight: weight, keeper_name: null, keeper_phone: null,
      });
      hubWeight.set(hubId, (hubWeight.get(hubId) ?? 0) + weight);
    };
    if (t === 0) {
      // The seat's communities: within 1.5 km of the seat, sharing its residents.
      for (let c = 0; c < communities; c++) {
        const w = Math.round(((population * seatShare) / RESIDENTS_PER_WEIGHT / communities) * 100) / 100;
        station(1 + c, `城关${c + 1}社区`, 'community', at(0, (rnd() - 0.5) * 3, gauss() * 0.7), w);
      }
    }
    for (const [i, size] of villageSizes[t]!.entries()) {
      // Within ±(2 + n/4) km along the valley of the township seat, most within 1.2 km of its
      // floor; the seat township's villages also up the side valleys' first kilometres.
      const spread = 2 + villageSizes[t]!.length / 4;
      const vv = t === 0 ? Math.floor(rnd() * nValleys) : v;
      const a = Math.max(0, (t === 0 ? 3 : along) + (rnd() - 0.5) * 2 * spread);
      station(200 + i, `${label}${i + 1}村`, 'village', at(vv, a, gauss() * 1.2), weightOf(size));
    }
    // The fleet grows with the hub's demand: ≈ 34 parcels a day per unit of weight, ≈ 0.75 kg each.
    const w = hubWeight.get(hubId) ?? 0;
    if (t === 0) {
      const total = ruralWeight + (population * seatShare) / RESIDENTS_PER_WEIGHT;
      for (let i = 1; i <= Math.max(2, Math.round((2 * total) / 354)); i++) vehicle(`${o.code}-line-haul-${i}`, 'line_haul_truck', warehouseId, `line-haul truck ${i}`);
      for (let i = 1; i <= Math.max(1, Math.round((3 * total) / 354)); i++) vehicle(`${o.code}-cold-${i}`, 'cold_chain_van', warehouseId, `cold-chain van ${i}`);
      for (let i = 1; i <= Math.max(1, Math.round(w / 60)); i++) vehicle(`${o.code}-van-${i}`, 'van', warehouseId, `seat van ${i}`);
      for (let i = 1; i <= Math.max(1, Math.round(w / 40)); i++) vehicle(`${o.code}-trike-${i}`, 'e_tricycle', warehouseId, `seat e-tricycle ${i}`);
    } else {
      const vans = Math.max(1, Math.round(w / 30));
      const trikes = Math.max(1, Math.round(w / 25));
      for (let i = 1; i <= vans; i++) vehicle(`${o.code}-van-${code}${i > 1 ? `-${i}` : ''}`, 'van', hubId, `第${t}镇 van${i > 1 ? ` ${i}` : ''}`);
      for (let i = 1; i <= trikes; i++) vehicle(`${o.code}-trike-${code}${i > 1 ? `-${i}` : ''}`, 'e_tricycle', hubId, `第${t}镇 e-tricycle${i > 1 ? ` ${i}` : ''}`);
    }
  }
  return {
    county: { id: o.code, name: o.name ?? `合成县 synthetic ${o.code}`, seat_lat: seat.lat, seat_lon: seat.lon, boundary_json: null },
    townships,
    hubs,
    stations,
    vehicles,
    couriers: o.couriers === false ? [] : COURIERS,
  };
}

/**
 * The `index`-th county of a synthetic province (0-based): code 1499xx-style codes that no real
 * county has (`14` Shanxi, `9xxx` unused), seats on a grid 60 km apart across central Shanxi.
 */
export function provinceCounty(index: number, seed = 1): NetworkImport {
  if (!Number.isInteger(index) || index < 0 || index > 899) throw new Error(`province county index must be 0–899, got ${index}`);
  const code = String(149_100 + index);
  const row = Math.floor(index / 12);
  const col = index % 12;
  return syntheticCounty({
    code,
    name: `合成县 ${code}`,
    seed: seed * 1_000 + index + 1,
    seat: { lat: Math.round((35.0 + row * 0.55) * 1e6) / 1e6, lon: Math.round((110.6 + col * 0.68) * 1e6) / 1e6 },
    bearingDeg: (index * 47) % 360,
  });
}
