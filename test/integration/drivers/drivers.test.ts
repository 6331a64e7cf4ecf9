/**
 * Drivers over real HTTP on both databases: add, assign to a vehicle for a date, sign in from a
 * link (single-use, expiring, revocable), what the phone session may read and post, and what
 * the dispatcher sees (sign-in time, first open of each route).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import type { PlannedRoute } from '../../../src/planning/types.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { storeTierRoutes } from '../../../src/plans/plan.repository.ts';
import { startApi, type ApiContext } from '../http/helpers.ts';
import { seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';

/** A service date in the future, so sign-in links for it are valid now. */
const DATE = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe.each(testDialects())('%s: drivers', (dialect) => {
  let api: ApiContext;
  let day: PlannedDay;
  let wang: string;
  let li: string;
  beforeAll(async () => {
    // Events a phone posts without `at` are stamped now: the server's clock is on the service day.
    api = await startApi(dialect, { relay: false, app: { clock: () => new Date(`${DATE}T12:00:00.000+08:00`) } });
    day = await seedPlannedDay(api.db);
    // The fixture's routes have a standing driver; this day starts with nobody assigned.
    await api.db.updateTable('plans').set({ service_date: DATE }).where('id', '=', day.planId).execute();
    await api.db.updateTable('routes').set({ driver_id: null }).where('plan_id', '=', day.planId).execute();
  });
  afterAll(async () => {
    await api?.close();
  });
  const asDispatcher = (method: string, path: string, json?: unknown) => api.request(method, path, { key: api.keys.dispatcher, ...(json === undefined ? {} : { json }) });

  it('adds drivers; a taken phone is 409, a bad one 400 naming the field, a courier key 403', async () => {
    const a = await asDispatcher('POST', '/v1/drivers', { name: '王师傅', phone: '138 1234 5678' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ name: '王师傅', phone: '13812345678', active: true });
    wang = a.body.id;
    li = (await asDispatcher('POST', '/v1/drivers', { name: '李师傅', phone: '13900001111' })).body.id;
    const dup = await asDispatcher('POST', '/v1/drivers', { name: '张师傅', phone: '13812345678' });
    expect(dup.status).toBe(409);
    const bad = await asDispatcher('POST', '/v1/drivers', { name: '张师傅', phone: 'call me' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('phone');
    expect((await api.request('POST', '/v1/drivers', { key: api.keys.zto, json: { name: 'x', phone: '13700000000' } })).status).toBe(403);
  });

  it('assigns one driver per vehicle and date; the routes of that vehicle follow; a driver cannot take two vehicles a day', async () => {
    const put = await asDispatcher('PUT', '/v1/driver-assignments', { date: DATE, vehicleId: 'van-guocun', driverId: li });
    expect(put.status).toBe(200);
    // Replacing the vehicle's driver that day is allowed.
    expect((await asDispatcher('PUT', '/v1/driver-assignments', { date: DATE, vehicleId: 'van-guocun', driverId: wang })).status).toBe(200);
    const twice = await asDispatcher('PUT', '/v1/driver-assignments', { date: DATE, vehicleId: 'van-guxian', driverId: wang });
    expect(twice.status).toBe(409);
    expect((await asDispatcher('PUT', '/v1/driver-assignments', { date: DATE, vehicleId: 'van-guxian', driverId: li })).status).toBe(200);
    expect((await asDispatcher('PUT', '/v1/driver-assignments', { date: DATE, vehicleId: 'no-such-van', driverId: li })).status).toBe(404);
    const list = await asDispatcher('GET', `/v1/driver-assignments?date=${DATE}`);
    expect(list.body.assignments.map((a: { vehicleId: string; driverId: string }) => [a.vehicleId, a.driverId])).toEqual([
      ['van-guocun', wang],
      ['van-guxian', li],
    ]);
    const routes = await api.db.selectFrom('routes').select(['id', 'driver_id']).where('plan_id', '=', day.planId).execute();
    expect(Object.fromEntries(routes.map((r) => [r.id, r.driver_id]))).toEqual({ [day.routeA]: wang, [day.routeB]: li });
  });

  let session: string;
  it('signs a phone in from a single-use link; the session reads only the driver’s own routes of that date', async () => {
    const link = await asDispatcher('POST', `/v1/drivers/${wang}/sign-in-links`, { date: DATE });
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/\/driver#token=[\w-]{43}$/);
    expect(link.body.qrSvg).toMatch(/^<svg/);
    const token = link.body.url.split('#token=')[1];
    const signIn = await api.request('POST', '/v1/driver-sessions', { key: null, json: { token } });
    expect(signIn.status).toBe(201);
    expect(signIn.body).toMatchObject({ driverId: wang, driverName: '王师傅', date: DATE, vehicleId: 'van-guocun' });
    session = signIn.body.token;
    expect(session).not.toBe(token);
    const again = await api.request('POST', '/v1/driver-sessions', { key: null, json: { token } });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toMatch(/already used/);

    const own = await api.request('GET', `/v1/manifests?date=${DATE}`, { key: session });
    expect(own.body.manifests.map((m: { routeId: string }) => m.routeId)).toEqual([day.routeA]);
    expect((await api.request('GET', `/v1/manifests/${day.routeA}`, { key: session })).status).toBe(200);
    expect((await api.request('GET', `/v1/manifests/${day.routeB}`, { key: session })).status).toBe(404);
    expect((await api.request('GET', '/v1/manifests?date=2026-01-05', { key: session })).status).toBe(403);
    const ev = await api.request('POST', `/v1/stops/${day.stops.guocun}/events`, { key: session, json: { type: 'arrived' } });
    expect(ev.status).toBe(200);
    expect((await api.request('POST', `/v1/stops/${day.stops.guxian}/events`, { key: session, json: { type: 'arrived' } })).status).toBe(404);
    // Not a dispatcher: the session cannot assign drivers or read the driver list.
    expect((await api.request('GET', '/v1/drivers', { key: session })).status).toBe(403);
  });

  it('shows the dispatcher who signed in and who opened which route', async () => {
    const list = await asDispatcher('GET', `/v1/drivers?date=${DATE}`);
    const byId = new Map(list.body.drivers.map((d: { id: string }) => [d.id, d]));
    const w = byId.get(wang) as { vehicleId: string; signedInAt: string | null; routes: { routeId: string; firstOpenedAt: string | null }[] };
    expect(w.vehicleId).toBe('van-guocun');
    expect(w.signedInAt).not.toBeNull();
    expect(w.routes).toEqual([expect.objectContaining({ routeId: day.routeA, firstOpenedAt: expect.any(String) })]);
    const first = w.routes[0]!.firstOpenedAt;
    await api.request('GET', `/v1/manifests/${day.routeA}`, { key: session });
    const later = (await asDispatcher('GET', `/v1/drivers?date=${DATE}`)).body.drivers.find((d: { id: string }) => d.id === wang);
    expect(later.routes[0].firstOpenedAt).toBe(first);
    const l = byId.get(li) as { signedInAt: string | null; routes: { firstOpenedAt: string | null }[] };
    expect(l.signedInAt).toBeNull();
    expect(l.routes.map((r) => r.firstOpenedAt)).toEqual([null]);
  });

  it('ends the phone session when its link is revoked, and refuses expired links', async () => {
    const link = await asDispatcher('POST', `/v1/drivers/${li}/sign-in-links`, { date: DATE, ttlMinutes: 30 });
    const token = link.body.url.split('#token=')[1];
    const phone = (await api.request('POST', '/v1/driver-sessions', { key: null, json: { token } })).body.token;
    expect((await api.request('GET', `/v1/manifests?date=${DATE}`, { key: phone })).status).toBe(200);
    const revoke = await asDispatcher('POST', `/v1/driver-links/${link.body.linkId}/revoke`);
    expect(revoke.body.revoked).toBe(2);
    expect((await api.request('GET', `/v1/manifests?date=${DATE}`, { key: phone })).status).toBe(401);

    const stale = await asDispatcher('POST', `/v1/drivers/${li}/sign-in-links`, { date: DATE });
    await api.db.updateTable('driver_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', stale.body.linkId).execute();
    const expired = await api.request('POST', '/v1/driver-sessions', { key: null, json: { token: stale.body.url.split('#token=')[1] } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await api.request('POST', '/v1/driver-sessions', { key: null, json: { token: 'x'.repeat(43) } })).status).toBe(401);
    expect((await asDispatcher('POST', `/v1/drivers/${li}/sign-in-links`, { date: '2020-01-01' })).status).toBe(400);
  });

  it('expires a phone session after its service day', async () => {
    const link = await asDispatcher('POST', `/v1/drivers/${wang}/sign-in-links`, { date: DATE });
    const phone = (await api.request('POST', '/v1/driver-sessions', { key: null, json: { token: link.body.url.split('#token=')[1] } })).body.token;
    await api.db.updateTable('api_keys').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('driver_link_id', '=', link.body.linkId).execute();
    expect((await api.request('GET', `/v1/manifests?date=${DATE}`, { key: phone })).status).toBe(401);
  });

  it('stores a plan’s routes with the driver assigned to the vehicle for that date', async () => {
    const stop = (seq: number, kind: 'start' | 'end') => ({ seq, kind, stationCode: null, hubId: 'hub-guxian', trip: 1, arrivalS: 28_800 + seq, departureS: 28_800 + seq, serviceStartS: 28_800 + seq, parcelIds: [], pickupIds: [], deliverCount: 0, pickupCount: 0, load: [0, 0, 0] as [number, number, number] });
    const route: PlannedRoute = { tier: 'village', hubId: 'hub-guxian', vehicleId: 'van-guxian', vehicleType: 'van', trips: 1, distanceM: 0, durationS: 1, costFen: 0, startS: 28_800, endS: 28_801, peakLoad: [0, 0, 0], capacity: [1, 1, 1], stops: [stop(0, 'start'), stop(1, 'end')] };
    await storeTierRoutes(api.db, day.planId, 'village', 'hub-guxian', [route], { ...TEST_SETTINGS, serviceDate: DATE }, new Date().toISOString());
    const stored = await api.db.selectFrom('routes').select(['id', 'driver_id']).where('plan_id', '=', day.planId).where('vehicle_id', '=', 'van-guxian').execute();
    expect(stored.map((r) => r.driver_id)).toEqual([li]);
  });

  it('documents every driver endpoint in the OpenAPI document', async () => {
    const doc = (await api.request('GET', '/openapi.json', { key: null })).body;
    for (const path of ['/v1/drivers', '/v1/drivers/{id}', '/v1/driver-assignments', '/v1/drivers/{id}/sign-in-links', '/v1/driver-links/{linkId}/revoke', '/v1/drivers/{id}/revoke-sign-ins', '/v1/driver-sessions']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
