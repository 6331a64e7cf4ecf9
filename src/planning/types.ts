/**
 * The planner's vocabulary: a day's model in, planned routes and unassigned items out.
 *
 * Everything here is plain data so the planning functions stay pure and testable; the database
 * and queue code (src/pipeline, src/consolidation, src/workers) converts rows to and from these shapes.
 *
 * Loads have three dimensions, in this order: grams, cubic centimetres, pieces (parcels or
 * pickup pieces). Times are seconds after local midnight of the service date.
 */
import type { HubRow, StationRow, VehicleRow } from '../db/schema.ts';
import type { Problem, Solution, UnassignedReason } from '../solver/model.ts';

export type Load = [grams: number, cubicCm: number, pieces: number];
export const DIMENSIONS = 3;
/** Vehicles carry no piece limit in the fleet data; the dimension is tracked for load reports. */
export const UNLIMITED_PIECES = 1_000_000;

export interface PlanningNetwork {
  readonly hubs: readonly HubRow[];
  readonly stations: readonly StationRow[];
  /** Active vehicles only. */
  readonly vehicles: readonly VehicleRow[];
}

export interface DayParcel {
  readonly id: string;
  readonly courierCode: string;
  readonly stationCode: string;
  readonly weightG: number;
  readonly volumeCm3: number;
  readonly coldChain: boolean;
}

export interface DayPickup {
  readonly id: string;
  readonly courierCode: string | null;
  readonly stationCode: string;
  readonly weightG: number;
  readonly volumeCm3: number;
  readonly pieces: number;
  readonly coldChain: boolean;
}

export interface DaySettings {
  readonly serviceDate: string; // YYYY-MM-DD
  /** Parcels received by the cut-off ride today; the line-haul sorting starts then. */
  readonly cutoffS: number;
  /** Sorting time at the county warehouse and at each township centre. */
  readonly sortingS: number;
  /** Latest time a line-haul may start unloading at a township centre. */
  readonly lineHaulLatestS: number;
  /** Every vehicle is back by then. */
  readonly dayEndS: number;
  /** Loading time between two trips of a multi-trip vehicle. */
  readonly reloadS: number;
  /** Minutes east of UTC of the network's clock (China: +480). */
  readonly utcOffsetMinutes: number;
  /**
   * Loops a line-haul truck may drive per day (county → centres → county, reloading in between).
   * The dataset's trucks say one; a busy day needs more than the two trucks' one loop each, and
   * the architecture allows "one loop or several". The larger of this and the truck's own value.
   */
  readonly lineHaulTrips: number;
  /**
   * Township vans should leave by then ("early afternoon"): each centre's line-haul unloading is
   * due early enough for its sorting to end by this time. When the trucks cannot make that, the
   * line-haul is planned with `lineHaulLatestS` only and the plan names the late townships.
   */
  readonly villageStartByS: number;
  /** A driver's day per vehicle type (`VEHICLE_DUTY`); `*` for types not named. */
  readonly duty: Readonly<Record<string, VehicleDuty>>;
}

/** A driver's working day on one vehicle type: at most `maxDurationS` on the road, back at the hub by `returnByS`. */
export interface VehicleDuty {
  readonly maxDurationS: number;
  readonly returnByS: number;
}

/**
 * Defaults for a rural December day in Qin County: sunset about 17:25, dark soon after, frost on
 * the hill roads. Vans and trucks are back by 18:00 after at most 9.5–10 h; open electric
 * tricycles (cold drivers, batteries weaker in the cold) by 17:30 after at most 8 h.
 */
export const DEFAULT_DUTY: Readonly<Record<string, VehicleDuty>> = {
  '*': { maxDurationS: 9.5 * 3600, returnByS: 18 * 3600 },
  van: { maxDurationS: 9.5 * 3600, returnByS: 18 * 3600 },
  cold_chain_van: { maxDurationS: 10 * 3600, returnByS: 18 * 3600 },
  e_tricycle: { maxDurationS: 8 * 3600, returnByS: 17.5 * 3600 },
  line_haul_truck: { maxDurationS: 10 * 3600, returnByS: 18 * 3600 },
};

/** The duty of a vehicle type: its own, else the `*` entry, else the whole day. */
export function dutyOf(settings: Pick<DaySettings, 'duty' | 'cutoffS' | 'dayEndS'>, vehicleType: string): VehicleDuty {
  return settings.duty[vehicleType] ?? settings.duty['*'] ?? { maxDurationS: settings.dayEndS - settings.cutoffS, returnByS: settings.dayEndS };
}

/**
 * The day's fixed operating rules (the network's, not the deployment's). Cut-off, sorting time
 * and the clock come from the configuration: see `daySettings` in day-model.ts.
 */
