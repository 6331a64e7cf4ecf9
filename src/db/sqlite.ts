/**
 * Opening a SQLite connection with the project's settings. Its own module (better-sqlite3 only)
 * because the intake's writer thread opens its connection with it too, and should not load
 * kysely, pg and the config to do so.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';

export type Synchronous = 'FULL' | 'NORMAL';

/**
 * `busyTimeoutMs`: how long a statement waits, blocking its thread, for another connection's
 * write lock. The API thread's connection passes 0 and waits without blocking instead (the
 * kysely driver in database.ts retries after a timer); a writer thread can afford to block.
 */
export function openSqlite(path: string, synchronous: Synchronous, busyTimeoutMs = 5_000): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets the API read while a worker writes; busy_timeout makes a second connection wait for
  // the write lock instead of failing at once; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
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
