/**
 * Plans, routes and stops in the database, and the parcel/pickup status changes planning makes.
 *
 * Every write is idempotent, because a queue job may run twice (a retry, or a worker killed
 * after the write but before acknowledging): a tier's routes for a hub are replaced, never
 * appended; events have deterministic ids and are inserted with ON CONFLICT DO NOTHING.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { inTransaction, isUniqueViolation } from '../db/database.ts';
import { driversForVehicles } from '../drivers/driver.repository.ts';
import { DEFAULT_COUNTY_ID, type Database, type NewParcelRow, type PlanRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { notifyOutboxRow } from '../queue/outbox.ts';
import { localSecondsToIso } from '../planning/day-model.ts';
import type { DaySettings, PlannedRoute, PlannedStop, PlanningNetwork, Tier } from '../planning/types.ts';
import { chunks } from '../util/chunks.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A plan version's id, derived from its date and version: version 1 keeps the id it always had
 * (`gongpei-plan:DATE`), a re-plan is `gongpei-plan:DATE:vN`. Deterministic, so two processes
 * asking at once compute the same id and the database keeps one.
 */
export function planIdFor(serviceDate: string, version = 1, countyId: string = DEFAULT_COUNTY_ID): string {
  // Qin County's plans keep the ids they had before counties; another county's name it.
  const day = countyId === DEFAULT_COUNTY_ID ? serviceDate : `${countyId}:${serviceDate}`;
  const h = createHash('sha1').update(version === 1 ? `gongpei-plan:${day}` : `gongpei-plan:${day}:v${version}`).digest('hex');
  // Shaped like a UUID (version nibble 5: name-based), as the schema's ids are UUIDs.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One county's network (default Qin County): its hubs, stations and vehicles in service. */
export async function loadPlanningNetwork(db: Db, countyId: string = DEFAULT_COUNTY_ID): Promise<PlanningNetwork> {
  const [hubs, stations, vehicles] = await Promise.all([
    db.selectFrom('hubs').selectAll().where('county_id', '=', countyId).execute(),
    db.selectFrom('stations').selectAll().where('county_id', '=', countyId).execute(),
    db.selectFrom('vehicles').selectAll().where('county_id', '=', countyId).where('active', '=', 1).execute(),
  ]);
  return { hubs, stations, vehicles };
}

export async function getPlan(db: Db, planId: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirst();
}

/** The county's versions of a date, newest first. */
export async function planVersions(db: Db, serviceDate: string, countyId: string = DEFAULT_COUNTY_ID): Promise<PlanRow[]> {
  return db.selectFrom('plans').selectAll().where('county_id', '=', countyId).where('service_date', '=', serviceDate).orderBy('version', 'desc').execute();
}

/** The version drivers and dashboards work from: the newest completed one. */
export async function currentPlan(db: Db, serviceDate: string, countyId: string = DEFAULT_COUNTY_ID): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('county_id', '=', countyId).where('service_date', '=', serviceDate).where('status', '=', 'completed').orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/**
 * Asks for the date's plan. The first request makes version 1; a later one makes the next version,
 * linked to the current (newest completed) one it will replace, and never resets a finished
 * version. A version already queued or running is returned as is: one run per date at a time,
 * which the unique index `plans_one_run_per_date_uq` enforces against racing processes too. A
 * closed day is not re-planned.
 */
export async function requestPlan(
  db: Kysely<Database>,
  serviceDate: string,
  seed: number,
  cutoffIso: string,
  now: string,
  /** Runs in the transaction that creates the version (the outbox row that starts it). */
  onCreated?: (trx: Transaction<Database>, plan: PlanRow) => Promise<void>,
  /** The county whose day is planned (one run per county and date). */
  countyId: string = DEFAULT_COUNTY_ID,
): Promise<{ plan: PlanRow; start: boolean }> {
  const attempt = () =>
    db.transaction().execute(async (trx) => {
      const versions = await planVersions(trx, serviceDate, countyId);
      const running = versions.find((p) => p.status === 'queued' || p.status === 'running');
      if (running) return { plan: running, start: false };
      const current = versions.find((p) => p.status === 'completed');
      if (current?.state === 'closed') throw new AppError('conflict', `the plan of ${serviceDate} is closed; a closed day is not re-planned`, [{ path: 'date', message: 'closed' }]);
      const version = (versions[0]?.version ?? 0) + 1;
      const id = planIdFor(serviceDate, version, countyId);
      await trx
        .insertInto('plans')
        .values({
          id,
          county_id: countyId,
          service_date: serviceDate,
          status: 'queued',
          progress: 0,
          seed,
          cutoff_at: cutoffIso,
          created_at: now,
          started_at: null,
          finished_at: null,
          error: null,
          summary_json: null,
          savings_json: null,
          version,
          replaces_plan_id: current?.id ?? null,
        })
        .execute();
      const plan = (await getPlan(trx, id))!;
      await onCreated?.(trx, plan);
      return { plan, start: true };
    });
  try {
    return await attempt();
  } catch (err) {
    // Another process inserted the date's run (or the same version) first: answer with its run.
    if (!isUniqueViolation(err)) throw err;
    const running = (await planVersions(db, serviceDate, countyId)).find((p) => p.status === 'queued' || p.status === 'running');
    if (running) return { plan: running, start: false };
    return attempt();
  }
}

export async function markPlan(db: Db, planId: string, set: Partial<Pick<PlanRow, 'status' | 'progress' | 'started_at' | 'finished_at' | 'error' | 'summary_json' | 'savings_json' | 'settlement_json'>>): Promise<void> {
  await db.updateTable('plans').set(set).where('id', '=', planId).execute();
}

/** Raises progress by `delta` atomically (parallel village jobs), never past `cap`. */
export async function advanceProgress(db: Db, planId: string, delta: number, cap = 95): Promise<void> {
  await db
    .updateTable('plans')
    .set({ progress: sql<number>`CASE WHEN progress + ${sql.lit(Math.round(delta))} > ${sql.lit(cap)} THEN ${sql.lit(cap)} ELSE progress + ${sql.lit(Math.round(delta))} END` })
    .where('id', '=', planId)
    .execute();
}

/** Puts everything a previous run of this plan assigned back into the pool and drops its routes. */
export async function resetPlanAssignments(db: Kysely<Database>, planId: string, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('parcels').set({ status: 'sorted', stop_id: null, updated_at: now }).where('plan_id', '=', planId).where('status', '=', 'planned').execute();
    await trx.updateTable('pickups').set({ status: 'requested', stop_id: null, updated_at: now }).where('plan_id', '=', planId).where('status', '=', 'planned').execute();
    await trx.deleteFrom('stops').where('route_id', 'in', trx.selectFrom('routes').select('id').where('plan_id', '=', planId)).execute();
    await trx.deleteFrom('routes').where('plan_id', '=', planId).execute();
  });
}

