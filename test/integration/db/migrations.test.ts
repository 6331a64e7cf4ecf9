import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isForeignKeyViolation, isUniqueViolation } from '../../../src/db/database.ts';
import { migrateDown, migrateToLatest, migrationStatus } from '../../../src/db/migrate.ts';
import { migrations } from '../../../src/db/migrations/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';

const DRIVER_TABLES = ['driver_assignments', 'driver_links', 'drivers', 'route_opens'];
const TABLES = [
  'api_keys', 'counties', 'couriers', 'courier_webhooks', ...DRIVER_TABLES, 'settlements', 'manifest_links', 'plan_staged_hubs', 'hubs', 'outbox', 'parcel_events', 'parcels', 'pickups', 'plans', 'routes', 'stations', 'station_moves', 'stop_events', 'stops',
  'townships', 'vehicle_breakdowns', 'vehicles',
].sort();
/** The tables before the drivers migration (2026_12_01_1236). */
const BEFORE_DRIVERS = TABLES.filter((n) => !DRIVER_TABLES.includes(n) && n !== 'courier_webhooks' && n !== 'settlements' && n !== 'manifest_links' && n !== 'plan_staged_hubs' && n !== 'counties' && n !== 'station_moves');

async function userTables(t: TestDatabase): Promise<string[]> {
  const tables = await t.db.introspection.getTables();
  return tables.map((x) => x.name).filter((n) => !n.startsWith('kysely_')).sort();
}

const NOW = '2026-11-28T06:00:00.000Z';

describe.each(testDialects())('%s: migrations', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('goes up, all the way down, and up again', async () => {
    expect(await userTables(t)).toEqual([]);

    const up = await migrateToLatest(t.db);
    expect(up.applied.map((r) => r.migrationName)).toEqual(Object.keys(migrations));
    expect(await userTables(t)).toEqual(TABLES);
    expect((await migrationStatus(t.db)).every((m) => m.executedAt !== undefined)).toBe(true);

    // Latest is idempotent.
    expect((await migrateToLatest(t.db)).applied).toEqual([]);

    const webhooksDown = await migrateDown(t.db);
    expect(webhooksDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1930_courier_webhooks']);
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'couriers')?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['webhook_url', 'webhook_secret']));

    const driverCountiesDown = await migrateDown(t.db);
    expect(driverCountiesDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1700_driver_counties']);
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'drivers')?.columns.map((c) => c.name)).not.toContain('county_id');

    const movesDown = await migrateDown(t.db);
    expect(movesDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1630_station_moves']);
    expect(await userTables(t)).toEqual(TABLES.filter((n) => n !== 'station_moves' && n !== 'courier_webhooks'));

    const countiesDown = await migrateDown(t.db);
    expect(countiesDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1600_counties']);
    expect(await userTables(t)).toEqual(TABLES.filter((n) => n !== 'counties' && n !== 'station_moves' && n !== 'courier_webhooks'));
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'parcels')?.columns.map((c) => c.name)).not.toContain('county_id');
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'settlements')?.columns.map((c) => c.name)).not.toContain('county_id');

    const stagingDown = await migrateDown(t.db);
    expect(stagingDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1545_replan_staging']);
    expect(await userTables(t)).toEqual(TABLES.filter((n) => n !== 'plan_staged_hubs' && n !== 'counties' && n !== 'station_moves' && n !== 'courier_webhooks'));

    const linksDown = await migrateDown(t.db);
    expect(linksDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1500_manifest_links']);
    expect(await userTables(t)).toEqual(TABLES.filter((n) => n !== 'manifest_links' && n !== 'plan_staged_hubs' && n !== 'counties' && n !== 'station_moves' && n !== 'courier_webhooks'));

    const settlementsDown = await migrateDown(t.db);
    expect(settlementsDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1244_settlements']);
    expect(await userTables(t)).toEqual(TABLES.filter((n) => n !== 'settlements' && n !== 'manifest_links' && n !== 'plan_staged_hubs' && n !== 'counties' && n !== 'station_moves' && n !== 'courier_webhooks'));
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'plans')?.columns.map((c) => c.name)).not.toContain('settlement_json');

    const keepersDown = await migrateDown(t.db);
    expect(keepersDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1238_station_keepers']);
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'stations')?.columns.map((c) => c.name)).not.toContain('keeper_name');

    const driversDown = await migrateDown(t.db);
    expect(driversDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1236_drivers']);
    expect(await userTables(t)).toEqual(BEFORE_DRIVERS);
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'api_keys')?.columns.map((c) => c.name)).not.toContain('expires_at');

    const lifecycleDown = await migrateDown(t.db);
    expect(lifecycleDown.applied.map((r) => r.migrationName)).toEqual(['2026_12_01_1232_plan_lifecycle']);
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'plans')?.columns.map((c) => c.name)).not.toContain('state');
    expect(await userTables(t)).toEqual(BEFORE_DRIVERS.filter((n) => n !== 'vehicle_breakdowns'));

    const referenceDown = await migrateDown(t.db);
    expect(referenceDown.applied.map((r) => r.migrationName)).toEqual(['2026_11_28_0006_pickup_reference']);
    expect((await t.db.introspection.getTables()).find((x) => x.name === 'pickups')?.columns.map((c) => c.name)).not.toContain('reference');

    const partialDown = await migrateDown(t.db);
    expect(partialDown.applied.map((r) => r.migrationName)).toEqual(['2026_11_28_0005_partial_planning_indexes']);

    const indexesDown = await migrateDown(t.db);
    expect(indexesDown.applied.map((r) => r.migrationName)).toEqual(['2026_11_28_0004_intake_indexes']);
    expect(await userTables(t)).toEqual(BEFORE_DRIVERS.filter((n) => n !== 'vehicle_breakdowns'));

    const deliveryDown = await migrateDown(t.db);
    expect(deliveryDown.applied.map((r) => r.migrationName)).toEqual(['2026_11_28_0003_delivery']);
    expect(await userTables(t)).toEqual(BEFORE_DRIVERS.filter((n) => n !== 'stop_events' && n !== 'vehicle_breakdowns'));

    const oneDown = await migrateDown(t.db);
    expect(oneDown.applied.map((r) => r.migrationName)).toEqual(['2026_11_28_0002_operations']);
    expect(await userTables(t)).toEqual(['api_keys', 'couriers', 'hubs', 'stations', 'townships', 'vehicles']);

    await migrateDown(t.db, Number.POSITIVE_INFINITY);
    expect(await userTables(t)).toEqual([]);
    expect((await migrateDown(t.db)).applied).toEqual([]);

    await migrateToLatest(t.db);
    expect(await userTables(t)).toEqual(TABLES);
  });
});

