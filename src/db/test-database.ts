/**
 * Throw-away databases for tests, on both engines, so every suite can run its repository tests
 * once per dialect (kysely's own habit: no mocks, real databases).
 *
 * - SQLite: a fresh file under the OS temp dir (WAL needs a real file to mean anything).
 * - PostgreSQL: a fresh database `gongpei_test_<random>` on TEST_POSTGRES_URL's server
 *   (default postgres://postgres@127.0.0.1:5432/postgres), dropped WITH (FORCE) on dispose.
 *
 * `TEST_DIALECTS=sqlite` (comma list) narrows the dialects a run uses. Both variables are tool
 * settings, parsed by src/config.ts.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { getToolSettings, type ToolSettings } from '../config.ts';
import { createDb, type DialectName } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

export const ALL_DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Dialects selected by TEST_DIALECTS (default: both). */
export function testDialects(tools: Pick<ToolSettings, 'TEST_DIALECTS'> = getToolSettings()): DialectName[] {
  const wanted = (tools.TEST_DIALECTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return wanted.length === 0 ? [...ALL_DIALECTS] : ALL_DIALECTS.filter((d) => wanted.includes(d));
}

export interface TestDatabase {
  readonly dialect: DialectName;
  /** The DATABASE_URL of the throw-away database (for code that opens its own connection). */
  readonly url: string;
  readonly db: Kysely<Database>;
  /** Closes the connection and deletes the database. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Run all migrations before returning (default true). */
  readonly migrate?: boolean;
}

const adminUrl = (): string => getToolSettings().TEST_POSTGRES_URL;

export async function createTestDatabase(dialect: DialectName, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const file = join(tmpdir(), `gongpei-test-${suffix}.db`);
    url = `sqlite:${file}`;
    cleanup = async () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    };
  } else {
    const name = `gongpei_test_${suffix}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const u = new URL(adminUrl());
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    };
  }
  const db = createDb(url, { poolMax: 4 });
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    try {
      await db.destroy();
    } finally {
      await cleanup();
    }
  };
  try {
    if (options.migrate ?? true) await migrateToLatest(db);
  } catch (err) {
    await dispose();
    throw err;
  }
  return { dialect, url, db, dispose };
}
