/**
 * Driver manifests: what a driver carries and where it goes, stop by stop.
 *
 * Village routes list every parcel to drop (waybill, courier, recipient with a masked phone) and
 * every pickup to collect. Line-haul routes carry township bins, not single parcels to hand
 * over, so their stops list the bins by courier (count, weight) instead of thousands of waybills.
 * The loading order is the stops of each trip in reverse: what comes off last goes in first.
 *
 * Access: the route's driver and dispatchers/admins. Another driver gets 404 (the route's
 * existence is none of their business); courier keys are refused by role (403).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { round6, wgs84ToGcj02 } from '../network/gcj02.ts';

/** A driver reads their own routes; a phone session (serviceDate set) only that date's. */
export type Reader = ({ readonly role: 'driver'; readonly driverId: string; readonly serviceDate?: string | undefined } | { readonly role: 'dispatcher' | 'admin' }) & {
  /** The counties the reader's key covers (undefined: every county); another county's routes are not there for it. */
  readonly counties?: readonly string[] | undefined;
};

/** A phone session bound to one service date may not read another's routes. */
function checkSessionDate(reader: Reader, date: string): void {
  if (reader.role === 'driver' && reader.serviceDate !== undefined && reader.serviceDate !== date) {
    throw new AppError('forbidden', `this sign-in is for ${reader.serviceDate}, not ${date}`);
  }
}

/** 13812345678 → 138****5678; shorter numbers keep their first and last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length >= 11) return `${digits.slice(0, digits.length - 8)}****${digits.slice(-4)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

export interface ManifestParcel {
  readonly waybill: string;
  readonly courier: string;
  readonly weightG: number;
  readonly volumeCm3: number;
  readonly coldChain: boolean;
  readonly fragile: boolean;
  readonly codAmountFen: number;
  readonly recipient: { readonly name: string; readonly phone: string };
  readonly status: string;
  /** The driver's reason when the last attempt failed (status `failed`), else null. */
  readonly failedReason: string | null;
}

export interface ManifestPickup {
  readonly id: string;
  readonly courier: string | null;
  readonly shipper: { readonly name: string; readonly phone: string };
  readonly description: string | null;
  readonly weightG: number;
  readonly volumeCm3: number;
  readonly pieces: number;
  readonly coldChain: boolean;
  readonly status: string;
}

export interface ManifestBin {
  readonly courier: string;
  readonly parcels: number;
  readonly weightG: number;
}

export interface ManifestStop {
  readonly stopId: string;
  readonly seq: number;
  /** 1…n in driving order over the stops the driver serves (stations, other hubs, reloads); null for start and end. */
  readonly number: number | null;
  readonly trip: number;
  readonly kind: string;
  readonly eta: string;
  readonly departureAt: string;
  readonly station: { readonly code: string; readonly name: string; readonly township: string | null; readonly keeper: { readonly name: string | null; readonly phone: string | null } } | null;
  readonly hub: { readonly id: string; readonly name: string } | null;
  /** Where the stop is: WGS84 (GPS, `geo:` links) and GCJ-02 (what Chinese map apps such as Amap expect). */
  readonly location: { readonly lat: number; readonly lon: number; readonly gcj02: { readonly lat: number; readonly lon: number } } | null;
  readonly parcels: ManifestParcel[];
  readonly pickups: ManifestPickup[];
  /** Line-haul only: the township bins to unload here, by courier. */
  readonly bins: ManifestBin[];
  /** Line-haul only: produce collected at this centre for the county warehouse. */
  readonly pickupsToCollect: number;
  /** What is handed over here: parcels (or bins' parcels), their weight, volume and cash on delivery to collect. */
  readonly totals: { readonly parcels: number; readonly weightG: number; readonly volumeCm3: number; readonly codFen: number; readonly pickups: number };
}

