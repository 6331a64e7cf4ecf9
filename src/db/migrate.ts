/**
 * Runs the migrations in src/db/migrations with kysely's Migrator and a static provider.
 */
import { Migrator, type Kysely, type MigrationResult, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export interface MigrationOutcome {
  readonly applied: readonly MigrationResult[];
}

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
}

function unwrap(result: MigrationResultSet): MigrationOutcome {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(setup)'} failed: ${message}`, { cause: result.error });
  }
  return { applied: result.results ?? [] };
}

/** Applies every pending migration, in name order, each in its own transaction. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationOutcome> {
  return unwrap(await migratorFor(db).migrateToLatest());
}

/** Reverts the most recent migration (`steps` times; `Infinity` = all of them). */
export async function migrateDown(db: Kysely<Database>, steps = 1): Promise<MigrationOutcome> {
  const migrator = migratorFor(db);
  const applied: MigrationResult[] = [];
  for (let i = 0; i < steps; i++) {
    const { applied: step } = unwrap(await migrator.migrateDown());
    if (step.length === 0) break;
    applied.push(...step);
  }
  return { applied };
}

/** Names of the migrations and whether each has been applied. */
export async function migrationStatus(db: Kysely<Database>): Promise<{ name: string; executedAt: Date | undefined }[]> {
  const list = await migratorFor(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt }));
}
