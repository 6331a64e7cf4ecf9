/**
 * `gongpei network show [--json] [--dir DIR]` — the delivery network from its dataset: tiers, hubs,
 * stations per township and the fleet. `gongpei network load` — upsert it into DATABASE_URL
 * (also done by `gongpei db migrate`). `gongpei network import PATH` — a county's network from
 * the folder format of docs/network-format.md, all or nothing; `gongpei network export DIR` —
 * a county's network as stored, in that format. `gongpei network generate --seed N --out DIR` —
 * a synthetic county (src/network/synthetic.ts) in that format.
 */
import type { Command } from 'commander';
import type { Network } from '../../network/load.ts';

/** Terminal width of a string: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));
const lpad = (s: string, n: number): string => ' '.repeat(Math.max(0, n - width(s))) + s;

function table(header: string[], rows: string[][], right: Set<number> = new Set()): string {
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => (right.has(i) ? lpad(c, cols[i]!) : pad(c, cols[i]!))).join('  ').trimEnd();
  return [line(header), line(cols.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

export function summarize(n: Network) {
  const stationsOf = (code: string) => n.stations.filter((s) => s.townshipCode === code);
  const typeOf = new Map(n.vehicleTypes.map((t) => [t.type, t]));
  return {
    name: n.name,
    adcode: n.adcode,
    datum: n.datum,
    tiers: {
      countyWarehouses: n.hubs.filter((h) => h.kind === 'county_warehouse').length,
      townshipCentres: n.hubs.filter((h) => h.kind === 'township_centre').length,
      stations: n.stations.length,
      villages: n.stations.filter((s) => s.kind === 'village').length,
      communities: n.stations.filter((s) => s.kind === 'community').length,
      knownCoordinates: n.stations.filter((s) => s.coordQuality === 'known').length,
    },
    hubs: n.hubs.map((h) => ({
      id: h.id, tier: h.tier, kind: h.kind, name: h.name, townshipCode: h.townshipCode, lat: h.lat, lon: h.lon, coordQuality: h.coordQuality,
      stations: n.stations.filter((s) => s.hubId === h.id).length,
      vehicles: n.vehicles.filter((v) => v.hubId === h.id).length,
    })),
    townships: n.townships.map((t) => ({
      code: t.code, name: t.name, kind: t.kind, hubId: t.hubId, seatQuality: t.seat.quality, areaKm2: t.areaKm2,
      villages: stationsOf(t.code).filter((s) => s.kind === 'village').length,
      communities: stationsOf(t.code).filter((s) => s.kind === 'community').length,
      stations: stationsOf(t.code).length,
    })),
    fleet: n.vehicleTypes.map((t) => ({
      type: t.type, label: t.label, count: n.vehicles.filter((v) => v.type === t.type).length,
      capacityKg: t.capacityKg, capacityM3: t.capacityM3, rangeKm: t.rangeKm, speedKmh: t.speedKmh, coldChain: t.coldChain,
      maxTrips: t.maxTrips, fixedCostFen: t.fixedCostFen, costPerKmFen: t.costPerKmFen, costPerHourFen: t.costPerHourFen,
      hubs: [...new Set(n.vehicles.filter((v) => v.type === t.type).map((v) => v.hubId))],
    })).filter((t) => typeOf.has(t.type)),
    vehicles: n.vehicles.length,
    couriers: n.couriers.map((c) => ({ code: c.code, name: c.name, network: c.network })),
  };
}

function render(n: Network): string {
  const s = summarize(n);
  const out: string[] = [];
  out.push(`${s.name} (adcode ${s.adcode}), coordinates ${s.datum}`);
  out.push(
    `tiers: ${s.tiers.countyWarehouses} county warehouse → ${s.tiers.townshipCentres} township centres → ` +
      `${s.tiers.stations} stations (${s.tiers.villages} villages + ${s.tiers.communities} communities; ` +
      `${s.tiers.knownCoordinates} known coordinates, the rest estimated)`,
  );
  out.push('');
  out.push('hubs');
  out.push(table(
    ['tier', 'id', 'name', 'lat', 'lon', 'coords', 'stations', 'vehicles'],
    s.hubs.map((h) => [String(h.tier), h.id, h.name, h.lat.toFixed(6), h.lon.toFixed(6), h.coordQuality, String(h.stations), String(h.vehicles)]),
    new Set([6, 7]),
  ));
  out.push('');
  out.push(`townships (${s.townships.length})`);
  out.push(table(
    ['code', 'name', 'served from', 'villages', 'communities', 'stations', 'area km² (est.)', 'seat'],
    s.townships.map((t) => [t.code, t.name, t.hubId, String(t.villages), String(t.communities), String(t.stations), t.areaKm2.toFixed(1), t.seatQuality]),
    new Set([3, 4, 5, 6]),
  ));
  const total = s.townships.reduce((a, t) => a + t.stations, 0);
  out.push(`total stations: ${total}`);
  out.push('');
  out.push(`fleet (${s.vehicles} vehicles)`);
  out.push(table(
    ['type', 'count', 'kg', 'm³', 'range km', 'km/h', 'trips', 'cold', 'fixed ¥', '¥/km', '¥/h', 'based at'],
    s.fleet.map((f) => [
      f.type, String(f.count), String(f.capacityKg), String(f.capacityM3), f.rangeKm === null ? '-' : String(f.rangeKm), String(f.speedKmh),
      String(f.maxTrips), f.coldChain ? 'yes' : 'no', (f.fixedCostFen / 100).toFixed(2), (f.costPerKmFen / 100).toFixed(2),
      (f.costPerHourFen / 100).toFixed(2), f.hubs.length > 2 ? `${f.hubs.length} hubs` : f.hubs.join(', '),
    ]),
    new Set([1, 2, 3, 4, 5, 6, 8, 9, 10]),
  ));
  out.push('');
  out.push(`couriers: ${s.couriers.map((c) => `${c.name} ${c.code}`).join(', ')}`);
  out.push('estimates: see data/qinxian/README.md (every record carries its source or "ESTIMATE")');
  return out.join('\n');
}

export function register(program: Command): void {
  const network = program.command('network').description('the delivery network (county warehouse, township centres, stations, fleet)');

  network.command('show')
    .description('print tiers, hubs, station counts per township and the fleet')
    .option('--json', 'machine-readable output')
    .option('--dir <dir>', 'dataset directory (default data/qinxian)')
    .action(async (opts: { json?: boolean; dir?: string }) => {
      const { loadNetwork } = await import('../../network/load.ts');
      const n = loadNetwork(opts.dir);
      process.stdout.write(opts.json ? `${JSON.stringify(summarize(n), null, 2)}\n` : `${render(n)}\n`);
    });

  network.command('load')
    .description('upsert the dataset into DATABASE_URL (needs `gongpei db migrate --no-seed` or a migrated database)')
    .option('--dir <dir>', 'dataset directory (default data/qinxian)')
    .action(async (opts: { dir?: string }) => {
      const { getConfig } = await import('../../config.ts');
      const { connectDatabase } = await import('../../setup-checks.ts');
      const { loadNetwork } = await import('../../network/load.ts');
      const { seedNetwork } = await import('../../network/seed.ts');
      const db = await connectDatabase(getConfig().database, { poolMax: 2 });
      try {
        const c = await seedNetwork(db, loadNetwork(opts.dir));
        process.stdout.write(`network loaded: ${c.townships} townships, ${c.hubs} hubs, ${c.stations} stations, ${c.vehicles} vehicles, ${c.couriers} couriers\n`);
      } finally {
        await db.destroy();
      }
    });

  network.command('import')
    .description('import (or re-import) a county network from a folder of CSV files (docs/network-format.md); all or nothing')
    .argument('<path>', 'the folder')
    .option('--json', 'print the counts as JSON')
    .action(async (path: string, opts: { json?: boolean }) => {
      const { getConfig } = await import('../../config.ts');
      const { connectDatabase } = await import('../../setup-checks.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { readNetworkFolder } = await import('../../network/files.ts');
      const { importNetwork } = await import('../../network/import.ts');
      const parsed = dataError(() => readNetworkFolder(path));
      const db = await connectDatabase(getConfig().database, { poolMax: 2 });
      try {
        await migrateToLatest(db);
        const c = await importNetwork(db, parsed).catch((err: unknown) => dataError(() => { throw err; }));
        process.stdout.write(opts.json ? `${JSON.stringify(c)}\n` : `county ${c.county} ${c.created ? 'imported' : 're-imported'}: ${c.townships} townships, ${c.hubs} hubs, ${c.stations} stations (${c.stationsClosed} left out, closed to intake), ${c.vehicles} vehicles (${c.vehiclesRetired} left out, out of service), ${c.couriers} couriers\n`);
      } finally {
        await db.destroy();
      }
    });

  network.command('generate')
    .description('write a synthetic county (townships, villages along valleys, fleet; drawn from the spread of Shanxi\'s counties) as network files')
    .requiredOption('--out <dir>', 'the folder to write (created if missing)')
    .option('--seed <n>', 'seed: the same seed gives the same county', '1')
    .option('--code <code>', '6-digit county code, one no real county in the deployment has', '149901')
    .option('--name <name>', 'county name (default 合成县 synthetic CODE)')
    .action(async (opts: { out: string; seed: string; code: string; name?: string }) => {
      const { writeNetworkFolder } = await import('../../network/files.ts');
      const { dailyParcels, syntheticCounty } = await import('../../network/synthetic.ts');
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw Object.assign(new Error(`--seed: a whole number expected, got ${opts.seed}`), { userFacing: true, exitCode: 64 });
      if (!/^\d{6}$/.test(opts.code)) throw Object.assign(new Error(`--code: a 6-digit county code expected, got ${opts.code}`), { userFacing: true, exitCode: 64 });
      const n = syntheticCounty({ code: opts.code, seed, ...(opts.name !== undefined ? { name: opts.name } : {}) });
      const files = writeNetworkFolder(opts.out, n);
      process.stdout.write(`county ${opts.code} (seed ${seed}): ${n.townships.length} townships, ${n.stations.length} stations, ${n.vehicles.length} vehicles, ≈ ${dailyParcels(n.stations)} parcels a day; written to ${opts.out}: ${files.join(', ')}\n`);
    });

  network.command('export')
    .description('write a county network as stored in DATABASE_URL to a folder (docs/network-format.md)')
    .argument('<dir>', 'the folder to write (created if missing)')
    .option('--county <code>', 'the county (6-digit code; default 140430, Qin County)', '140430')
    .action(async (dir: string, opts: { county: string }) => {
      const { getConfig } = await import('../../config.ts');
      const { connectDatabase } = await import('../../setup-checks.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { writeNetworkFolder } = await import('../../network/files.ts');
      const { exportNetwork } = await import('../../network/import.ts');
      const db = await connectDatabase(getConfig().database, { poolMax: 2 });
      try {
        await migrateToLatest(db);
        const files = writeNetworkFolder(dir, await exportNetwork(db, opts.county));
        process.stdout.write(`county ${opts.county} written to ${dir}: ${files.join(', ')}\n`);
      } finally {
        await db.destroy();
      }
    });
}

/**
 * Runs `fn`; invalid network files end the command with every problem on its own line (file:row:
 * field: message) and exit code 65 (EX_DATAERR, sysexits.h).
 */
function dataError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as { type?: string; details?: unknown; message?: string };
    if (e?.type !== 'invalid_data') throw err;
    const details = Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
    for (const d of details) process.stderr.write(`${d.path}: ${d.message}\n`);
    throw Object.assign(new Error(e.message ?? 'invalid network files'), { userFacing: true, exitCode: 65 });
  }
}