/**
 * Replaces one tier's routes for one hub (the line-haul: the county warehouse) and, for the
 * village tier, marks the parcels and pickups on them planned with their stop.
 */
export async function storeTierRoutes(
  db: Db,
  planId: string,
  tier: Tier,
  hubId: string,
  routes: readonly PlannedRoute[],
  settings: DaySettings,
  now: string,
): Promise<void> {
  const iso = (s: number) => localSecondsToIso(settings.serviceDate, s, settings.utcOffsetMinutes);
  await inTransaction(db, async (trx) => {
    const old = trx.selectFrom('routes').select('id').where('plan_id', '=', planId).where('tier', '=', tier).where('hub_id', '=', hubId);
    await trx.deleteFrom('stops').where('route_id', 'in', old).execute();
    await trx.deleteFrom('routes').where('plan_id', '=', planId).where('tier', '=', tier).where('hub_id', '=', hubId).execute();
    // The route's driver is the one assigned to the vehicle for the date (else the vehicle's
    // standing driver): manifests and delivery events check it; a later assignment updates it.
    const drivers = await driversForVehicles(trx, settings.serviceDate, [...new Set(routes.map((r) => r.vehicleId))]);
    for (const r of routes) {
      const routeId = randomUUID();
      await trx
        .insertInto('routes')
        .values({
          id: routeId,
          plan_id: planId,
          tier,
          hub_id: hubId,
          vehicle_id: r.vehicleId,
          driver_id: drivers.get(r.vehicleId) ?? null,
          trips: r.trips,
          distance_m: r.distanceM,
          duration_s: r.durationS,
          cost_fen: r.costFen,
          start_at: iso(r.startS),
          end_at: iso(r.endS),
          load_json: JSON.stringify({ vehicle_type: r.vehicleType, peak: r.peakLoad, capacity: r.capacity, units: ['g', 'cm3', 'pieces'] }),
          geometry_json: null,
        })
        .execute();
      const stopRows = r.stops.map((s) => stopRow(randomUUID(), routeId, s, iso));
      for (const part of chunks(stopRows, 200)) await trx.insertInto('stops').values(part).execute();
      if (tier !== 'village') continue;
      for (let k = 0; k < r.stops.length; k++) {
        const s = r.stops[k]!;
        const stopId = stopRows[k]!.id;
        for (const part of chunks(s.parcelIds, 500)) {
          await trx.updateTable('parcels').set({ status: 'planned', plan_id: planId, stop_id: stopId, updated_at: now }).where('id', 'in', part).execute();
          await trx
            .insertInto('parcel_events')
            .values(part.map((id) => ({ id: `${id}-planned-${planId}`, parcel_id: id, type: 'planned', at: now, details_json: JSON.stringify({ plan_id: planId, vehicle_id: r.vehicleId }) })))
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        }
        for (const part of chunks(s.pickupIds, 500)) {
          await trx.updateTable('pickups').set({ status: 'planned', plan_id: planId, stop_id: stopId, updated_at: now }).where('id', 'in', part).execute();
        }
      }
    }
  });
}

