/**
 * Parcel intake: validate → resolve destinations → one transaction that checks idempotency,
 * inserts parcels, their `received` events and their outbox rows. A 2xx is sent only after that
 * transaction commits, so an acknowledged parcel is durable and its consolidation job is recorded.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { Database, NewParcelRow, OutboxTable, ParcelEventTable, ParcelRow, ParcelStatus } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { DestinationResolver } from '../geo/destination-resolver.ts';
import { bodyHash } from '../http/body-hash.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { consolidateOutboxRow } from '../queue/outbox.ts';
import * as parcelRepository from './parcel.repository.ts';
import type { CreateParcel, Destination, Parcel } from './parcel.schemas.ts';

export interface ParcelServiceDeps {
  readonly db: Kysely<Database>;
  readonly resolveDestination: DestinationResolver;
  /** Called after a commit that wrote outbox rows (wakes the relay). */
  readonly onOutboxWritten?: () => void;
}

export interface AcceptResult {
  readonly created: number;
  readonly existing: number;
  readonly parcels: Parcel[];
}

/** Volume when the courier gives no dimensions: 250 kg/m³, a typical parcel density (estimate). */
const CM3_PER_G_ESTIMATE = 4;

export function toParcelView(row: ParcelRow): Parcel {
  const dims = row.length_cm !== null && row.width_cm !== null && row.height_cm !== null ? [row.length_cm, row.width_cm, row.height_cm] : null;
  return {
    id: row.id,
    courier: row.courier_code,
    waybill: row.waybill,
    status: row.status,
    stationCode: row.station_code,
    destination: JSON.parse(row.destination_json) as Record<string, unknown>,
    weightG: row.weight_g,
    dimensionsCm: dims,
    volumeCm3: row.volume_cm3,
    coldChain: row.cold_chain === 1,
    fragile: row.fragile === 1,
    codAmountFen: row.cod_amount_fen,
    promisedDate: row.promised_date,
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
  };
}

