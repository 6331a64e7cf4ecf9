/**
 * The database side of manual route edits: reading the routes an edit touches (their stops in
 * order, each stop's load and whether a driver reported there), and writing an edit as the
 * date's next plan version.
 *
 * Writing keeps everything a driver touched and every stop's id: a station stop moved to another
 * route or place keeps its row (its parcels, pickups and events stay attached), only its route,
 * sequence, trip and times change; a started route's stops up to its last event are not touched;
 * start, reload and end rows are re-timed in place, a reload the new order no longer needs is
 * the only row removed (it lies after the last event, so nobody reported there). Every route of
 * the replaced version moves to the new one with its id (src/plans/plan-versions.repository.ts
 * adoptVersion), so the drivers' links and manifests keep answering.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, PlanRow, RouteRow, VehicleRow } from '../db/schema.ts';
import { localSecondsToIso } from '../planning/day-model.ts';
import type { EditedRouteFigures } from '../planning/route-edit.ts';
import type { Load } from '../planning/types.ts';
import { chunks } from '../util/chunks.ts';
import { adoptVersion } from './plan-versions.repository.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredEditStop {
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
  readonly stationCode: string | null;
  readonly hubId: string | null;
  /** A driver reported at this stop. */
  readonly visited: boolean;
  readonly delivery: Load;
  readonly pickup: Load;
  readonly parcels: number;
  readonly coldChain: boolean;
}

export interface StoredEditRoute {
  readonly row: RouteRow;
  readonly vehicle: VehicleRow | undefined;
  /** Every row in sequence order (start, stations, reloads, end). */
  readonly stops: readonly StoredEditStop[];
}

/** The plan's routes with these ids, with their stops, loads and events (unknown ids are left out). */
export async function loadEditRoutes(db: Db, planId: string, routeIds: readonly string[]): Promise<StoredEditRoute[]> {
  if (routeIds.length === 0) return [];
  const routes = await db.selectFrom('routes').selectAll().where('plan_id', '=', planId).where('id', 'in', [...routeIds]).execute();
  if (routes.length === 0) return [];
  const ids = routes.map((r) => r.id);
  const [stops, vehicles, parcels, pickups, events] = await Promise.all([
    db.selectFrom('stops').select(['id', 'route_id', 'seq', 'kind', 'station_code', 'hub_id']).where('route_id', 'in', ids).orderBy('route_id').orderBy('seq').execute(),
    db.selectFrom('vehicles').selectAll().where('id', 'in', [...new Set(routes.map((r) => r.vehicle_id))]).execute(),
    db
      .selectFrom('parcels')
      .innerJoin('stops', 'stops.id', 'parcels.stop_id')
      .select((eb) => ['parcels.stop_id', eb.fn.sum<number>('parcels.weight_g').as('g'), eb.fn.sum<number>('parcels.volume_cm3').as('cm3'), eb.fn.countAll<number>().as('n'), eb.fn.max('parcels.cold_chain').as('cold')])
      .where('stops.route_id', 'in', ids)
      .groupBy('parcels.stop_id')
      .execute(),
    db
      .selectFrom('pickups')
      .innerJoin('stops', 'stops.id', 'pickups.stop_id')
      .select((eb) => ['pickups.stop_id', eb.fn.sum<number>('pickups.weight_g').as('g'), eb.fn.sum<number>('pickups.volume_cm3').as('cm3'), eb.fn.sum<number>('pickups.pieces').as('n'), eb.fn.max('pickups.cold_chain').as('cold')])
      .where('stops.route_id', 'in', ids)
      .groupBy('pickups.stop_id')
      .execute(),
    db.selectFrom('stop_events').select('stop_id').distinct().where('route_id', 'in', ids).execute(),
  ]);
  const parcelsOf = new Map(parcels.map((p) => [p.stop_id, p]));
  const pickupsOf = new Map(pickups.map((p) => [p.stop_id, p]));
  const visited = new Set(events.map((e) => e.stop_id));
  const vehicleOf = new Map(vehicles.map((v) => [v.id, v]));
  return routes.map((row) => ({
    row,
    vehicle: vehicleOf.get(row.vehicle_id),
    stops: stops
      .filter((s) => s.route_id === row.id)
      .map((s) => {
        const p = parcelsOf.get(s.id);
        const q = pickupsOf.get(s.id);
        return {
          id: s.id,
          seq: s.seq,
          kind: s.kind,
          stationCode: s.station_code,
          hubId: s.hub_id,
          visited: visited.has(s.id),
          // PostgreSQL answers sums and counts as strings.
          delivery: [Number(p?.g ?? 0), Number(p?.cm3 ?? 0), Number(p?.n ?? 0)] as Load,
          pickup: [Number(q?.g ?? 0), Number(q?.cm3 ?? 0), Number(q?.n ?? 0)] as Load,
          parcels: Number(p?.n ?? 0),
          coldChain: Number(p?.cold ?? 0) > 0 || Number(q?.cold ?? 0) > 0,
        };
      }),
  }));
}

