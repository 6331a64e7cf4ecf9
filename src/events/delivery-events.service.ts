/**
 * Delivery events: what a driver reports at a stop (arrived, delivered, failed, picked up) turned
 * into parcel and pickup status changes, tracking events, a stop-level record and one `notify`
 * outbox row per change, all in one transaction. So a courier's webhook is sent for exactly the
 * changes that were committed, even if Redis is down when the driver taps the button.
 *
 * Replays are harmless: a change that is already in effect (delivered twice, arrived twice) is
 * reported as unchanged and writes nothing, so a driver app that retries after a lost response
 * does not send the courier the same event twice.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, OutboxTable, ParcelStatus, PickupStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { localSecondsToIso } from '../planning/day-model.ts';
import { notifyOutboxRow } from '../queue/outbox.ts';
import { chunks } from '../util/chunks.ts';

export const EVENT_TYPES = ['arrived', 'delivered', 'failed', 'picked_up'] as const;
export type DeliveryEventType = (typeof EVENT_TYPES)[number];

export interface DeliveryEventInput {
  readonly type: DeliveryEventType;
  /** Waybills on this stop; omitted (with parcelIds and parcels) = every parcel of the stop (not for picked_up). */
  readonly waybills?: readonly string[] | undefined;
  /** Parcels by id: unambiguous when two couriers use one waybill at a station. */
  readonly parcelIds?: readonly string[] | undefined;
  /** Parcels by courier and waybill: unambiguous too. */
  readonly parcels?: readonly { readonly courier: string; readonly waybill: string }[] | undefined;
  /** Pickups on this stop (picked_up, failed); omitted = every pickup of the stop. */
  readonly pickupIds?: readonly string[] | undefined;
  /** Why a delivery or pickup failed (required for `failed`). */
  readonly reason?: string | undefined;
  readonly note?: string | undefined;
  /** When it happened (ISO-8601); default now. */
  readonly at?: string | undefined;
}

/** After this many failed delivery attempts a parcel becomes a return (RETURN_AFTER_ATTEMPTS). */
export interface ReturnPolicy {
  readonly afterAttempts: number;
}
export const DEFAULT_RETURN_POLICY: ReturnPolicy = { afterAttempts: 3 };

export interface Actor {
  readonly role: 'driver' | 'dispatcher' | 'admin';
  readonly driverId?: string;
  /** A driver's phone session is bound to one service date: other days' stops are not theirs. */
  readonly serviceDate?: string | undefined;
  /** The counties the actor's key covers (undefined: every county): another county's stops are not there for it. */
  readonly counties?: readonly string[] | undefined;
}

export interface ItemOutcome {
  readonly status: string;
  readonly changed: boolean;
}

export interface DeliveryEventResult {
  readonly stopEventId: string | null;
  readonly stopId: string;
  readonly routeId: string;
  readonly type: DeliveryEventType;
  readonly at: string;
  readonly parcels: (ItemOutcome & { readonly waybill: string; readonly courier: string })[];
  readonly pickups: (ItemOutcome & { readonly id: string })[];
  /** Outbox rows written (one per status change). */
  readonly notifications: number;
}

/** Parcel status after an event, or null when the event does not apply to that status. */
function nextParcelStatus(type: DeliveryEventType, current: ParcelStatus): ParcelStatus | 'same' | null {
  switch (type) {
    case 'arrived':
      if (current === 'planned') return 'out_for_delivery';
      return current === 'out_for_delivery' || current === 'delivered' || current === 'failed' ? 'same' : null;
    case 'delivered':
      if (current === 'delivered') return 'same';
      return current === 'planned' || current === 'out_for_delivery' || current === 'failed' ? 'delivered' : null;
    case 'failed':
      if (current === 'failed') return 'same';
      return current === 'planned' || current === 'out_for_delivery' ? 'failed' : null;
    case 'picked_up':
      return null;
  }
}

function nextPickupStatus(type: DeliveryEventType, current: PickupStatus): PickupStatus | 'same' | null {
  if (type === 'picked_up') {
    if (current === 'picked_up') return 'same';
    return current === 'planned' || current === 'failed' ? 'picked_up' : null;
  }
  if (type === 'failed') {
    if (current === 'failed') return 'same';
    return current === 'planned' ? 'failed' : null;
  }
  return null;
}

