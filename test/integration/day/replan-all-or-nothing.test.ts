/**
 * A re-plan is all or nothing (issue 11), on SQLite and PostgreSQL: a re-plan of a started day
 * that fails while it is being written (here: the database refuses the hand-over to the new
 * version, the last write of the switch) leaves the day exactly as it was — the route under way
 * keeps its stops, their ids and times, every parcel and pickup stays where it was, the replaced
 * version stays current — and the next re-plan then goes through.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { createApp } from '../../../src/app.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { loadResolverNetwork } from '../../../src/geo/destination-network.ts';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { loadNetwork, seedNetwork } from '../../../src/network/index.ts';
import { localDate, localSecondsToIso } from '../../../src/planning/day-model.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { insertDay, testDeps } from '../pipeline/helpers.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { request } from '../../support/http-request.ts';

const OFFSET = TEST_SETTINGS.utcOffsetMinutes;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const D = addDays(localDate(new Date(), OFFSET), 1);
const at = (hhmm: string) => localSecondsToIso(D, Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60, OFFSET);

/** The database refusing one write: the update that points the replaced version at its successor. */
class RefuseHandOver implements KyselyPlugin {
  refused = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'UpdateQueryNode' && JSON.stringify(args.node).includes('"replaced_by_plan_id"')) {
      this.refused += 1;
      throw new Error('could not write: disk full (test)');
    }
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