/**
 * Marks the parcels a plan could not serve as tried by it, with the planner's reason: they stay in
 * the pool for the next day, and their courier hears why (an `unassigned` event and its webhook).
 */
export async function markUnserved(db: Db, planId: string, parcels: readonly { readonly id: string; readonly reason: string }[], now: string): Promise<void> {
  const byReason = new Map<string, string[]>();
  for (const p of parcels) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.id]);
  await inTransaction(db, async (trx) => {
    for (const [reason, ids] of byReason) {
      for (const part of chunks(ids, 500)) {
        const updated = await trx
          .updateTable('parcels')
          .set({ plan_id: planId, stop_id: null, status_reason: reason, updated_at: now })
          .where('id', 'in', part)
          .where('status', 'in', ['received', 'sorted'])
          .returning('id')
          .execute();
        if (updated.length === 0) continue;
        const events = updated.map((r) => ({ id: `${r.id}-unassigned-${planId}`, parcel_id: r.id, type: 'unassigned', at: now, details_json: JSON.stringify({ reason, plan_id: planId }) }));
        const inserted = await trx.insertInto('parcel_events').values(events).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
        if (inserted.length > 0) await trx.insertInto('outbox').values(inserted.map((e) => notifyOutboxRow({ kind: 'parcel', eventId: e.id }, now))).execute();
      }
    }
  });
}


export type { NewParcelRow };

/**
 * The items a plan's day may carry: parcels received by `until` (min of cut-off and freeze) and
 * still in the pool, on this plan, or failed on an earlier plan (they go back into the pool, see
 * isEligibleParcel); pickups ready by the service date and still requested or on this plan. With
 * `hubId`, only the parcels sorted into that hub's bin (a village step reads its own hub only).
 */
export async function loadDayItems(
  db: Kysely<Database>,
  planId: string,
  day: {
    readonly until: string;
    readonly serviceDate: string;
    readonly frozenAt: string;
    /** The plan's county: another county's parcels and pickups are never on its day. */
    readonly countyId?: string;
    readonly hubId?: string;
    /** Every version of the date: what one of them planned is this version's to plan again. */
    readonly sameDayPlanIds?: readonly string[];
    /** Stops a re-plan keeps as they are: their items are not planned again. */
    readonly fixedStopIds?: ReadonlySet<string>;
  },
) {
  const sameDay = day.sameDayPlanIds && day.sameDayPlanIds.length > 0 ? [...day.sameDayPlanIds] : [planId];
  let parcelQuery = db.selectFrom('parcels').select(['id', 'courier_code', 'station_code', 'weight_g', 'volume_cm3', 'cold_chain', 'stop_id']);
  parcelQuery = parcelQuery.where('county_id', '=', day.countyId ?? DEFAULT_COUNTY_ID);
  if (day.hubId !== undefined) parcelQuery = parcelQuery.where('hub_id', '=', day.hubId);
  const [parcels, pickups] = await Promise.all([
    parcelQuery
      .where('received_at', '<=', day.until)
      // A delivery that failed on an earlier day goes back into the pool (see isEligibleParcel);
      // one that failed today is not tried again today.
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['received', 'sorted']),
          eb.and([eb('status', '=', 'planned'), eb('plan_id', 'in', sameDay)]),
          eb.and([eb('status', '=', 'failed'), eb('plan_id', 'not in', sameDay)]),
        ]),
      )
      // By content, not by id: ids are time-ordered (UUIDv7), so the arrival order of concurrent
      // submissions would change the problem the solver sees and the same day would plan differently.
      .orderBy('courier_code')
      .orderBy('waybill')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('pickups')
      .select(['id', 'courier_code', 'station_code', 'weight_g', 'volume_cm3', 'pieces', 'cold_chain', 'stop_id'])
      .where('county_id', '=', day.countyId ?? DEFAULT_COUNTY_ID)
      .where('ready_date', '<=', day.serviceDate)
      .where('created_at', '<=', day.frozenAt)
      .where((eb) => eb.or([eb('status', '=', 'requested'), eb.and([eb('status', '=', 'planned'), eb('plan_id', 'in', sameDay)])]))
      .orderBy('station_code')
      .orderBy('courier_code')
      .orderBy('reference')
      .orderBy('body_hash')
      .orderBy('id')
      .execute(),
  ]);
  const fixed = day.fixedStopIds;
  const open = <T extends { stop_id: string | null }>(rows: T[]) => (!fixed || fixed.size === 0 ? rows : rows.filter((r) => r.stop_id === null || !fixed.has(r.stop_id)));
  return { parcels: open(parcels), pickups: open(pickups) };
}