export const DAY_RULES: Omit<DaySettings, 'serviceDate' | 'cutoffS' | 'sortingS' | 'utcOffsetMinutes'> = {
  lineHaulLatestS: 14 * 3600,
  dayEndS: 21 * 3600,
  reloadS: 900,
  lineHaulTrips: 3,
  villageStartByS: 14 * 3600,
  duty: DEFAULT_DUTY,
};

/** Produce a township centre's vans collected on an earlier day, held at that centre now. */
export interface HeldPickup extends DayPickup {
  readonly hubId: string;
}

/** A return (退回) waiting at a township centre for the line-haul back to the county warehouse. */
export interface DayReturn {
  readonly id: string;
  readonly courierCode: string;
  /** The township centre holding it. */
  readonly hubId: string;
  readonly weightG: number;
  readonly volumeCm3: number;
}

export interface DayModel {
  readonly settings: DaySettings;
  readonly parcels: readonly DayParcel[];
  /** Today's produce to collect at the villages. */
  readonly pickups: readonly DayPickup[];
  /**
   * Produce held at the township centres when today's line-haul comes (collected by their vans
   * on the previous operating day): the only produce the line-haul collects. Absent = none.
   */
  readonly heldPickups?: readonly HeldPickup[];
  /** Returns at township centres: they ride the line-haul back like produce, taking its room. */
  readonly returns?: readonly DayReturn[];
}

export interface SolveBudget {
  readonly seed: number;
  readonly timeLimitMs: number;
  readonly maxIterations?: number;
  /** Independent searches of this problem on the solver host's threads, best of them (default 1). */
  readonly threads?: number;
}

/** Runs the routing core (in a worker thread, in a sandbox, or inline in tests). */
export type SolveFn = (problem: Problem, budget: SolveBudget) => Promise<Solution>;

export type Tier = 'line_haul' | 'village';

export type PlannedStopKind = 'start' | 'station' | 'hub' | 'reload' | 'end';

export interface PlannedStop {
  readonly seq: number;
  readonly kind: PlannedStopKind;
  readonly stationCode: string | null;
  readonly hubId: string | null;
  readonly trip: number;
  readonly arrivalS: number;
  readonly departureS: number;
  /** Earliest service start among the solver steps merged into this stop. */
  readonly serviceStartS: number;
  readonly parcelIds: readonly string[];
  readonly pickupIds: readonly string[];
  readonly deliverCount: number;
  readonly pickupCount: number;
  /** Load on board when leaving. */
  readonly load: Load;
}

export interface PlannedRoute {
  readonly tier: Tier;
  readonly hubId: string;
  readonly vehicleId: string;
  readonly vehicleType: string;
  readonly trips: number;
  readonly distanceM: number;
  readonly durationS: number;
  readonly costFen: number;
  readonly startS: number;
  readonly endS: number;
  readonly peakLoad: Load;
  readonly capacity: Load;
  readonly stops: readonly PlannedStop[];
}

/** Why something is not on a route today: the solver's reason, or the line-haul's. */
export type PlanUnassignedReason = UnassignedReason | `line_haul_${UnassignedReason}` | 'no_vehicle' | 'unknown_station';

/**
 * What would serve an item the plan could not (issue 11 item 7), for the dispatcher to act on:
 * `another_cold_van` (the hub's cold-chain vans are full or there is none), `second_trip` (a
 * vehicle that drives one trip could go out again), `another_vehicle` (the hub's fleet is full),
 * `larger_vehicle` (no vehicle of the hub can carry the visit, or reach it within its range),
 * `longer_duty` (the station cannot be reached and left within a driver's day), `earlier_line_haul`
 * (the township's vans leave too late for the station's hours), `another_truck_trip` (the
 * line-haul trucks are full), `vehicle_at_hub` (the hub has no vehicle), `station_address` (the
 * station is unknown: correct the item's address).
 */
export type Remedy =
  | 'another_cold_van'
  | 'second_trip'
  | 'another_vehicle'
  | 'larger_vehicle'
  | 'longer_duty'
  | 'earlier_line_haul'
  | 'another_truck_trip'
  | 'vehicle_at_hub'
  | 'station_address';

export interface UnassignedItem {
  readonly kind: 'parcel' | 'pickup';
  readonly id: string;
  readonly stationCode: string;
  readonly tier: Tier;
  readonly reason: PlanUnassignedReason;
  /** What would serve it (absent in plans made before remedies were reported). */
  readonly remedy?: Remedy;
}

export interface TierResult {
  readonly routes: readonly PlannedRoute[];
  readonly unassigned: readonly UnassignedItem[];
  /**
   * The solve stopped on the wall-clock cap before its iteration budget was spent: this result
   * depends on the machine's load and may differ on a re-run with the same seed.
   */
  readonly capped?: boolean;
}
