/**
 * The intake's one database write: given the parcel rows of a group of requests (built by the
 * caller, ids included), look up which are already stored, decide every request, and insert the
 * new parcels, their `received` events and the consolidate outbox rows, in one transaction.
 * Used by the ParcelWriter (parcel-writer.ts) in the API's thread (PostgreSQL, an in-memory
 * SQLite) and by its writer thread (writer-thread.ts, a SQLite file): nothing here needs more
 * than plain data in and out, so the same code runs on either side of a thread boundary.
 */
import type SQLite from 'better-sqlite3';
import type { Insertable, Kysely } from 'kysely';
import type { Database, OutboxTable, ParcelEventTable, ParcelRow } from '../db/schema.ts';
import { consolidateParcelsOutboxRows } from '../queue/outbox.ts';
import * as parcelRepository from './parcel.repository.ts';
import type { IntakeRow, IntakeTable } from './parcel.repository.ts';
import { uuid7 } from './uuid7.ts';

/** One request of a group: a courier's parcels, as the rows to insert if they are new. */
export interface IntakeRequest {
  readonly courier: string;
  readonly rows: readonly ParcelRow[];
}

/**
 * A request's outcome: committed (`stored`: the rows that were already there, identical, for
 * some of its waybills; every other row was inserted), or rejected whole because these rows
 * (indexes into its `rows`) clash with parcels stored with different contents.
 */
export type IntakeResult = { readonly ok: { readonly created: number; readonly stored: ParcelRow[] } } | { readonly clashes: number[] };

const keyOf = (courier: string, waybill: string): string => `${courier}\u0000${waybill}`;

interface GroupPlan {
  readonly results: IntakeResult[];
  readonly parcels: ParcelRow[];
  readonly events: Insertable<ParcelEventTable>[];
  readonly outbox: Insertable<OutboxTable>[];
}

/**
 * Decides, for every request of a group, what to insert or why it is rejected, given the parcels
 * already stored (`known`, by courier + waybill). Pure.
 */
