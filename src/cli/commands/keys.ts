/**
 * `gongpei keys create|list|revoke`: API keys. `create` prints the new key on the last line of
 * stdout, once; only its SHA-256 is stored.
 */
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const ROLES = ['courier', 'dispatcher', 'driver', 'admin'] as const;

async function withDb<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const { getConfig } = await import('../../config.ts');
  const { connectDatabase } = await import('../../setup-checks.ts');
  const { migrateToLatest } = await import('../../db/migrate.ts');
  const db = await connectDatabase(getConfig().database, { poolMax: 1 });
  try {
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

function userError(message: string): Error {
  return Object.assign(new Error(message), { userFacing: true, exitCode: 64 });
}

export function register(program: Command): void {
  const keys = program.command('keys').description('create, list and revoke API keys');

  keys
    .command('create')
    .description('create an API key; the key is printed once, on the last line')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--courier <code>', 'courier company the key acts for (role courier), e.g. ZTO')
    .option('--driver <id>', 'driver or vehicle id the key acts for (role driver)')
    .option('--label <text>', 'a note to tell keys apart')
    .option('--county <code>', 'a county the key may act in (6-digit code; repeatable; default: every county for admin keys, else the only county)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (opts: { role: string; courier?: string; driver?: string; label?: string; county: string[] }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw userError(`--role must be one of ${ROLES.join(', ')}`);
      const { createApiKey } = await import('../../auth/api-keys.ts');
      const created = await withDb((db) =>
        createApiKey(db, { role: opts.role as (typeof ROLES)[number], courierCode: opts.courier, driverId: opts.driver, label: opts.label, counties: opts.county }),
      );
      process.stderr.write(`created ${opts.role} key ${created.id} (prefix ${created.prefix}); store it now, it is not shown again\n`);
      process.stdout.write(`${created.key}\n`);
    });

  keys
    .command('list')
    .description('list keys (prefix, role, binding; never the key)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listApiKeys } = await import('../../auth/api-keys.ts');
      const rows = await withDb((db) => listApiKeys(db));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const r of rows) {
        const binding = r.courier_code ?? r.driver_id ?? '-';
        const counties = r.county_ids ? (JSON.parse(r.county_ids) as string[]).join('+') : 'all';
        process.stdout.write(`${r.id}  ${r.key_prefix}…  ${r.role.padEnd(10)} ${binding.padEnd(10)} ${counties.padEnd(8)} ${r.revoked_at ? `revoked ${r.revoked_at}` : 'active'}  ${r.label ?? ''}\n`);
      }
    });

  keys
    .command('revoke')
    .description('revoke a key by id or prefix')
    .argument('<idOrPrefix>')
    .action(async (idOrPrefix: string) => {
      const { revokeApiKey } = await import('../../auth/api-keys.ts');
      const n = await withDb((db) => revokeApiKey(db, idOrPrefix));
      if (n === 0) throw userError(`no active key with id or prefix ${idOrPrefix}`);
      process.stdout.write(`revoked ${n} key(s)\n`);
    });
}
