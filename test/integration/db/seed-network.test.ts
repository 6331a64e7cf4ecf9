import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { loadNetwork, networkRows } from '../../../src/network/load.ts';
import { seedNetwork } from '../../../src/network/seed.ts';

const network = loadNetwork();
const rows = networkRows(network);

describe.each(testDialects())('%s: seedNetwork', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const count = async (table: 'townships' | 'hubs' | 'stations' | 'vehicles' | 'couriers') =>
    (await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('writes the whole network and reads it back unchanged', async () => {
    const counts = await seedNetwork(t.db, network);
    expect(counts).toEqual({ townships: 11, hubs: 11, stations: 224, vehicles: rows.vehicles.length, couriers: 9 });
    // The keeper columns belong to dispatchers (PATCH /v1/stations/{code}); a fresh seed leaves them empty.
    expect(await t.db.selectFrom('stations').selectAll().orderBy('code').execute()).toEqual(
      rows.stations.map((s) => ({ ...s, keeper_name: null, keeper_phone: null, active: 1 })),
    );
    expect(await t.db.selectFrom('hubs').selectAll().orderBy('id').execute()).toEqual([...rows.hubs].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await t.db.selectFrom('vehicles').selectAll().orderBy('id').execute()).toEqual([...rows.vehicles].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('is idempotent and keeps operator-owned columns', async () => {
    const at = new Date().toISOString();
    await t.db.insertInto('courier_webhooks').values({ courier_code: 'ZTO', county_id: '140430', url: 'https://zto.example/hook', secret: 'sealed-elsewhere', created_at: at, updated_at: at }).execute();
    await t.db.updateTable('vehicles').set({ active: 0, driver_id: 'driver-1' }).where('id', '=', 'line-haul-2').execute();
    await t.db
      .updateTable('stations')
      .set({ name: 'renamed', keeper_name: '王站长', keeper_phone: '13800000000' })
      .where('code', '=', '140430101204')
      .execute();

    await seedNetwork(t.db, network);

    expect(await count('stations')).toBe(224);
    expect(await count('couriers')).toBe(9);
    const zto = await t.db.selectFrom('courier_webhooks').select('url').where('courier_code', '=', 'ZTO').executeTakeFirstOrThrow();
    expect(zto.url).toBe('https://zto.example/hook');
    const truck = await t.db.selectFrom('vehicles').select(['active', 'driver_id']).where('id', '=', 'line-haul-2').executeTakeFirstOrThrow();
    expect(truck).toEqual({ active: 0, driver_id: 'driver-1' });
    const station = await t.db
      .selectFrom('stations')
      .select(['name', 'keeper_name', 'keeper_phone'])
      .where('code', '=', '140430101204')
      .executeTakeFirstOrThrow();
    // dataset fields are the dataset's; the keeper is the dispatchers'
    expect(station).toEqual({ name: '仁胜村', keeper_name: '王站长', keeper_phone: '13800000000' });
  });

  it('counts stations per township as the facts say', async () => {
    const perTownship = await t.db
      .selectFrom('stations')
      .innerJoin('townships', 'townships.code', 'stations.township_code')
      .select(['townships.name', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('townships.name')
      .execute();
    const byName = Object.fromEntries(perTownship.map((r) => [r.name, r.n]));
    expect(byName).toEqual({ 定昌镇: 41, 郭村镇: 15, 故县镇: 27, 新店镇: 23, 漳源镇: 22, 册村镇: 20, 沁州黄镇: 20, 南里镇: 19, 松村镇: 18, 牛寺乡: 11, 杨安乡: 8 });
  });
});
