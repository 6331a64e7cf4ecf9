/**
 * A small synthetic county in the network model (issue 15): townships strung along a valley,
 * villages clustered near the valley floor rather than spread uniformly, the county warehouse at
 * the seat, one township centre per other township, and a fleet like Qin County's. Seeded: the
 * same options give the same county. For tests, demos and benchmarks of several counties; every
 * position is `estimated` and the county says it is synthetic in its name.
 */
import { seededRandom } from '../util/seeded-random.ts';
import type { NetworkImport, VehicleImport } from './files.ts';

export interface SyntheticCountyOptions {
  /** 6-digit county code; pick one no real county has in the deployment (e.g. 1499xx). */
  readonly code: string;
  readonly name?: string;
  readonly seed?: number;
  /** Township seat of the county (WGS84). */
  readonly seat?: { readonly lat: number; readonly lon: number };
  readonly townships?: number;
  readonly villagesPerTownship?: number;
  /** Valley direction, degrees clockwise from north. */
  readonly bearingDeg?: number;
}

const KM_LAT = 1 / 111.32;

const SPECS: Record<string, Omit<VehicleImport, 'id' | 'hub_id' | 'name' | 'type'>> = {
  line_haul_truck: { capacity_g: 1_500_000, capacity_cm3: 14_000_000, range_m: null, cold_chain: 0, max_trips: 1, speed_kmh: 50, fixed_cost_fen: 35_000, cost_per_km_fen: 150, cost_per_hour_fen: 3_500 },
  van: { capacity_g: 800_000, capacity_cm3: 5_000_000, range_m: null, cold_chain: 0, max_trips: 2, speed_kmh: 40, fixed_cost_fen: 15_000, cost_per_km_fen: 80, cost_per_hour_fen: 2_500 },
  cold_chain_van: { capacity_g: 600_000, capacity_cm3: 4_000_000, range_m: null, cold_chain: 1, max_trips: 1, speed_kmh: 40, fixed_cost_fen: 25_000, cost_per_km_fen: 120, cost_per_hour_fen: 3_000 },
  e_tricycle: { capacity_g: 300_000, capacity_cm3: 1_500_000, range_m: 60_000, cold_chain: 0, max_trips: 3, speed_kmh: 25, fixed_cost_fen: 5_000, cost_per_km_fen: 10, cost_per_hour_fen: 2_000 },
};

export function syntheticCounty(o: SyntheticCountyOptions): NetworkImport {
  if (!/^\d{6}$/.test(o.code)) throw new Error(`synthetic county code must be 6 digits, got ${o.code}`);
  const rnd = seededRandom(o.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const seat = o.seat ?? { lat: 37.2, lon: 112.2 };
  const nTownships = o.townships ?? 5;
  const perTownship = o.villagesPerTownship ?? 10;
  const bearing = ((o.bearingDeg ?? 35) * Math.PI) / 180;
  const kmLon = KM_LAT / Math.cos((seat.lat * Math.PI) / 180);
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  /** A point `along` km down the valley and `across` km off its floor. */
  const at = (along: number, across: number) => ({
    lat: round6(seat.lat + (along * Math.cos(bearing) - across * Math.sin(bearing)) * KM_LAT),
    lon: round6(seat.lon + (along * Math.sin(bearing) + across * Math.cos(bearing)) * kmLon),
  });
  // The valley meanders: the floor's offset at a distance along it.
  const floor = (along: number) => 2.5 * Math.sin(along / 6);

  const warehouseId = `${o.code}-warehouse`;
  const townships: NetworkImport['townships'][number][] = [];
  const hubs: NetworkImport['hubs'][number][] = [];
  const stations: NetworkImport['stations'][number][] = [];
  const vehicles: VehicleImport[] = [];
  const vehicle = (id: string, type: string, hub: string, name: string) => vehicles.push({ id, type, hub_id: hub, name, ...SPECS[type]! });

  for (let t = 0; t < nTownships; t++) {
    const code = `${o.code}${String(100 + t).padStart(3, '0')}`;
    // Townships 7–9 km apart down the valley; the first is the county seat.
    const along = t * (7 + rnd() * 2);
    const townSeat = t === 0 ? { lat: seat.lat, lon: seat.lon } : at(along, floor(along));
    const hubId = t === 0 ? warehouseId : `${o.code}-centre-${code}`;
    townships.push({ code, name: `${t === 0 ? '城关' : `第${t}`}镇`, kind: '镇', hub_id: hubId, seat_lat: townSeat.lat, seat_lon: townSeat.lon });
    if (t === 0) {
      // The county warehouse 2 km down the valley from the seat, as a logistics park would be.
      const w = at(2, floor(2));
      hubs.push({ id: warehouseId, kind: 'county_warehouse', name: `${o.name ?? o.code} 县级共配中心`, township_code: code, lat: w.lat, lon: w.lon, coord_quality: 'estimated' });
    } else {
      hubs.push({ id: hubId, kind: 'township_centre', name: `第${t}镇共配站`, township_code: code, lat: townSeat.lat, lon: townSeat.lon, coord_quality: 'estimated' });
    }
    for (let v = 0; v < perTownship; v++) {
      // Villages within ±4 km along the valley of their seat, most within 1.5 km of its floor.
      const a = along + (rnd() - 0.5) * 8;
      const p = at(a, floor(a) + gauss() * 1.5);
      stations.push({
        code: `${code}${String(200 + v).padStart(3, '0')}`,
        name: `${t === 0 ? '城关' : `第${t}`}${v + 1}村`,
        kind: 'village',
        township_code: code,
        hub_id: hubId,
        lat: p.lat,
        lon: p.lon,
        coord_quality: 'estimated',
        opens_s: 8 * 3600,
        closes_s: 19 * 3600,
        size_weight: Math.round((0.5 + rnd() * 1.5) * 100) / 100,
        keeper_name: null,
        keeper_phone: null,
      });
    }
    if (t === 0) {
      vehicle(`${o.code}-line-haul-1`, 'line_haul_truck', warehouseId, 'line-haul truck 1');
      vehicle(`${o.code}-line-haul-2`, 'line_haul_truck', warehouseId, 'line-haul truck 2');
      vehicle(`${o.code}-cold-1`, 'cold_chain_van', warehouseId, 'cold-chain van 1');
      vehicle(`${o.code}-van-1`, 'van', warehouseId, 'seat van 1');
      vehicle(`${o.code}-trike-1`, 'e_tricycle', warehouseId, 'seat e-tricycle 1');
    } else {
      vehicle(`${o.code}-van-${code}`, 'van', hubId, `第${t}镇 van`);
      vehicle(`${o.code}-trike-${code}`, 'e_tricycle', hubId, `第${t}镇 e-tricycle`);
    }
  }
  return {
    county: { id: o.code, name: o.name ?? `合成县 synthetic ${o.code}`, seat_lat: seat.lat, seat_lon: seat.lon, boundary_json: null },
    townships,
    hubs,
    stations,
    vehicles,
    couriers: [],
  };
}
