/**
 * Group commit for parcel intake. Requests that arrive while a transaction is running wait, and
 * the next transaction writes all of them at once: one BEGIN/COMMIT, one multi-row INSERT per
 * table, however many couriers sent parcels meanwhile. With SQLite every write is serialised
 * anyway; grouping turns N small commits into one without adding latency when the API is idle
 * (a lone request is written at once). On PostgreSQL, where a commit mostly waits on the server,
 * a few groups commit at once on separate pooled connections, each in one statement
 * (writeGroupPostgres); still nothing is answered before its group has committed.
 *
 * The transaction also writes the `received` events and one consolidate outbox row for all the
 * parcels it commits (a `parcels` job, src/queue/queues.ts).
 *
 * Each request keeps its own all-or-nothing outcome: a request whose waybill clashes is rejected
 * alone, and if the grouped transaction fails for a reason the checks did not foresee (a
 * concurrent writer in another process), every request is retried in a transaction of its own.
 */
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { isUniqueViolation, sqliteFileOf, sqliteHandleOf, type SqliteFile } from '../db/database.ts';
import type { Database, ParcelRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { SqliteGroupStore, writeGroupKysely, writeGroupPostgres, type IntakeRequest, type IntakeResult } from './intake-commit.ts';
import type { CreateParcel, Parcel } from './parcel.schemas.ts';
import { uuid7 } from './uuid7.ts';
import { fromWire, type FromWriter, type ToWriter } from './writer-protocol.ts';

export interface WriteItem {
  readonly input: CreateParcel;
  readonly hash: string;
  readonly stationCode: string;
  /** The station's county. */
  readonly countyId: string;
  /** Where this parcel is in the request, for error details. */
  readonly detail: (message: string) => ErrorDetail;
}

export interface WriteOutcome {
  readonly created: number;
  /** Stored parcel per waybill of the request. */
  readonly views: Map<string, Parcel>;
}

interface Pending extends IntakeRequest {
  /** Its rows were sent to the writer thread ahead, under `key` (large requests only). */
  readonly key: number | undefined;
  readonly items: readonly WriteItem[];
  readonly resolve: (o: WriteOutcome | Promise<WriteOutcome>) => void;
  readonly reject: (e: unknown) => void;
}

type Result = IntakeResult | { readonly error: unknown };

/** Volume when the courier gives no dimensions: 250 kg/m³, a typical parcel density (estimate). */
const CM3_PER_G_ESTIMATE = 4;

/** PostgreSQL groups committing at once: well within the pool's 10 connections, leaving some for reads. */
const POSTGRES_GROUPS_IN_FLIGHT = 4;

/** Rows built (and sent to the writer thread) between two turns of the event loop. */
const SLICE = 500;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Where a group is committed: the writer thread, or this thread (kysely, or better-sqlite3 directly). */
interface GroupStore {
  /**
   * Groups committed at once: 1 on SQLite (one writer at a time anyway). On PostgreSQL a commit
   * mostly waits for the server (round trips, the WAL flush), so several groups are in flight,
   * each on its own pooled connection, while the next requests queue for the following group.
   */
  readonly parallel: number;
  /** Sends a request's rows ahead (thread store only), so the group's write message is small. */
  stage?(key: number, rows: readonly ParcelRow[]): void;
  write(group: readonly Pending[]): Promise<IntakeResult[]>;
  release?(keys: readonly number[]): void;
}

export class ParcelWriter {
  readonly #onOutboxWritten: (() => void) | undefined;
  readonly #maxGroupParcels: number;
  readonly #store: GroupStore;
  #queue: Pending[] = [];
  /** A #pump is due after this turn of the event loop. */
  #scheduled = false;
  /** Groups being committed. */
  #inFlight = 0;
  #nextKey = 1;

  /**
   * On a SQLite file the groups are committed by a writer thread with its own connection
   * (writer-thread.ts), so neither a long transaction nor the fsync of `synchronous = FULL`
   * holds the event loop; it is closed with the database. PostgreSQL (asynchronous already)
   * and an in-memory SQLite (one connection only) are written from this thread.
   */
  constructor(db: Kysely<Database>, onOutboxWritten?: () => void, maxGroupParcels = 5_000) {
    const file = sqliteFileOf(db);
    const handle = sqliteHandleOf(db);
    if (file !== undefined) {
      const thread = new WriterThread(file.file);
      file.onClose(() => thread.close());
      this.#store = thread;
    } else if (handle !== undefined) {
      const local = new SqliteGroupStore(handle);
      // Synchronous, unless kysely holds a transaction open on the connection between awaits.
      this.#store = { parallel: 1, write: async (group) => (local.available ? local.write(group) : writeGroupKysely(db, group)) };
    } else {
      this.#store = { parallel: POSTGRES_GROUPS_IN_FLIGHT, write: (group) => writeGroupPostgres(db, group) };
    }
    this.#onOutboxWritten = onOutboxWritten;
    this.#maxGroupParcels = maxGroupParcels;
  }

  /** The writer thread's connection settings (undefined when writing from this thread), for tests. */
  async connectionInfo(): Promise<{ synchronous: number; journalMode: string } | undefined> {
    return this.#store instanceof WriterThread ? this.#store.info() : undefined;
  }

  /** Resolves once the parcels are committed (or were already there, identical). */
  async write(courier: string, items: readonly WriteItem[]): Promise<WriteOutcome> {
    // The rows, ids included, are made here: the store only decides which are new and inserts
    // them. A large import is built and handed to the writer thread a slice at a time.
    // Large requests go ahead a slice at a time; small ones travel inside the group's message.
    const key = items.length > SLICE && this.#store.stage !== undefined ? this.#nextKey++ : undefined;
    const now = new Date().toISOString();
    const rows: ParcelRow[] = [];
    for (let start = 0; start < items.length; start += SLICE) {
      if (start > 0) await yieldToEventLoop();
      const slice: ParcelRow[] = [];
      for (let i = start; i < Math.min(items.length, start + SLICE); i++) {
        const it = items[i]!;
        slice.push(newParcelRow(courier, it.input, it.stationCode, it.countyId, it.hash, now));
      }
      if (key !== undefined) this.#store.stage?.(key, slice);
      for (const row of slice) rows.push(row);
    }
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.#queue.push({ courier, rows, key, items, resolve, reject });
      // Start after the current I/O phase, so every request parsed in this turn of the event loop
      // joins the same transaction; requests arriving while the store is busy form the next one.
      if (!this.#scheduled && this.#inFlight < this.#store.parallel) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#pump();
        });
      }
    });
  }

  /** Starts groups while fewer than the store allows are committing; a group takes what is queued. */
  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#store.parallel) {
      let n = 0;
      let take = 0;
      while (take < this.#queue.length && (take === 0 || n + this.#queue[take]!.rows.length <= this.#maxGroupParcels)) {
        n += this.#queue[take]!.rows.length;
        take += 1;
      }
      const group = this.#queue.splice(0, take);
      this.#inFlight += 1;
      void this.#commit(group).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
      });
    }
  }

  async #commit(group: Pending[]): Promise<void> {
    const results = await this.#writeWithFallback(group);
    const staged = group.flatMap((p) => (p.key === undefined ? [] : [p.key]));
    if (staged.length > 0) this.#store.release?.(staged);
    let created = 0;
    group.forEach((p, i) => {
      const r = results[i]!;
      if ('ok' in r) {
        created += r.ok.created;
        p.resolve(outcomeOf(p, r.ok.created, r.ok.stored));
      } else if ('clashes' in r) {
        const details = r.clashes.map((j) => p.items[j]!.detail(`waybill ${p.rows[j]!.waybill} was already accepted with different contents`));
        p.reject(new AppError('conflict', `${details.length} waybill(s) already accepted with different contents`, details.slice(0, 100)));
      } else {
        p.reject(r.error);
      }
    });
    if (created > 0) this.#onOutboxWritten?.();
  }

  async #writeWithFallback(group: Pending[]): Promise<Result[]> {
    try {
      return await this.#store.write(group);
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
          return await this.#store.write(group);
        } catch (again) {
          return [{ error: again }];
        }
      }
      return [{ error: err }];
    }
  }
}

