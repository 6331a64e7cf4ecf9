/**
 * Plan versions in the database: reading the version being replaced with its drivers' events,
 * writing the routes that continue under the new version, and handing the day over to it.
 *
 * Nothing a driver touched is deleted: a continued route keeps its row, its id and its stops up
 * to its last event; only its unvisited stops (no events by construction) are replaced. Routes of
 * the replaced version that never started stay with that version, so their manifests still answer
 * and name the version that replaced them.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { inTransaction } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { localSecondsToIso } from '../planning/day-model.ts';
import { reuseStopIds, type ContinuedRoute, type LockedRoute, type PreviousRoute } from '../planning/replan.ts';
import type { DaySettings, PlannedStopKind, Tier } from '../planning/types.ts';
import { chunks } from '../util/chunks.ts';
import { stopRow } from './plan.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Seconds after local midnight of `date` for an ISO instant. */
export function secondsOfDay(iso: string, date: string, utcOffsetMinutes: number): number {
  const midnight = Date.parse(`${date}T00:00:00.000Z`) - utcOffsetMinutes * 60_000;
  return Math.round((Date.parse(iso) - midnight) / 1000);
}

/** A version's routes with their stops, items and the latest driver event per stop. */
export async function loadPreviousRoutes(db: Db, planId: string, serviceDate: string, utcOffsetMinutes: number): Promise<PreviousRoute[]> {
  const routes = await db.selectFrom('routes').select(['id', 'tier', 'hub_id', 'vehicle_id']).where('plan_id', '=', planId).orderBy('id').execute();
  if (routes.length === 0) return [];
  const stops = await db
    .selectFrom('stops')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .select(['stops.id', 'stops.route_id', 'stops.seq', 'stops.kind', 'stops.station_code', 'stops.hub_id', 'stops.trip', 'stops.arrival_at', 'stops.departure_at'])
    .where('routes.plan_id', '=', planId)
    .orderBy('stops.route_id')
    .orderBy('stops.seq')
    .execute();
  const [parcels, pickups, events] = await Promise.all([
    db.selectFrom('parcels').innerJoin('stops', 'stops.id', 'parcels.stop_id').innerJoin('routes', 'routes.id', 'stops.route_id').select(['parcels.id', 'parcels.stop_id']).where('routes.plan_id', '=', planId).orderBy('parcels.id').execute(),
    db.selectFrom('pickups').innerJoin('stops', 'stops.id', 'pickups.stop_id').innerJoin('routes', 'routes.id', 'stops.route_id').select(['pickups.id', 'pickups.stop_id']).where('routes.plan_id', '=', planId).orderBy('pickups.id').execute(),
    // By route, not by plan: a continued route's events were recorded under an earlier version.
    db
      .selectFrom('stop_events')
      .innerJoin('routes', 'routes.id', 'stop_events.route_id')
      .select((eb) => ['stop_events.stop_id', eb.fn.max('stop_events.at').as('last')])
      .where('routes.plan_id', '=', planId)
      .groupBy('stop_events.stop_id')
      .execute(),
  ]);
  const group = <T extends { stop_id: string | null; id: string }>(rows: T[]) => {
    const m = new Map<string, string[]>();
    for (const r of rows) {
      if (r.stop_id === null) continue;
      const list = m.get(r.stop_id) ?? [];
      list.push(r.id);
      m.set(r.stop_id, list);
    }
    return m;
  };
  const parcelsOf = group(parcels);
  const pickupsOf = group(pickups);
  const lastEvent = new Map(events.map((e) => [e.stop_id, String(e.last)]));
  const sec = (iso: string) => secondsOfDay(iso, serviceDate, utcOffsetMinutes);
  return routes.map((r) => ({
    routeId: r.id,
    tier: r.tier as Tier,
    hubId: r.hub_id,
    vehicleId: r.vehicle_id,
    stops: stops
      .filter((s) => s.route_id === r.id)
      .map((s) => {
        const last = lastEvent.get(s.id);
        return {
          stopId: s.id,
          seq: s.seq,
          kind: s.kind as PlannedStopKind,
          stationCode: s.station_code,
          hubId: s.hub_id,
          trip: s.trip,
          arrivalS: sec(s.arrival_at),
          departureS: sec(s.departure_at),
          parcelIds: parcelsOf.get(s.id) ?? [],
          pickupIds: pickupsOf.get(s.id) ?? [],
          lastEventS: last === undefined ? null : sec(last),
        };
      }),
  }));
}

export async function brokenDownVehicles(db: Db, serviceDate: string): Promise<Set<string>> {
  const rows = await db.selectFrom('vehicle_breakdowns').select('vehicle_id').where('service_date', '=', serviceDate).execute();
  return new Set(rows.map((r) => r.vehicle_id));
}

/**
 * Writes continued routes in place: the route row keeps its id (its numbers updated), its stops
 * after the locked prefix are replaced by the re-planned ones (reusing a replaced stop's id at the
 * same station), and the parcels and pickups on them point at their new stops. Parcels of a
 * replaced stop that the re-plan put nowhere go back to the pool. Idempotent (a retried step
 * replaces the same stops again).
 */
