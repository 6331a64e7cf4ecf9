/**
 * Network import (issue 15 item 1): the committed example is Qin County as the dataset seeds it;
 * an import is validated file:row:field, all or nothing, and a re-import updates in place.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { isAppError } from '../../../src/errors.ts';
import { parseNetworkFiles, readNetworkFolder, writeNetworkFolder } from '../../../src/network/files.ts';
import { exportNetwork, importNetwork } from '../../../src/network/import.ts';
import { seedNetwork } from '../../../src/network/seed.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../../examples/networks/qinxian');

function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gongpei-network-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** Replaces one cell of a CSV file (row 1 = header). */
function setCell(dir: string, file: string, row: number, column: string, value: string): void {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const cells = lines[row - 1]!.split(',');
  cells[header.indexOf(column)] = value;
  lines[row - 1] = cells.join(',');
  writeFileSync(join(dir, file), lines.join('\n'));
}

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (isAppError(err) && err.type === 'invalid_data') return err.details as { path: string; message: string }[];
    throw err;
  }
  throw new Error('expected invalid_data');
}

describe('network files', () => {
  it('names the file, row and field of every problem, all at once', () => {
    const dir = copyExample();
    try {
      setCell(dir, 'stations.csv', 5, 'lat', 'north');
      setCell(dir, 'stations.csv', 9, 'hub_id', 'nowhere');
      setCell(dir, 'hubs.csv', 3, 'position_quality', 'guessed');
      setCell(dir, 'stations.csv', 12, 'opens', '25:00');
      const problems = problemsOf(() => readNetworkFolder(dir));
      expect(problems).toEqual(expect.arrayContaining([
        { path: 'stations.csv:5:lat', line: 5, message: '"north" is not a number' },
        { path: 'stations.csv:9:hub_id', line: 9, message: '"nowhere" is not in hubs.csv' },
        { path: 'hubs.csv:3:position_quality', line: 3, message: '"guessed" is not one of known, estimated, corrected' },
        { path: 'stations.csv:12:opens', line: 12, message: '"25:00" is not a time HH:MM' },
      ]));
      expect(problems).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads GCJ-02 positions, and positions from the GeoJSON alternative', () => {
    const base = readNetworkFolder(EXAMPLE);
    const station = base.stations[0]!;
    const dir = copyExample();
    try {
      // Amap's GCJ-02 for 北关社区 (the dataset's source point) converts back to its WGS84 within a metre.
      setCell(dir, 'stations.csv', 2, 'lat', '36.761466');
      setCell(dir, 'stations.csv', 2, 'lon', '112.691817');
      setCell(dir, 'stations.csv', 2, 'datum', 'GCJ02');
      setCell(dir, 'stations.csv', 3, 'lat', '');
      setCell(dir, 'stations.csv', 3, 'lon', '');
      setCell(dir, 'stations.csv', 3, 'position_quality', '');
      writeFileSync(join(dir, 'positions.geojson'), JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [112.7, 36.75] }, properties: { layer: 'station', id: base.stations[1]!.code, position_quality: 'corrected' } }],
      }));
      const n = readNetworkFolder(dir);
      expect(Math.abs(n.stations[0]!.lat - station.lat)).toBeLessThan(1e-5);
      expect(Math.abs(n.stations[0]!.lon - station.lon)).toBeLessThan(1e-5);
      expect(n.stations[1]).toMatchObject({ lat: 36.75, lon: 112.7, coord_quality: 'corrected' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder without its required files, and a network with two county warehouses', () => {
    expect(problemsOf(() => parseNetworkFiles({}))).toEqual(expect.arrayContaining([{ path: 'county.csv', message: 'file missing' }, { path: 'stations.csv', message: 'file missing' }]));
    const dir = copyExample();
    try {
      setCell(dir, 'hubs.csv', 3, 'kind', 'county_warehouse');
      expect(problemsOf(() => readNetworkFolder(dir))).toContainEqual({ path: 'hubs.csv:kind', message: 'exactly one county_warehouse expected, found 2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testDialects())('%s: network import', (dialect) => {
  let seeded: TestDatabase;
  let fresh: TestDatabase;
  beforeAll(async () => {
    [seeded, fresh] = await Promise.all([createTestDatabase(dialect), createTestDatabase(dialect)]);
    await seedNetwork(seeded.db);
  }, 60_000);
  afterAll(async () => {
    await seeded?.dispose();
    await fresh?.dispose();
  });

  it('the committed example is Qin County as the dataset seeds it, and imports back to the same network', async () => {
    const exported = await exportNetwork(seeded.db, '140430');
    expect(exported).toEqual(readNetworkFolder(EXAMPLE));
    const counts = await importNetwork(fresh.db, readNetworkFolder(EXAMPLE));
    expect(counts).toMatchObject({ county: '140430', created: true, townships: 11, hubs: 11, stations: 224, stationsClosed: 0, vehicles: 34, couriers: 9 });
    expect(await exportNetwork(fresh.db, '140430')).toEqual(exported);
    const dir = mkdtempSync(join(tmpdir(), 'gongpei-export-'));
    try {
      writeNetworkFolder(dir, exported);
      for (const f of ['county.csv', 'townships.csv', 'hubs.csv', 'stations.csv', 'vehicles.csv', 'vehicle_types.csv', 'couriers.csv', 'county-boundary.geojson']) {
        expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(EXAMPLE, f), 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-imports in place: positions and hours change, a station left out is closed but kept with its stops, keepers survive', async () => {
    const db = fresh.db;
    const n = readNetworkFolder(EXAMPLE);
    const [moved, dropped] = [n.stations[10]!, n.stations[11]!];
    await db.updateTable('stations').set({ keeper_name: '王站长', keeper_phone: '13800000000' }).where('code', '=', moved.code).execute();
    // A plan whose stop names the station the re-import leaves out.
    const now = new Date().toISOString();
    await db.insertInto('plans').values({ id: 'p1', service_date: '2031-01-02', status: 'completed', progress: 100, seed: 1, cutoff_at: null, created_at: now, started_at: null, finished_at: null, error: null, summary_json: null, savings_json: null, replaces_plan_id: null, replaced_by_plan_id: null, published_at: null, closed_at: null, kpis_json: null }).execute();
    await db.insertInto('routes').values({ id: 'r1', plan_id: 'p1', tier: 'village', hub_id: dropped.hub_id, vehicle_id: n.vehicles[0]!.id, driver_id: null, trips: 1, distance_m: 1, duration_s: 1, cost_fen: 1, start_at: now, end_at: now, load_json: '{}', geometry_json: null }).execute();
    await db.insertInto('stops').values({ id: 's1', route_id: 'r1', seq: 1, kind: 'station', station_code: dropped.code, hub_id: null, trip: 1, arrival_at: now, departure_at: now, deliver_count: 1, pickup_count: 0, load_json: '{}' }).execute();

    const next = {
      ...n,
      stations: n.stations.filter((s) => s.code !== dropped.code).map((s) => (s.code === moved.code ? { ...s, lat: s.lat + 0.001, coord_quality: 'corrected' as const, opens_s: 7 * 3600 } : s)),
      vehicles: n.vehicles.slice(1),
    };
    const counts = await importNetwork(db, next);
    expect(counts).toMatchObject({ created: false, stations: 223, stationsClosed: 1, vehiclesRetired: 1 });
    const row = await db.selectFrom('stations').selectAll().where('code', '=', moved.code).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ lat: moved.lat + 0.001, coord_quality: 'corrected', opens_s: 7 * 3600, keeper_name: '王站长', keeper_phone: '13800000000', active: 1, county_id: '140430' });
    expect(await db.selectFrom('stations').select(['active']).where('code', '=', dropped.code).executeTakeFirstOrThrow()).toEqual({ active: 0 });
    expect(await db.selectFrom('stops').select(['station_code']).where('id', '=', 's1').executeTakeFirstOrThrow()).toEqual({ station_code: dropped.code });
    expect(await db.selectFrom('vehicles').select(['active']).where('id', '=', n.vehicles[0]!.id).executeTakeFirstOrThrow()).toEqual({ active: 0 });
    // Back in the files: open again.
    await importNetwork(db, n);
    expect(await db.selectFrom('stations').select(['active']).where('code', '=', dropped.code).executeTakeFirstOrThrow()).toEqual({ active: 1 });
    // The original files have the estimate for the corrected station: the correction stays.
    expect(n.stations.find((s) => s.code === moved.code)?.coord_quality).toBe('estimated');
    expect(await db.selectFrom('stations').select(['lat', 'lon', 'coord_quality', 'opens_s']).where('code', '=', moved.code).executeTakeFirstOrThrow()).toEqual({ lat: moved.lat + 0.001, lon: moved.lon, coord_quality: 'corrected', opens_s: moved.opens_s });
  });

  it('is all or nothing: rows of another county refuse the whole import, naming file, row and field', async () => {
    const n = readNetworkFolder(EXAMPLE);
    const other = {
      ...n,
      county: { ...n.county, id: '149901', name: 'other' },
      townships: [{ ...n.townships[0]!, code: '149901100' }],
      hubs: [{ ...n.hubs[0]!, id: 'other-warehouse', township_code: '149901100' }],
      // Qin County's station code in another county's files.
      stations: [{ ...n.stations[0]!, code: '149901100001', township_code: '149901100', hub_id: 'other-warehouse' }, { ...n.stations[1]!, township_code: '149901100', hub_id: 'other-warehouse' }],
      vehicles: [],
    };
    const err = await importNetwork(fresh.db, other).catch((e: unknown) => e);
    expect(isAppError(err) && err.type).toBe('invalid_data');
    expect((err as { details: unknown }).details).toEqual([{ path: 'stations.csv:3:code', line: 3, message: `"${n.stations[1]!.code}" belongs to county 140430; stations codes are unique across the deployment` }]);
    expect(await fresh.db.selectFrom('counties').select('id').where('id', '=', '149901').executeTakeFirst()).toBeUndefined();
    expect(await fresh.db.selectFrom('townships').select('code').where('code', '=', '149901100').executeTakeFirst()).toBeUndefined();
  });
});

describe('gongpei network import|export', () => {
  it('imports a folder, exports it back, and refuses a broken one with exit 65 and every problem on stderr', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { environmentWith } = await import('../../../src/config.ts');
    const run = promisify(execFile);
    const t = await createTestDatabase('sqlite');
    const broken = copyExample();
    const out = mkdtempSync(join(tmpdir(), 'gongpei-export-'));
    try {
      const gongpei = (...args: string[]) => run(process.execPath, ['bin/gongpei.js', ...args], { env: environmentWith({ DATABASE_URL: t.url, LOG_LEVEL: 'silent' }), encoding: 'utf8' });
      setCell(broken, 'stations.csv', 4, 'kind', 'hamlet');
      setCell(broken, 'vehicles.csv', 2, 'type', 'bicycle');
      const bad = (await gongpei('network', 'import', broken).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(bad.code).toBe(65);
      expect(bad.stderr).toContain('stations.csv:4:kind: "hamlet" is not one of village, community');
      expect(bad.stderr).toContain('vehicles.csv:2:type: "bicycle" is not in vehicle_types.csv');
      expect(await t.db.selectFrom('counties').selectAll().execute()).toEqual([]);
      const ok = await gongpei('network', 'import', EXAMPLE);
      expect(ok.stdout).toContain('county 140430 imported: 11 townships, 11 hubs, 224 stations');
      await gongpei('network', 'export', out, '--county', '140430');
      expect(readFileSync(join(out, 'stations.csv'), 'utf8')).toBe(readFileSync(join(EXAMPLE, 'stations.csv'), 'utf8'));
    } finally {
      rmSync(broken, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
      await t.dispose();
    }
  }, 120_000);
});
