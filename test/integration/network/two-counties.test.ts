/**
 * Two counties in one deployment (issue 15 items 3, 4 and 6), on SQLite and PostgreSQL: Qin County
 * and a generated county, written to network files and imported from them beside it; each
 * county's courier and dispatcher keys see and act in their own county only (the isolation matrix
 * below), and both counties' days are planned in the same deployment, each with its own network
 * and fleet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { ReloadableResolver } from '../../../src/geo/destination-network.ts';
import { readNetworkFolder, writeNetworkFolder } from '../../../src/network/files.ts';
import { importNetwork } from '../../../src/network/import.ts';
import { seedNetwork } from '../../../src/network/seed.ts';
import { syntheticCounty } from '../../../src/network/synthetic.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { localDate } from '../../../src/planning/day-model.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { request, type HttpResult } from '../../support/http-request.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { parcel } from '../http/helpers.ts';
import { testDeps } from '../pipeline/helpers.ts';

const A = '140430'; // Qin County
const B = '149901'; // generated

describe.each(testDialects())('%s: two counties in one deployment', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let resolver: ReloadableResolver;
  let pool: SolverPool;
  const keys = { courierA: '', courierB: '', dispatcherA: '', dispatcherB: '', admin: '' };
  let stationsA: string[];
  let stationsB: string[];
  const waybills = { A: [] as string[], B: [] as string[] };
  const plans = { A: '', B: '' };
  // Tomorrow (local): its cut-off is after the parcels submitted now.
  const date = localDate(new Date(Date.now() + 86_400_000), TEST_SETTINGS.utcOffsetMinutes);
  const call = (method: string, path: string, key: string, json?: unknown): Promise<HttpResult> => request(base, method, path, { key, ...(json === undefined ? {} : { json }) });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db);
    // Generated, written as network files and read back as `gongpei network import` does.
    const folder = mkdtempSync(join(tmpdir(), 'gongpei-county-b-'));
    writeNetworkFolder(folder, syntheticCounty({ code: B, seed: 11, townships: 3, villagesPerTownship: 6 }));
    await importNetwork(t.db, readNetworkFolder(folder));
    rmSync(folder, { recursive: true, force: true });
    resolver = await ReloadableResolver.create(t.db, null);
    const app = createApp({ db: t.db, resolveDestination: resolver.resolve, settings: TEST_SETTINGS, options: { authCacheMs: 0, requestLogging: false } });
    server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new SolverPool({ size: 2 });
    keys.courierA = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO', counties: [A] })).key;
    keys.courierB = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO', counties: [B] })).key;
    keys.dispatcherA = (await createApiKey(t.db, { role: 'dispatcher', counties: [A] })).key;
    keys.dispatcherB = (await createApiKey(t.db, { role: 'dispatcher', counties: [B] })).key;
    keys.admin = (await createApiKey(t.db, { role: 'admin' })).key;
    // Every 7th station: spread over the townships, so the township centres need the line-haul.
    stationsA = (await t.db.selectFrom('stations').select('code').where('county_id', '=', A).orderBy('code').execute()).map((s) => s.code).filter((_, i) => i % 7 === 0).slice(0, 30);
    stationsB = (await t.db.selectFrom('stations').select('code').where('county_id', '=', B).orderBy('code').execute()).map((s) => s.code);
    for (const [county, stations, key] of [['A', stationsA, keys.courierA], ['B', stationsB, keys.courierB]] as const) {
      for (const [i, code] of stations.entries()) {
        const res = await call('POST', '/v1/parcels', key, parcel({ waybill: `ZT${county}${String(i).padStart(8, '0')}`, destination: { stationCode: code }, promisedDate: date }));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        waybills[county].push(res.body.waybill as string);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await new Promise((ok) => server?.close(ok));
    resolver?.stop();
    await pool?.close();
    await t?.dispose();
  });

  it('stores each parcel in its station\'s county', async () => {
    const rows = await t.db.selectFrom('parcels').select(['county_id']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('county_id').orderBy('county_id').execute();
    expect(rows.map((r) => ({ county_id: r.county_id, n: Number(r.n) }))).toEqual([{ county_id: A, n: 30 }, { county_id: B, n: 18 }]);
  });

  // The isolation matrix: who asks, what, and the answer. A key of one county meets another
  // county's parcels, stations and plans as if they did not exist (404/422), or is refused (403).
  const matrix: [string, number, () => Promise<HttpResult>][] = [
    ['courier A submits to a B station', 422, () => call('POST', '/v1/parcels', keys.courierA, parcel({ destination: { stationCode: stationsB[0] } }))],
    ['courier B submits to an A station', 422, () => call('POST', '/v1/parcels', keys.courierB, parcel({ destination: { stationCode: stationsA[0] } }))],
    ['courier A submits to a B village by name', 422, () => call('POST', '/v1/parcels', keys.courierA, parcel({ destination: { village: '第1 1村' } }))],
    ['courier A reads a B parcel of the same courier', 404, () => call('GET', `/v1/parcels/${waybills.B[0]}`, keys.courierA)],
    ['courier B reads its own parcel', 200, () => call('GET', `/v1/parcels/${waybills.B[0]}`, keys.courierB)],
    ['courier A cancels a B parcel', 404, () => call('DELETE', `/v1/parcels/${waybills.B[1]}`, keys.courierA)],
    ['dispatcher A reads a B parcel', 404, () => call('GET', `/v1/parcels/${waybills.B[0]}?courier=ZTO`, keys.dispatcherA)],
    ['dispatcher A sets the keeper of a B station', 404, () => call('PATCH', `/v1/stations/${stationsB[0]}`, keys.dispatcherA, { keeperName: '王' })],
    ['dispatcher B sets the keeper of a B station', 200, () => call('PATCH', `/v1/stations/${stationsB[0]}`, keys.dispatcherB, { keeperName: '王' })],
    ['dispatcher A plans county B', 403, () => call('POST', '/v1/plans', keys.dispatcherA, { date, county: B })],
    ['dispatcher B plans county A', 403, () => call('POST', '/v1/plans', keys.dispatcherB, { date, county: A })],
  ];
  it.each(matrix)('%s → %i', async (_what, status, ask) => {
    const res = await ask();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
  });

  it('lists only the key\'s own county\'s parcels', async () => {
    const a = await call('GET', '/v1/parcels?limit=100', keys.dispatcherA);
    expect(a.status).toBe(200);
    expect((a.body.parcels as { waybill: string }[]).map((p) => p.waybill).sort()).toEqual([...waybills.A].sort());
    const all = await call('GET', '/v1/parcels?limit=100', keys.admin);
    expect(all.body.parcels).toHaveLength(48);
  });

  it('plans both counties\' days in one deployment, each on its own network and fleet', async () => {
    const a = await call('POST', '/v1/plans', keys.dispatcherA, { date });
    const b = await call('POST', '/v1/plans', keys.dispatcherB, { date });
    expect([a.status, b.status]).toEqual([202, 202]);
    plans.A = a.body.id as string;
    plans.B = b.body.id as string;
    expect(plans.A).not.toBe(plans.B);
    // One run per county and date: asking again while queued returns the same run.
    expect((await call('POST', '/v1/plans', keys.dispatcherB, { date })).body.id).toBe(plans.B);

    const deps = testDeps(t.db, pool, { now: () => new Date() });
    const [sa, sb] = await Promise.all([runDay(deps, plans.A), runDay(deps, plans.B)]);
    expect(sa.parcels).toMatchObject({ eligible: 30 });
    expect(sb.parcels).toMatchObject({ eligible: 18 });
    expect(sa.parcels.planned + sb.parcels.planned).toBeGreaterThan(40);

    for (const [county, planId] of [[A, plans.A], [B, plans.B]] as const) {
      const routes = await t.db.selectFrom('routes').innerJoin('vehicles', 'vehicles.id', 'routes.vehicle_id').innerJoin('hubs', 'hubs.id', 'routes.hub_id')
        .select(['vehicles.county_id as vehicleCounty', 'hubs.county_id as hubCounty', 'routes.tier']).where('routes.plan_id', '=', planId).execute();
      expect(routes.map((r) => r.tier), county).toContain('line_haul');
      expect(routes.map((r) => r.tier), county).toContain('village');
      expect(new Set(routes.flatMap((r) => [r.vehicleCounty, r.hubCounty]))).toEqual(new Set([county]));
      const stops = await t.db.selectFrom('stops').innerJoin('routes', 'routes.id', 'stops.route_id').innerJoin('stations', 'stations.code', 'stops.station_code')
        .select('stations.county_id').where('routes.plan_id', '=', planId).execute();
      expect(new Set(stops.map((s) => s.county_id))).toEqual(new Set([county]));
      const onPlan = await t.db.selectFrom('parcels').select('county_id').where('plan_id', '=', planId).execute();
      expect(new Set(onPlan.map((p) => p.county_id))).toEqual(new Set([county]));
    }
  }, 240_000);

  it('shows each dispatcher its own county\'s plans only', async () => {
    expect((await call('GET', `/v1/plans/${plans.B}`, keys.dispatcherA)).status).toBe(404);
    expect((await call('GET', `/v1/plans/${plans.B}/routes`, keys.dispatcherA)).status).toBe(404);
    expect((await call('POST', `/v1/plans/${plans.B}/publish`, keys.dispatcherA)).status).toBe(404);
    expect((await call('GET', `/v1/plans/${plans.B}`, keys.dispatcherB)).body).toMatchObject({ id: plans.B, status: 'completed' });
    const listA = await call('GET', '/v1/plans', keys.dispatcherA);
    expect((listA.body.plans as { id: string }[]).map((p) => p.id)).toEqual([plans.A]);
    const listAll = await call('GET', '/v1/plans', keys.admin);
    expect((listAll.body.plans as { id: string }[]).map((p) => p.id).sort()).toEqual([plans.A, plans.B].sort());
  });
});