describe.each(testDialects())('%s: webhooks per courier and county (2026_12_01_1930)', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => {
    await t?.dispose();
  });
  // Steps from the latest migration back to just before this one.
  const names = Object.keys(migrations);
  const downToBefore = names.length - names.indexOf('2026_12_01_1930_courier_webhooks');

  it('copies each courier’s webhook to Qin County (140430), drops the courier columns, and restores them going down', async () => {
    await migrateToLatest(t.db);
    await migrateDown(t.db, downToBefore);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const old = t.db as unknown as Kysely<any>;
    await old.insertInto('couriers').values([
      { code: 'ZTO', name: '中通', webhook_url: 'https://zto.example/hook', webhook_secret: 'v1.sealed-zto', created_at: NOW },
      { code: 'YTO', name: '圆通', webhook_url: null, webhook_secret: null, created_at: NOW },
    ]).execute();

    await migrateToLatest(t.db);
    expect(await t.db.selectFrom('courier_webhooks').select(['courier_code', 'county_id', 'url', 'secret']).execute()).toEqual([
      { courier_code: 'ZTO', county_id: '140430', url: 'https://zto.example/hook', secret: 'v1.sealed-zto' },
    ]);
    const courierColumns = (await t.db.introspection.getTables()).find((x) => x.name === 'couriers')?.columns.map((c) => c.name);
    expect(courierColumns).not.toContain('webhook_url');
    expect(courierColumns).not.toContain('webhook_secret');
    // One webhook per courier and county: a second county is its own row, the same pair is refused.
    await t.db.insertInto('courier_webhooks').values({ courier_code: 'ZTO', county_id: '140431', url: 'https://zto-b.example/hook', secret: 'v1.sealed-b', created_at: NOW, updated_at: NOW }).execute();
    await expect(t.db.insertInto('courier_webhooks').values({ courier_code: 'ZTO', county_id: '140430', url: 'https://x.example/', secret: 's', created_at: NOW, updated_at: NOW }).execute()).rejects.toSatisfy(isUniqueViolation);

    await migrateDown(t.db, downToBefore);
    expect(await old.selectFrom('couriers').select(['code', 'webhook_url', 'webhook_secret']).orderBy('code').execute()).toEqual([
      { code: 'YTO', webhook_url: null, webhook_secret: null },
      { code: 'ZTO', webhook_url: 'https://zto.example/hook', webhook_secret: 'v1.sealed-zto' },
    ]);
    expect(await userTables(t)).not.toContain('courier_webhooks');
    await migrateToLatest(t.db);
  });
});

