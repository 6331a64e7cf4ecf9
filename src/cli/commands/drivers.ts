/**
 * `gongpei drivers add|list|assign|link|revoke`: drivers, who drives which vehicle on a date, and
 * sign-in links for their phones. A driver is named by id or by phone number.
 */
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

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

function checkDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw userError(`--date must be YYYY-MM-DD, got ${date}`);
  return date;
}

/** A driver by id, or by phone number (spaces and dashes ignored). */
async function resolveDriver(db: Kysely<Database>, idOrPhone: string): Promise<string> {
  const repo = await import('../../drivers/driver.repository.ts');
  const byId = await repo.findDriver(db, idOrPhone);
  if (byId) return byId.id;
  const byPhone = await repo.findDriverByPhone(db, idOrPhone.replace(/[\s-]/g, ''));
  if (byPhone) return byPhone.id;
  throw userError(`no driver with id or phone ${idOrPhone} (gongpei drivers list)`);
}

export function register(program: Command): void {
  const drivers = program.command('drivers').description('drivers, their vehicle per date, and sign-in links for their phones');

  drivers
    .command('add')
    .description('add a driver; prints the new driver id')
    .requiredOption('--name <name>', 'e.g. 王师傅')
    .requiredOption('--phone <phone>', 'mobile number (unique per driver)')
    .option('--county <code>', 'the county the driver drives in (6-digit code; default 140430, Qin County)')
    .action(async (opts: { name: string; phone: string; county?: string }) => {
      const { addDriver } = await import('../../drivers/driver.service.ts');
      if (opts.county !== undefined && !/^\d{6}$/.test(opts.county)) throw userError(`--county ${opts.county}: a 6-digit county code, e.g. 140430`);
      const d = await withDb(async (db) => {
        if (opts.county !== undefined && (await db.selectFrom('counties').select('id').where('id', '=', opts.county).executeTakeFirst()) === undefined) {
          throw userError(`no county ${opts.county} (import its network first: gongpei network import)`);
        }
        return addDriver(db, { name: opts.name, phone: opts.phone, ...(opts.county !== undefined ? { countyId: opts.county } : {}) });
      });
      process.stderr.write(`added driver ${d.name} (${d.phone})\n`);
      process.stdout.write(`${d.id}\n`);
    });

  drivers
    .command('list')
    .description('list drivers; with --date also their vehicle, sign-in and routes opened that day')
    .option('--date <YYYY-MM-DD>', 'service date')
    .option('--json', 'print JSON')
    .action(async (opts: { date?: string; json?: boolean }) => {
      const { listDrivers } = await import('../../drivers/driver.service.ts');
      const rows = await withDb((db) => listDrivers(db, opts.date === undefined ? undefined : checkDate(opts.date)));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const d of rows) {
        const day = opts.date === undefined
          ? ''
          : `  ${(d.vehicleId ?? '-').padEnd(24)} ${d.signedInAt ? `signed in ${d.signedInAt}` : 'not signed in'}  routes opened ${d.routes.filter((r) => r.firstOpenedAt).length}/${d.routes.length}`;
        process.stdout.write(`${d.id}  ${d.name.padEnd(8)} ${d.phone.padEnd(14)} ${d.active ? 'active  ' : 'inactive'}${day}\n`);
      }
    });

  drivers
    .command('assign')
    .description('put a driver on a vehicle for a date (--driver none takes the vehicle’s driver off)')
    .requiredOption('--date <YYYY-MM-DD>', 'service date')
    .requiredOption('--vehicle <id>', 'vehicle id (gongpei network show)')
    .requiredOption('--driver <id|phone|none>', 'the driver')
    .action(async (opts: { date: string; vehicle: string; driver: string }) => {
      const { assignDriver } = await import('../../drivers/driver.service.ts');
      const a = await withDb(async (db) =>
        assignDriver(db, { date: checkDate(opts.date), vehicleId: opts.vehicle, driverId: opts.driver === 'none' ? null : await resolveDriver(db, opts.driver) }),
      );
      process.stdout.write(a.driverId === null ? `${a.vehicleId} has no driver on ${a.date}\n` : `${a.driverId} drives ${a.vehicleId} on ${a.date}\n`);
    });

  drivers
    .command('link')
    .description('a sign-in link for a driver’s phone (short-lived, single-use); prints the URL, --qr also a QR code')
    .requiredOption('--driver <id|phone>', 'the driver')
    .requiredOption('--date <YYYY-MM-DD>', 'service date')
    .option('--ttl <minutes>', 'how long the link stays valid (default 720, never past the service day)')
    .option('--base-url <url>', 'where the API is reached from phones', 'http://127.0.0.1:3000')
    .option('--qr', 'also print the QR code in the terminal')
    .action(async (opts: { driver: string; date: string; ttl?: string; baseUrl: string; qr?: boolean }) => {
      const [{ createSignInLink }, { getConfig }] = await Promise.all([import('../../drivers/driver.service.ts'), import('../../config.ts')]);
      const { utcOffsetMinutes } = getConfig();
      const link = await withDb(async (db) =>
        createSignInLink(db, { driverId: await resolveDriver(db, opts.driver), date: checkDate(opts.date), ...(opts.ttl !== undefined ? { ttlMinutes: Number(opts.ttl) } : {}) }, { utcOffsetMinutes }),
      );
      const url = `${opts.baseUrl.replace(/\/+$/, '')}${link.path}`;
      process.stderr.write(`link ${link.linkId} for ${link.date}, valid until ${link.expiresAt}, single-use\n`);
      if (opts.qr) {
        const QRCode = (await import('qrcode')).default;
        process.stderr.write(await QRCode.toString(url, { type: 'terminal', small: true }));
      }
      process.stdout.write(`${url}\n`);
    });

  drivers
    .command('revoke')
    .description('revoke sign-in links and the phone sessions made from them')
    .option('--driver <id|phone>', 'every link of this driver')
    .option('--link <id>', 'one link')
    .action(async (opts: { driver?: string; link?: string }) => {
      if ((opts.driver === undefined) === (opts.link === undefined)) throw userError('give --driver or --link');
      const { revokeSignIn } = await import('../../drivers/driver.service.ts');
      const n = await withDb(async (db) => revokeSignIn(db, opts.link !== undefined ? { linkId: opts.link } : { driverId: await resolveDriver(db, opts.driver!) }));
      process.stdout.write(`revoked ${n} link(s) and session(s)\n`);
    });
}
