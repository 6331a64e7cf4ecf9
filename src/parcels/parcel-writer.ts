/**
 * Group commit for parcel intake. Requests that arrive while a transaction is running wait, and
 * the next transaction writes all of them at once: one BEGIN/COMMIT, one multi-row INSERT per
 * table, however many couriers sent parcels meanwhile. With SQLite every write is serialised
 * anyway; grouping turns N small commits into one without adding latency when the API is idle
 * (a lone request is written at once).
 *
 * The transaction also writes the `received` events and one consolidate outbox row for all the
 * parcels it commits (a `parcels` job, src/queue/queues.ts).
 *
 * Each request keeps its own all-or-nothing outcome: a request whose waybill clashes is rejected
 * alone, and if the grouped transaction fails for a reason the checks did not foresee (a
 * concurrent writer in another process), every request is retried in a transaction of its own.
 */
import type SQLite from 'better-sqlite3';
import type { Insertable, Kysely } from 'kysely';
import { isUniqueViolation, sqliteHandleOf } from '../db/database.ts';
import type { Database, OutboxTable, ParcelEventTable, ParcelRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { consolidateParcelsOutboxRows } from '../queue/outbox.ts';
import * as parcelRepository from './parcel.repository.ts';
import type { IntakeRow, IntakeTable } from './parcel.repository.ts';
import type { CreateParcel, Parcel } from './parcel.schemas.ts';
import { uuid7 } from './uuid7.ts';

export interface WriteItem {
  readonly input: CreateParcel;
  readonly hash: string;
  readonly stationCode: string;
  /** Where this parcel is in the request, for error details. */
  readonly detail: (message: string) => ErrorDetail;
}

export interface WriteOutcome {
  readonly created: number;
  /** Stored parcel per waybill of the request. */
  readonly views: Map<string, Parcel>;
}

interface Pending {
  readonly courier: string;
  readonly items: readonly WriteItem[];
  readonly resolve: (o: WriteOutcome) => void;
  readonly reject: (e: unknown) => void;
}

type Result = { ok: WriteOutcome } | { error: unknown };

/** Volume when the courier gives no dimensions: 250 kg/m³, a typical parcel density (estimate). */
const CM3_PER_G_ESTIMATE = 4;

export class ParcelWriter {
  readonly #db: Kysely<Database>;
  readonly #onOutboxWritten: (() => void) | undefined;
  readonly #maxGroupParcels: number;
  #queue: Pending[] = [];
  #draining = false;

  readonly #sqlite: SqliteGroupStore | undefined;

  constructor(db: Kysely<Database>, onOutboxWritten?: () => void, maxGroupParcels = 5_000) {
    this.#db = db;
    const handle = sqliteHandleOf(db);
    this.#sqlite = handle === undefined ? undefined : new SqliteGroupStore(handle);
    this.#onOutboxWritten = onOutboxWritten;
    this.#maxGroupParcels = maxGroupParcels;
  }

  /** Resolves once the parcels are committed (or were already there, identical). */
  write(courier: string, items: readonly WriteItem[]): Promise<WriteOutcome> {
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.#queue.push({ courier, items, resolve, reject });
      // Start after the current I/O phase, so every request parsed in this turn of the event loop
      // joins the same transaction (the SQLite path is synchronous: once it runs, nothing else is
      // read until it commits).
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        let n = 0;
        let take = 0;
        while (take < this.#queue.length && (take === 0 || n + this.#queue[take]!.items.length <= this.#maxGroupParcels)) {
          n += this.#queue[take]!.items.length;
          take += 1;
        }
        const group = this.#queue.splice(0, take);
        const results = await this.#writeWithFallback(group);
        let created = 0;
        group.forEach((p, i) => {
          const r = results[i]!;
          if ('ok' in r) {
            created += r.ok.created;
            p.resolve(r.ok);
          } else {
            p.reject(r.error);
          }
        });
        if (created > 0) this.#onOutboxWritten?.();
      }
    } finally {
      this.#draining = false;
    }
  }

  async #writeGroup(group: readonly Pending[]): Promise<Result[]> {
    if (this.#sqlite?.available) return this.#sqlite.write(group);
    return writeGroupKysely(this.#db, group);
  }

  async #writeWithFallback(group: Pending[]): Promise<Result[]> {
    try {
      return await this.#writeGroup(group);
    } catch (err) {
      if (group.length > 1) {
        // Something unforeseen failed the shared transaction: isolate every request.
        const out: Result[] = [];
        for (const p of group) out.push(...(await this.#writeWithFallback([p])));
        return out;
      }
      // One request: a concurrent writer (another process) inserted the same waybill first.
      // Reading again turns that into a replay (200) or a conflict (409).
      if (isUniqueViolation(err)) {
        try {
          return await this.#writeGroup(group);
        } catch (again) {
          return [{ error: again }];
        }
      }
      return [{ error: err }];
    }
  }
}

const keyOf = (courier: string, waybill: string): string => `${courier}\u0000${waybill}`;

interface GroupPlan {
  readonly results: Result[];
  readonly parcels: ParcelRow[];
  readonly events: Insertable<ParcelEventTable>[];
  readonly outbox: Insertable<OutboxTable>[];
}

/**
 * Decides, for every request of a group, what to insert or why it is rejected, given the parcels
 * already stored (`known`, by courier + waybill). Pure; shared by both stores below.
 */
function planGroup(group: readonly Pending[], known: Map<string, { hash: string; view: Parcel }>, now: string): GroupPlan {
  const parcels: ParcelRow[] = [];
  const events: Insertable<ParcelEventTable>[] = [];
  const results: Result[] = [];
  for (const p of group) {
    const views = new Map<string, Parcel>();
    const clashes: ErrorDetail[] = [];
    const mine: ParcelRow[] = [];
    for (const it of p.items) {
      const hit = known.get(keyOf(p.courier, it.input.waybill));
      if (hit !== undefined) {
        if (hit.hash === it.hash) views.set(it.input.waybill, hit.view);
        else clashes.push(it.detail(`waybill ${it.input.waybill} was already accepted with different contents`));
        continue;
      }
      const row = newParcelRow(p.courier, it.input, it.stationCode, it.hash, now);
      mine.push(row);
      // The destination as submitted, not JSON.parse of the string just made from it.
      views.set(it.input.waybill, viewOf(row, it.input.destination));
    }
    if (clashes.length > 0) {
      results.push({ error: new AppError('conflict', `${clashes.length} waybill(s) already accepted with different contents`, clashes.slice(0, 100)) });
      continue;
    }
    for (const row of mine) {
      // Later requests in the same group see this one's parcels as already accepted.
      known.set(keyOf(p.courier, row.waybill), { hash: row.body_hash, view: views.get(row.waybill)! });
      parcels.push(row);
      events.push({ id: uuid7(), parcel_id: row.id, type: 'received', at: now, details_json: null });
    }
    results.push({ ok: { created: mine.length, views } });
  }
  // One consolidate job for everything this transaction commits (split past 1,000 parcels), not
  // one per parcel: the relay then adds one Redis job per commit, and the worker sorts the group
  // in one transaction.
  const outbox = consolidateParcelsOutboxRows(
    parcels.map((r) => r.id),
    now,
  );
  return { results, parcels, events, outbox };
}

/** The waybills of a group, by courier (for one lookup per courier rather than per parcel). */
function waybillsByCourier(group: readonly Pending[]): Map<string, string[]> {
  const byCourier = new Map<string, string[]>();
  for (const p of group) {
    let list = byCourier.get(p.courier);
    if (list === undefined) byCourier.set(p.courier, (list = []));
    for (const it of p.items) list.push(it.input.waybill);
  }
  return byCourier;
}

/**
 * The one intake write, on either store: look up the group's stored parcels (one lookup per
 * courier), decide every request (planGroup), insert the new parcels, their events and the
 * outbox rows. `find` and `insert` are the store's; they run inside its transaction.
 */
function writeGroupWith(
  group: readonly Pending[],
  find: (courier: string, waybills: readonly string[]) => readonly ParcelRow[],
  insert: <T extends IntakeTable>(table: T, rows: readonly IntakeRow<T>[]) => void,
): Result[] {
  const known = new Map<string, { hash: string; view: Parcel }>();
  for (const [courier, waybills] of waybillsByCourier(group)) {
    for (const row of find(courier, waybills)) known.set(keyOf(courier, row.waybill), { hash: row.body_hash, view: toParcelView(row) });
  }
  const plan = planGroup(group, known, new Date().toISOString());
  if (plan.parcels.length > 0) {
    insert('parcels', plan.parcels);
    insert('parcel_events', plan.events);
    insert('outbox', plan.outbox);
  }
  return plan.results;
}

/**
 * Any database: kysely, one transaction, chunked multi-row INSERTs. The lookups are read first
 * (kysely is asynchronous), then the one write decides synchronously and its inserts follow.
 */
async function writeGroupKysely(db: Kysely<Database>, group: readonly Pending[]): Promise<Result[]> {
  return db.transaction().execute(async (trx) => {
    const stored = new Map<string, ParcelRow[]>();
    for (const [courier, waybills] of waybillsByCourier(group)) stored.set(courier, await parcelRepository.findByWaybills(trx, courier, waybills));
    const inserts: (() => Promise<void>)[] = [];
    const results = writeGroupWith(group, (courier) => stored.get(courier) ?? [], (table, rows) => inserts.push(() => parcelRepository.insertChunked(trx, table, rows)));
    for (const insert of inserts) await insert();
    return results;
  });
}

/**
 * SQLite: the whole group in one synchronous better-sqlite3 transaction (BEGIN IMMEDIATE) with
 * prepared statements. kysely's per-query building, compiling and promise plumbing cost several
 * times the SQLite work itself on this path; a synchronous transaction also cannot interleave
 * with anything else in this process.
 */
class SqliteGroupStore {
  readonly #sqlite: SQLite.Database;
  readonly #inserts = new Map<string, { columns: string[]; byCount: SQLite.Statement[] }>();
  readonly #lookups: SQLite.Statement[] = [];
  #run: ((group: readonly Pending[]) => Result[]) | undefined;

  constructor(sqlite: SQLite.Database) {
    this.#sqlite = sqlite;
  }

  /** Statements are prepared on first use (the schema may be migrated after the app is built). */
  #prepare(): (group: readonly Pending[]) => Result[] {
    return this.#sqlite.transaction((group: readonly Pending[]) =>
      writeGroupWith(
        group,
        (courier, waybills) => this.#findByWaybills(courier, waybills),
        (table, rows) => this.#insert(table, rows as readonly object[] as readonly Record<string, unknown>[]),
      ),
    ).immediate;
  }

  /** False while kysely holds a transaction open on this connection: use the kysely path then. */
  get available(): boolean {
    return this.#sqlite.open && !this.#sqlite.inTransaction;
  }

  write(group: readonly Pending[]): Result[] {
    this.#run ??= this.#prepare();
    return this.#run(group);
  }

  /**
   * The stored parcels among a courier's waybills: one `waybill IN (…)` lookup per
   * ROWS_PER_INSERT waybills (on the (courier_code, waybill) unique index) instead of one per
   * waybill. A statement per list length, prepared on first use.
   */
  #findByWaybills(courier: string, waybills: readonly string[]): ParcelRow[] {
    const out: ParcelRow[] = [];
    for (let start = 0; start < waybills.length; start += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, waybills.length - start);
      let stmt = this.#lookups[n];
      if (stmt === undefined) {
        stmt = this.#lookups[n] = this.#sqlite.prepare(`select * from parcels where courier_code = ? and waybill in (${Array.from({ length: n }, () => '?').join(', ')})`);
      }
      const args: string[] = [courier];
      for (let i = 0; i < n; i++) args.push(waybills[start + i]!);
      for (const row of stmt.all(args) as ParcelRow[]) out.push(row);
    }
    return out;
  }

  /**
   * Multi-row INSERTs of up to ROWS_PER_INSERT rows: one statement call (one N-API crossing,
   * one VDBE program run) per chunk instead of per row. A statement per (table, row count),
   * prepared on first use.
   */
  #insert(table: string, rows: readonly Record<string, unknown>[]): void {
    if (rows.length === 0) return;
    let entry = this.#inserts.get(table);
    if (entry === undefined) {
      // Column list from the row shape our own code builds; identifiers are ours, not input.
      this.#inserts.set(table, (entry = { columns: Object.keys(rows[0]!), byCount: [] }));
    }
    const { columns, byCount } = entry;
    const width = columns.length;
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, rows.length - start);
      let stmt = byCount[n];
      if (stmt === undefined) {
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        stmt = byCount[n] = this.#sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: n }, () => tuple).join(', ')}`);
      }
      const values = new Array<unknown>(n * width);
      for (let i = 0; i < n; i++) {
        const row = rows[start + i]!;
        for (let c = 0; c < width; c++) values[i * width + c] = row[columns[c]!] ?? null;
      }
      stmt.run(values);
    }
  }
}

/** Rows per multi-row INSERT (parcels have 23 columns: 736 parameters, far below SQLite's limit). */
const ROWS_PER_INSERT = 32;

export function toParcelView(row: ParcelRow): Parcel {
  return viewOf(row, JSON.parse(row.destination_json) as Record<string, unknown>);
}

function viewOf(row: ParcelRow, destination: Record<string, unknown>): Parcel {
  const dims: Parcel['dimensionsCm'] = row.length_cm !== null && row.width_cm !== null && row.height_cm !== null ? [row.length_cm, row.width_cm, row.height_cm] : null;
  return {
    id: row.id,
    courier: row.courier_code,
    waybill: row.waybill,
    status: row.status,
    statusReason: row.status_reason,
    attempts: row.attempts,
    stationCode: row.station_code,
    destination,
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

function newParcelRow(courierCode: string, p: CreateParcel, stationCode: string, hash: string, now: string): ParcelRow {
  const [l, w, h] = p.dimensionsCm ?? [];
  const dims = l !== undefined && w !== undefined && h !== undefined;
  return {
    id: uuid7(),
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
    attempts: 0,
    status_reason: null,
  };
}