/** The stop with its route, or 404 when it does not exist or is not this driver's. */
export async function stopForActor(db: Kysely<Database> | Transaction<Database>, stopId: string, actor: Actor) {
  const stop = await db
    .selectFrom('stops')
    .innerJoin('routes', 'routes.id', 'stops.route_id')
    .innerJoin('plans', 'plans.id', 'routes.plan_id')
    .select(['stops.id', 'stops.route_id', 'stops.kind', 'stops.station_code', 'stops.hub_id', 'routes.plan_id', 'routes.driver_id', 'routes.tier', 'plans.service_date', 'plans.county_id'])
    .where('stops.id', '=', stopId)
    .executeTakeFirst();
  // Another driver's (or county's) stop is "not found": its existence is none of this driver's business.
  if (stop === undefined || (actor.role === 'driver' && stop.driver_id !== actor.driverId) || (actor.counties !== undefined && !actor.counties.includes(stop.county_id))) throw new AppError('not_found', 'no such stop on your routes');
  if (actor.role === 'driver' && actor.serviceDate !== undefined && actor.serviceDate !== stop.service_date) {
    throw new AppError('forbidden', `this sign-in is for ${actor.serviceDate}; the stop is on ${stop.service_date}`);
  }
  return stop;
}

/**
 * An event given a time belongs to its route's service day (a local day of the network's clock,
 * config TIMEZONE), not to 1970 or to another day's plan.
 */
function refuseOutsideServiceDay(at: string, given: boolean, serviceDate: string, utcOffsetMinutes: number): void {
  const start = Date.parse(localSecondsToIso(serviceDate, 0, utcOffsetMinutes));
  const t = Date.parse(at);
  if (t >= start && t < start + 86_400_000) return;
  // Without `at` the event is stamped now: a phone that syncs after midnight (or a day early)
  // must say when it happened, or the event would count for the wrong day.
  const message = given
    ? `the event time is not on the route's service day ${serviceDate} (local time)`
    : `it is not the route's service day ${serviceDate} (local time) now; send \`at\`, the time the event happened on that day`;
  throw new AppError('invalid_data', message, [{ path: 'at', message: given ? `outside ${serviceDate}` : `required outside ${serviceDate}` }]);
}