function planGroup(group: readonly IntakeRequest[], known: Map<string, ParcelRow>, now: string): GroupPlan {
  const parcels: ParcelRow[] = [];
  const events: Insertable<ParcelEventTable>[] = [];
  const results: IntakeResult[] = [];
  for (const p of group) {
    const stored: ParcelRow[] = [];
    const clashes: number[] = [];
    const mine: ParcelRow[] = [];
    p.rows.forEach((row, i) => {
      const hit = known.get(keyOf(p.courier, row.waybill));
      if (hit === undefined) mine.push(row);
      else if (hit.body_hash === row.body_hash) stored.push(hit);
      else clashes.push(i);
    });
    if (clashes.length > 0) {
      results.push({ clashes });
      continue;
    }
    for (const row of mine) {
      // Later requests in the same group see this one's parcels as already accepted.
      known.set(keyOf(p.courier, row.waybill), row);
      parcels.push(row);
      events.push({ id: uuid7(), parcel_id: row.id, type: 'received', at: row.received_at, details_json: null });
    }
    results.push({ ok: { created: mine.length, stored } });
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
function waybillsByCourier(group: readonly IntakeRequest[]): Map<string, string[]> {
  const byCourier = new Map<string, string[]>();
  for (const p of group) {
    let list = byCourier.get(p.courier);
    if (list === undefined) byCourier.set(p.courier, (list = []));
    for (const row of p.rows) list.push(row.waybill);
  }
  return byCourier;
}

/**
 * The one intake write, on either store: look up the group's stored parcels (one lookup per
 * courier), decide every request (planGroup), insert the new parcels, their events and the
 * outbox rows. `find` and `insert` are the store's; they run inside its transaction.
 */
function writeGroupWith(
  group: readonly IntakeRequest[],
  find: (courier: string, waybills: readonly string[]) => readonly ParcelRow[],
  insert: <T extends IntakeTable>(table: T, rows: readonly IntakeRow<T>[]) => void,
): IntakeResult[] {
  const known = new Map<string, ParcelRow>();
  for (const [courier, waybills] of waybillsByCourier(group)) {
    for (const row of find(courier, waybills)) known.set(keyOf(courier, row.waybill), row);
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
export async function writeGroupKysely(db: Kysely<Database>, group: readonly IntakeRequest[]): Promise<IntakeResult[]> {
  return db.transaction().execute(async (trx) => {
    const stored = new Map<string, ParcelRow[]>();
    for (const [courier, waybills] of waybillsByCourier(group)) stored.set(courier, await parcelRepository.findByWaybills(trx, courier, waybills));
    const inserts: (() => Promise<void>)[] = [];
    const results = writeGroupWith(group, (courier) => stored.get(courier) ?? [], (table, rows) => inserts.push(() => parcelRepository.insertChunked(trx, table, rows)));
    for (const insert of inserts) await insert();
    return results;
  });
}

/** Parcels a PostgreSQL group may write in one statement: 26 parameters each, far below 65,535. */
const PG_ONE_STATEMENT_PARCELS = 1_000;

/**
 * PostgreSQL: look the group's waybills up (one query per courier, in parallel on the pool), decide
 * every request, then insert everything in one statement (parcelRepository.insertIntakePostgres):
 * two round trips per group instead of BEGIN, lookups, three INSERTs and COMMIT, and no
 * connection held across them. The lookup is outside the insert's transaction: a waybill another
 * transaction inserts meanwhile fails the statement on the unique index, nothing is written, and
 * the ParcelWriter retries each request alone, when the lookup sees it (a replay or a 409).
 * Groups past PG_ONE_STATEMENT_PARCELS use the chunked transaction (writeGroupKysely).
 */
export async function writeGroupPostgres(db: Kysely<Database>, group: readonly IntakeRequest[]): Promise<IntakeResult[]> {
  let n = 0;
  for (const p of group) n += p.rows.length;
  if (n > PG_ONE_STATEMENT_PARCELS) return writeGroupKysely(db, group);
  const byCourier = [...waybillsByCourier(group)];
  const found = await Promise.all(byCourier.map(([courier, waybills]) => parcelRepository.findByWaybills(db, courier, waybills)));
  const stored = new Map(byCourier.map(([courier], i) => [courier, found[i]!]));
  const rows: { [T in IntakeTable]?: readonly IntakeRow<T>[] } = {};
  const results = writeGroupWith(group, (courier) => stored.get(courier) ?? [], (table, tableRows) => {
    rows[table] = tableRows as never;
  });
  if (rows.parcels !== undefined) await parcelRepository.insertIntakePostgres(db, rows.parcels, rows.parcel_events ?? [], rows.outbox ?? []);
  return results;
}

/**
 * SQLite: the whole group in one synchronous better-sqlite3 transaction (BEGIN IMMEDIATE) with
 * prepared statements. kysely's per-query building, compiling and promise plumbing cost several
 * times the SQLite work itself on this path; a synchronous transaction also cannot interleave
 * with anything else on its connection.
 */
export class SqliteGroupStore {
  readonly #sqlite: SQLite.Database;
  readonly #inserts = new Map<string, { columns: string[]; byCount: SQLite.Statement[] }>();
  readonly #lookups: SQLite.Statement[] = [];
  #run: ((group: readonly IntakeRequest[]) => IntakeResult[]) | undefined;

  constructor(sqlite: SQLite.Database) {
    this.#sqlite = sqlite;
  }

  /** Statements are prepared on first use (the schema may be migrated after the app is built). */
  #prepare(): (group: readonly IntakeRequest[]) => IntakeResult[] {
    return this.#sqlite.transaction((group: readonly IntakeRequest[]) =>
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

  write(group: readonly IntakeRequest[]): IntakeResult[] {
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
