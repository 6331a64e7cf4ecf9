/**
 * `gongpei db migrate [--no-seed]` — apply pending migrations, then upsert the Qin County network
 *   dataset (townships, hubs, stations, fleet, default couriers). Both steps are idempotent.
 * `gongpei db migrate --down [--steps N]` / `gongpei db rollback [--steps N]` — revert migrations.
 * `gongpei db status` — list migrations and when each was applied.
 * The database is DATABASE_URL (default sqlite:data/gongpei.db).
 */
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

function parseSteps(value: string): number {
  if (value === 'all') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw Object.assign(new Error(`--steps: expected a positive integer or "all", got "${value}"`), { userFacing: true });
  }
  return n;
}

async function withDb<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const { getConfig } = await import('../../config.ts');
  const { connectDatabase } = await import('../../setup-checks.ts');
  const db = await connectDatabase(getConfig().database, { poolMax: 2 });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

function describeTarget(): Promise<string> {
  return import('../../config.ts').then(({ getConfig }) => {
    const t = getConfig().database;
    return t.kind === 'sqlite' ? `sqlite:${t.path}` : `postgres ${new URL(t.url).host}${new URL(t.url).pathname}`;
  });
}

async function rollback(steps: number): Promise<void> {
  const { migrateDown } = await import('../../db/migrate.ts');
  const target = await describeTarget();
  await withDb(async (db) => {
    const { applied } = await migrateDown(db, steps);
    if (applied.length === 0) process.stdout.write(`${target}: nothing to revert\n`);
    for (const r of applied) process.stdout.write(`${target}: reverted ${r.migrationName}\n`);
  });
}

export function register(program: Command): void {
  const db = program.command('db').description('database schema (DATABASE_URL: sqlite:PATH or postgres://…)');

  db.command('migrate')
    .description('apply pending migrations, then load the Qin County network (both idempotent)')
    .option('--down', 'revert migrations instead (one step unless --steps)')
    .option('--steps <n>', 'with --down: how many migrations to revert, or "all"', '1')
    .option('--no-seed', 'do not load the network dataset after migrating')
    .action(async (opts: { down?: boolean; steps: string; seed: boolean }) => {
      if (opts.down) return rollback(parseSteps(opts.steps));
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const target = await describeTarget();
      await withDb(async (conn) => {
        const { applied } = await migrateToLatest(conn);
        if (applied.length === 0) process.stdout.write(`${target}: schema up to date\n`);
        for (const r of applied) process.stdout.write(`${target}: applied ${r.migrationName}\n`);
        // Webhook secrets stored in plain text by an older version: sealed with the configured key.
        const { getConfig, webhookConfig } = await import('../../config.ts');
        const { SecretBox, encryptStoredWebhookSecrets } = await import('../../webhooks/secret-box.ts');
        const sealed = await encryptStoredWebhookSecrets(conn, new SecretBox(webhookConfig(getConfig()).secretKey));
        if (sealed > 0) process.stdout.write(`${target}: encrypted ${sealed} webhook secret(s) stored in plain text\n`);
        if (opts.seed) {
          const { loadNetwork } = await import('../../network/load.ts');
          const { seedNetwork } = await import('../../network/seed.ts');
          const c = await seedNetwork(conn, loadNetwork());
          process.stdout.write(
            `${target}: network loaded: ${c.townships} townships, ${c.hubs} hubs, ${c.stations} stations, ` +
              `${c.vehicles} vehicles, ${c.couriers} couriers\n`,
          );
        }
      });
    });

  db.command('rollback')
    .description('revert the most recent migration (same as migrate --down)')
    .option('--steps <n>', 'how many migrations to revert, or "all"', '1')
    .action(async (opts: { steps: string }) => rollback(parseSteps(opts.steps)));

  db.command('status')
    .description('list migrations and when each was applied')
    .action(async () => {
      const { migrationStatus } = await import('../../db/migrate.ts');
      await withDb(async (conn) => {
        for (const m of await migrationStatus(conn)) {
          process.stdout.write(`${m.executedAt ? m.executedAt.toISOString() : 'pending                 '}  ${m.name}\n`);
        }
      });
    });
}