/**
 * Returns (退回) at township centres for the day's line-haul: those waiting (return_requested)
 * and those a version of this date already put on its line-haul (returning), which a re-plan
 * plans again. In content order, like the day's parcels.
 */
export async function loadDayReturns(db: Db, sameDayPlanIds: readonly string[], countyHubId: string, countyId: string = DEFAULT_COUNTY_ID) {
  return db
    .selectFrom('parcels')
    .select(['id', 'courier_code', 'hub_id', 'weight_g', 'volume_cm3', 'status', 'plan_id'])
    .where('county_id', '=', countyId)
    .where('hub_id', 'is not', null)
    .where('hub_id', '!=', countyHubId)
    .where((eb) => eb.or([eb('status', '=', 'return_requested'), ...(sameDayPlanIds.length > 0 ? [eb.and([eb('status', '=', 'returning'), eb('plan_id', 'in', [...sameDayPlanIds])])] : [])]))
    .orderBy('courier_code')
    .orderBy('waybill')
    .orderBy('id')
    .execute();
}

/**
 * The day's line-haul took these returns on board: each rides this plan back to the county
 * warehouse (returning; handed over when the day closes), with an event and a courier webhook.
 * Returns it had no room for wait at their centre for the next line-haul (return_requested).
 */
export async function markReturnsCarried(db: Db, planId: string, carried: readonly string[], waiting: readonly string[], now: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const part of chunks([...carried], 500)) {
      await trx.updateTable('parcels').set({ status: 'returning', plan_id: planId, stop_id: null, updated_at: now }).where('id', 'in', part).where('status', 'in', ['return_requested', 'returning']).execute();
      const events = part.map((id) => ({ id: `${id}-returning-${planId}`, parcel_id: id, type: 'returning', at: now, details_json: JSON.stringify({ plan_id: planId, via: 'line_haul' }) }));
      const inserted = await trx.insertInto('parcel_events').values(events).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
      if (inserted.length > 0) await trx.insertInto('outbox').values(inserted.map((e) => notifyOutboxRow({ kind: 'parcel', eventId: e.id }, now))).execute();
    }
    for (const part of chunks([...waiting], 500)) {
      await trx.updateTable('parcels').set({ status: 'return_requested', updated_at: now }).where('id', 'in', part).where('status', '=', 'returning').execute();
    }
  });
}

/** A plan's stored routes, and its stops' counts by tier (for the plan's summary). */
export async function planRoutesAndStops(db: Kysely<Database>, planId: string) {
  const [routes, stops] = await Promise.all([
    db.selectFrom('routes').selectAll().where('plan_id', '=', planId).execute(),
    db
      .selectFrom('stops')
      .innerJoin('routes', 'routes.id', 'stops.route_id')
      .select(['routes.tier', 'stops.station_code', 'stops.deliver_count', 'stops.pickup_count'])
      .where('routes.plan_id', '=', planId)
      .execute(),
  ]);
  return { routes, stops };
}

/**
 * Produce held at the township centres for a service date's line-haul: picked up (a driver's
 * event) on a village route of a township centre on the previous operating day (the latest
 * earlier date with a plan), whichever version of that day's plan held the stop. It came to the
 * centre when that van returned, after that day's line-haul had left. Content order, like the day's items.
 */
