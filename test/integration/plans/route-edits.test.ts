/**
 * Manual route edits over real HTTP, on SQLite and PostgreSQL: a generated day planned by the
 * planner, then stops moved between two village routes of one hub and within a route. The
 * preview's figures are checked against distances recomputed here from the stations' coordinates
 * (haversine × 1.3, the planner's default), its violations against a fleet and station hours made
 * too tight; saving makes version 2 linked to version 1, the driver's manifest shows the new
 * order, and a stop a driver has reported at is refused with its id.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { createApp } from '../../../src/app.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { haversineRoadMatrix } from '../../../src/geo/matrix.ts';
import { loadNetwork, seedNetwork } from '../../../src/network/index.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { createPlanRequest } from '../../../src/plans/plan.service.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { insertDay, SERVICE_DATE, testDeps } from '../pipeline/helpers.ts';

interface Stop { id: string; seq: number; kind: string; stationCode: string | null; visited: boolean }
interface Route { id: string; tier: string; hubId: string; vehicleId: string; trips: number; distanceM: number; costFen: number; stops: Stop[] }

const NOW = new Date('2031-06-01T12:00:00.000Z');

describe.each(testDialects())('%s: manual route edits', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let pool: SolverPool;
  let planId: string;
  const keys = { dispatcher: '', courier: '', driver: '' };
  let a: Route;
  let b: Route;
  let others: Route[];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function call(method: string, path: string, json?: unknown, key = keys.dispatcher): Promise<{ status: number; body: any }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const stations = (r: Route) => r.stops.filter((s) => s.kind === 'station');
  const ids = (r: Route) => stations(r).map((s) => s.id);
  const routesOf = async (id: string): Promise<Route[]> => (await call('GET', `/v1/plans/${id}/routes`)).body.routes;

  /** Hub → stations → hub over haversine × 1.3, straight from the stored coordinates. */
  async function recomputedMetres(hubId: string, codes: readonly string[]): Promise<number> {
    const hub = await t.db.selectFrom('hubs').select(['lat', 'lon']).where('id', '=', hubId).executeTakeFirstOrThrow();
    const rows = await t.db.selectFrom('stations').select(['code', 'lat', 'lon']).where('code', 'in', [...codes]).execute();
    const at = new Map(rows.map((r) => [r.code, r]));
    const points = [hub, ...codes.map((c) => at.get(c)!)];
    const m = haversineRoadMatrix(points, 1.3);
    let total = 0;
    for (let k = 0; k < points.length; k++) total += m.distance[k * m.size + ((k + 1) % points.length)]!;
    return total;
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db, loadNetwork());
    await insertDay(t.db, 1200, 21);
    pool = new SolverPool({ size: 1 });
    const { plan } = await createPlanRequest({ db: t.db, settings: TEST_SETTINGS, now: () => NOW }, SERVICE_DATE, 1, { enqueue: false });
    planId = plan.id;
    await runDay(testDeps(t.db, pool, { timeLimitMs: 2_000, maxIterations: 30 }), planId);
    keys.dispatcher = (await createApiKey(t.db, { role: 'dispatcher' })).key;
    keys.courier = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO' })).key;
    const app = createApp({ db: t.db, resolveDestination: createDestinationResolver({ townships: [], stations: [], boundary: null }), settings: TEST_SETTINGS, options: { authCacheMs: 0, requestLogging: false, clock: () => NOW } });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Two single-trip village routes of one hub, each with at least three stations.
    const routes = (await routesOf(planId)).filter((r) => r.tier === 'village' && r.trips === 1 && stations(r).length >= 3);
    const byHub = new Map<string, Route[]>();
    for (const r of routes) byHub.set(r.hubId, [...(byHub.get(r.hubId) ?? []), r]);
    const pair = [...byHub.values()].find((list) => list.length >= 2);
    if (!pair) throw new Error(`no hub with two multi-stop routes: ${JSON.stringify(routes.map((r) => [r.hubId, stations(r).length]))}`);
    [a, b] = pair as [Route, Route];
    others = routes.filter((r) => r.id !== a.id && r.id !== b.id);
  }, 240_000);

  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool?.close();
    await t?.dispose();
  });

  it('previews a reorder within a route: before is the stored route, after is the new order recomputed, nothing is stored', async () => {
    const reversed = [...ids(a)].reverse();
    const res = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: reversed }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body.routes[0];
    expect(r.routeId).toBe(a.id);
    expect(r.before.distanceM).toBe(a.distanceM);
    const codes = reversed.map((id) => stations(a).find((s) => s.id === id)!.stationCode!);
    expect(r.after.distanceM).toBe(await recomputedMetres(a.hubId, codes));
    expect(res.body.delta.distanceM).toBe(r.after.distanceM - r.before.distanceM);
    expect(res.body.delta.costFen).toBe(r.after.costFen - r.before.costFen);
    expect(r.stops.map((s: { stopId: string }) => s.stopId)).toEqual(reversed);
    const versions = await t.db.selectFrom('plans').select('id').where('service_date', '=', SERVICE_DATE).execute();
    expect(versions).toHaveLength(1);
    expect(ids((await routesOf(planId)).find((x) => x.id === a.id)!)).toEqual(ids(a));
  });

  it('previews a stop moved to another route: both routes recomputed, the deltas their sums', async () => {
    const moved = ids(a)[1]!;
    const toA = ids(a).filter((id) => id !== moved);
    const toB = [moved, ...ids(b)];
    const res = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: toA }, { routeId: b.id, stopIds: toB }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [ra, rb] = res.body.routes;
    const code = (id: string) => [...stations(a), ...stations(b)].find((s) => s.id === id)!.stationCode!;
    expect(ra.after.distanceM).toBe(await recomputedMetres(a.hubId, toA.map(code)));
    expect(rb.after.distanceM).toBe(await recomputedMetres(b.hubId, toB.map(code)));
    expect(ra.before.distanceM + rb.before.distanceM).toBe(a.distanceM + b.distanceM);
    expect(res.body.delta.distanceM).toBe(ra.after.distanceM + rb.after.distanceM - a.distanceM - b.distanceM);
    expect(res.body.delta.costFen).toBe(ra.after.costFen + rb.after.costFen - ra.before.costFen - rb.before.costFen);
    // Moving a stop off a route can only shorten it (triangle inequality), onto one only lengthen it.
    expect(ra.after.distanceM).toBeLessThanOrEqual(ra.before.distanceM);
    expect(rb.after.distanceM).toBeGreaterThanOrEqual(rb.before.distanceM);
  });

  it('reports capacity, range and station hours the new order breaks, and refuses to save it without acceptViolations', async () => {
    const vehicle = await t.db.selectFrom('vehicles').selectAll().where('id', '=', b.vehicleId).executeTakeFirstOrThrow();
    const lastB = stations(b).at(-1)!;
    const station = await t.db.selectFrom('stations').selectAll().where('code', '=', lastB.stationCode!).executeTakeFirstOrThrow();
    try {
      // A vehicle that carries 1 kg and drives 1 km, and a station that closes at opening time + 1 min.
      await t.db.updateTable('vehicles').set({ capacity_g: 1000, range_m: 1000, max_trips: 1 }).where('id', '=', b.vehicleId).execute();
      await t.db.updateTable('stations').set({ closes_s: station.opens_s + 60 }).where('code', '=', station.code).execute();
      const moved = ids(a)[0]!;
      const edit = { routes: [{ routeId: a.id, stopIds: ids(a).slice(1) }, { routeId: b.id, stopIds: [...ids(b), moved] }] };
      const res = await call('POST', `/v1/plans/${planId}/edits/preview`, edit);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.feasible).toBe(false);
      const rb = res.body.routes[1];
      expect(rb.after.feasible).toBe(false);
      const kinds = new Set(rb.after.violations.map((v: { kind: string }) => v.kind));
      expect(kinds).toEqual(new Set(['capacity', 'range', 'time_window']));
      const late = rb.after.violations.find((v: { kind: string }) => v.kind === 'time_window');
      expect(late).toMatchObject({ stopId: lastB.id, stationCode: station.code, stationName: station.name });
      expect(rb.after.violations.find((v: { kind: string }) => v.kind === 'range').message).toContain('1.0 km');
      // Route A alone is unaffected by B's fleet.
      expect(res.body.routes[0].after.feasible).toBe(true);
      const refused = await call('POST', `/v1/plans/${planId}/edits`, edit);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('acceptViolations');
      expect(await t.db.selectFrom('plans').select('id').where('service_date', '=', SERVICE_DATE).execute()).toHaveLength(1);
    } finally {
      await t.db.updateTable('vehicles').set({ capacity_g: vehicle.capacity_g, range_m: vehicle.range_m, max_trips: vehicle.max_trips }).where('id', '=', b.vehicleId).execute();
      await t.db.updateTable('stations').set({ closes_s: station.closes_s }).where('code', '=', station.code).execute();
    }
  });

  it('refuses bad edits naming the field, and other roles', async () => {
    const missing = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: ids(a).slice(1) }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(ids(a)[0]);
    const twice = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: [...ids(a), ids(a)[0]] }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details[0].path).toBe(`routes.0.stopIds.${ids(a).length}`);
    const unknown = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: 'no-such-route', stopIds: [] }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('routes.0.routeId');
    const lineHaul = (await routesOf(planId)).find((r) => r.tier === 'line_haul')!;
    expect((await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: lineHaul.id, stopIds: [] }] })).status).toBe(409);
    const otherHub = others.find((r) => r.hubId !== a.hubId);
    if (otherHub) {
      const cross = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: ids(a) }, { routeId: otherHub.id, stopIds: ids(otherHub) }] });
      expect(cross.status).toBe(409);
    }
    expect((await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: ids(a) }] }, keys.courier)).status).toBe(403);
    expect((await call('POST', `/v1/plans/${planId}/edits`, { routes: [{ routeId: a.id, stopIds: ids(a) }] })).status).toBe(400); // changes nothing
    expect((await call('POST', '/v1/plans/no-such-plan/edits/preview', { routes: [{ routeId: a.id, stopIds: ids(a) }] })).status).toBe(404);
  });

  it('saves a move as version 2 linked to version 1: stop ids kept, stored km as previewed, the manifest in the new order', async () => {
    // The first move of one of A's stops into B that keeps every rule (a tricycle's range may not allow any).
    let found: { moved: string; toA: string[]; toB: string[]; preview: { body: any } } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const moved of ids(a)) {
      for (let k = 0; k <= ids(b).length && !found; k++) {
        const toA = ids(a).filter((id) => id !== moved);
        const toB = [...ids(b).slice(0, k), moved, ...ids(b).slice(k)];
        const preview = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: toA }, { routeId: b.id, stopIds: toB }] });
        if (preview.body.feasible) found = { moved, toA, toB, preview };
      }
      if (found) break;
    }
    if (!found) throw new Error('no feasible move from route A to route B');
    const { moved, toA, toB, preview } = found;
    const edit = { routes: [{ routeId: a.id, stopIds: toA }, { routeId: b.id, stopIds: toB }] };
    const saved = await call('POST', `/v1/plans/${planId}/edits`, edit);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const v2 = saved.body.plan;
    expect(v2).toMatchObject({ version: 2, replacesPlanId: planId, status: 'completed' });
    expect(saved.body.edit.delta).toEqual(preview.body.delta);
    const v1 = (await call('GET', `/v1/plans/${planId}`)).body;
    expect(v1.replacedByPlanId).toBe(v2.id);
    const before = await routesOf(planId);
    expect(before).toEqual([]);
    const after = await routesOf(v2.id);
    const na = after.find((r) => r.id === a.id)!;
    const nb = after.find((r) => r.id === b.id)!;
    expect(ids(na)).toEqual(toA);
    expect(ids(nb)).toEqual(toB);
    expect(na.distanceM).toBe(preview.body.routes[0].after.distanceM);
    expect(nb.distanceM).toBe(preview.body.routes[1].after.distanceM);
    expect(nb.costFen).toBe(preview.body.routes[1].after.costFen);
    // Sequences run 0…n without gaps: start, stations, end.
    expect(nb.stops.map((s) => s.seq)).toEqual(nb.stops.map((_, k) => k));
    expect(nb.stops[0]!.kind).toBe('start');
    expect(nb.stops.at(-1)!.kind).toBe('end');
    // The moved stop's parcels follow it (same stop id) into the new version.
    const parcels = await t.db.selectFrom('parcels').select(['plan_id', 'stop_id']).where('stop_id', '=', moved).execute();
    expect(parcels.length).toBeGreaterThan(0);
    expect(parcels.every((p) => p.plan_id === v2.id)).toBe(true);
    // Every other route came along unchanged.
    expect(after.length).toBe((await t.db.selectFrom('routes').select('id').execute()).length);
    // The driver's manifest shows the new order.
    const manifest = await call('GET', `/v1/manifests/${b.id}`);
    expect(manifest.status).toBe(200);
    const order = manifest.body.stops.filter((s: { kind: string }) => s.kind === 'station').map((s: { stopId?: string; id?: string }) => s.stopId ?? s.id);
    expect(order).toEqual(toB);
    // The replaced version is not edited again.
    expect((await call('POST', `/v1/plans/${planId}/edits/preview`, edit)).status).toBe(409);
    planId = v2.id;
    a = na;
    b = nb;
  });

  it('refuses to move a stop a driver has reported at (409 naming it), and a started route’s stop to another vehicle', async () => {
    const first = stations(a)[0]!;
    await t.db.insertInto('stop_events').values({ id: `ev-${first.id}`, stop_id: first.id, route_id: a.id, plan_id: planId, type: 'arrived', at: '2031-06-02T01:30:00.000Z', recorded_at: '2031-06-02T01:30:00.000Z', driver_id: null, details_json: null }).execute();
    const rest = ids(a).slice(1);
    const moveVisited = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: [...rest, first.id] }] });
    expect(moveVisited.status).toBe(409);
    expect(moveVisited.body.error.message).toContain(first.id);
    const toOther = await call('POST', `/v1/plans/${planId}/edits/preview`, { routes: [{ routeId: a.id, stopIds: rest }, { routeId: b.id, stopIds: [...ids(b), first.id] }] });
    expect(toOther.status).toBe(409);
    expect(toOther.body.error.message).toContain(first.id);
    const onBoard = await call('POST', `/v1/plans/${planId}/edits`, { routes: [{ routeId: a.id, stopIds: [first.id, ...rest.slice(1)] }, { routeId: b.id, stopIds: [...ids(b), rest[0]!] }] });
    expect(onBoard.status).toBe(409);
    expect(onBoard.body.error.message).toContain(rest[0]!);
    // Reordering what is still to visit is fine; the visited stop keeps its row and its event.
    const saved = await call('POST', `/v1/plans/${planId}/edits`, { routes: [{ routeId: a.id, stopIds: [first.id, ...[...rest].reverse()] }], acceptViolations: true });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.plan.version).toBe(3);
    const stored = await t.db.selectFrom('stops').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(stored.route_id).toBe(a.id);
    const events = await t.db.selectFrom('stop_events').select(['plan_id']).where('stop_id', '=', first.id).execute();
    expect(events).toEqual([{ plan_id: saved.body.plan.id }]);
    const route = (await routesOf(saved.body.plan.id)).find((r) => r.id === a.id)!;
    expect(ids(route)).toEqual([first.id, ...[...rest].reverse()]);
    expect(route.stops.find((s) => s.id === first.id)!.visited).toBe(true);
    planId = saved.body.plan.id;
    b = (await routesOf(planId)).find((r) => r.id === b.id)!;
  });

  it('empties a route into a started one (stops may join a route under way): it keeps its start and end at the hub with 0 km', async () => {
    const started = (await routesOf(planId)).find((r) => r.id === a.id)!;
    const saved = await call('POST', `/v1/plans/${planId}/edits`, { routes: [{ routeId: b.id, stopIds: [] }, { routeId: a.id, stopIds: [...ids(started), ...ids(b)] }], acceptViolations: true });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.plan.version).toBe(4);
    const empty = (await routesOf(saved.body.plan.id)).find((r) => r.id === b.id)!;
    expect(empty.stops.map((s) => s.kind)).toEqual(['start', 'end']);
    expect(empty).toMatchObject({ distanceM: 0, costFen: 0 });
  });
});
