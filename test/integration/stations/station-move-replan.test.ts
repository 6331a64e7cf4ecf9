/**
 * A station moved between two plans of the same day (issue 15 items 2 and 4): the planner's
 * per-county cache of the network and its road matrix must not hand the second plan the old
 * position. Plan, move a station 5 km, plan again at once: the road matrix is built again with the
 * new position, and the route serving the station is as long as its stops' legs at their new
 * positions (not the old ones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { haversineRoadMatrix, type Coordinate } from '../../../src/geo/matrix.ts';
import { loadNetwork, seedNetwork } from '../../../src/network/index.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { createPlanRequest } from '../../../src/plans/plan.service.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { moveStation } from '../../../src/stations/station.repository.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { insertDay, SERVICE_DATE, testDeps } from '../pipeline/helpers.ts';

let pool: SolverPool;
beforeAll(() => {
  pool = new SolverPool({ size: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe.each(testDialects())('%s: re-planning after a station moved', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db, loadNetwork());
    await insertDay(t.db, 300, 5);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  /** Each village route serving `code` in the plan, with the length of its legs at today's stored positions. */
  async function routesServing(planId: string, code: string) {
    const hubs = new Map((await t.db.selectFrom('hubs').select(['id', 'lat', 'lon']).execute()).map((h) => [h.id, { lat: h.lat, lon: h.lon }]));
    const stations = new Map((await t.db.selectFrom('stations').select(['code', 'lat', 'lon']).execute()).map((s) => [s.code, { lat: s.lat, lon: s.lon }]));
    const routes = await t.db.selectFrom('routes').select(['id', 'distance_m']).where('plan_id', '=', planId).where('tier', '=', 'village').execute();
    const out: { distanceM: number; legsM: number }[] = [];
    for (const r of routes) {
      const stops = await t.db.selectFrom('stops').select(['station_code', 'hub_id']).where('route_id', '=', r.id).orderBy('seq').execute();
      if (!stops.some((s) => s.station_code === code)) continue;
      const points: Coordinate[] = stops.map((s) => (s.station_code ? stations.get(s.station_code)! : hubs.get(s.hub_id!)!));
      const m = haversineRoadMatrix(points, 1.3);
      let legs = 0;
      for (let k = 1; k < points.length; k++) legs += m.distance[(k - 1) * points.length + k]!;
      out.push({ distanceM: r.distance_m, legsM: legs });
    }
    return out;
  }

  it('the next plan is built on a new road matrix with the moved position, and its route distances follow it', async () => {
    const asked: Coordinate[][] = [];
    const deps = testDeps(t.db, pool, {
      timeLimitMs: 60,
      roadSource: (points) => {
        asked.push([...points]);
        return Promise.resolve(haversineRoadMatrix(points, 1.3));
      },
    });
    const request = () => createPlanRequest({ db: t.db, settings: TEST_SETTINGS, now: () => new Date('2031-06-01T12:00:00Z') }, SERVICE_DATE, 7);

    const first = (await request()).plan;
    await runDay(deps, first.id);
    expect(asked).toHaveLength(1); // one matrix for the whole plan: its steps share the cached network

    // A station the first plan visits, with its route's length matching its legs at the old position.
    const served = await t.db
      .selectFrom('stops')
      .innerJoin('routes', 'routes.id', 'stops.route_id')
      .select('stops.station_code')
      .where('routes.plan_id', '=', first.id)
      .where('routes.tier', '=', 'village')
      .where('stops.station_code', 'is not', null)
      .orderBy('stops.station_code')
      .executeTakeFirstOrThrow();
    const code = served.station_code!;
    const before = await routesServing(first.id, code);
    expect(before).toHaveLength(1);
    expect(before[0]!.distanceM).toBe(before[0]!.legsM);

    const old = await t.db.selectFrom('stations').select(['lat', 'lon']).where('code', '=', code).executeTakeFirstOrThrow();
    const to = { lat: Math.round((old.lat + 0.045) * 1e7) / 1e7, lon: old.lon }; // ≈ 5 km north
    await moveStation(t.db, code, { ...to, reason: '站点实际位置', movedBy: 'test', at: new Date('2031-06-01T12:01:00Z') });

    // Re-plan straight away, in the same process (within the cache's few seconds).
    const second = (await request()).plan;
    expect(second.version).toBe(2);
    await runDay(deps, second.id);

    expect(asked).toHaveLength(2);
    expect(asked[1]!.some((p) => p.id === code && p.lat === to.lat && p.lon === to.lon)).toBe(true);
    expect(asked[1]!.some((p) => p.lat === old.lat && p.lon === old.lon && p.id === code)).toBe(false);
    const after = await routesServing(second.id, code);
    expect(after).toHaveLength(1);
    // Its route is as long as its legs at the new position: 5 km off the old spot shows in it.
    expect(after[0]!.distanceM).toBe(after[0]!.legsM);
  });
});
