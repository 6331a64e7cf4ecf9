/**
 * The database schema as kysely sees it: one interface per table.
 *
 * One code path runs on better-sqlite3 and on PostgreSQL, so columns use the subset both share:
 * - ids are text (UUIDs made by the application), except `outbox.id` which orders the relay;
 * - timestamps are ISO-8601 UTC strings (`2026-11-28T06:00:00.000Z`), dates are `YYYY-MM-DD`;
 * - booleans are integers 0/1; structured values are JSON text;
 * - weights in grams, volumes in cubic centimetres, lengths in metres, durations in seconds,
 *   money in fen (1/100 yuan): all integers.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'courier' | 'dispatcher' | 'driver' | 'admin';
export type HubKind = 'county_warehouse' | 'township_centre';
export type StationKind = 'village' | 'community';
/** Where a position comes from: a source, our estimate, or a dispatcher's correction on the ground. */
export type CoordQuality = 'known' | 'estimated' | 'corrected';

/** Qin County (沁县): the county of every row written before counties existed, and of the bundled dataset. */
export const DEFAULT_COUNTY_ID = '140430';

/** The county a row belongs to (migration 2026_12_01_1600): its 6-digit adcode. Defaults to Qin County. */
export type CountyId = ColumnType<string, string | undefined, string>;

export type ParcelStatus =
  | 'received' // accepted by intake, durable
  | 'sorted' // consolidated into its township bin at the county warehouse
  | 'planned' // on a stored route of a plan
  | 'out_for_delivery'
  | 'delivered'
  | 'failed'
  | 'cancelled'
  /** To go back to its courier (too many failed attempts or days, or cancelled after planning). */
  | 'return_requested'
  /** On the reverse flow (centre → county warehouse line-haul), on its way back to its courier. */
  | 'returning'
  /** Handed back to its courier at the county warehouse. */
  | 'returned';

export type PickupStatus = 'requested' | 'planned' | 'picked_up' | 'failed' | 'cancelled';
/** The computation of a plan version. */
export type PlanStatus = 'queued' | 'running' | 'completed' | 'failed';
/** The dispatcher's life-cycle of a plan version (migration 2026_12_01_1232). */
export type PlanState = 'draft' | 'published' | 'in_progress' | 'closed';
export type RouteTier = 'line_haul' | 'village';

export interface CourierTable {
  code: string; // ZTO, YTO, STO, YUNDA, JT, EMS, SF, JD, DEPPON, …
  name: string;
  created_at: string;
}

/** A courier's webhook in one county (migration 2026_12_01_1930): its franchisee there. */
export interface CourierWebhookTable {
  courier_code: string;
  county_id: string;
  url: string;
  /** Sealed with secret-box.ts (AES-256-GCM, the courier code as authenticated data). */
  secret: string;
  created_at: string;
  updated_at: string;
}

