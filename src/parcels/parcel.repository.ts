/**
 * Parcel persistence: plain functions over a `Kysely` or a `Transaction`, tenant-scoped by
 * courier code wherever a courier is the caller.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, NewParcelRow, OutboxTable, ParcelEventTable, ParcelRow, ParcelStatus } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 900;

export async function findByWaybills(db: Db, courierCode: string, waybills: readonly string[]): Promise<ParcelRow[]> {
  if (waybills.length === 1) {
    return db.selectFrom('parcels').selectAll().where('courier_code', '=', courierCode).where('waybill', '=', waybills[0]!).execute();
  }
  const out: ParcelRow[] = [];
  for (let i = 0; i < waybills.length; i += LOOKUP_CHUNK) {
    const chunk = waybills.slice(i, i + LOOKUP_CHUNK);
    out.push(...(await db.selectFrom('parcels').selectAll().where('courier_code', '=', courierCode).where('waybill', 'in', chunk).execute()));
  }
  return out;
}

export async function findByWaybill(db: Db, courierCode: string, waybill: string): Promise<ParcelRow | undefined> {
  return db.selectFrom('parcels').selectAll().where('courier_code', '=', courierCode).where('waybill', '=', waybill).executeTakeFirst();
}

/** The tables an intake commit writes, and their row types. */
export type IntakeTable = 'parcels' | 'parcel_events' | 'outbox';
export type IntakeRow<T extends IntakeTable> = T extends 'parcels' ? NewParcelRow : T extends 'parcel_events' ? Insertable<ParcelEventTable> : Insertable<OutboxTable>;

export async function insertChunked<T extends IntakeTable>(db: Db, table: T, rows: readonly IntakeRow<T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + INSERT_CHUNK) as any).execute();
  }
}

/**
 * PostgreSQL: an intake commit's parcels, their events and its outbox rows in one statement
 * (data-modifying CTEs), so the commit costs one round trip and no BEGIN/COMMIT; the statement
 * is its own transaction, committed (durably, synchronous_commit on) before it returns. The
 * events' foreign keys are checked at the end of the statement, after the parcels are in.
 * Keep the rows within the 65,535 bound parameters (the caller splits larger groups).
 */
export async function insertIntakePostgres(db: Kysely<Database>, parcels: readonly NewParcelRow[], events: readonly Insertable<ParcelEventTable>[], outbox: readonly Insertable<OutboxTable>[]): Promise<void> {
  await db
    .with('inserted_parcels', (qb) => qb.insertInto('parcels').values([...parcels]))
    .with('inserted_events', (qb) => qb.insertInto('parcel_events').values([...events]))
    .insertInto('outbox')
    .values([...outbox])
    .execute();
}

export async function eventsOf(db: Db, parcelId: string): Promise<{ type: string; at: string; details_json: string | null }[]> {
  return db.selectFrom('parcel_events').select(['type', 'at', 'details_json']).where('parcel_id', '=', parcelId).orderBy('at').orderBy('id').execute();
}

/** Moves a parcel from `from` to `to` only if nobody changed its status meanwhile. */
export async function transition(db: Db, id: string, from: ParcelStatus, to: ParcelStatus, now: string): Promise<boolean> {
  const r = await db
    .updateTable('parcels')
    .set({ status: to, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', from)
    .where('plan_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ListFilter {
  readonly status?: ParcelStatus | undefined;
  readonly courierCode?: string | undefined;
  readonly stationCode?: string | undefined;
  readonly receivedFrom?: string | undefined;
  readonly receivedBefore?: string | undefined;
  /** Only these counties' parcels (a key's scope); undefined = every county. */
  readonly counties?: readonly string[] | undefined;
  /** Keyset cursor: strictly after this (received_at, id). */
  readonly after?: { readonly receivedAt: string; readonly id: string } | undefined;
  readonly limit: number;
}

export async function list(db: Db, f: ListFilter): Promise<ParcelRow[]> {
  let q = db.selectFrom('parcels').selectAll();
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.courierCode !== undefined) q = q.where('courier_code', '=', f.courierCode);
  if (f.stationCode !== undefined) q = q.where('station_code', '=', f.stationCode);
  if (f.receivedFrom !== undefined) q = q.where('received_at', '>=', f.receivedFrom);
  if (f.receivedBefore !== undefined) q = q.where('received_at', '<', f.receivedBefore);
  if (f.counties !== undefined) q = q.where('county_id', 'in', f.counties.length > 0 ? [...f.counties] : ['']);
  if (f.after !== undefined) {
    const a = f.after;
    q = q.where((eb) => eb.or([eb('received_at', '>', a.receivedAt), eb.and([eb('received_at', '=', a.receivedAt), eb('id', '>', a.id)])]));
  }
  return q.orderBy('received_at').orderBy('id').limit(f.limit).execute();
}