/**
 * A committed request's answer: the stored parcel per waybill, whether inserted now or before.
 * A small request's at once (a promise would cost it two more turns of the microtask queue); an
 * import's (10,000 parcels) a slice at a time, which the drain loop does not wait for.
 */
function outcomeOf(p: Pending, created: number, stored: readonly ParcelRow[]): WriteOutcome | Promise<WriteOutcome> {
  if (p.rows.length > SLICE) return slicedOutcomeOf(p, created, stored);
  const before = storedByWaybill(stored);
  const views = new Map<string, Parcel>();
  for (let i = 0; i < p.rows.length; i++) views.set(p.rows[i]!.waybill, viewAt(p, i, before));
  return { created, views };
}

async function slicedOutcomeOf(p: Pending, created: number, stored: readonly ParcelRow[]): Promise<WriteOutcome> {
  const before = storedByWaybill(stored);
  const views = new Map<string, Parcel>();
  for (let i = 0; i < p.rows.length; i++) {
    if (i > 0 && i % SLICE === 0) await yieldToEventLoop();
    views.set(p.rows[i]!.waybill, viewAt(p, i, before));
  }
  return { created, views };
}

function storedByWaybill(stored: readonly ParcelRow[]): Map<string, ParcelRow> | undefined {
  if (stored.length === 0) return undefined;
  const before = new Map<string, ParcelRow>();
  for (const row of stored) before.set(row.waybill, row);
  return before;
}

