/**
 * One kysely code path over two engines: better-sqlite3 (a file, the default on one machine) and
 * PostgreSQL (a pg Pool, for many machines). Callers get a `Kysely<Database>` and never branch on
 * the engine; the few places that must (migrations, error codes) use `dialectOf` / `isUniqueViolation`.
 */
import type SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl, type DatabaseTarget, type SqliteSynchronous } from '../config.ts';
import { openSqlite } from './sqlite.ts';
import { ConfigError } from '../errors.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface CreateDbOptions {
  /** PostgreSQL pool size (default 10). */
  readonly poolMax?: number;
}

/**
 * Opens a database from a `DATABASE_URL` string (`sqlite:PATH`, `sqlite::memory:`,
 * `postgres://…`) or an already parsed target. The caller owns it: `await db.destroy()`.
 */
export function createDb(database: string | DatabaseTarget, options: CreateDbOptions = {}): Kysely<Database> {
  const target = typeof database === 'string' ? parseDatabaseUrl(database) : database;
  if (target === undefined) {
    throw new ConfigError('DATABASE_URL', 'expected sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB');
  }
  if (target.kind === 'sqlite') {
    const synchronous = target.synchronous ?? 'FULL';
    const sqlite = openSqlite(target.path, synchronous, 0);
    const db = new Kysely<Database>({ dialect: new WaitingSqliteDialect({ database: sqlite }) });
    const closers: (() => void)[] = [];
    // kysely's destroy() closes the handle: whatever was opened beside it (the intake's writer
    // thread and its connection) closes with it.
    const close = sqlite.close.bind(sqlite);
    sqlite.close = () => {
      for (const fn of closers.splice(0)) fn();
      return close();
    };
    sqliteHandles.set(db, { handle: sqlite, file: target.path === ':memory:' ? undefined : { path: target.path, synchronous }, closers });
    return db;
  }
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolMax ?? 10, types: pgTypes });
  // A pooled connection that the server terminates (restart, failover, pg_terminate_backend, a
  // dropped network) emits 'error': on the pool when idle, on the client when checked out.
  // Unhandled, either kills the whole process. The pool discards such a client (on release when
  // checked out: it is no longer queryable) and the next query opens a new connection, so there
  // is nothing to do here: queries that fail meanwhile surface as 503s (http/error-handler.ts).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

interface SqliteEntry {
  readonly handle: SQLite.Database;
  /** Undefined for `:memory:` (another connection would open another, empty database). */
  readonly file: SqliteFile | undefined;
  readonly closers: (() => void)[];
}

/** A SQLite database file and how its connections commit, for opening another connection to it. */
export interface SqliteFile {
  readonly path: string;
  readonly synchronous: SqliteSynchronous;
}

const sqliteHandles = new WeakMap<object, SqliteEntry>();

/**
 * The better-sqlite3 handle behind a SQLite `Kysely` made by `createDb` (undefined for
 * PostgreSQL). For hot paths that run a whole transaction synchronously with prepared statements;
 * such code must check `handle.inTransaction` first, because kysely may hold an async transaction
 * open on the same connection between awaits.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sqliteHandleOf(db: Kysely<any>): SQLite.Database | undefined {
  return sqliteHandles.get(db)?.handle;
}

/**
 * The file behind a SQLite `Kysely` made by `createDb` (undefined for `:memory:` and
 * PostgreSQL), for code that opens its own connection to it in another thread, with `onClose`
 * to close that connection when the database is destroyed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sqliteFileOf(db: Kysely<any>): { readonly file: SqliteFile; readonly onClose: (fn: () => void) => void } | undefined {
  const entry = sqliteHandles.get(db);
  if (entry?.file === undefined) return undefined;
  return { file: entry.file, onClose: (fn) => entry.closers.push(fn) };
}

/**
 * kysely's SQLite dialect, except that a statement finding the database locked by another
 * connection (the intake's writer thread, a worker process) waits for it on a timer instead of
 * in SQLite's busy handler, which sleeps on the calling thread: on the API's thread that froze
 * every request (health checks included) for as long as the other connection's transaction
 * lasted, a second for a 10,000-row import. Transactions begin IMMEDIATE, taking the write lock
 * (waiting the same way) before their first read, so a transaction never fails half-way because
 * another connection wrote after it had read (SQLITE_BUSY_SNAPSHOT, which no retry can cure).
 */
class WaitingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WaitingSqliteDriver(this.#config);
  }
}

class WaitingSqliteDriver extends SqliteDriver {
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    let outer = this.#wrapped.get(inner);
    if (outer === undefined) {
      outer = {
        executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => waitingForLock(() => inner.executeQuery<R>(query)),
        streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => inner.streamQuery<R>(query, chunkSize),
      };
      this.#wrapped.set(inner, outer);
    }
    return outer;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** As long as busy_timeout used to allow (5 s): past that the caller gets the error (a 503). */
const LOCK_WAIT_MS = 5_000;

/** Runs `run` again on a timer while another connection holds the write lock (SQLITE_BUSY), up to LOCK_WAIT_MS. */
export async function waitingForLock<T>(run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  let delay = 1;
  for (;;) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY' || code === 'SQLITE_BUSY_TIMEOUT';
      if (!busy || Date.now() - start >= LOCK_WAIT_MS) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 25);
    }
  }
}

/**
 * PostgreSQL returns int8 (e.g. `count(*)`) and numeric as strings; SQLite returns numbers. Our
 * values are far below 2^53, so parse both to numbers on this pool only (no global pg mutation).
 */
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (v: string) => Number.parseInt(v, 10);
    if (oid === NUMERIC_OID) return (v: string) => Number.parseFloat(v);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

// Accepts any Kysely so migrations (which see `Kysely<any>`) can use it too.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** True for a unique-constraint violation on either engine (for idempotent inserts). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True for a foreign-key violation on either engine. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs `fn` in a transaction: the caller's, when `db` already is one (so a write that is one
 * transaction on its own can also be part of a larger all-or-nothing write), else a new one.
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
