/**
 * Dense lookups over the network for problem building: every hub and station gets one point in
 * a single county-wide road matrix (hubs first, then stations), so every tier's problem is a
 * sub-matrix of it and the matrix is computed (or fetched from OSRM) once per plan.
 */
import type { HubRow, StationRow, VehicleRow } from '../db/schema.ts';
import type { Coordinate } from '../geo/matrix.ts';
import type { PlanningNetwork } from './types.ts';

export const LINE_HAUL_TYPE = 'line_haul_truck';

export interface NetworkIndex {
  readonly network: PlanningNetwork;
  readonly countyWarehouse: HubRow;
  readonly points: readonly Coordinate[];
  readonly hubPoint: ReadonlyMap<string, number>;
  readonly stationPoint: ReadonlyMap<string, number>;
  readonly hubs: ReadonlyMap<string, HubRow>;
  readonly stations: ReadonlyMap<string, StationRow>;
  readonly vehicles: ReadonlyMap<string, VehicleRow>;
  /** Village-tier vehicles (vans, tricycles, cold-chain vans) per hub, by id. */
  readonly villageFleet: ReadonlyMap<string, readonly VehicleRow[]>;
  /** Line-haul trucks based at the county warehouse, by id. */
  readonly lineHaulFleet: readonly VehicleRow[];
}

export function indexNetwork(network: PlanningNetwork): NetworkIndex {
  const county = network.hubs.filter((h) => h.kind === 'county_warehouse');
  if (county.length !== 1) throw new Error(`the network needs exactly one county warehouse, found ${county.length}`);
  const hubs = [...network.hubs].sort((a, b) => (a.kind === b.kind ? cmp(a.id, b.id) : a.kind === 'county_warehouse' ? -1 : 1));
  const stations = [...network.stations].sort((a, b) => cmp(a.code, b.code));
  const points: Coordinate[] = [];
  const hubPoint = new Map<string, number>();
  const stationPoint = new Map<string, number>();
  for (const h of hubs) {
    hubPoint.set(h.id, points.length);
    points.push({ lat: h.lat, lon: h.lon, id: h.id });
  }
  for (const s of stations) {
    stationPoint.set(s.code, points.length);
    points.push({ lat: s.lat, lon: s.lon, id: s.code });
  }
  const active = [...network.vehicles].filter((v) => v.active !== 0).sort((a, b) => cmp(a.id, b.id));
  const villageFleet = new Map<string, VehicleRow[]>();
  for (const v of active) {
    if (v.type === LINE_HAUL_TYPE) continue;
    const list = villageFleet.get(v.hub_id) ?? [];
    list.push(v);
    villageFleet.set(v.hub_id, list);
  }
  return {
    network,
    countyWarehouse: county[0]!,
    points,
    hubPoint,
    stationPoint,
    hubs: new Map(hubs.map((h) => [h.id, h])),
    stations: new Map(stations.map((s) => [s.code, s])),
    vehicles: new Map(active.map((v) => [v.id, v])),
    villageFleet,
    lineHaulFleet: active.filter((v) => v.type === LINE_HAUL_TYPE && v.hub_id === county[0]!.id),
  };
}

/** True when a township centre has its own cold-chain vehicle (else the county's serves it). */
export function hasColdChainFleet(index: NetworkIndex, hubId: string): boolean {
  return (index.villageFleet.get(hubId) ?? []).some((v) => v.cold_chain !== 0);
}

/**
 * The hub whose village routes carry an item to (or from) a station: the station's own hub,
 * except cold-chain items of a township without a cold-chain vehicle, which the county
 * warehouse's cold-chain van serves directly.
 */
export function servingHub(index: NetworkIndex, station: StationRow, coldChain: boolean): string {
  if (coldChain && station.hub_id !== index.countyWarehouse.id && !hasColdChainFleet(index, station.hub_id)) {
    return index.countyWarehouse.id;
  }
  return station.hub_id;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
