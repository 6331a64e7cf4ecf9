/**
 * POST /v1/admin/networks (issue 15 item 1) on both databases: a county's files over HTTP, a second
 * (synthetic) county next to Qin County, intake in the same process sees its stations at once,
 * and a bad file is a 400 naming file, row and field with nothing written.
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { ReloadableResolver } from '../../../src/geo/destination-network.ts';
import { writeNetworkFolder } from '../../../src/network/files.ts';
import { syntheticCounty } from '../../../src/network/synthetic.ts';
import { request } from '../../support/http-request.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { parcel } from '../http/helpers.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../../examples/networks/qinxian');

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe.each(testDialects())('%s: POST /v1/admin/networks', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let resolver: ReloadableResolver;
  let admin: string;
  let dispatcher: string;
  let synthetic: Record<string, string>;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    resolver = await ReloadableResolver.create(t.db, null);
    const app = createApp({ db: t.db, resolveDestination: resolver.resolve, onNetworkImported: () => resolver.reload(), settings: TEST_SETTINGS, options: { authCacheMs: 0, requestLogging: false } });
    server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    admin = (await createApiKey(t.db, { role: 'admin' })).key;
    dispatcher = (await createApiKey(t.db, { role: 'dispatcher', counties: [] })).key;
    const dir = mkdtempSync(join(tmpdir(), 'gongpei-synthetic-'));
    writeNetworkFolder(dir, syntheticCounty({ code: '149901', seed: 7, townships: 3, villagesPerTownship: 6 }));
    synthetic = filesOf(dir);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  afterAll(async () => {
    await new Promise((ok) => server?.close(ok));
    resolver?.stop();
    await t?.dispose();
  });

  it('imports Qin County, then re-imports it in place', async () => {
    const first = await request(base, 'POST', '/v1/admin/networks', { key: admin, json: { files: filesOf(EXAMPLE) } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ county: '140430', created: true, townships: 11, hubs: 11, stations: 224, stationsClosed: 0, vehicles: 34, vehiclesRetired: 0, couriers: 9 });
    const again = await request(base, 'POST', '/v1/admin/networks', { key: admin, json: { files: filesOf(EXAMPLE) } });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
  });

  it('refuses a bad file with 400 naming file, row and field, and writes nothing', async () => {
    const files = { ...synthetic, 'stations.csv': synthetic['stations.csv']!.replace(/^(\d{12}),([^,]*),village,/m, '$1,$2,hamlet,') };
    const res = await request(base, 'POST', '/v1/admin/networks', { key: admin, json: { files } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'stations.csv:2:kind', line: 2, message: '"hamlet" is not one of village, community' }]);
    expect(await t.db.selectFrom('counties').select('id').where('id', '=', '149901').executeTakeFirst()).toBeUndefined();
    const unknown = await request(base, 'POST', '/v1/admin/networks', { key: admin, json: { files: { ...synthetic, 'extra.csv': 'x' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('files');
  });

  it('is for admin keys only', async () => {
    const res = await request(base, 'POST', '/v1/admin/networks', { key: dispatcher, json: { files: synthetic } });
    expect(res.status).toBe(403);
  });

  it('imports a second county beside the first; intake resolves its stations at once, for its own keys only', async () => {
    const res = await request(base, 'POST', '/v1/admin/networks', { key: admin, json: { files: synthetic } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ county: '149901', created: true, townships: 3, stations: 18, vehicles: 9 });
    const theirs = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO', counties: ['149901'] })).key;
    const qin = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO', counties: ['140430'] })).key;
    const station = '149901101203';
    const ok = await request(base, 'POST', '/v1/parcels', { key: theirs, json: parcel({ destination: { stationCode: station } }) });
    expect(ok.status).toBe(201);
    expect(await t.db.selectFrom('parcels').select(['county_id', 'station_code']).where('id', '=', ok.body.id).executeTakeFirstOrThrow()).toEqual({ county_id: '149901', station_code: station });
    const refused = await request(base, 'POST', '/v1/parcels', { key: qin, json: parcel({ destination: { stationCode: station } }) });
    expect(refused.status).toBe(422);
    // A key of several counties must name them: with two counties imported there is no default.
    await expect(createApiKey(t.db, { role: 'dispatcher' })).rejects.toThrow(/names its own/);
  });
});
