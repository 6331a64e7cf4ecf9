/**
 * One kysely code path over two engines: better-sqlite3 (a file, the default on one machine) and
 * PostgreSQL (a pg Pool, for many machines). Callers get a `Kysely<Database>` and never branch on
 * the engine; the few places that must (migrations, error codes) use `dialectOf` / `isUniqueViolation`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl, type DatabaseTarget, type SqliteSynchronous } from '../config.ts';
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
    const sqlite = openSqlite(target.path, target.synchronous ?? 'FULL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    sqliteHandles.set(db, sqlite);
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

const sqliteHandles = new WeakMap<object, SQLite.Database>();

/**
 * The better-sqlite3 handle behind a SQLite `Kysely` made by `createDb` (undefined for
 * PostgreSQL). For hot paths that run a whole transaction synchronously with prepared statements;
 * such code must check `handle.inTransaction` first, because kysely may hold an async transaction
 * open on the same connection between awaits.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sqliteHandleOf(db: Kysely<any>): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

function openSqlite(path: string, synchronous: SqliteSynchronous): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets the API read while a worker writes; busy_timeout makes a second process wait for the
  // write lock instead of failing at once; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // FULL: COMMIT returns once the WAL is on disk, so an acknowledged parcel survives power loss;
  // the intake's group commit (parcel-writer.ts) shares that fsync among the requests that
  // arrived together. NORMAL is the documented opt-out (config SQLITE_SYNCHRONOUS).
  sqlite.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  // 64 MiB page cache (default 2 MiB): intake indexes stay in memory as the day's parcels grow.
  sqlite.pragma('cache_size = -65536');
  cachePreparedStatements(sqlite);
  return sqlite;
}

/**
 * kysely's SQLite driver calls `prepare(sql)` for every query; preparing costs more than running
 * a small INSERT. Reuse statements by SQL text (bounded, least recently used evicted). A cached
 * statement still being iterated (`busy`, kysely's streamQuery) is not handed out twice.
 */
function cachePreparedStatements(sqlite: SQLite.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit !== undefined && !hit.busy) {
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const stmt = prepare(source);
    if (hit === undefined) {
      cache.set(source, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  }) as typeof sqlite.prepare;
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