describe.each(testDialects())('%s: repository round trip', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const db = t.db;
    await db.insertInto('couriers').values({ code: 'ZTO', name: '中通', created_at: NOW }).execute();
    await db.insertInto('townships').values({ code: '140430101', name: '郭村镇', kind: '镇', seat_lat: 36.747068, seat_lon: 112.579354, hub_id: 'hub-140430101' }).execute();
    await db.insertInto('hubs').values({ id: 'hub-140430101', kind: 'township_centre', name: '郭村镇 centre', township_code: '140430101', lat: 36.747068, lon: 112.579354, coord_quality: 'known' }).execute();
    await db.insertInto('stations').values({
      code: '140430101204', name: '仁胜村', kind: 'village', township_code: '140430101', hub_id: 'hub-140430101',
      lat: 36.773585, lon: 112.583651, coord_quality: 'known', opens_s: 8 * 3600, closes_s: 19 * 3600, size_weight: 1.25,
    }).execute();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const parcel = (id: string, waybill: string) => ({
    id, courier_code: 'ZTO', waybill, station_code: '140430101204', destination_json: '{"stationCode":"140430101204"}',
    weight_g: 1200, length_cm: 30, width_cm: 20, height_cm: 10, volume_cm3: 6000, cold_chain: 0, fragile: 1,
    cod_amount_fen: 0, recipient_name: '王', recipient_phone: '13800000000', promised_date: null,
    body_hash: 'h1', status: 'received' as const, hub_id: null, plan_id: null, stop_id: null, received_at: NOW, updated_at: NOW,
  });

  it('stores and reads back a parcel with the same types on both engines', async () => {
    await t.db.insertInto('parcels').values(parcel('p1', 'ZT0001')).execute();
    const row = await t.db.selectFrom('parcels').selectAll().where('id', '=', 'p1').executeTakeFirstOrThrow();
    expect(row).toEqual({ ...parcel('p1', 'ZT0001'), attempts: 0, status_reason: null, county_id: '140430' });
    const station = await t.db.selectFrom('stations').select(['lat', 'lon', 'size_weight', 'opens_s']).executeTakeFirstOrThrow();
    expect(station).toEqual({ lat: 36.773585, lon: 112.583651, size_weight: 1.25, opens_s: 28800 });
  });

  it('returns count(*) as a number on both engines', async () => {
    const { n } = await t.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(1);
  });

  it('rejects a second parcel with the same courier and waybill', async () => {
    const err = await t.db.insertInto('parcels').values(parcel('p2', 'ZT0001')).execute().catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    await t.db.insertInto('parcels').values(parcel('p3', 'ZT0002')).execute();
  });

  it('enforces foreign keys (unknown station)', async () => {
    const err = await t.db.insertInto('parcels').values({ ...parcel('p4', 'ZT0004'), station_code: '140430999999' }).execute().catch((e: unknown) => e);
    expect(isForeignKeyViolation(err)).toBe(true);
  });

  it('updates in a transaction and rolls back on error', async () => {
    await t.db.transaction().execute(async (trx) => {
      await trx.updateTable('parcels').set({ status: 'sorted', hub_id: 'hub-140430101' }).where('id', '=', 'p1').execute();
      await trx.insertInto('parcel_events').values({ id: 'e1', parcel_id: 'p1', type: 'sorted', at: NOW, details_json: null }).execute();
    });
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.updateTable('parcels').set({ status: 'cancelled' }).where('id', '=', 'p1').execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const row = await t.db.selectFrom('parcels').select(['status', 'hub_id']).where('id', '=', 'p1').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sorted', hub_id: 'hub-140430101' });
  });

  it('numbers outbox rows in insertion order and defaults attempts to 0', async () => {
    const rows = await t.db
      .insertInto('outbox')
      .values(['a', 'b', 'c'].map((k) => ({ queue: 'consolidate', job_name: 'parcel', job_id: `job-${k}`, payload_json: '{}', created_at: NOW, relayed_at: null, last_error: null })))
      .returning(['id', 'job_id', 'attempts'])
      .execute();
    expect(rows.map((r) => r.job_id)).toEqual(['job-a', 'job-b', 'job-c']);
    expect(rows.every((r) => typeof r.id === 'number' && r.attempts === 0)).toBe(true);
    expect(rows[0]!.id < rows[1]!.id && rows[1]!.id < rows[2]!.id).toBe(true);
    const pending = await t.db.selectFrom('outbox').select('job_id').where('relayed_at', 'is', null).orderBy('id').execute();
    expect(pending.map((r) => r.job_id)).toEqual(['job-a', 'job-b', 'job-c']);
  });

  it('deletes a plan with its routes and stops (cascade)', async () => {
    await t.db.insertInto('plans').values({ id: 'plan1', service_date: '2026-11-28', status: 'completed', progress: 100, seed: 1, cutoff_at: NOW, created_at: NOW, started_at: NOW, finished_at: NOW, error: null, summary_json: null, savings_json: null }).execute();
    await t.db.insertInto('routes').values({ id: 'r1', plan_id: 'plan1', tier: 'village', hub_id: 'hub-140430101', vehicle_id: 'v1', driver_id: null, trips: 1, distance_m: 12000, duration_s: 3600, cost_fen: 5000, start_at: NOW, end_at: NOW, load_json: '{}', geometry_json: null }).execute();
    await t.db.insertInto('stops').values({ id: 's1', route_id: 'r1', seq: 0, kind: 'station', station_code: '140430101204', hub_id: null, trip: 1, arrival_at: NOW, departure_at: NOW, deliver_count: 2, pickup_count: 0, load_json: '{}' }).execute();
    await t.db.deleteFrom('plans').where('id', '=', 'plan1').execute();
    expect(await t.db.selectFrom('stops').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('routes').selectAll().execute()).toEqual([]);
  });

  it('refuses a second queued or running plan of one service date, and a repeated version', async () => {
    const plan = (id: string, status: 'queued' | 'running' | 'completed', version: number) => ({
      id, service_date: '2026-11-30', status, progress: 0, seed: 1, cutoff_at: NOW, created_at: NOW, started_at: null, finished_at: null, error: null, summary_json: null, savings_json: null, version,
    });
    await t.db.insertInto('plans').values(plan('v1', 'completed', 1)).execute();
    await t.db.insertInto('plans').values(plan('v2', 'queued', 2)).execute();
    expect(isUniqueViolation(await t.db.insertInto('plans').values(plan('v3', 'running', 3)).execute().catch((e: unknown) => e))).toBe(true);
    expect(isUniqueViolation(await t.db.insertInto('plans').values(plan('v3', 'completed', 2)).execute().catch((e: unknown) => e))).toBe(true);
    await t.db.updateTable('plans').set({ status: 'completed' }).where('id', '=', 'v2').execute();
    await t.db.insertInto('plans').values(plan('v3', 'running', 3)).execute();
    const rows = await t.db.selectFrom('plans').select(['id', 'state', 'version']).where('service_date', '=', '2026-11-30').orderBy('version').execute();
    expect(rows).toEqual([{ id: 'v1', state: 'draft', version: 1 }, { id: 'v2', state: 'draft', version: 2 }, { id: 'v3', state: 'draft', version: 3 }]);
  });

  it('uses the declared indexes', async () => {
    const parcels = (await t.db.introspection.getTables()).find((x) => x.name === 'parcels');
    expect(parcels?.columns.map((c) => c.name)).toContain('body_hash');
    const names = dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(t.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = 'public'`.execute(t.db)).rows.map((r) => r.name);
    for (const index of ['parcels_courier_waybill_uq', 'parcels_status_idx', 'parcels_received_idx', 'parcels_plan_idx', 'outbox_relayed_at_idx', 'api_keys_key_hash_uq', 'pickups_reference_idx']) {
      expect(names).toContain(index);
    }
    // Dropped from the intake write path by 0004 (random-page inserts; the listing uses parcels_received_idx).
    expect(names).not.toContain('parcels_station_idx');
  });

  it('keeps planning on its indexes although intake no longer writes to them', async () => {
    const plan = async (query: { sql: string; parameters: readonly unknown[] }): Promise<string> =>
      dialect === 'sqlite'
        ? (await sql<{ detail: string }>`explain query plan ${sql.raw(query.sql.replace(/\?/g, "'x'"))}`.execute(t.db)).rows.map((r) => r.detail).join('\n')
        : await t.db.transaction().execute(async (trx) => {
            // An empty table: make the planner show whether the index is usable at all.
            await sql`set local enable_seqscan = off`.execute(trx);
            const r = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(query.sql.replace(/\$\d+/g, "'x'"))}`.execute(trx);
            return r.rows.map((row) => row['QUERY PLAN']).join('\n');
          });
    // Partial indexes (0005): "plan_id = ?" and "hub_id = ?" imply their "IS NOT NULL".
    expect(await plan(t.db.selectFrom('parcels').select('id').where('plan_id', '=', 'x').compile())).toContain('parcels_plan_idx');
    expect(await plan(t.db.selectFrom('parcels').select('id').where('hub_id', '=', 'x').where('status', '=', 'sorted').compile())).toContain('parcels_hub_status_idx');
  });
});
