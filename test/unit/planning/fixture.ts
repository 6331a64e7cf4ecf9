/** A small three-tier network: county warehouse, a centre with a cold-chain van, one without. */
import type { HubRow, StationRow, VehicleRow } from '../../../src/db/schema.ts';
import { haversineRoadMatrix } from '../../../src/geo/matrix.ts';
import { indexNetwork } from '../../../src/planning/network-index.ts';
import type { DayModel, DayParcel, DayPickup } from '../../../src/planning/types.ts';
import { TEST_SETTINGS } from '../../support/config.ts';

export const hub = (id: string, kind: HubRow['kind'], lat: number, lon: number): HubRow => ({
  id,
  kind,
  name: id,
  township_code: `t-${id}`,
  lat,
  lon,
  coord_quality: 'known',
});

export const station = (code: string, hubId: string, lat: number, lon: number, opens = 8 * 3600, closes = 19 * 3600): StationRow => ({
  code,
  name: code,
  kind: 'village',
  township_code: `t-${hubId}`,
  hub_id: hubId,
  lat,
  lon,
  coord_quality: 'known',
  opens_s: opens,
  closes_s: closes,
  size_weight: 1,
});

export const vehicle = (id: string, hubId: string, type: string, over: Partial<VehicleRow> = {}): VehicleRow => ({
  id,
  hub_id: hubId,
  type,
  name: id,
  capacity_g: type === 'line_haul_truck' ? 1_500_000 : type === 'e_tricycle' ? 300_000 : 700_000,
  capacity_cm3: type === 'line_haul_truck' ? 14_000_000 : type === 'e_tricycle' ? 1_500_000 : 4_000_000,
  range_m: type === 'e_tricycle' ? 60_000 : type === 'van' ? 120_000 : null,
  cold_chain: type === 'cold_chain_van' ? 1 : 0,
  max_trips: type === 'e_tricycle' ? 3 : 1,
  speed_kmh: type === 'line_haul_truck' ? 50 : type === 'e_tricycle' ? 25 : 40,
  fixed_cost_fen: 10_000,
  cost_per_km_fen: 100,
  cost_per_hour_fen: 3_000,
  driver_id: null,
  active: 1,
  ...over,
});

export const network = {
  hubs: [hub('C', 'county_warehouse', 36.756, 112.699), hub('A', 'township_centre', 36.747, 112.585), hub('B', 'township_centre', 36.597, 112.626)],
  stations: [
    station('s-c1', 'C', 36.761, 112.691),
    station('s-a1', 'A', 36.760, 112.570),
    station('s-a2', 'A', 36.730, 112.600, 9 * 3600, 17 * 3600),
    station('s-b1', 'B', 36.590, 112.640),
  ],
  vehicles: [
    vehicle('truck-1', 'C', 'line_haul_truck'),
    vehicle('truck-2', 'C', 'line_haul_truck'),
    vehicle('c-van', 'C', 'van'),
    vehicle('c-cold', 'C', 'cold_chain_van'),
    vehicle('a-van', 'A', 'van'),
    vehicle('a-cold', 'A', 'cold_chain_van'),
    vehicle('a-trike', 'A', 'e_tricycle'),
    vehicle('b-trike', 'B', 'e_tricycle'),
    vehicle('b-old', 'B', 'van', { active: 0 }),
  ],
};

export const index = indexNetwork(network);
export const road = haversineRoadMatrix(index.points, 1.3);

export const parcel = (id: string, stationCode: string, over: Partial<DayParcel> = {}): DayParcel => ({
  id,
  courierCode: 'ZTO',
  stationCode,
  weightG: 1_200,
  volumeCm3: 8_000,
  coldChain: false,
  ...over,
});

export const pickup = (id: string, stationCode: string, over: Partial<DayPickup> = {}): DayPickup => ({
  id,
  courierCode: null,
  stationCode,
  weightG: 5_000,
  volumeCm3: 20_000,
  pieces: 2,
  coldChain: false,
  ...over,
});

export const day = (parcels: DayParcel[], pickups: DayPickup[] = []): DayModel => ({
  settings: { ...TEST_SETTINGS, serviceDate: '2026-11-28' },
  parcels,
  pickups,
});