describe.each(testDialects())('%s: a failed re-plan changes nothing', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let pool: SolverPool;
  let dispatcher = '';

  // The suite's one way to call the API: JSON in and out over loopback; '' sends no key.
  const call = (method: string, path: string, key: string, json?: unknown) => request(base, method, path, { key: key === '' ? null : key, json });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db, loadNetwork());
    pool = new SolverPool({ size: 2 });
    await insertDay(t.db, 200, 17, { receivedAt: at('05:00'), serviceDate: D });
    dispatcher = (await createApiKey(t.db, { role: 'dispatcher' })).key;
    const app = createApp({
      db: t.db,
      resolveDestination: createDestinationResolver(await loadResolverNetwork(t.db, null)),
      settings: TEST_SETTINGS,
      options: { authCacheMs: 0, requestLogging: false, clock: () => new Date(at('10:00')) },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await pool?.close();
    await t?.dispose();
  });

  /** Everything a re-plan may touch, as stored. */
  async function snapshot() {
    const [stops, parcels, pickups, routes, events] = await Promise.all([
      t.db.selectFrom('stops').selectAll().orderBy('id').execute(),
      t.db.selectFrom('parcels').select(['id', 'status', 'plan_id', 'stop_id', 'status_reason']).orderBy('id').execute(),
      t.db.selectFrom('pickups').select(['id', 'status', 'plan_id', 'stop_id']).orderBy('id').execute(),
      t.db.selectFrom('routes').select(['id', 'plan_id', 'vehicle_id', 'distance_m', 'end_at', 'trips']).orderBy('id').execute(),
      t.db.selectFrom('stop_events').select(['id', 'stop_id', 'plan_id']).orderBy('id').execute(),
    ]);
    // The failed version's own rows (its further line-haul loop, written under its id) are not the day's.
    const current = new Set(routes.filter((r) => r.plan_id === v1).map((r) => r.id));
    return { stops: stops.filter((s) => current.has(s.route_id)), parcels, pickups, routes: routes.filter((r) => r.plan_id === v1), events };
  }

  let v1 = '';
  it('a re-plan refused while it is switched in leaves the started day as it was; the next one goes through', async () => {
    const first = await call('POST', '/v1/plans', dispatcher, { date: D, seed: 3 });
    expect(first.status).toBe(202);
    v1 = first.body.id;
    await runDay(testDeps(t.db, pool, { timeLimitMs: 60, now: () => new Date(at('05:30')) }), v1, { concurrency: 2 });
    expect((await call('POST', `/v1/plans/${v1}/publish`, dispatcher)).status).toBe(200);

    // A driver starts a village route with at least two stations to go.
    const routes = (await call('GET', `/v1/plans/${v1}/routes`, dispatcher)).body.routes as { id: string; tier: string; vehicleId: string; stops: { kind: string; deliverCount: number }[] }[];
    const route = routes.find((r) => r.tier === 'village' && r.stops.filter((s) => s.kind === 'station' && s.deliverCount > 0).length >= 3)!;
    expect(route).toBeDefined();
    const driver = await call('POST', '/v1/drivers', dispatcher, { name: '赵师傅', phone: '13900000077' });
    expect((await call('PUT', '/v1/driver-assignments', dispatcher, { date: D, vehicleId: route.vehicleId, driverId: driver.body.id })).status).toBe(200);
    const link = await call('POST', `/v1/drivers/${driver.body.id}/sign-in-links`, dispatcher, { date: D });
    const session = (await call('POST', '/v1/driver-sessions', '', { token: (link.body.url as string).split('#token=')[1] })).body.token as string;
    const manifest = (await call('GET', `/v1/manifests/${route.id}`, session)).body;
    const first1 = manifest.stops.find((s: { kind: string; parcels: unknown[] }) => s.kind === 'station' && s.parcels.length > 0);
    expect((await call('POST', `/v1/stops/${first1.stopId}/events`, session, { type: 'delivered', at: at('09:00') })).status).toBe(200);
    // A late parcel, so the re-plan has something new to place.
    await insertDay(t.db, 5, 99, { receivedAt: at('05:45'), serviceDate: D });

    const before = await snapshot();
    const manifestBefore = (await call('GET', `/v1/manifests/${route.id}`, dispatcher)).body;

    // The re-plan: every step runs, and the database refuses the hand-over at the very end.
    const again = await call('POST', '/v1/plans', dispatcher, { date: D, seed: 3 });
    expect(again.body).toMatchObject({ version: 2, replacesPlanId: v1 });
    const refuse = new RefuseHandOver();
    await expect(runDay(testDeps(t.db.withPlugin(refuse), pool, { timeLimitMs: 60, now: () => new Date(at('10:00')) }), again.body.id, { concurrency: 2 })).rejects.toThrow(/disk full/);
    expect(refuse.refused).toBe(1);

    expect((await call('GET', `/v1/plans/${again.body.id}`, dispatcher)).body).toMatchObject({ status: 'failed' });
    expect((await call('GET', `/v1/plans/${v1}`, dispatcher)).body).toMatchObject({ status: 'completed', state: 'in_progress', replacedByPlanId: null });
    expect((await call('GET', `/v1/manifests/${route.id}`, dispatcher)).body).toEqual(manifestBefore);
    const listed = (await call('GET', `/v1/manifests?date=${D}`, dispatcher)).body.manifests as { planId: string }[];
    expect(listed.every((m) => m.planId === v1)).toBe(true);
    const after = await snapshot();
    expect(after.stops).toEqual(before.stops);
    expect(after.routes).toEqual(before.routes);
    expect(after.events).toEqual(before.events);
    expect(after.pickups).toEqual(before.pickups);
    // The late parcels were sorted into their township bin by the failed run's prepare; nothing else moved.
    const received = new Set(before.parcels.filter((p) => p.status === 'received').map((p) => p.id));
    expect(received.size).toBe(5);
    expect(after.parcels.filter((p) => received.has(p.id)).map((p) => p.status)).toEqual([...received].map(() => 'sorted'));
    expect(after.parcels.filter((p) => !received.has(p.id))).toEqual(before.parcels.filter((p) => !received.has(p.id)));

    // The next re-plan goes through, replacing the version that was current.
    const third = await call('POST', '/v1/plans', dispatcher, { date: D, seed: 3 });
    expect(third.body).toMatchObject({ version: 3, replacesPlanId: v1 });
    await runDay(testDeps(t.db, pool, { timeLimitMs: 60, now: () => new Date(at('10:05')) }), third.body.id, { concurrency: 2 });
    expect((await call('GET', `/v1/plans/${v1}`, dispatcher)).body.replacedByPlanId).toBe(third.body.id);
    const continued = (await call('GET', `/v1/manifests/${route.id}`, session)).body;
    expect(continued.planId).toBe(third.body.id);
    expect(continued.stops.filter((s: { seq: number }) => s.seq <= first1.seq).map((s: { stopId: string }) => s.stopId)).toEqual(
      manifestBefore.stops.filter((s: { seq: number }) => s.seq <= first1.seq).map((s: { stopId: string }) => s.stopId),
    );
    expect(await t.db.selectFrom('plan_staged_hubs').select('plan_id').where('plan_id', '=', third.body.id).execute()).toEqual([]);
  });
});