/** Every route id of a plan version. */
export async function planRouteIds(db: Db, planId: string): Promise<string[]> {
  return (await db.selectFrom('routes').select('id').where('plan_id', '=', planId).orderBy('id').execute()).map((r) => r.id);
}

export interface EditWrite {
  readonly replaced: PlanRow;
  readonly newPlanId: string;
  readonly version: number;
  readonly summaryJson: string;
  /** Per edited route: its stored rows and its new figures with their schedule. */
  readonly routes: readonly { readonly stored: StoredEditRoute; readonly after: EditedRouteFigures; readonly locked: number }[];
  readonly serviceDate: string;
  readonly utcOffsetMinutes: number;
  readonly now: string;
}

/**
 * Writes the edit as the next version in one transaction: the version row, the edited routes'
 * rows and stops, then the hand-over of every route to the new version.
 */
export async function storeEditVersion(trx: Transaction<Database>, w: EditWrite): Promise<void> {
  const iso = (s: number) => localSecondsToIso(w.serviceDate, s, w.utcOffsetMinutes);
  const p = w.replaced;
  await trx
    .insertInto('plans')
    .values({
      id: w.newPlanId,
      county_id: p.county_id,
      service_date: p.service_date,
      status: 'completed',
      progress: 100,
      seed: p.seed,
      cutoff_at: p.cutoff_at,
      created_at: w.now,
      started_at: w.now,
      finished_at: w.now,
      error: null,
      summary_json: w.summaryJson,
      savings_json: p.savings_json,
      settlement_json: p.settlement_json,
      version: w.version,
      replaces_plan_id: p.id,
    })
    .execute();
  // Stops change routes and places: park every row being rewritten on a distinct negative
  // sequence first, so the unique (route, seq) index never sees two rows on one place.
  let parked = 0;
  for (const r of w.routes) {
    for (const s of r.stored.stops.slice(r.locked)) {
      await trx.updateTable('stops').set({ seq: -1 - parked++ }).where('id', '=', s.id).execute();
    }
  }
  for (const r of w.routes) {
    const routeId = r.stored.row.id;
    const prefix = r.stored.stops.slice(0, r.locked);
    const spare = new Map<string, string[]>();
    for (const s of r.stored.stops.slice(r.locked)) {
      if (s.kind === 'station') continue;
      spare.set(s.kind, [...(spare.get(s.kind) ?? []), s.id]);
    }
    // The locked prefix's steps (start, visited stations, reloads between) are history.
    const steps = r.after.schedule.slice(r.locked);
    let seq = prefix.length === 0 ? 0 : prefix[prefix.length - 1]!.seq + 1;
    for (const step of steps) {
      const values = { route_id: routeId, seq: seq++, trip: step.trip, arrival_at: iso(step.arrivalS), departure_at: iso(step.departureS), load_json: JSON.stringify(step.load) };
      if (step.kind === 'station') {
        await trx.updateTable('stops').set(values).where('id', '=', step.stopId!).execute();
        continue;
      }
      const reuse = spare.get(step.kind)?.shift();
      if (reuse !== undefined) {
        await trx.updateTable('stops').set(values).where('id', '=', reuse).execute();
      } else {
        const hubId = r.stored.row.hub_id;
        await trx.insertInto('stops').values({ id: randomUUID(), ...values, kind: step.kind, station_code: null, hub_id: hubId, deliver_count: 0, pickup_count: 0 }).execute();
      }
    }
    const left = [...spare.values()].flat();
    for (const part of chunks(left, 200)) await trx.deleteFrom('stops').where('id', 'in', part).execute();
    const load = JSON.parse(r.stored.row.load_json) as Record<string, unknown>;
    await trx
      .updateTable('routes')
      .set({
        trips: r.after.trips,
        distance_m: r.after.distanceM,
        duration_s: r.after.durationS,
        cost_fen: r.after.costFen,
        // A started route keeps the start it had; an edited one leaves when its new schedule says.
        ...(r.locked > 0 ? {} : { start_at: iso(r.after.startS) }),
        end_at: iso(r.after.endS),
        load_json: JSON.stringify({ ...load, peak: r.after.peakLoad, capacity: r.after.capacity }),
      })
      .where('id', '=', routeId)
      .execute();
  }
  await adoptVersion(trx, w.newPlanId, p.id, await planRouteIds(trx, p.id), w.now);
}