export interface Manifest {
  readonly routeId: string;
  readonly planId: string;
  readonly date: string;
  readonly tier: string;
  readonly driverId: string | null;
  /** The driver's name, printed on the manifest (null when the route has no driver on record). */
  readonly driverName: string | null;
  readonly vehicle: { readonly id: string; readonly name: string; readonly type: string };
  readonly hub: { readonly id: string; readonly name: string };
  readonly startAt: string;
  readonly endAt: string;
  readonly distanceKm: number;
  readonly trips: number;
  readonly totals: { readonly stops: number; readonly parcels: number; readonly pickups: number; readonly weightG: number };
  readonly stops: ManifestStop[];
  /** Per trip, the order to load at the depot: last stop first. */
  readonly loadingOrder: { readonly trip: number; readonly stops: { readonly stopId: string; readonly seq: number; readonly name: string; readonly waybills: string[]; readonly parcels: number }[] }[];
  /**
   * Set when a re-plan replaced this route's version and the route did not continue into it: the
   * current version, and the vehicle's route in it (null when the vehicle has none now).
   */
  readonly replacedBy: { readonly planId: string; readonly routeId: string | null } | null;
}

export interface ManifestSummary {
  readonly routeId: string;
  readonly planId: string;
  readonly date: string;
  readonly tier: string;
  readonly driverId: string | null;
  readonly vehicleId: string;
  readonly hubId: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly stops: number;
  readonly links: { readonly json: string; readonly html: string };
}

/** Routes of a service date the reader may see (a driver: their own; dispatchers: all). */
export async function listManifests(db: Kysely<Database>, reader: Reader, date: string): Promise<ManifestSummary[]> {
  checkSessionDate(reader, date);
  let q = db
    .selectFrom('routes')
    .innerJoin('plans', 'plans.id', 'routes.plan_id')
    .select((eb) => [
      'routes.id',
      'routes.plan_id',
      'plans.service_date',
      'routes.tier',
      'routes.driver_id',
      'routes.vehicle_id',
      'routes.hub_id',
      'routes.start_at',
      'routes.end_at',
      eb.selectFrom('stops').select(eb.fn.countAll<number>().as('n')).whereRef('stops.route_id', '=', 'routes.id').where('stops.kind', 'in', ['station', 'hub']).as('stops'),
    ])
    .where('plans.service_date', '=', date)
    // The current version only: a re-plan's replaced version is history (its manifests still answer).
    .where('plans.status', '=', 'completed')
    .where('plans.replaced_by_plan_id', 'is', null)
    .orderBy('routes.tier')
    .orderBy('routes.start_at')
    .orderBy('routes.id');
  if (reader.role === 'driver') q = q.where('routes.driver_id', '=', reader.driverId);
  if (reader.counties !== undefined) q = q.where('plans.county_id', 'in', [...reader.counties]);
  const rows = await q.execute();
  return rows.map((r) => ({
    routeId: r.id,
    planId: r.plan_id,
    date: r.service_date,
    tier: r.tier,
    driverId: r.driver_id,
    vehicleId: r.vehicle_id,
    hubId: r.hub_id,
    startAt: r.start_at,
    endAt: r.end_at,
    stops: Number(r.stops ?? 0),
    links: { json: `/v1/manifests/${r.id}`, html: `/v1/manifests/${r.id}.html` },
  }));
}