/** Resolves a destination or returns the 422 detail explaining why not. */
export function resolveOrDetail(
  resolve: DestinationResolver,
  d: Destination,
  path: string,
): { stationCode: string } | { detail: ErrorDetail } {
  const input =
    d.stationCode !== undefined
      ? { stationCode: d.stationCode }
      : d.village !== undefined
        ? { township: d.township, village: d.village }
        : { lat: d.lat!, lon: d.lon! };
  const r = resolve(input);
  if (r.ok) return { stationCode: r.stationCode };
  return { detail: { path, message: r.message, ...(r.candidates ? { candidates: [...r.candidates] } : {}) } };
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
): Promise<AcceptResult> {
  const at = (i: number, field: string): string => (pathOf(i) === '' ? field : `${pathOf(i)}.${field}`);
  const withLine = (i: number, d: ErrorDetail): ErrorDetail => (lineOf ? { ...d, line: lineOf(i) } : d);

  // 1. Fingerprints, and duplicates inside the request itself.
  const hashes = inputs.map((p) => bodyHash(p));
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
  const stationOf = new Map<number, string>();
  const unresolved: ErrorDetail[] = [];
  for (const i of unique) {
    const r = resolveOrDetail(deps.resolveDestination, inputs[i]!.destination, at(i, 'destination'));
    if ('detail' in r) unresolved.push(withLine(i, r.detail));
    else stationOf.set(i, r.stationCode);
  }
  if (unresolved.length > 0) {
    throw new AppError('unprocessable', `${unresolved.length} destination(s) could not be resolved to a station`, unresolved.slice(0, 100));
  }

  // 3. One transaction; retried once if a concurrent request inserted the same waybill first.
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await deps.db.transaction().execute(async (trx) => {
        const existing = await parcelRepository.findByWaybills(trx, courierCode, unique.map((i) => inputs[i]!.waybill));
        const existingByWaybill = new Map(existing.map((r) => [r.waybill, r]));
        const now = new Date().toISOString();
        const parcels: NewParcelRow[] = [];
        const events: Insertable<ParcelEventTable>[] = [];
        const outbox: Insertable<OutboxTable>[] = [];
        const views = new Map<string, Parcel>();
        const clashes: ErrorDetail[] = [];
        for (const i of unique) {
          const p = inputs[i]!;
          const old = existingByWaybill.get(p.waybill);
          if (old !== undefined) {
            if (old.body_hash !== hashes[i]) {
              clashes.push(withLine(i, { path: at(i, 'waybill'), message: `waybill ${p.waybill} was already accepted with different contents` }));
            } else {
              views.set(p.waybill, toParcelView(old));
            }
            continue;
          }
          const row = newParcelRow(courierCode, p, stationOf.get(i)!, hashes[i]!, now);
          parcels.push(row);
          events.push({ id: randomUUID(), parcel_id: row.id, type: 'received', at: now, details_json: null });
          outbox.push(consolidateOutboxRow({ kind: 'parcel', parcelId: row.id }, now));
          views.set(p.waybill, toParcelView(row as ParcelRow));
        }
        if (clashes.length > 0) {
          throw new AppError('conflict', `${clashes.length} waybill(s) already accepted with different contents`, clashes.slice(0, 100));
        }
        if (parcels.length > 0) {
          await parcelRepository.insertChunked(trx, 'parcels', parcels);
          await parcelRepository.insertChunked(trx, 'parcel_events', events);
          await parcelRepository.insertChunked(trx, 'outbox', outbox);
        }
        return { created: parcels.length, existing: unique.length - parcels.length, parcels: inputs.map((p) => views.get(p.waybill)!) };
      });
      if (result.created > 0) deps.onOutboxWritten?.();
      return result;
    } catch (err) {
      if (attempt === 0 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

function newParcelRow(courierCode: string, p: CreateParcel, stationCode: string, hash: string, now: string): NewParcelRow & { status: ParcelStatus } {
  const [l, w, h] = p.dimensionsCm ?? [];
  const dims = l !== undefined && w !== undefined && h !== undefined;
  return {
    id: randomUUID(),
    courier_code: courierCode,
    waybill: p.waybill,
    station_code: stationCode,
    destination_json: JSON.stringify(p.destination),
    weight_g: p.weightG,
    length_cm: dims ? Math.ceil(l) : null,
    width_cm: dims ? Math.ceil(w) : null,
    height_cm: dims ? Math.ceil(h) : null,
    volume_cm3: dims ? Math.max(1, Math.ceil(l * w * h)) : p.weightG * CM3_PER_G_ESTIMATE,
    cold_chain: p.coldChain ? 1 : 0,
    fragile: p.fragile ? 1 : 0,
    cod_amount_fen: p.codAmountFen,
    recipient_name: p.recipient.name,
    recipient_phone: p.recipient.phone,
    promised_date: p.promisedDate ?? null,
    body_hash: hash,
    status: 'received',
    hub_id: null,
    plan_id: null,
    stop_id: null,
    received_at: now,
    updated_at: now,
  };
}

export async function getParcel(db: Kysely<Database>, courierCode: string, waybill: string): Promise<Parcel & { events: { type: string; at: string; details: unknown }[] }> {
  const row = await parcelRepository.findByWaybill(db, courierCode, waybill);
  if (row === undefined) throw new AppError('not_found', `no parcel ${waybill} for courier ${courierCode}`);
  const events = await parcelRepository.eventsOf(db, row.id);
  return {
    ...toParcelView(row),
    events: events.map((e) => ({ type: e.type, at: e.at, details: e.details_json === null ? null : (JSON.parse(e.details_json) as unknown) })),
  };
}

/** Statuses from which a courier may still cancel: not yet on any plan. */
const CANCELLABLE: readonly ParcelStatus[] = ['received', 'sorted'];

export async function cancelParcel(db: Kysely<Database>, courierCode: string, waybill: string): Promise<Parcel> {
  return db.transaction().execute(async (trx) => {
    const row = await parcelRepository.findByWaybill(trx, courierCode, waybill);
    if (row === undefined) throw new AppError('not_found', `no parcel ${waybill} for courier ${courierCode}`);
    if (row.status === 'cancelled') return toParcelView(row);
    if (!CANCELLABLE.includes(row.status) || row.plan_id !== null) {
      throw new AppError('conflict', `parcel ${waybill} is ${row.status}; it can be cancelled only before planning`);
    }
    const now = new Date().toISOString();
    if (!(await parcelRepository.transition(trx, row.id, row.status, 'cancelled', now))) {
      throw new AppError('conflict', `parcel ${waybill} changed while cancelling; it can be cancelled only before planning`);
    }
    await trx.insertInto('parcel_events').values({ id: randomUUID(), parcel_id: row.id, type: 'cancelled', at: now, details_json: null }).execute();
    return toParcelView({ ...row, status: 'cancelled', updated_at: now });
  });
}
