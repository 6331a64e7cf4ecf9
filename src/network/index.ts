/** The delivery network: hubs, stations and fleet, loaded from a dataset under data/. */
export { gcj02ToWgs84, wgs84ToGcj02, type LatLon } from './gcj02.ts';
export { clockToSeconds, DEFAULT_NETWORK_DIR, loadNetwork, networkRows, type Network, type NetworkRows, type TownshipAreaProperties } from './load.ts';
export { seedNetwork, type SeedCounts } from './seed.ts';
export type { CourierRecord, HubRecord, NetworkFile, StationRecord, TownshipRecord, VehicleRecord, VehicleType } from './types.ts';
