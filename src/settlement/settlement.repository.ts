/**
 * Reads and writes of the settlement: a stored plan's routes with the work on each stop, and
 * the frozen settlement rows of closed days.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { DEFAULT_COUNTY_ID, type Database, type PlanRow, type SettlementTable } from '../db/schema.ts';
import { SHARED_PICKUPS } from '../planning/metrics.ts';
import type { NetworkIndex } from '../planning/network-index.ts';
import type { WorkRoute } from './work.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The plan's routes as work routes. Village stops carry their parcels and pickups; a line-haul
 * stop at a township centre carries what that centre's village routes deliver and collect today
 * (the bins it unloads and the produce it takes back), which is what the truck goes there for.
 */
export async function loadPlanWork(db: Db, planId: string, index: Pick<NetworkIndex, 'hubPoint' | 'stationPoint'>): Promise<{ routes: WorkRoute[]; courierOf: Map<string, string> }> {
  const routes = await db
    .selectFrom('routes')
    .leftJoin('vehicles', 'vehicles.id', 'routes.vehicle_id')
    .select(['routes.id', 'routes.tier', 'routes.hub_id', 'routes.vehicle_id', 'routes.distance_m', 'routes.duration_s', 'routes.cost_fen', 'routes.load_json', 'vehicles.fixed_cost_fen', 'vehicles.cost_per_km_fen', 'vehicles.speed_kmh'])
    .where('routes.plan_id', '=', planId)
    .orderBy('routes.id')
    .execute();
  const stops = await db
    .selectFrom('stops')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .select(['stops.id', 'stops.route_id', 'stops.seq', 'stops.kind', 'stops.station_code', 'stops.hub_id', 'stops.arrival_at', 'stops.departure_at'])
    .where('routes.plan_id', '=', planId)
    .orderBy('stops.route_id')
    .orderBy('stops.seq')
    .execute();
  const stopIds = db.selectFrom('stops').innerJoin('routes', 'routes.id', 'stops.route_id').select('stops.id').where('routes.plan_id', '=', planId);
  const [parcels, pickups] = await Promise.all([
    db.selectFrom('parcels').select(['id', 'courier_code', 'stop_id']).where('stop_id', 'in', stopIds).execute(),
    db.selectFrom('pickups').select(['id', 'courier_code', 'stop_id']).where('stop_id', 'in', stopIds).execute(),
  ]);
  const courierOf = new Map<string, string>();
  const itemsAt = new Map<string, string[]>();
  const add = (stopId: string | null, id: string) => {
    if (stopId === null) return;
    const l = itemsAt.get(stopId);
    if (l) l.push(id);
    else itemsAt.set(stopId, [id]);
  };
  for (const p of parcels) {
    courierOf.set(p.id, p.courier_code);
    add(p.stop_id, p.id);
  }
  // Pickups booked without a courier count as one more operator, as in the savings report.
  for (const p of pickups) {
    courierOf.set(p.id, p.courier_code ?? SHARED_PICKUPS);
    add(p.stop_id, p.id);
  }
  const routeHub = new Map(routes.map((r) => [r.id, { tier: r.tier, hub: r.hub_id }]));
  const itemsOfHub = new Map<string, string[]>();
  for (const s of stops) {
    const r = routeHub.get(s.route_id)!;
    if (r.tier !== 'village') continue;
    const items = itemsAt.get(s.id);
    if (!items) continue;
    const l = itemsOfHub.get(r.hub);
    if (l) l.push(...items);
    else itemsOfHub.set(r.hub, [...items]);
  }
  const stopsOf = new Map<string, typeof stops>();
  for (const s of stops) {
    const l = stopsOf.get(s.route_id);
    if (l) l.push(s);
    else stopsOf.set(s.route_id, [s]);
  }
  const work: WorkRoute[] = routes.map((r) => ({
    vehicleId: r.vehicle_id,
    vehicleType: (JSON.parse(r.load_json) as { vehicle_type?: string }).vehicle_type ?? 'vehicle',
    costFen: r.cost_fen,
    fixedFen: r.fixed_cost_fen ?? 0,
    kmFen: ((r.cost_per_km_fen ?? 0) * r.distance_m) / 1000,
    distanceM: r.distance_m,
    durationS: r.duration_s,
    speedKmh: r.speed_kmh ?? 40,
    stops: (stopsOf.get(r.id) ?? []).map((s) => {
      const point = s.station_code !== null ? index.stationPoint.get(s.station_code) : index.hubPoint.get(s.hub_id ?? '');
      if (point === undefined) throw new Error(`stop ${s.id} is at a place the network does not know (${s.station_code ?? s.hub_id})`);
      const service = s.kind === 'station' || s.kind === 'hub';
      const items = !service ? [] : r.tier === 'line_haul' ? (s.hub_id !== null && s.hub_id !== r.hub_id ? (itemsOfHub.get(s.hub_id) ?? []) : []) : (itemsAt.get(s.id) ?? []);
      return { point, serviceS: Math.max(0, (Date.parse(s.departure_at) - Date.parse(s.arrival_at)) / 1000), items };
    }),
  }));
  return { routes: work, courierOf };
}

export type FrozenRow = Selectable<SettlementTable>;

export async function findPlan(db: Db, planId: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirst();
}

/** Inserts a date's frozen settlement unless it has one (a closed day's settlement never changes). */
export async function insertFrozen(db: Db, row: FrozenRow): Promise<void> {
  await db.insertInto('settlements').values(row).onConflict((oc) => oc.columns(['county_id', 'service_date']).doNothing()).execute();
}

export async function frozenBetween(db: Db, from: string, to: string, countyId: string = DEFAULT_COUNTY_ID): Promise<FrozenRow[]> {
  return db.selectFrom('settlements').selectAll().where('county_id', '=', countyId).where('service_date', '>=', from).where('service_date', '<=', to).orderBy('service_date').execute();
}

/** Completed, not replaced plans with a settlement, per date latest version first. */
export async function completedPlansBetween(db: Db, from: string, to: string, countyId: string = DEFAULT_COUNTY_ID): Promise<PlanRow[]> {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('county_id', '=', countyId)
    .where('service_date', '>=', from)
    .where('service_date', '<=', to)
    .where('status', '=', 'completed')
    .where('replaced_by_plan_id', 'is', null)
    .where('settlement_json', 'is not', null)
    .orderBy('service_date')
    .orderBy('version', 'desc')
    .orderBy('finished_at', 'desc')
    .execute();
}
