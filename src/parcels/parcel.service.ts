/**
 * Parcel intake: validate → resolve destinations → a transaction (shared with concurrent
 * requests, see parcel-writer.ts) that checks idempotency and inserts parcels, their `received`
 * events and their outbox rows. A 2xx is sent only after that transaction commits, so an
 * acknowledged parcel is durable and its consolidation job is recorded.
 */
import type { Kysely } from 'kysely';
import type { Database, ParcelStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { notifyOutboxRow } from '../queue/outbox.ts';
import type { DestinationResolver } from '../geo/destination-resolver.ts';
import { parsedBodyHash } from '../http/body-hash.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { toParcelView, type ParcelWriter } from './parcel-writer.ts';
import * as parcelRepository from './parcel.repository.ts';
import type { CreateParcel, Destination, Parcel } from './parcel.schemas.ts';
import { uuid7 } from './uuid7.ts';

export { toParcelView };

export interface ParcelServiceDeps {
  readonly db: Kysely<Database>;
  readonly resolveDestination: DestinationResolver;
  /** Commits accepted parcels (with their events and outbox rows) in shared transactions. */
  readonly writer: ParcelWriter;
}

export interface AcceptResult {
  readonly created: number;
  readonly existing: number;
  readonly parcels: Parcel[];
}

/** Resolves a destination or returns the 422 detail explaining why not. */
export function resolveOrDetail(
  resolve: DestinationResolver,
  d: Destination,
  path: string,
  /** The caller's counties (undefined = every county). */
  counties?: readonly string[],
): { stationCode: string; countyId: string } | { detail: ErrorDetail } {
  const input =
    d.stationCode !== undefined
      ? { stationCode: d.stationCode }
      : d.village !== undefined
        ? { township: d.township, village: d.village }
        : { lat: d.lat!, lon: d.lon! };
  const r = resolve(input, counties);
  if (r.ok) return { stationCode: r.stationCode, countyId: r.countyId };
  return { detail: { path, message: r.message, ...(r.candidates ? { candidates: [...r.candidates] } : {}) } };
}

/** Items handled between two turns of the event loop in acceptParcels' in-memory steps. */
const SLICE = 500;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Accepts parcels all-or-nothing. `pathOf(i)` names input i in error details (`parcels.3`, or
 * `line 4` for CSV). Returns the parcels in input order, new and replayed alike.
 */
export async function acceptParcels(
  deps: ParcelServiceDeps,
  courierCode: string,
  inputs: readonly CreateParcel[],
  pathOf: (i: number) => string,
  lineOf?: (i: number) => number,
  /** The courier key's counties: a destination elsewhere does not resolve (undefined = every county). */
  counties?: readonly string[],
): Promise<AcceptResult> {
  const at = (i: number, field: string): string => (pathOf(i) === '' ? field : `${pathOf(i)}.${field}`);
  const withLine = (i: number, d: ErrorDetail): ErrorDetail => (lineOf ? { ...d, line: lineOf(i) } : d);

  // 1. Fingerprints, and duplicates inside the request itself.
  // A large import (CSV: up to 10,000 rows) is fingerprinted and resolved in slices, with a turn
  // of the event loop between them, so other requests (and health checks) are answered meanwhile.
  const hashes: string[] = [];
  for (let i = 0; i < inputs.length; i++) {
    hashes.push(parsedBodyHash(inputs[i]!));
    if (i % SLICE === SLICE - 1) await yieldToEventLoop();
  }
  const firstIndex = new Map<string, number>();
  const conflicts: ErrorDetail[] = [];
  const unique: number[] = [];
  inputs.forEach((p, i) => {
    const j = firstIndex.get(p.waybill);
    if (j === undefined) {
      firstIndex.set(p.waybill, i);
      unique.push(i);
    } else if (hashes[j] !== hashes[i]) {
      conflicts.push(withLine(i, { path: at(i, 'waybill'), message: `waybill ${p.waybill} appears twice in this request with different contents` }));
    }
  });
  if (conflicts.length > 0) throw new AppError('conflict', 'the same waybill appears twice with different contents', conflicts);

  // 2. Destinations (pure, in memory).
  const stationOf = new Map<number, { stationCode: string; countyId: string }>();
  const unresolved: ErrorDetail[] = [];
  for (const [n, i] of unique.entries()) {
    if (n % SLICE === SLICE - 1) await yieldToEventLoop();
    const r = resolveOrDetail(deps.resolveDestination, inputs[i]!.destination, at(i, 'destination'), counties);
    if ('detail' in r) unresolved.push(withLine(i, r.detail));
    else stationOf.set(i, r);
  }
  if (unresolved.length > 0) {
    throw new AppError('unprocessable', `${unresolved.length} destination(s) could not be resolved to a station`, unresolved.slice(0, 100));
  }

  // 3. Committed by the group writer (one transaction shared with concurrent requests).
  const outcome = await deps.writer.write(
    courierCode,
    unique.map((i) => ({
      input: inputs[i]!,
      hash: hashes[i]!,
      stationCode: stationOf.get(i)!.stationCode,
      countyId: stationOf.get(i)!.countyId,
      detail: (message: string) => withLine(i, { path: at(i, 'waybill'), message }),
    })),
  );
  return {
    created: outcome.created,
    existing: unique.length - outcome.created,
    parcels: inputs.map((p) => outcome.views.get(p.waybill)!),
  };
}

export async function getParcel(db: Kysely<Database>, courierCode: string, waybill: string, counties?: readonly string[]): Promise<Parcel & { events: { type: string; at: string; details: unknown }[] }> {
  const row = await parcelRepository.findByWaybill(db, courierCode, waybill);
  // Another county's parcel is not this key's to see: the same 404 as no parcel at all.
  if (row === undefined || (counties !== undefined && !counties.includes(row.county_id))) throw new AppError('not_found', `no parcel ${waybill} for courier ${courierCode}`);
  const events = await parcelRepository.eventsOf(db, row.id);
  return {
    ...toParcelView(row),
    events: events.map((e) => ({ type: e.type, at: e.at, details: e.details_json === null ? null : (JSON.parse(e.details_json) as unknown) })),
  };
}

/** Statuses from which a courier may still cancel: not yet on any plan. */
const CANCELLABLE: readonly ParcelStatus[] = ['received', 'sorted'];
/** Statuses in which a cancellation becomes a return request: on a plan, not yet delivered. */
const RETURNABLE: readonly ParcelStatus[] = ['planned', 'out_for_delivery', 'failed'];

/**
 * A courier's cancellation. Before planning the parcel is simply cancelled. After planning it is
 * already on its way, so it becomes a return request (退回): taken off its stop (drivers no longer
 * see it), it rides the reverse flow back to the county warehouse (src/plans) instead of a 409.
 */
export async function cancelParcel(db: Kysely<Database>, courierCode: string, waybill: string, counties?: readonly string[]): Promise<Parcel> {
  return db.transaction().execute(async (trx) => {
    const row = await parcelRepository.findByWaybill(trx, courierCode, waybill);
    if (row === undefined || (counties !== undefined && !counties.includes(row.county_id))) throw new AppError('not_found', `no parcel ${waybill} for courier ${courierCode}`);
    if (row.status === 'cancelled' || row.status === 'return_requested' || row.status === 'returning' || row.status === 'returned') return toParcelView(row);
    if (RETURNABLE.includes(row.status)) {
      const at = new Date().toISOString();
      const changed = await trx
        .updateTable('parcels')
        .set({ status: 'return_requested', stop_id: null, status_reason: 'cancelled_by_courier', updated_at: at })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) throw new AppError('conflict', `parcel ${waybill} changed while cancelling; try again`);
      const eventId = uuid7();
      await trx.insertInto('parcel_events').values({ id: eventId, parcel_id: row.id, type: 'return_requested', at, details_json: JSON.stringify({ reason: 'cancelled_by_courier' }) }).execute();
      await trx.insertInto('outbox').values(notifyOutboxRow({ kind: 'parcel', eventId }, at)).execute();
      return toParcelView({ ...row, status: 'return_requested', stop_id: null, status_reason: 'cancelled_by_courier', updated_at: at });
    }
    if (!CANCELLABLE.includes(row.status)) {
      throw new AppError('conflict', `parcel ${waybill} is ${row.status}; it can no longer be cancelled`);
    }
    const now = new Date().toISOString();
    if (!(await parcelRepository.transition(trx, row.id, row.status, 'cancelled', now))) {
      throw new AppError('conflict', `parcel ${waybill} changed while cancelling; it can be cancelled only before planning`);
    }
    await trx.insertInto('parcel_events').values({ id: uuid7(), parcel_id: row.id, type: 'cancelled', at: now, details_json: null }).execute();
    return toParcelView({ ...row, status: 'cancelled', updated_at: now });
  });
}