export async function loadHeldProduce(db: Kysely<Database>, serviceDate: string, countyId: string = DEFAULT_COUNTY_ID) {
  const previous = await db.selectFrom('plans').select((eb) => eb.fn.max('service_date').as('d')).where('county_id', '=', countyId).where('service_date', '<', serviceDate).executeTakeFirst();
  if (!previous?.d) return [];
  return db
    .selectFrom('pickups')
    .innerJoin('stops', 'stops.id', 'pickups.stop_id')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .innerJoin('plans', 'plans.id', 'routes.plan_id')
    .innerJoin('hubs', 'hubs.id', 'routes.hub_id')
    .select(['pickups.id', 'pickups.courier_code', 'pickups.station_code', 'pickups.weight_g', 'pickups.volume_cm3', 'pickups.pieces', 'pickups.cold_chain', 'routes.hub_id'])
    .where('pickups.status', '=', 'picked_up')
    .where('routes.tier', '=', 'village')
    .where('hubs.kind', '=', 'township_centre')
    .where('plans.service_date', '=', String(previous.d))
    .where('plans.county_id', '=', countyId)
    .orderBy('pickups.station_code')
    .orderBy('pickups.courier_code')
    .orderBy('pickups.reference')
    .orderBy('pickups.body_hash')
    .orderBy('pickups.id')
    .execute();
}

/** A plan's stops in visiting order, with where they are and the load on board when leaving (duty figures). */
export async function planStopsInOrder(db: Kysely<Database>, planId: string) {
  return db
    .selectFrom('stops')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .select(['stops.route_id', 'stops.seq', 'stops.station_code', 'stops.hub_id', 'stops.load_json'])
    .where('routes.plan_id', '=', planId)
    .orderBy('stops.route_id')
    .orderBy('stops.seq')
    .execute();
}

/** Station code → the hub that serves it. */
export async function stationHubs(db: Kysely<Database>): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('stations').select(['code', 'hub_id']).execute()).map((r) => [r.code, r.hub_id]));
}

/**
 * Returns (退回) at the start of a plan: a failed parcel received more than `afterDays` before the
 * service date becomes a return; one already at the county warehouse is handed back at once. A
 * return at a township centre waits for room on a line-haul (the line-haul step plans it like
 * produce; markReturnsCarried). Each change is an event and a courier webhook.
 */
export async function advanceReturns(db: Kysely<Database>, planId: string, serviceDate: string, afterDays: number, countyHubId: string, now: string, countyId: string = DEFAULT_COUNTY_ID): Promise<{ requested: number; returned: number }> {
  const oldest = new Date(Date.parse(`${serviceDate}T00:00:00.000Z`) - afterDays * 86_400_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const stale = await trx.selectFrom('parcels').select('id').where('county_id', '=', countyId).where('status', '=', 'failed').where('received_at', '<', oldest).execute();
    const toRows = (ids: string[], type: string, details: object) => ids.map((id) => ({ id: `${id}-${type}-${planId}`, parcel_id: id, type, at: now, details_json: JSON.stringify(details) }));
    const announce = async (rows: { id: string; parcel_id: string; type: string; at: string; details_json: string }[]) => {
      for (const part of chunks(rows, 500)) {
        const inserted = await trx.insertInto('parcel_events').values(part).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
        if (inserted.length > 0) await trx.insertInto('outbox').values(inserted.map((e) => notifyOutboxRow({ kind: 'parcel', eventId: e.id }, now))).execute();
      }
    };
    const staleIds = stale.map((r) => r.id);
    for (const part of chunks(staleIds, 500)) {
      await trx.updateTable('parcels').set({ status: 'return_requested', status_reason: `undelivered_after_${afterDays}_days`, stop_id: null, updated_at: now }).where('id', 'in', part).execute();
    }
    await announce(toRows(staleIds, 'return_requested', { reason: `undelivered_after_${afterDays}_days`, plan_id: planId }));
    const pending = await trx.selectFrom('parcels').select(['id', 'hub_id']).where('county_id', '=', countyId).where('status', '=', 'return_requested').execute();
    const atCounty = pending.filter((p) => p.hub_id === null || p.hub_id === countyHubId).map((p) => p.id);
    for (const part of chunks(atCounty, 500)) await trx.updateTable('parcels').set({ status: 'returned', plan_id: planId, stop_id: null, updated_at: now }).where('id', 'in', part).execute();
    await announce(toRows(atCounty, 'returned', { plan_id: planId, at: 'county_warehouse' }));
    return { requested: staleIds.length, returned: atCounty.length };
  });
}

/** A planned stop as its `stops` row (times as ISO instants of the service day): one shape for a new plan, a re-plan and an edit. */
export function stopRow(id: string, routeId: string, s: PlannedStop, iso: (secondsOfDay: number) => string) {
  return {
    id,
    route_id: routeId,
    seq: s.seq,
    kind: s.kind,
    station_code: s.stationCode,
    hub_id: s.hubId,
    trip: s.trip,
    arrival_at: iso(s.arrivalS),
    departure_at: iso(s.departureS),
    deliver_count: s.deliverCount,
    pickup_count: s.pickupCount,
    load_json: JSON.stringify(s.load),
  };
}