export interface ApiKeyTable {
  id: string;
  /** SHA-256 of the secret; the key itself is shown once and never stored. */
  key_hash: string;
  /** First characters of the key, to tell keys apart in listings. */
  key_prefix: string;
  role: Role;
  courier_code: string | null;
  driver_id: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  /** A driver's phone session ends then (migration 2026_12_01_1236); null = until revoked. */
  expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** A phone session sees only this service date's routes; null = any date. */
  service_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** The sign-in link a phone session came from (revoking the link ends the session). */
  driver_link_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The counties the key may see and act in, a JSON array of adcodes; null = every county. */
  county_ids: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DriverTable {
  id: string;
  name: string;
  /** Unique: the dispatcher finds a driver by phone, and two drivers never share one. */
  phone: string;
  active: number;
  created_at: string;
  /** The county the driver drives in (migration 2026_12_01_1700); their vehicles and routes are its. */
  county_id: CountyId;
}

/** Who drives which vehicle on a service date: one driver per vehicle and day, one vehicle per driver and day. */
export interface DriverAssignmentTable {
  service_date: string;
  vehicle_id: string;
  driver_id: string;
  assigned_at: string;
}

/** A sign-in link (QR code) for a driver and a date: short-lived, single-use, revocable. */
export interface DriverLinkTable {
  id: string;
  /** SHA-256 of the token; the token is shown once, in the link. */
  token_hash: string;
  driver_id: string;
  service_date: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

/** A printable manifest's shareable link: one route, short-lived, read as the key that made it. */
export interface ManifestLinkTable {
  id: string;
  /** SHA-256 of the token; the token is shown once, in the link. */
  token_hash: string;
  route_id: string;
  /** The key (dispatcher, admin or a driver's phone session) the link reads the manifest as. */
  api_key_id: string;
  created_at: string;
  expires_at: string;
}

/** When a driver first opened a route's manifest. */
export interface RouteOpenTable {
  route_id: string;
  driver_id: string;
  first_opened_at: string;
}

/** A county whose network is imported: the unit a key, a plan and a day belong to. */
export interface CountyTable {
  /** 6-digit administrative code (adcode), e.g. 140430 for Qin County. */
  id: string;
  name: string;
  seat_lat: number;
  seat_lon: number;
  /** County boundary as GeoJSON (WGS84), when the import had one. */
  boundary_json: string | null;
  created_at: string;
  updated_at: string;
}

export interface TownshipTable {
  county_id: CountyId;
  code: string; // 9-digit NBS code
  name: string;
  kind: string; // 镇 | 乡
  seat_lat: number;
  seat_lon: number;
  /** The hub that serves this township's stations (county warehouse for 定昌镇). */
  hub_id: string;
}

export interface HubTable {
  county_id: CountyId;
  id: string;
  kind: HubKind;
  name: string;
  township_code: string;
  lat: number;
  lon: number;
  coord_quality: CoordQuality;
}

export interface StationTable {
  county_id: CountyId;
  code: string; // 12-digit NBS code
  name: string;
  kind: StationKind;
  township_code: string;
  hub_id: string;
  lat: number;
  lon: number;
  coord_quality: CoordQuality;
  opens_s: number; // seconds after midnight
  closes_s: number;
  /** Relative size of the village, drives generated demand (1 = an average village). */
  size_weight: number;
  /** The station keeper (站长) and their phone, kept by dispatchers; not in the county dataset. */
  keeper_name: string | null;
  keeper_phone: string | null;
  /** 0 once a re-import left the station out: kept for the plans and parcels that name it, closed to intake. */
  active: ColumnType<number, number | undefined, number>;
}

/** One move of a station by a dispatcher (src/stations): the audit trail of the map's fixes. */
export interface StationMoveTable {
  id: string;
  county_id: string;
  station_code: string;
  seq: number;
  moved_at: string;
  moved_by: string;
  from_lat: number;
  from_lon: number;
  from_quality: CoordQuality;
  to_lat: number;
  to_lon: number;
  to_quality: CoordQuality;
  reason: string;
}

export interface VehicleTable {
  county_id: CountyId;
  id: string;
  hub_id: string;
  type: string; // line_haul_truck | van | cold_chain_van | e_tricycle
  name: string;
  capacity_g: number;
  capacity_cm3: number;
  range_m: number | null;
  cold_chain: number;
  max_trips: number;
  speed_kmh: number;
  fixed_cost_fen: number;
  cost_per_km_fen: number;
  cost_per_hour_fen: number;
  driver_id: string | null;
  active: number;
}

export interface ParcelTable {
  county_id: CountyId;
  id: string;
  courier_code: string;
  waybill: string;
  station_code: string;
  /** The destination exactly as submitted (station code, names or coordinates). */
  destination_json: string;
  weight_g: number;
  length_cm: number | null;
  width_cm: number | null;
  height_cm: number | null;
  volume_cm3: number;
  cold_chain: number;
  fragile: number;
  cod_amount_fen: number;
  recipient_name: string;
  recipient_phone: string;
  promised_date: string | null;
  /** Hash of the canonical request body: same waybill + same hash = idempotent replay. */
  body_hash: string;
  status: ParcelStatus;
  /** Township centre (or the county warehouse) the parcel is sorted to; set by consolidation. */
  hub_id: string | null;
  plan_id: string | null;
  stop_id: string | null;
  received_at: string;
  updated_at: string;
  /** Failed delivery attempts so far. */
  attempts: ColumnType<number, number | undefined, number>;
  /** Why it is not delivered: the planner's reason (unassigned), the driver's (failed), or the return's cause. */
  status_reason: string | null;
}

export interface ParcelEventTable {
  id: string;
  parcel_id: string;
  type: string; // received | sorted | planned | arrived | delivered | failed | picked_up | cancelled
  at: string;
  details_json: string | null;
}

export interface PickupTable {
  county_id: CountyId;
  id: string;
  courier_code: string | null;
  station_code: string;
  shipper_name: string;
  shipper_phone: string;
  description: string | null;
  /** The requester's own order number; unique per courier (per non-courier requester). */
  reference: string | null;
  weight_g: number;
  volume_cm3: number;
  pieces: number;
  cold_chain: number;
  ready_date: string;
  body_hash: string;
  status: PickupStatus;
  plan_id: string | null;
  stop_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface PlanTable {
  county_id: CountyId;
  id: string;
  service_date: string;
  status: PlanStatus;
  progress: number; // 0..100
  seed: number;
  cutoff_at: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  /** Counts and timings per phase. */
  summary_json: string | null;
  /** Co-delivery savings: joint plan vs each courier alone. */
  savings_json: string | null;
  state: ColumnType<PlanState, PlanState | undefined, PlanState>;
  /** 1 for a date's first plan; a re-plan is the next version, linking the one it replaces. */
  version: ColumnType<number, number | undefined, number>;
  replaces_plan_id: string | null;
  /** Set when the version that replaces this one has completed. */
  replaced_by_plan_id: string | null;
  published_at: string | null;
  closed_at: string | null;
  /** The KPI snapshot frozen when the day closed; a closed day's numbers come from here. */
  kpis_json: string | null;
  /** The settlement computed with the plan (src/settlement), provisional until the day closes (migration 2026_12_01_1244). */
  settlement_json: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A vehicle that broke down on a service day: a re-plan moves its remaining stops to others. */
export interface VehicleBreakdownTable {
  id: string;
  service_date: string;
  vehicle_id: string;
  at: string;
  note: string | null;
  created_at: string;
}

export interface RouteTable {
  id: string;
  plan_id: string;
  tier: RouteTier;
  hub_id: string;
  vehicle_id: string;
  driver_id: string | null;
  trips: number;
  distance_m: number;
  duration_s: number;
  cost_fen: number;
  start_at: string;
  end_at: string;
  load_json: string; // peak load and capacity per dimension
  geometry_json: string | null; // GeoJSON LineString
}

export interface StopTable {
  id: string;
  route_id: string;
  seq: number;
  kind: string; // start | station | hub | reload | end
  station_code: string | null;
  hub_id: string | null;
  trip: number;
  arrival_at: string;
  departure_at: string;
  deliver_count: number;
  pickup_count: number;
  load_json: string;
}

/** What a driver reported at a stop (migration 0003); parcel status changes are in parcel_events. */
export interface StopEventTable {
  id: string;
  stop_id: string;
  route_id: string;
  plan_id: string;
  type: string; // arrived | delivered | failed | picked_up
  /** When it happened, as the driver's device says (it may sync later). */
  at: string;
  recorded_at: string;
  driver_id: string | null;
  details_json: string | null;
}

/** A closed day's settlement, frozen: written once when the day closes, never updated. */
export interface SettlementTable {
  county_id: CountyId;
  service_date: string;
  plan_id: string;
  rule: string;
  joint_cost_fen: number;
  settlement_json: string;
  frozen_at: string;
}

/** A re-plan's solved village tier of one hub, set aside until the re-plan is switched in. */
export interface PlanStagedHubTable {
  plan_id: string;
  hub_id: string;
  result_json: string;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  queue: string;
  job_name: string;
  /** Deterministic BullMQ job id, so a relay that runs twice enqueues once. */
  job_id: string;
  payload_json: string;
  created_at: string;
  relayed_at: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface Database {
  counties: CountyTable;
  couriers: CourierTable;
  courier_webhooks: CourierWebhookTable;
  api_keys: ApiKeyTable;
  drivers: DriverTable;
  driver_assignments: DriverAssignmentTable;
  driver_links: DriverLinkTable;
  route_opens: RouteOpenTable;
  manifest_links: ManifestLinkTable;
  settlements: SettlementTable;
  plan_staged_hubs: PlanStagedHubTable;
  townships: TownshipTable;
  hubs: HubTable;
  stations: StationTable;
  station_moves: StationMoveTable;
  vehicles: VehicleTable;
  parcels: ParcelTable;
  parcel_events: ParcelEventTable;
  pickups: PickupTable;
  plans: PlanTable;
  routes: RouteTable;
  stops: StopTable;
  stop_events: StopEventTable;
  outbox: OutboxTable;
  vehicle_breakdowns: VehicleBreakdownTable;
}

export type ParcelRow = Selectable<ParcelTable>;
export type NewParcelRow = Insertable<ParcelTable>;
export type ParcelUpdate = Updateable<ParcelTable>;
export type PickupRow = Selectable<PickupTable>;
export type NewPickupRow = Insertable<PickupTable>;
/** A station as the dataset and the planner know it (the keeper is the dispatchers' business). */
export type StationRow = Omit<Selectable<StationTable>, 'keeper_name' | 'keeper_phone' | 'active' | 'county_id'> & { county_id?: string };
export type HubRow = Omit<Selectable<HubTable>, 'county_id'> & { county_id?: string };
export type VehicleRow = Omit<Selectable<VehicleTable>, 'county_id'> & { county_id?: string };
export type PlanRow = Selectable<PlanTable>;
export type CountyRow = Selectable<CountyTable>;
export type RouteRow = Selectable<RouteTable>;
export type StopRow = Selectable<StopTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type DriverRow = Selectable<DriverTable>;
export type DriverAssignmentRow = Selectable<DriverAssignmentTable>;
export type DriverLinkRow = Selectable<DriverLinkTable>;
