/**
 * A small planned day on the intake tests' fixture network (two townships, four stations):
 * two village routes with their stops, parcels and a pickup, written straight into the tables
 * the planner fills, so these tests do not depend on the solver. The plan is published (drivers
 * report only on a published plan).
 *
 * route A (driver-1, van-guocun): hub-guocun → 郭村 (2 ZTO + 1 YTO parcels, 1 pickup) → 小河 (1 ZTO) → hub-guocun
 * route B (driver-2, van-guxian): hub-guxian → 故县 (1 YTO) → hub-guxian
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../src/db/schema.ts';
import { STATIONS } from '../http/helpers.ts';

export const DAY = '2026-11-20';

/**
 * A clock at noon of the fixture's service day: an event a driver posts without `at` is stamped
 * now, and the server refuses it outside the route's day (pass as `app: { clock: DURING_DAY }`).
 */
export const DURING_DAY = (): Date => new Date(`${DAY}T12:00:00.000+08:00`);

export interface PlannedDay {
  readonly planId: string;
  readonly routeA: string;
  readonly routeB: string;
  readonly stops: { readonly guocun: string; readonly xiaohe: string; readonly guxian: string; readonly startA: string };
  readonly waybills: { readonly guocun: string[]; readonly xiaohe: string[]; readonly guxian: string[] };
  readonly pickupId: string;
}

const at = (hhmm: string) => `${DAY}T${hhmm}:00.000+08:00`;
const iso = (hhmm: string) => new Date(at(hhmm)).toISOString();

export async function seedPlannedDay(db: Kysely<Database>): Promise<PlannedDay> {
  const now = new Date().toISOString();
  const planId = `plan-${randomUUID()}`;
  const vehicle = (id: string, hub: string, driver: string) => ({
    id, hub_id: hub, type: 'van', name: `${id} name`, capacity_g: 800_000, capacity_cm3: 4_000_000, range_m: null, cold_chain: 0, max_trips: 1,
    speed_kmh: 40, fixed_cost_fen: 0, cost_per_km_fen: 100, cost_per_hour_fen: 0, driver_id: driver, active: 1,
  });
  await db.insertInto('vehicles').values([vehicle('van-guocun', 'hub-guocun', 'driver-1'), vehicle('van-guxian', 'hub-guxian', 'driver-2')]).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db.insertInto('plans').values({ id: planId, service_date: DAY, status: 'completed', state: 'published', published_at: now, progress: 100, seed: 1, cutoff_at: iso('06:00'), created_at: now, started_at: now, finished_at: now, error: null, summary_json: JSON.stringify({ unassigned: { byReason: { capacity: 2 }, items: [{ kind: 'parcel', id: 'unplaced-parcel', stationCode: '140430101201', tier: 'village', reason: 'capacity' }, { kind: 'pickup', id: 'unplaced-pickup', stationCode: '140430101201', tier: 'village', reason: 'capacity' }] } }), savings_json: null }).execute();
  const route = (id: string, hub: string, vehicleId: string, driver: string) => ({
    id, plan_id: planId, tier: 'village' as const, hub_id: hub, vehicle_id: vehicleId, driver_id: driver, trips: 1, distance_m: 23_400, duration_s: 7200, cost_fen: 5000,
    start_at: iso('08:00'), end_at: iso('10:00'), load_json: JSON.stringify({ vehicle_type: 'van', peak: [5000, 30000, 5], capacity: [800000, 4000000, 10000], units: ['g', 'cm3', 'pieces'] }), geometry_json: null,
  });
  const routeA = randomUUID();
  const routeB = randomUUID();
  await db.insertInto('routes').values([route(routeA, 'hub-guocun', 'van-guocun', 'driver-1'), route(routeB, 'hub-guxian', 'van-guxian', 'driver-2')]).execute();
  const stop = (routeId: string, seq: number, kind: string, station: string | null, hub: string | null, arr: string, deliver = 0, pickup = 0) => ({
    id: randomUUID(), route_id: routeId, seq, kind, station_code: station, hub_id: hub, trip: 1, arrival_at: iso(arr), departure_at: iso(arr), deliver_count: deliver, pickup_count: pickup, load_json: '[0,0,0]',
  });
  const stopsA = [stop(routeA, 0, 'start', null, 'hub-guocun', '08:00'), stop(routeA, 1, 'station', STATIONS.guocun, null, '08:20', 3, 1), stop(routeA, 2, 'station', STATIONS.xiaoheA, null, '08:50', 1), stop(routeA, 3, 'end', null, 'hub-guocun', '10:00')];
  const stopsB = [stop(routeB, 0, 'start', null, 'hub-guxian', '08:00'), stop(routeB, 1, 'station', STATIONS.guxian, null, '08:30', 1), stop(routeB, 2, 'end', null, 'hub-guxian', '10:00')];
  await db.insertInto('stops').values([...stopsA, ...stopsB]).execute();

  const parcel = (courier: string, waybill: string, station: string, stopId: string, phone: string) => ({
    id: randomUUID(), courier_code: courier, waybill, station_code: station, destination_json: JSON.stringify({ stationCode: station }), weight_g: 1200, length_cm: 30, width_cm: 20, height_cm: 15,
    volume_cm3: 9000, cold_chain: 0, fragile: 0, cod_amount_fen: 0, recipient_name: '张三丰', recipient_phone: phone, promised_date: DAY, body_hash: 'x', status: 'planned' as const,
    hub_id: 'hub-guocun', plan_id: planId, stop_id: stopId, received_at: iso('05:00'), updated_at: now,
  });
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
  const waybills = { guocun: [`ZT1${suffix}`, `ZT2${suffix}`, `YT3${suffix}`], xiaohe: [`ZT4${suffix}`], guxian: [`YT5${suffix}`] };
  await db
    .insertInto('parcels')
    .values([
      parcel('ZTO', waybills.guocun[0]!, STATIONS.guocun, stopsA[1]!.id, '13812345678'),
      parcel('ZTO', waybills.guocun[1]!, STATIONS.guocun, stopsA[1]!.id, '13900001111'),
      parcel('YTO', waybills.guocun[2]!, STATIONS.guocun, stopsA[1]!.id, '13722223333'),
      parcel('ZTO', waybills.xiaohe[0]!, STATIONS.xiaoheA, stopsA[2]!.id, '13544445555'),
      parcel('YTO', waybills.guxian[0]!, STATIONS.guxian, stopsB[1]!.id, '13666667777'),
    ])
    .execute();
  const pickupId = randomUUID();
  await db.insertInto('pickups').values({ id: pickupId, courier_code: 'ZTO', station_code: STATIONS.guocun, shipper_name: '李四', shipper_phone: '13511112222', description: '沁州黄小米', weight_g: 20_000, volume_cm3: 40_000, pieces: 2, cold_chain: 0, ready_date: DAY, body_hash: 'y', status: 'planned', plan_id: planId, stop_id: stopsA[1]!.id, created_at: now, updated_at: now }).execute();
  return { planId, routeA, routeB, stops: { guocun: stopsA[1]!.id, xiaohe: stopsA[2]!.id, guxian: stopsB[1]!.id, startA: stopsA[0]!.id }, waybills, pickupId };
}