export async function recordDeliveryEvent(
  db: Kysely<Database>,
  stopId: string,
  actor: Actor,
  input: DeliveryEventInput,
  utcOffsetMinutes: number,
  now: Date = new Date(),
  policy: ReturnPolicy = DEFAULT_RETURN_POLICY,
): Promise<DeliveryEventResult> {
  const recordedAt = now.toISOString();
  const at = input.at === undefined ? recordedAt : new Date(input.at).toISOString();
  if (Date.parse(at) > now.getTime() + 5 * 60_000) throw new AppError('invalid_data', 'the event time is in the future', [{ path: 'at', message: 'later than now' }]);
  if (input.type === 'failed' && !input.reason) throw new AppError('invalid_data', 'a failed event needs a reason', [{ path: 'reason', message: 'required for failed' }]);
  const namesParcels = input.waybills !== undefined || input.parcelIds !== undefined || input.parcels !== undefined;
  if (input.type === 'picked_up' && namesParcels) {
    throw new AppError('invalid_data', 'picked_up applies to pickups: send pickupIds, not waybills', [{ path: 'waybills', message: 'not allowed for picked_up' }]);
  }
  if (input.type !== 'picked_up' && input.type !== 'failed' && input.pickupIds !== undefined) {
    throw new AppError('invalid_data', `${input.type} applies to parcels: send waybills, not pickupIds`, [{ path: 'pickupIds', message: `not allowed for ${input.type}` }]);
  }

  const result = await db.transaction().execute(async (trx) => {
    const stop = await stopForActor(trx, stopId, actor);
    // Events count for their route's day, whether the phone stamped them or the server did.
    refuseOutsideServiceDay(at, input.at !== undefined, stop.service_date, utcOffsetMinutes);
    // A closed day's numbers are frozen; a replaced version's unstarted routes are history.
    const plan = await trx.selectFrom('plans').select(['state', 'replaced_by_plan_id', 'version']).where('id', '=', stop.plan_id).executeTakeFirstOrThrow();
    if (plan.state === 'closed') throw new AppError('conflict', `the day ${stop.service_date} is closed`);
    // A draft is the dispatcher's to change: drivers work from a published plan only.
    if (plan.state === 'draft') {
      throw new AppError('conflict', `the plan of ${stop.service_date} (version ${plan.version}) is a draft: events are taken once the dispatcher publishes it`, [{ path: 'stopId', message: 'plan not published' }]);
    }
    if (plan.replaced_by_plan_id !== null) {
      throw new AppError('conflict', `this route was re-planned: see plan ${plan.replaced_by_plan_id} for the current manifest`, [{ path: 'stopId', message: `replaced by plan ${plan.replaced_by_plan_id}` }]);
    }
    const parcels =
      input.type === 'picked_up'
        ? []
        : await trx.selectFrom('parcels').select(['id', 'waybill', 'courier_code', 'status', 'attempts']).where('stop_id', '=', stopId).orderBy('waybill').execute();
    const pickups =
      input.type === 'picked_up' || input.type === 'failed'
        ? await trx.selectFrom('pickups').select(['id', 'courier_code', 'status']).where('stop_id', '=', stopId).orderBy('id').execute()
        : [];

    // Which items the event is about: the ones named, or all of the stop's.
    let chosenParcels = parcels;
    if (input.waybills !== undefined) {
      const wanted = new Set(input.waybills);
      chosenParcels = parcels.filter((p) => wanted.has(p.waybill));
      const found = new Set(chosenParcels.map((p) => p.waybill));
      const missing = [...wanted].filter((w) => !found.has(w));
      if (missing.length > 0) {
        throw new AppError('unprocessable', `${missing.length} waybill(s) are not on this stop`, missing.slice(0, 20).map((w) => ({ path: 'waybills', message: `${w} is not on this stop` })));
      }
      if (chosenParcels.length > wanted.size) {
        throw new AppError('unprocessable', 'a waybill on this stop belongs to two couriers; name those parcels by parcelIds or by parcels (courier and waybill)', [{ path: 'waybills', message: 'ambiguous' }]);
      }
    }
    if (input.parcelIds !== undefined || input.parcels !== undefined) {
      const ids = new Set(input.parcelIds ?? []);
      const pairs = new Set((input.parcels ?? []).map((x) => `${x.courier}\u0000${x.waybill}`));
      const named = parcels.filter((p) => ids.has(p.id) || pairs.has(`${p.courier_code}\u0000${p.waybill}`));
      const missing = [
        ...[...ids].filter((id) => !named.some((p) => p.id === id)).map((id) => ({ path: 'parcelIds', message: `${id} is not on this stop` })),
        ...(input.parcels ?? []).filter((x) => !named.some((p) => p.courier_code === x.courier && p.waybill === x.waybill)).map((x) => ({ path: 'parcels', message: `${x.courier} ${x.waybill} is not on this stop` })),
      ];
      if (missing.length > 0) throw new AppError('unprocessable', `${missing.length} parcel(s) are not on this stop`, missing.slice(0, 20));
      chosenParcels = input.waybills !== undefined ? [...new Map([...chosenParcels, ...named].map((p) => [p.id, p])).values()] : named;
    }
    let chosenPickups = pickups;
    if (input.pickupIds !== undefined) {
      const wanted = new Set(input.pickupIds);
      chosenPickups = pickups.filter((p) => wanted.has(p.id));
      const missing = [...wanted].filter((id) => !chosenPickups.some((p) => p.id === id));
      if (missing.length > 0) {
        throw new AppError('unprocessable', `${missing.length} pickup(s) are not on this stop`, missing.slice(0, 20).map((id) => ({ path: 'pickupIds', message: `${id} is not on this stop` })));
      }
    } else if (input.type === 'failed' && namesParcels) {
      // "failed" for named waybills says nothing about the stop's pickups.
      chosenPickups = [];
    }
    if (input.type === 'failed' && input.pickupIds !== undefined && !namesParcels) chosenParcels = [];

    const conflicts: { path: string; message: string }[] = [];
    const parcelPlan = chosenParcels.map((p) => ({ p, next: nextParcelStatus(input.type, p.status) }));
    for (const { p, next } of parcelPlan) if (next === null) conflicts.push({ path: 'waybills', message: `${p.waybill} is ${p.status}; cannot record ${input.type}` });
    const pickupPlan = chosenPickups.map((p) => ({ p, next: nextPickupStatus(input.type, p.status) }));
    for (const { p, next } of pickupPlan) if (next === null) conflicts.push({ path: 'pickupIds', message: `${p.id} is ${p.status}; cannot record ${input.type}` });
    if (conflicts.length > 0) throw new AppError('conflict', `${conflicts.length} item(s) cannot take this event`, conflicts.slice(0, 20));

    const changedParcels = parcelPlan.filter((x) => x.next !== 'same');
    const changedPickups = pickupPlan.filter((x) => x.next !== 'same');
    // Nothing new (a replay), except a first "arrived" at a stop with no parcels to change.
    const isNewArrival = input.type === 'arrived' && chosenParcels.length === 0 && !(await alreadyArrived(trx, stopId));
    const anyChange = changedParcels.length > 0 || changedPickups.length > 0 || isNewArrival;

    const details = { ...(input.reason ? { reason: input.reason } : {}), ...(input.note ? { note: input.note } : {}) };
    let stopEventId: string | null = null;
    const outbox: Insertable<OutboxTable>[] = [];
    if (anyChange) {
      stopEventId = randomUUID();
      await trx
        .insertInto('stop_events')
        .values({
          id: stopEventId,
          stop_id: stopId,
          route_id: stop.route_id,
          plan_id: stop.plan_id,
          type: input.type,
          at,
          recorded_at: recordedAt,
          driver_id: actor.driverId ?? null,
          details_json: JSON.stringify({ ...details, parcels: changedParcels.length, pickups: changedPickups.map((x) => x.p.id) }),
        })
        .execute();
      for (const part of chunks(changedParcels, 200)) {
        const ids = part.map((x) => x.p.id);
        const status = part[0]!.next as ParcelStatus;
        if (status === 'failed') {
          // An attempt that failed counts, with the driver's reason for the courier to see.
          await trx.updateTable('parcels').set((eb) => ({ status, status_reason: input.reason ?? null, attempts: eb('attempts', '+', 1), updated_at: recordedAt })).where('id', 'in', ids).execute();
        } else {
          await trx.updateTable('parcels').set({ status, updated_at: recordedAt }).where('id', 'in', ids).execute();
        }
        const events = part.map((x) => ({
          id: randomUUID(),
          parcel_id: x.p.id,
          type: input.type,
          at,
          details_json: JSON.stringify({ ...details, stop_id: stopId, station_code: stop.station_code, status: x.next, stop_event_id: stopEventId }),
        }));
        await trx.insertInto('parcel_events').values(events).execute();
        for (const e of events) outbox.push(notifyOutboxRow({ kind: 'parcel', eventId: e.id }, recordedAt));
        if (status === 'failed') {
          // The last allowed attempt failed: the parcel goes back to its courier (退回).
          const spent = part.filter((x) => x.p.attempts + 1 >= policy.afterAttempts);
          if (spent.length > 0) {
            const reason = `failed_${policy.afterAttempts}_attempts`;
            await trx.updateTable('parcels').set({ status: 'return_requested', status_reason: reason, updated_at: recordedAt }).where('id', 'in', spent.map((x) => x.p.id)).execute();
            const returns = spent.map((x) => ({ id: randomUUID(), parcel_id: x.p.id, type: 'return_requested', at, details_json: JSON.stringify({ reason, attempts: x.p.attempts + 1, last_failure: input.reason ?? null }) }));
            await trx.insertInto('parcel_events').values(returns).execute();
            for (const e of returns) outbox.push(notifyOutboxRow({ kind: 'parcel', eventId: e.id }, recordedAt));
          }
        }
      }
      // The plan's first driver event: the day is under way.
      await trx.updateTable('plans').set({ state: 'in_progress' }).where('id', '=', stop.plan_id).where('state', '=', 'published').execute();
      for (const part of chunks(changedPickups, 200)) {
        const status = part[0]!.next as PickupStatus;
        await trx.updateTable('pickups').set({ status, updated_at: recordedAt }).where('id', 'in', part.map((x) => x.p.id)).execute();
        for (const x of part) if (x.p.courier_code !== null) outbox.push(notifyOutboxRow({ kind: 'pickup', pickupId: x.p.id, stopEventId, status: status as 'picked_up' | 'failed' }, recordedAt));
      }
      for (const part of chunks(outbox, 200)) await trx.insertInto('outbox').values(part).execute();
    }
    return {
      stopEventId,
      stopId,
      routeId: stop.route_id,
      type: input.type,
      at,
      parcels: parcelPlan.map(({ p, next }) => ({ waybill: p.waybill, courier: p.courier_code, status: next === 'same' ? p.status : next!, changed: next !== 'same' })),
      pickups: pickupPlan.map(({ p, next }) => ({ id: p.id, status: next === 'same' ? p.status : next!, changed: next !== 'same' })),
      notifications: outbox.length,
    };
  });
  return result;
}

async function alreadyArrived(trx: Transaction<Database>, stopId: string): Promise<boolean> {
  const row = await trx.selectFrom('stop_events').select('id').where('stop_id', '=', stopId).where('type', '=', 'arrived').executeTakeFirst();
  return row !== undefined;
}
