/**
 * Settlement over real HTTP on both databases: a plan's work read back from its stored routes,
 * its settlement (provisional), frozen when the day closes and unchanged by anything after,
 * per day and per month, and what a courier key may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../../src/db/test-database.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../src/db/schema.ts';
import { haversineRoadMatrix, type Coordinate } from '../../../src/geo/matrix.ts';
import { loadPlanWork } from '../../../src/settlement/settlement.repository.ts';
import { freezeSettlement, freezeSettlementOnClose } from '../../../src/settlement/settlement.service.ts';
import { compareDay, type CourierAlone } from '../../../src/settlement/work.ts';
import { startApi, type ApiContext } from '../http/helpers.ts';
import { DAY, seedPlannedDay, type PlannedDay } from '../manifests/fixture.ts';

/** Points of the fixture network's hubs and stations (it has no county warehouse, so no full NetworkIndex). */
async function places(db: Kysely<Database>) {
  const points: Coordinate[] = [];
  const hubPoint = new Map<string, number>();
  const stationPoint = new Map<string, number>();
  for (const h of await db.selectFrom('hubs').select(['id', 'lat', 'lon']).orderBy('id').execute()) hubPoint.set(h.id, points.push({ lat: h.lat, lon: h.lon }) - 1);
  for (const s of await db.selectFrom('stations').select(['code', 'lat', 'lon']).orderBy('code').execute()) stationPoint.set(s.code, points.push({ lat: s.lat, lon: s.lon }) - 1);
  return { points, hubPoint, stationPoint };
}

describe.each(testDialects())('%s: settlement', (dialect) => {
  let api: ApiContext;
  let day: PlannedDay;
  beforeAll(async () => {
    api = await startApi(dialect, { relay: false });
    day = await seedPlannedDay(api.db);
  });
  afterAll(async () => {
    await api?.close();
  });
  const get = (path: string, key = api.keys.dispatcher) => api.request('GET', path, { key });

  it('reads a plan’s routes back with the work on each stop', async () => {
    const work = await loadPlanWork(api.db, day.planId, await places(api.db));
    expect(work.routes).toHaveLength(2);
    const items = work.routes.flatMap((r) => r.stops.flatMap((s) => s.items));
    expect(items).toHaveLength(6); // five parcels and one pickup
    expect([...new Set(items.map((i) => work.courierOf.get(i)))].sort()).toEqual(['YTO', 'ZTO']);
    expect(work.routes.map((r) => r.costFen)).toEqual([5000, 5000]);
  });

  it('answers 404 before a plan has a settlement, and 400 for a bad query naming the field', async () => {
    expect((await get(`/v1/settlements?date=${DAY}`)).status).toBe(404);
    // Closing a day whose plan has no settlement (made before settlements existed) freezes nothing.
    expect(await freezeSettlementOnClose(api.db, day.planId)).toBeNull();
    expect(await api.db.selectFrom('settlements').selectAll().execute()).toEqual([]);
    const both = await get(`/v1/settlements?date=${DAY}&month=2026-11`);
    expect(both.status).toBe(400);
    expect(both.body.error.details[0].path).toBe('date');
    expect((await get('/v1/settlements?month=2026-13')).status).toBe(400);
  });

  it('serves the provisional settlement, freezes it when the day closes, and never changes it after', async () => {
    const index = await places(api.db);
    const road = haversineRoadMatrix(index.points);
    const leg = (a: number, b: number) => road.distance[a * road.size + b]!;
    const work = await loadPlanWork(api.db, day.planId, index);
    // Each courier alone: the same routes with only its own stops, plus its own van-day (¥50 more).
    const alone: CourierAlone[] = ['YTO', 'ZTO'].map((c) => ({
      courier: c,
      routes: work.routes.map((r) => ({ ...r, costFen: r.costFen + 5000, stops: r.stops.map((s) => ({ ...s, items: s.items.filter((i) => work.courierOf.get(i) === c) })) })),
      unassigned: [],
    }));
    const { settlement } = compareDay(work.routes, work.courierOf, alone, leg, { seed: 1, timeLimitMs: 100 });
    await api.db.updateTable('plans').set({ settlement_json: JSON.stringify(settlement) }).where('id', '=', day.planId).execute();

    const provisional = await get(`/v1/settlements?date=${DAY}`);
    expect(provisional.status).toBe(200);
    expect(provisional.body).toMatchObject({ date: DAY, planId: day.planId, frozen: false, jointCostFen: 10_000, individuallyRational: true });
    expect(provisional.body.couriers.reduce((a: number, c: { shareFen: number }) => a + c.shareFen, 0)).toBe(10_000);
    for (const c of provisional.body.couriers) expect(c.shareFen).toBeLessThan(c.aloneFen);
    expect((await get(`/v1/plans/${day.planId}/settlement`)).body.couriers).toEqual(provisional.body.couriers);

    // The day closes through the API: its settlement freezes with it.
    expect((await api.request('POST', `/v1/plans/${day.planId}/publish`, { key: api.keys.dispatcher })).status).toBe(200);
    expect((await api.request('POST', `/v1/plans/${day.planId}/close`, { key: api.keys.dispatcher })).status).toBe(200);
    const frozen = (await get(`/v1/settlements?date=${DAY}`)).body;
    expect(frozen).toMatchObject({ frozen: true, jointCostFen: 10_000 });
    // A later re-computation (a re-plan, a bug fix) does not reach a closed day.
    await api.db.updateTable('plans').set({ settlement_json: JSON.stringify({ ...settlement, jointCostFen: 1 }) }).where('id', '=', day.planId).execute();
    const after = await get(`/v1/settlements?date=${DAY}`);
    expect(after.body).toMatchObject({ frozen: true, jointCostFen: 10_000 });
    expect(after.body.couriers).toEqual(provisional.body.couriers);
    expect((await freezeSettlement(api.db, day.planId)).frozenAt).toBe(frozen.frozenAt);
    expect((await api.db.transaction().execute((trx) => freezeSettlementOnClose(trx, day.planId)))!.frozenAt).toBe(frozen.frozenAt);

    const month = await get(`/v1/settlements?month=${DAY.slice(0, 7)}`);
    expect(month.body).toMatchObject({ month: DAY.slice(0, 7), jointCostFen: 10_000, frozenDays: 1, provisionalDays: 0 });
    expect(month.body.couriers.map((c: { courier: string; days: number }) => [c.courier, c.days])).toEqual([
      ['YTO', 1],
      ['ZTO', 1],
    ]);
    expect(month.body.couriers.reduce((a: number, c: { shareFen: number }) => a + c.shareFen, 0)).toBe(10_000);
    expect((await get('/v1/settlements?month=2025-01')).body).toMatchObject({ jointCostFen: 0, days: [], couriers: [] });
  });

  it('shows a courier its own line only, and refuses driver keys', async () => {
    const mine = await get(`/v1/settlements?date=${DAY}`, api.keys.zto);
    expect(mine.status).toBe(200);
    expect(mine.body.couriers.map((c: { courier: string }) => c.courier)).toEqual(['ZTO']);
    expect((await get(`/v1/settlements?date=${DAY}`, api.keys.driver)).status).toBe(403);
    expect((await get(`/v1/plans/${day.planId}/settlement`, api.keys.zto)).status).toBe(403);
  });

  it('documents the settlement endpoints in the OpenAPI document', async () => {
    const doc = (await api.request('GET', '/openapi.json', { key: null })).body;
    expect(doc.paths['/v1/settlements']).toBeDefined();
    expect(doc.paths['/v1/plans/{id}/settlement']).toBeDefined();
  });
});