export async function storeContinuedRoutes(
  db: Db,
  planId: string,
  continued: readonly ContinuedRoute[],
  locked: readonly Pick<LockedRoute, 'routeId' | 'prefix' | 'unvisited'>[],
  settings: DaySettings,
  now: string,
): Promise<void> {
  const iso = (s: number) => localSecondsToIso(settings.serviceDate, s, settings.utcOffsetMinutes);
  const lockedOf = new Map(locked.map((l) => [l.routeId, l]));
  await inTransaction(db, async (trx) => {
    for (const c of continued) {
      const l = lockedOf.get(c.routeId);
      if (!l) continue;
      const lastSeq = l.prefix[l.prefix.length - 1]!.seq;
      const replaced = await trx.selectFrom('stops').select(['id', 'station_code']).where('route_id', '=', c.routeId).where('seq', '>', lastSeq).orderBy('seq').execute();
      const replacedIds = replaced.map((s) => s.id);
      for (const part of chunks(replacedIds, 500)) {
        await trx.updateTable('parcels').set({ status: 'sorted', stop_id: null, updated_at: now }).where('stop_id', 'in', part).where('status', 'in', ['planned', 'out_for_delivery']).execute();
        await trx.updateTable('pickups').set({ status: 'requested', stop_id: null, updated_at: now }).where('stop_id', 'in', part).where('status', '=', 'planned').execute();
        await trx.deleteFrom('stops').where('id', 'in', part).execute();
      }
      const ids = reuseStopIds(replaced.map((s) => ({ stopId: s.id, stationCode: s.station_code })), c.stops, randomUUID);
      const rows = c.stops.map((s, k) => stopRow(ids[k]!, c.routeId, s, iso));
      for (const part of chunks(rows, 200)) await trx.insertInto('stops').values(part).execute();
      const route = await trx.selectFrom('routes').select(['load_json', 'start_at']).where('id', '=', c.routeId).executeTakeFirstOrThrow();
      const load = JSON.parse(route.load_json) as Record<string, unknown> & { peak?: number[] };
      const peak = (load.peak ?? [0, 0, 0]).map((p, d) => Math.max(p, c.peakLoad[d] ?? 0));
      await trx
        .updateTable('routes')
        .set({ distance_m: c.distanceM, duration_s: Math.max(0, c.endS - c.startS), trips: c.trips, end_at: iso(c.endS), load_json: JSON.stringify({ ...load, peak }) })
        .where('id', '=', c.routeId)
        .execute();
      for (let k = 0; k < c.stops.length; k++) {
        const s = c.stops[k]!;
        for (const part of chunks(s.parcelIds, 500)) {
          await trx.updateTable('parcels').set({ status: 'planned', plan_id: planId, stop_id: ids[k]!, status_reason: null, updated_at: now }).where('id', 'in', part).execute();
        }
        for (const part of chunks(s.pickupIds, 500)) {
          await trx.updateTable('pickups').set({ status: 'planned', plan_id: planId, stop_id: ids[k]!, updated_at: now }).where('id', 'in', part).execute();
        }
      }
    }
  });
}

/**
 * Hands the day to the new version once it is complete: the routes it continues (and the kept
 * line-haul) move to it with their stops, items and events; whatever the replaced version still
 * holds on its unstarted routes and was not re-planned goes back to the pool; the replaced
 * version points at its successor, and the successor inherits its life-cycle state (a re-plan of
 * a published day is what the drivers now see).
 */
export async function adoptVersion(trx: Transaction<Database>, planId: string, replacedId: string, movedRouteIds: readonly string[], now: string): Promise<void> {
  for (const part of chunks([...movedRouteIds], 200)) {
    await trx.updateTable('routes').set({ plan_id: planId }).where('id', 'in', part).execute();
    await trx.updateTable('stop_events').set({ plan_id: planId }).where('route_id', 'in', part).execute();
    const stops = trx.selectFrom('stops').select('id').where('route_id', 'in', part);
    await trx.updateTable('parcels').set({ plan_id: planId }).where('stop_id', 'in', stops).execute();
    await trx.updateTable('pickups').set({ plan_id: planId }).where('stop_id', 'in', stops).execute();
  }
  // Returns riding the kept line-haul go with it (handed back when the new version's day closes);
  // those the new version plans again it marks itself (markReturnsCarried).
  await trx.updateTable('parcels').set({ plan_id: planId }).where('plan_id', '=', replacedId).where('status', '=', 'returning').execute();
  const leftOn = trx.selectFrom('stops').innerJoin('routes', 'routes.id', 'stops.route_id').select('stops.id').where('routes.plan_id', '=', replacedId);
  await trx.updateTable('parcels').set({ status: 'sorted', stop_id: null, plan_id: planId, updated_at: now }).where('stop_id', 'in', leftOn).where('status', '=', 'planned').execute();
  await trx.updateTable('pickups').set({ status: 'requested', stop_id: null, updated_at: now }).where('stop_id', 'in', leftOn).where('status', '=', 'planned').execute();
  const replaced = await trx.selectFrom('plans').select(['state', 'published_at']).where('id', '=', replacedId).executeTakeFirstOrThrow();
  await trx.updateTable('plans').set({ replaced_by_plan_id: planId }).where('id', '=', replacedId).execute();
  await trx.updateTable('plans').set({ state: replaced.state === 'closed' ? 'in_progress' : replaced.state, published_at: replaced.published_at }).where('id', '=', planId).execute();
}