export async function buildManifest(db: Kysely<Database>, reader: Reader, routeId: string): Promise<Manifest> {
  const route = await db
    .selectFrom('routes')
    .innerJoin('plans', 'plans.id', 'routes.plan_id')
    .innerJoin('hubs', 'hubs.id', 'routes.hub_id')
    .leftJoin('vehicles', 'vehicles.id', 'routes.vehicle_id')
    .leftJoin('drivers', 'drivers.id', 'routes.driver_id')
    .select([
      'routes.id',
      'routes.plan_id',
      'routes.tier',
      'routes.hub_id',
      'routes.vehicle_id',
      'routes.driver_id',
      'drivers.name as driver_name',
      'routes.trips',
      'routes.distance_m',
      'routes.start_at',
      'routes.end_at',
      'routes.load_json',
      'plans.service_date',
      'plans.replaced_by_plan_id',
      'plans.county_id',
      'hubs.name as hub_name',
      'vehicles.name as vehicle_name',
      'vehicles.type as vehicle_type',
    ])
    .where('routes.id', '=', routeId)
    .executeTakeFirst();
  // Another county's route is as unknown as a route that does not exist (its existence is not told).
  if (route === undefined || (reader.role === 'driver' && route.driver_id !== reader.driverId) || (reader.counties !== undefined && !reader.counties.includes(route.county_id))) throw new AppError('not_found', 'no such route on your manifests');
  checkSessionDate(reader, route.service_date);

  const stops = await db
    .selectFrom('stops')
    .leftJoin('stations', 'stations.code', 'stops.station_code')
    .leftJoin('townships', 'townships.code', 'stations.township_code')
    .leftJoin('hubs', 'hubs.id', 'stops.hub_id')
    .select([
      'stops.id',
      'stops.seq',
      'stops.trip',
      'stops.kind',
      'stops.station_code',
      'stops.hub_id',
      'stops.arrival_at',
      'stops.departure_at',
      'stations.name as station_name',
      'stations.keeper_name',
      'stations.lat as station_lat',
      'stations.lon as station_lon',
      'hubs.lat as hub_lat',
      'hubs.lon as hub_lon',
      'stations.keeper_phone',
      'townships.name as township_name',
      'hubs.name as hub_name',
    ])
    .where('stops.route_id', '=', routeId)
    .orderBy('stops.seq')
    .execute();
  const stopIds = stops.map((s) => s.id);
  const parcels =
    stopIds.length === 0
      ? []
      : await db
          .selectFrom('parcels')
          .select(['id', 'stop_id', 'waybill', 'courier_code', 'weight_g', 'volume_cm3', 'cold_chain', 'fragile', 'cod_amount_fen', 'recipient_name', 'recipient_phone', 'status'])
          .where('stop_id', 'in', stopIds)
          .orderBy('courier_code')
          .orderBy('waybill')
          .execute();
  const pickups =
    stopIds.length === 0
      ? []
      : await db
          .selectFrom('pickups')
          .select(['id', 'stop_id', 'courier_code', 'shipper_name', 'shipper_phone', 'description', 'weight_g', 'volume_cm3', 'pieces', 'cold_chain', 'status'])
          .where('stop_id', 'in', stopIds)
          .orderBy('id')
          .execute();

  // Line-haul: the bins for each township centre are the parcels its village routes carry today.
  const binsByHub = new Map<string, (ManifestBin & { volumeCm3: number })[]>();
  const pickupsByHub = new Map<string, number>();
  if (route.tier === 'line_haul') {
    const hubIds = [...new Set(stops.map((s) => s.hub_id).filter((h): h is string => h !== null && h !== route.hub_id))];
    if (hubIds.length > 0) {
      const villageStops = db
        .selectFrom('stops')
        .innerJoin('routes', 'routes.id', 'stops.route_id')
        .select('stops.id')
        .where('routes.plan_id', '=', route.plan_id)
        .where('routes.tier', '=', 'village')
        .where('routes.hub_id', 'in', hubIds);
      const bins = await db
        .selectFrom('parcels')
        .innerJoin('stops', 'stops.id', 'parcels.stop_id')
        .innerJoin('routes', 'routes.id', 'stops.route_id')
        .select((eb) => ['routes.hub_id', 'parcels.courier_code', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('parcels.weight_g').as('g'), eb.fn.sum<number>('parcels.volume_cm3').as('v')])
        .where('parcels.stop_id', 'in', villageStops)
        .groupBy(['routes.hub_id', 'parcels.courier_code'])
        .orderBy('routes.hub_id')
        .orderBy('parcels.courier_code')
        .execute();
      for (const b of bins) {
        const list = binsByHub.get(b.hub_id) ?? [];
        list.push({ courier: b.courier_code, parcels: Number(b.n), weightG: Number(b.g ?? 0), volumeCm3: Number(b.v ?? 0) });
        binsByHub.set(b.hub_id, list);
      }
      const ups = await db
        .selectFrom('pickups')
        .innerJoin('stops', 'stops.id', 'pickups.stop_id')
        .innerJoin('routes', 'routes.id', 'stops.route_id')
        .select((eb) => ['routes.hub_id', eb.fn.countAll<number>().as('n')])
        .where('pickups.stop_id', 'in', villageStops)
        .groupBy('routes.hub_id')
        .execute();
      for (const u of ups) pickupsByHub.set(u.hub_id, Number(u.n));
    }
  }

  // Why the last attempt failed, for the parcels that are `failed` now.
  const failedIds = parcels.filter((p) => p.status === 'failed').map((p) => p.id);
  const failedReason = new Map<string, string>();
  for (let i = 0; i < failedIds.length; i += 500) {
    const events = await db
      .selectFrom('parcel_events')
      .select(['parcel_id', 'details_json'])
      .where('parcel_id', 'in', failedIds.slice(i, i + 500))
      .where('type', '=', 'failed')
      .orderBy('at')
      .execute();
    for (const e of events) {
      const reason = e.details_json ? (JSON.parse(e.details_json) as { reason?: string }).reason : undefined;
      if (reason) failedReason.set(e.parcel_id, reason);
    }
  }

  const parcelsByStop = groupBy(parcels, (p) => p.stop_id!);
  const pickupsByStop = groupBy(pickups, (p) => p.stop_id!);
  let number = 0;
  const manifestStops: ManifestStop[] = stops.map((s) => {
    const isOwnDepot = s.hub_id !== null && s.hub_id === route.hub_id;
    const served = s.kind === 'station' || s.kind === 'reload' || (s.kind === 'hub' && !isOwnDepot);
    const stopParcels = parcelsByStop.get(s.id) ?? [];
    const stopBins = s.hub_id !== null && !isOwnDepot ? (binsByHub.get(s.hub_id) ?? []) : [];
    const stopPickups = pickupsByStop.get(s.id) ?? [];
    const pickupsToCollect = s.hub_id !== null && !isOwnDepot ? (pickupsByHub.get(s.hub_id) ?? 0) : 0;
    return {
      stopId: s.id,
      seq: s.seq,
      number: served ? ++number : null,
      trip: s.trip,
      kind: s.kind,
      eta: s.arrival_at,
      departureAt: s.departure_at,
      station: s.station_code === null ? null : { code: s.station_code, name: s.station_name ?? s.station_code, township: s.township_name, keeper: { name: s.keeper_name, phone: s.keeper_phone } },
      hub: s.hub_id === null ? null : { id: s.hub_id, name: s.hub_name ?? s.hub_id },
      location: locationOf(s.station_lat ?? s.hub_lat, s.station_lon ?? s.hub_lon),
      parcels: stopParcels.map((p) => ({
        waybill: p.waybill,
        courier: p.courier_code,
        weightG: p.weight_g,
        volumeCm3: p.volume_cm3,
        coldChain: p.cold_chain !== 0,
        fragile: p.fragile !== 0,
        codAmountFen: p.cod_amount_fen,
        recipient: { name: p.recipient_name, phone: maskPhone(p.recipient_phone) },
        status: p.status,
        failedReason: p.status === 'failed' ? (failedReason.get(p.id) ?? null) : null,
      })),
      pickups: stopPickups.map((p) => ({
        id: p.id,
        courier: p.courier_code,
        shipper: { name: p.shipper_name, phone: maskPhone(p.shipper_phone) },
        description: p.description,
        weightG: p.weight_g,
        volumeCm3: p.volume_cm3,
        pieces: p.pieces,
        coldChain: p.cold_chain !== 0,
        status: p.status,
      })),
      bins: stopBins.map((b) => ({ courier: b.courier, parcels: b.parcels, weightG: b.weightG })),
      pickupsToCollect,
      totals: {
        parcels: stopParcels.length + stopBins.reduce((a, b) => a + b.parcels, 0),
        weightG: stopParcels.reduce((a, p) => a + p.weight_g, 0) + stopBins.reduce((a, b) => a + b.weightG, 0),
        volumeCm3: stopParcels.reduce((a, p) => a + p.volume_cm3, 0) + stopBins.reduce((a, b) => a + b.volumeCm3, 0),
        codFen: stopParcels.reduce((a, p) => a + p.cod_amount_fen, 0),
        pickups: stopPickups.length + pickupsToCollect,
      },
    };
  });

  const serviceStops = manifestStops.filter((s) => s.kind === 'station' || (s.kind === 'hub' && s.hub?.id !== route.hub_id));
  const trips = [...new Set(serviceStops.map((s) => s.trip))].sort((a, b) => a - b);
  const loadingOrder = trips.map((trip) => ({
    trip,
    stops: serviceStops
      .filter((s) => s.trip === trip)
      .reverse()
      .map((s) => ({
        stopId: s.stopId,
        seq: s.seq,
        name: s.station?.name ?? s.hub?.name ?? s.stopId,
        waybills: s.parcels.map((p) => p.waybill),
        parcels: s.parcels.length + s.bins.reduce((a, b) => a + b.parcels, 0),
      })),
  }));
  const vehicleType = route.vehicle_type ?? (JSON.parse(route.load_json) as { vehicle_type?: string }).vehicle_type ?? 'vehicle';
  const allParcels = manifestStops.flatMap((s) => s.parcels);
  return {
    routeId: route.id,
    planId: route.plan_id,
    date: route.service_date,
    tier: route.tier,
    driverId: route.driver_id,
    driverName: route.driver_name ?? null,
    vehicle: { id: route.vehicle_id, name: route.vehicle_name ?? route.vehicle_id, type: vehicleType },
    hub: { id: route.hub_id, name: route.hub_name },
    startAt: route.start_at,
    endAt: route.end_at,
    distanceKm: Math.round(route.distance_m / 100) / 10,
    trips: route.trips,
    totals: {
      stops: serviceStops.length,
      parcels: allParcels.length + manifestStops.reduce((a, s) => a + s.bins.reduce((x, b) => x + b.parcels, 0), 0),
      pickups: manifestStops.reduce((a, s) => a + s.pickups.length + s.pickupsToCollect, 0),
      weightG: allParcels.reduce((a, p) => a + p.weightG, 0) + manifestStops.reduce((a, s) => a + s.bins.reduce((x, b) => x + b.weightG, 0), 0),
    },
    stops: manifestStops,
    loadingOrder,
    replacedBy: route.replaced_by_plan_id === null ? null : await successorOf(db, route.replaced_by_plan_id, route.vehicle_id),
  };
}

function locationOf(lat: number | null, lon: number | null): ManifestStop['location'] {
  if (lat === null || lon === null) return null;
  const g = wgs84ToGcj02({ lat, lon });
  return { lat, lon, gcj02: { lat: round6(g.lat), lon: round6(g.lon) } };
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const l = out.get(k);
    if (l === undefined) out.set(k, [item]);
    else l.push(item);
  }
  return out;
}

/** The newest version after `planId` (following the chain) and the vehicle's route in it. */
async function successorOf(db: Kysely<Database>, planId: string, vehicleId: string): Promise<{ planId: string; routeId: string | null }> {
  let current = planId;
  for (let hops = 0; hops < 100; hops++) {
    const next = await db.selectFrom('plans').select('replaced_by_plan_id').where('id', '=', current).executeTakeFirst();
    if (!next?.replaced_by_plan_id) break;
    current = next.replaced_by_plan_id;
  }
  const route = await db.selectFrom('routes').select('id').where('plan_id', '=', current).where('vehicle_id', '=', vehicleId).orderBy('start_at').executeTakeFirst();
  return { planId: current, routeId: route?.id ?? null };
}