/** Request row i's view: the stored parcel's if it was there, else the new one's with the destination as submitted (not JSON.parse of the string just made from it). */
function viewAt(p: Pending, i: number, before: Map<string, ParcelRow> | undefined): Parcel {
  const row = p.rows[i]!;
  const old = before?.get(row.waybill);
  return old === undefined ? viewOf(row, p.items[i]!.input.destination) : toParcelView(old);
}

/**
 * The writer thread (writer-thread.ts) seen from the API's thread. Started with the writer, so
 * it has loaded before the first parcel arrives; one group in flight at a time (the writer's
 * drain loop awaits each). Kept referenced only while a write is in flight, so an idle writer
 * does not hold a process open. If the thread dies, what was in flight fails (a 503) and the
 * next write starts a new thread (rows staged in the dead one are sent again).
 */
class WriterThread implements GroupStore {
  readonly parallel = 1;
  readonly #file: SqliteFile;
  #worker: Worker | undefined;
  #closed = false;
  #nextId = 1;
  readonly #calls = new Map<number, { resolve: (m: FromWriter) => void; reject: (e: unknown) => void }>();
  /** Rows staged per request key, to stage again in a new thread after a crash. */
  readonly #staged = new Map<number, ParcelRow[]>();

  constructor(file: SqliteFile) {
    this.#file = file;
    this.#start();
  }

  #start(): Worker {
    if (this.#closed) throw new AppError('unavailable', 'the database is closed');
    const worker = new Worker(new URL('./writer-bootstrap.mjs', import.meta.url), { workerData: { path: this.#file.path, synchronous: this.#file.synchronous } });
    worker.unref();
    worker.on('message', (m: FromWriter) => {
      const call = this.#calls.get(m.id);
      if (call === undefined) return;
      this.#calls.delete(m.id);
      if (this.#calls.size === 0) worker.unref();
      call.resolve(m);
    });
    const fail = (err: unknown): void => {
      if (this.#worker === worker) this.#worker = undefined;
      const calls = [...this.#calls.values()];
      this.#calls.clear();
      for (const c of calls) c.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new AppError('unavailable', `the intake writer thread exited (${code}); retry`)));
    for (const [key, rows] of this.#staged) worker.postMessage({ type: 'stage', key, rows } satisfies ToWriter);
    this.#worker = worker;
    return worker;
  }

  #call(message: ToWriter & { id: number }): Promise<FromWriter> {
    const worker = this.#worker ?? this.#start();
    return new Promise((resolve, reject) => {
      this.#calls.set(message.id, { resolve, reject });
      worker.ref();
      worker.postMessage(message);
    });
  }

  stage(key: number, rows: readonly ParcelRow[]): void {
    let list = this.#staged.get(key);
    if (list === undefined) this.#staged.set(key, (list = []));
    for (const row of rows) list.push(row);
    (this.#worker ?? this.#start()).postMessage({ type: 'stage', key, rows } satisfies ToWriter);
  }

  async write(group: readonly Pending[]): Promise<IntakeResult[]> {
    const reply = await this.#call({ type: 'write', id: this.#nextId++, requests: group.map((p) => (p.key === undefined ? { courier: p.courier, rows: p.rows } : { courier: p.courier, key: p.key })) });
    if (reply.type === 'done') return reply.results.map(fromWire);
    if (reply.type === 'failed') throw Object.assign(new Error(reply.error.message), { name: reply.error.name, ...(reply.error.code === undefined ? {} : { code: reply.error.code }) });
    throw new Error(`unexpected reply ${reply.type} from the intake writer thread`);
  }

  release(keys: readonly number[]): void {
    for (const key of keys) this.#staged.delete(key);
    this.#worker?.postMessage({ type: 'release', keys } satisfies ToWriter);
  }

  async info(): Promise<{ synchronous: number; journalMode: string }> {
    const reply = await this.#call({ type: 'info', id: this.#nextId++ });
    if (reply.type !== 'info') throw new Error(`unexpected reply ${reply.type} from the intake writer thread`);
    return { synchronous: reply.synchronous, journalMode: reply.journalMode };
  }

  close(): void {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }
}

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

function newParcelRow(courierCode: string, p: CreateParcel, stationCode: string, countyId: string, hash: string, now: string): ParcelRow {
  const [l, w, h] = p.dimensionsCm ?? [];
  const dims = l !== undefined && w !== undefined && h !== undefined;
  return {
    id: uuid7(),
    county_id: countyId,
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
