/**
 * /v1/plans and /v1/stats through the real app (createApp) on SQLite: roles, 202 + plan id,
 * progress, routes as JSON and GeoJSON, savings, listing by date, statistics.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import type { TestDatabase } from '../../../src/db/test-database.ts';
import { loadResolverNetwork } from '../../../src/geo/destination-network.ts';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { createApp } from '../../../src/app.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { insertDay, RECEIVED_AT, SERVICE_DATE, seededDatabase, testDeps } from '../pipeline/helpers.ts';

let t: TestDatabase;
let server: Server;
let base: string;
let pool: SolverPool;
const keys = { dispatcher: '', courier: '' };

beforeAll(async () => {
  t = await seededDatabase();
  pool = new SolverPool({ size: 2 });
  await insertDay(t.db, 300, 21);
  keys.dispatcher = (await createApiKey(t.db, { role: 'dispatcher' })).key;
  keys.courier = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO' })).key;
  const app = createApp({ db: t.db, resolveDestination: createDestinationResolver(await loadResolverNetwork(t.db, null)), settings: TEST_SETTINGS, options: { authCacheMs: 0, requestLogging: false, clock: () => new Date('2031-06-01T12:00:00Z') } });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await pool.close();
  await t.dispose();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, key: string, json?: unknown): Promise<{ status: number; body: any; type: string | null }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') };
}

describe('/v1/plans', () => {
  let planId: string;

  it('takes a plan request from a dispatcher (202 with the plan id), not from a courier', async () => {
    expect((await call('POST', '/v1/plans', keys.courier, { date: SERVICE_DATE })).status).toBe(403);
    expect((await call('POST', '/v1/plans', keys.dispatcher, { date: '2031-13-01' })).status).toBe(400);
    const res = await call('POST', '/v1/plans', keys.dispatcher, { date: SERVICE_DATE, seed: 5 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ date: SERVICE_DATE, status: 'queued', progress: 0, seed: 5, started: true });
    planId = res.body.id;
    // a second request while queued returns the same plan without starting another
    const again = await call('POST', '/v1/plans', keys.dispatcher, { date: SERVICE_DATE });
    expect(again.body).toMatchObject({ id: planId, started: false });
    const outbox = await t.db.selectFrom('outbox').selectAll().where('queue', '=', 'plan').execute();
    expect(outbox).toHaveLength(1);
    expect(JSON.parse(outbox[0]!.payload_json).planId).toBe(planId);
  });

  it('reports conflict for savings before the plan is done, then status, routes, GeoJSON and savings after', async () => {
    expect((await call('GET', `/v1/plans/${planId}/savings`, keys.dispatcher)).status).toBe(409);
    await runDay(testDeps(t.db, pool, { savings: true, timeLimitMs: 40, now: () => new Date(Date.parse(RECEIVED_AT) + 3_600_000) }), planId);

    const plan = await call('GET', `/v1/plans/${planId}`, keys.dispatcher);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ id: planId, status: 'completed', progress: 100 });
    expect(plan.body.counts.parcels.eligible).toBe(300);
    expect(plan.body.timings.totalMs).toBeGreaterThan(0);

    const routes = await call('GET', `/v1/plans/${planId}/routes`, keys.dispatcher);
    expect(routes.status).toBe(200);
    const tiers = new Set(routes.body.routes.map((r: { tier: string }) => r.tier));
    expect(tiers).toEqual(new Set(['line_haul', 'village']));
    const delivered = routes.body.routes.flatMap((r: { stops: { deliverCount: number }[] }) => r.stops).reduce((a: number, s: { deliverCount: number }) => a + s.deliverCount, 0);
    expect(delivered).toBeGreaterThan(0);
    expect(routes.body.routes[0].stops[0]).toMatchObject({ seq: 0, kind: 'start' });
    // Each route names its vehicle as the fleet does (what dispatchers and drivers call it).
    const fleet = new Map((await t.db.selectFrom('vehicles').select(['id', 'name']).execute()).map((v) => [v.id, v.name]));
    for (const r of routes.body.routes as { vehicleId: string; vehicleName: string }[]) expect(r.vehicleName).toBe(fleet.get(r.vehicleId));

    const geo = await call('GET', `/v1/plans/${planId}/routes.geojson`, keys.dispatcher);
    expect(geo.type).toContain('application/geo+json');
    expect(geo.body.type).toBe('FeatureCollection');
    const lines = geo.body.features.filter((f: { geometry: { type: string } }) => f.geometry.type === 'LineString');
    expect(lines).toHaveLength(routes.body.routes.length);

    const savings = await call('GET', `/v1/plans/${planId}/savings`, keys.dispatcher);
    expect(savings.status).toBe(200);
    expect(savings.body.separate.km).toBeGreaterThan(savings.body.joint.km);

    const list = await call('GET', `/v1/plans?date=${SERVICE_DATE}`, keys.dispatcher);
    expect(list.body.plans.map((p: { id: string }) => p.id)).toEqual([planId]);
    expect((await call('GET', '/v1/plans/nope', keys.dispatcher)).status).toBe(404);
    expect((await call('GET', `/v1/plans/${planId}/routes`, keys.courier)).status).toBe(403);
  });

  it('serves statistics per courier, township and day, and per plan', async () => {
    const res = await call('GET', `/v1/stats?from=2031-06-01&to=${SERVICE_DATE}`, keys.dispatcher);
    expect(res.status).toBe(200);
    expect(res.body.parcels.total).toBe(300);
    expect(Object.values(res.body.parcels.byCourier as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(300);
    expect(Object.keys(res.body.parcels.byTownship).length).toBeGreaterThan(5);
    expect(res.body.parcels.byDay).toEqual({ '2031-06-01': 300 });
    expect(res.body.plans[0]).toMatchObject({ date: SERVICE_DATE, status: 'completed', onTimeShare: 1 });
    expect(res.body.plans[0].routes).toBeGreaterThan(0);
    expect((await call('GET', '/v1/stats?from=2031-06-02&to=2031-06-01', keys.dispatcher)).status).toBe(400);
    // Without dates: the operating day (the app's clock says 2031-06-01, local).
    const today = await call('GET', '/v1/stats', keys.dispatcher);
    expect(today.body).toMatchObject({ from: '2031-06-01', to: '2031-06-01' });
  });

  it('refuses plan dates outside the window (today − 7 … today + 14), naming the field', async () => {
    for (const date of ['2062-12-02', '2031-06-16', '2031-05-24']) {
      const res = await call('POST', '/v1/plans', keys.dispatcher, { date });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('date');
    }
    expect(await t.db.selectFrom('plans').select('id').where('service_date', '=', '2062-12-02').execute()).toEqual([]);
  });

  it('publishes and closes the plan; a closed day keeps its numbers and is not re-planned', async () => {
    expect((await call('POST', `/v1/plans/${planId}/close`, keys.dispatcher)).status).toBe(409); // a draft
    expect((await call('POST', `/v1/plans/${planId}/publish`, keys.courier)).status).toBe(403);
    const published = await call('POST', `/v1/plans/${planId}/publish`, keys.dispatcher);
    expect(published.body).toMatchObject({ id: planId, state: 'published', version: 1 });
    expect(published.body.publishedAt).toBe('2031-06-01T12:00:00.000Z');
    const statsBefore = (await call('GET', `/v1/stats?from=${SERVICE_DATE}&to=${SERVICE_DATE}`, keys.dispatcher)).body.plans;
    const closed = await call('POST', `/v1/plans/${planId}/close`, keys.dispatcher);
    expect(closed.body).toMatchObject({ state: 'closed', closedAt: '2031-06-01T12:00:00.000Z' });
    // Later changes to the day's parcels do not move its frozen numbers.
    await t.db.updateTable('parcels').set({ plan_id: null, stop_id: null }).execute();
    expect((await call('GET', `/v1/stats?from=${SERVICE_DATE}&to=${SERVICE_DATE}`, keys.dispatcher)).body.plans).toEqual([{ ...statsBefore[0], state: 'closed' }]);
    const again = await call('POST', '/v1/plans', keys.dispatcher, { date: SERVICE_DATE });
    expect(again.status).toBe(409);
    expect((await call('POST', `/v1/plans/${planId}/publish`, keys.dispatcher)).status).toBe(409);
  });

  it('documents the plan life-cycle and breakdown endpoints', async () => {
    const doc = (await call('GET', '/openapi.json', keys.dispatcher)).body;
    for (const path of ['/v1/plans', '/v1/plans/{id}', '/v1/plans/{id}/publish', '/v1/plans/{id}/close', '/v1/vehicles/{vehicleId}/breakdowns', '/v1/stats']) expect(Object.keys(doc.paths)).toContain(path);
  });
});
