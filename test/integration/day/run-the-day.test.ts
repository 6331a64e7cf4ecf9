/**
 * Running a day through HTTP, on SQLite and PostgreSQL (issue 11): plan → assign drivers →
 * publish → drivers sign in from their sign-in links and report arrived / delivered / failed →
 * 50 late parcels and a van breakdown → re-plan → started routes keep their ids, visited stops
 * and events; the broken van's remaining parcels move to other vehicles; the day closes with
 * frozen KPIs that do not change when the next day is planned, and a settlement whose shares sum
 * to the joint cost, each below that courier's cost alone; a parcel that fails again on the next
 * day becomes a return.
 *
 * The service day is tomorrow (local), so the drivers' sign-in links and phone sessions for it
 * are valid now. The API's clock stands at a time on the day being run (driver events must lie
 * on their route's day and not in the future); the plan runs go through the one day runner with
 * a fixed "now" per run.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const TODAY = localDate(new Date(), OFFSET);
const D = addDays(TODAY, 1);
const NEXT = addDays(D, 1);
const at = (date: string, hhmm: string) => localSecondsToIso(date, Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60, OFFSET);

interface RouteRow {
  id: string;
  tier: string;
  hubId: string;
  vehicleId: string;
}

describe.each(testDialects())('%s: running a day', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let pool: SolverPool;
  const keys = { dispatcher: '', courier: '' };

  // The suite's one way to call the API: JSON in and out over loopback; '' sends no key.
  const call = (method: string, path: string, key: string, json?: unknown) => request(base, method, path, { key: key === '' ? null : key, json });
  // Each courier alone too (savings): the settlement compares every courier's share with that.
  const run = (planId: string, now: string) => runDay(testDeps(t.db, pool, { timeLimitMs: 80, savings: true, now: () => new Date(now) }), planId, { concurrency: 2 });
  /** The API's clock: on the day being run. */
  let clock = at(D, '10:00');

  /** A driver's phone signs in as a driver would: the dispatcher's link for the date, exchanged for a session. */
  async function signIn(driverId: string, date: string): Promise<string> {
    const link = await call('POST', `/v1/drivers/${driverId}/sign-in-links`, keys.dispatcher, { date });
    expect(link.status).toBe(201);
    const token = (link.body.url as string).split('#token=')[1]!;
    const session = await call('POST', '/v1/driver-sessions', '', { token });
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ driverId, date });
    return session.body.token as string;
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db, loadNetwork());
    pool = new SolverPool({ size: 2 });
    await insertDay(t.db, 400, 31, { receivedAt: at(addDays(D, -1), '18:00'), serviceDate: D });
    keys.dispatcher = (await createApiKey(t.db, { role: 'dispatcher' })).key;
    const app = createApp({
      db: t.db,
      resolveDestination: createDestinationResolver(await loadResolverNetwork(t.db, null)),
      settings: TEST_SETTINGS,
      // The dispatcher works at 10:00 on the service day; failing twice makes a return.
      options: { authCacheMs: 0, requestLogging: false, clock: () => new Date(clock), returnAfterAttempts: 2 },
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

  let v1: string;
  let v2: string;
  let started: RouteRow; // reports arrived / delivered / failed
  let broken: RouteRow; // reports one stop, then breaks down
  const driverKeys = new Map<string, string>();
  const before = { startedStops: [] as { stopId: string; seq: number }[], visitedSeq: 0, brokenVisitedSeq: 0, events: 0, failedParcel: '', failedWaybill: '', failedCourier: '', brokenLeft: [] as string[], unstartedRoute: '' };
  const late: string[] = [];

  it('plans the day, puts drivers on the vehicles and publishes it', async () => {
    const requested = await call('POST', '/v1/plans', keys.dispatcher, { date: D, seed: 2 });
    expect(requested.status).toBe(202);
    v1 = requested.body.id;
    await run(v1, at(D, '05:00'));
    const routes = (await call('GET', `/v1/plans/${v1}/routes`, keys.dispatcher)).body.routes as (RouteRow & { stops: { kind: string; deliverCount: number }[] })[];
    const village = routes.filter((r) => r.tier === 'village' && r.stops.filter((s) => s.kind === 'station' && s.deliverCount > 0).length >= 2);
    // The broken van's hub must have another vehicle for its stops.
    const fleet = await t.db.selectFrom('vehicles').select(['id', 'hub_id', 'cold_chain']).where('active', '=', 1).execute();
    const used = new Set(routes.map((r) => r.vehicleId));
    broken = village.find((r) => fleet.some((v) => v.hub_id === r.hubId && !used.has(v.id) && v.cold_chain === 0))!;
    started = village.find((r) => r !== broken && r.hubId !== broken?.hubId)!;
    expect(broken).toBeDefined();
    expect(started).toBeDefined();
    before.unstartedRoute = routes.find((r) => r.id !== broken.id && r.id !== started.id && r.tier === 'village')!.id;

    for (const [k, route] of [started, broken].entries()) {
      const driver = await call('POST', '/v1/drivers', keys.dispatcher, { name: `司机${k}`, phone: `1390000000${k}` });
      expect(driver.status).toBe(201);
      expect((await call('PUT', '/v1/driver-assignments', keys.dispatcher, { date: D, vehicleId: route.vehicleId, driverId: driver.body.id })).status).toBe(200);
      driverKeys.set(route.id, await signIn(driver.body.id, D));
    }
    // The dispatcher sees who has signed in.
    const drivers = (await call('GET', `/v1/drivers?date=${D}`, keys.dispatcher)).body.drivers as { vehicleId: string | null; signedInAt: string | null }[];
    for (const route of [started, broken]) expect(drivers.find((d) => d.vehicleId === route.vehicleId)?.signedInAt).not.toBeNull();
    const published = await call('POST', `/v1/plans/${v1}/publish`, keys.dispatcher);
    expect(published.body).toMatchObject({ state: 'published', version: 1 });
    const mine = await call('GET', `/v1/manifests?date=${D}`, driverKeys.get(started.id)!);
    expect(mine.body.manifests.map((m: { routeId: string }) => m.routeId)).toEqual([started.id]);
  });

  it('takes the drivers’ events; the day is under way', async () => {
    const key = driverKeys.get(started.id)!;
    const manifest = (await call('GET', `/v1/manifests/${started.id}`, key)).body;
    const stops = manifest.stops.filter((s: { kind: string; parcels: unknown[] }) => s.kind === 'station' && s.parcels.length >= 2);
    const first = stops[0];
    before.startedStops = manifest.stops.map((s: { stopId: string; seq: number }) => ({ stopId: s.stopId, seq: s.seq }));
    before.visitedSeq = first.seq;
    const [a, b] = first.parcels as { waybill: string; courier: string }[];
    expect((await call('POST', `/v1/stops/${first.stopId}/events`, key, { type: 'arrived', at: at(D, '09:00') })).status).toBe(200);
    expect((await call('POST', `/v1/stops/${first.stopId}/events`, key, { type: 'delivered', parcels: [{ courier: a!.courier, waybill: a!.waybill }], at: at(D, '09:05') })).status).toBe(200);
    const failedRow = await t.db.selectFrom('parcels').select(['id', 'waybill', 'courier_code']).where('courier_code', '=', b!.courier).where('waybill', '=', b!.waybill).executeTakeFirstOrThrow();
    const failed = await call('POST', `/v1/stops/${first.stopId}/events`, key, { type: 'failed', parcelIds: [failedRow.id], reason: '收件人不在家', at: at(D, '09:06') });
    expect(failed.status).toBe(200);
    before.failedParcel = failedRow.id;
    before.failedWaybill = failedRow.waybill;
    before.failedCourier = failedRow.courier_code;
    keys.courier = (await createApiKey(t.db, { role: 'courier', courierCode: failedRow.courier_code })).key;
    const tracked = (await call('GET', `/v1/parcels/${failedRow.waybill}`, keys.courier)).body;
    expect(tracked).toMatchObject({ status: 'failed', statusReason: '收件人不在家', attempts: 1 });

    const bkey = driverKeys.get(broken.id)!;
    const bman = (await call('GET', `/v1/manifests/${broken.id}`, bkey)).body;
    const bfirst = bman.stops.find((s: { kind: string; parcels: unknown[] }) => s.kind === 'station' && s.parcels.length > 0);
    before.brokenVisitedSeq = bfirst.seq;
    before.brokenLeft = bman.stops.filter((s: { seq: number }) => s.seq > bfirst.seq).flatMap((s: { parcels: { waybill: string; courier: string }[] }) => s.parcels.map((p) => `${p.courier}/${p.waybill}`));
    expect(before.brokenLeft.length).toBeGreaterThan(0);
    expect((await call('POST', `/v1/stops/${bfirst.stopId}/events`, bkey, { type: 'delivered', at: at(D, '09:10') })).status).toBe(200);
    before.events = (await t.db.selectFrom('stop_events').select('id').where('route_id', 'in', [started.id, broken.id]).execute()).length;
    expect((await call('GET', `/v1/plans/${v1}`, keys.dispatcher)).body.state).toBe('in_progress');
  });

  it('re-plans with 50 late parcels and a broken-down van: started work stays, the rest is re-optimised', async () => {
    // 50 parcels received after the first plan froze the day (05:30, before the 06:00 cut-off).
    const stations = await t.db.selectFrom('parcels').select(['station_code', 'courier_code']).where('plan_id', '=', v1).orderBy('id').limit(50).execute();
    const rows = stations.map((s, k) => ({
      id: randomUUID(), courier_code: s.courier_code, waybill: `LATE${String(k).padStart(4, '0')}`, station_code: s.station_code, destination_json: JSON.stringify({ stationCode: s.station_code }),
      weight_g: 1500, length_cm: 20, width_cm: 20, height_cm: 10, volume_cm3: 4000, cold_chain: 0, fragile: 0, cod_amount_fen: 0, recipient_name: 'x', recipient_phone: '13800000000',
      promised_date: null, body_hash: 'h', status: 'received' as const, hub_id: null, plan_id: null, stop_id: null, received_at: at(D, '05:30'), updated_at: at(D, '05:30'),
    }));
    await t.db.insertInto('parcels').values(rows).execute();
    late.push(...rows.map((r) => r.id));
    const breakdown = await call('POST', `/v1/vehicles/${broken.vehicleId}/breakdowns`, keys.dispatcher, { date: D, at: at(D, '09:20'), note: '爆胎' });
    expect(breakdown.status).toBe(201);

    const again = await call('POST', '/v1/plans', keys.dispatcher, { date: D, seed: 2 });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ version: 2, replacesPlanId: v1, status: 'queued', started: true });
    v2 = again.body.id;
    expect(v2).not.toBe(v1);
    // One run per date: asking while it is queued answers the same version.
    expect((await call('POST', '/v1/plans', keys.dispatcher, { date: D })).body).toMatchObject({ id: v2, started: false });
    await run(v2, at(D, '10:00'));

    const plan2 = (await call('GET', `/v1/plans/${v2}`, keys.dispatcher)).body;
    expect(plan2).toMatchObject({ status: 'completed', version: 2, state: 'in_progress', replacesPlanId: v1 });
    expect((await call('GET', `/v1/plans/${v1}`, keys.dispatcher)).body.replacedByPlanId).toBe(v2);

    // The started routes keep their ids in the current version, and their visited stops.
    const listed = (await call('GET', `/v1/manifests?date=${D}`, keys.dispatcher)).body.manifests.map((m: { routeId: string; planId: string }) => m);
    expect(listed.every((m: { planId: string }) => m.planId === v2)).toBe(true);
    const ids = listed.map((m: { routeId: string }) => m.routeId);
    expect(ids).toContain(started.id);
    expect(ids).toContain(broken.id);
    const after = (await call('GET', `/v1/manifests/${started.id}`, driverKeys.get(started.id)!)).body;
    const keptBefore = before.startedStops.filter((s) => s.seq <= before.visitedSeq);
    expect(after.stops.filter((s: { seq: number }) => s.seq <= before.visitedSeq).map((s: { stopId: string; seq: number }) => ({ stopId: s.stopId, seq: s.seq }))).toEqual(keptBefore);
    const visited = after.stops.find((s: { seq: number }) => s.seq === before.visitedSeq);
    expect(visited.parcels.map((p: { status: string }) => p.status)).toEqual(expect.arrayContaining(['delivered', 'failed']));
    // The rest of the route continues after the visit, no earlier than the last event.
    for (const s of after.stops.filter((x: { seq: number }) => x.seq > before.visitedSeq)) expect(Date.parse(s.eta)).toBeGreaterThanOrEqual(Date.parse(at(D, '09:06')));
    // Events are kept, and no route or stop a driver touched is gone.
    const events = await t.db.selectFrom('stop_events').select(['stop_id', 'route_id', 'plan_id']).where('route_id', 'in', [started.id, broken.id]).execute();
    expect(events).toHaveLength(before.events);
    expect(events.every((e) => e.plan_id === v2)).toBe(true);
    const stopIds = new Set((await t.db.selectFrom('stops').select('id').execute()).map((s) => s.id));
    for (const e of await t.db.selectFrom('stop_events').select('stop_id').execute()) expect(stopIds.has(e.stop_id)).toBe(true);

    // The broken van's route ends at its last event; its other parcels went to other vehicles.
    const b = (await call('GET', `/v1/manifests/${broken.id}`, keys.dispatcher)).body;
    expect(Math.max(...b.stops.map((s: { seq: number }) => s.seq))).toBe(before.brokenVisitedSeq);
    const moved = await t.db
      .selectFrom('parcels')
      .leftJoin('stops', 'stops.id', 'parcels.stop_id')
      .leftJoin('routes', 'routes.id', 'stops.route_id')
      .select(['parcels.courier_code', 'parcels.waybill', 'parcels.status', 'parcels.status_reason', 'routes.vehicle_id', 'routes.plan_id'])
      .where('parcels.plan_id', '=', v2)
      .execute();
    const byKey = new Map(moved.map((m) => [`${m.courier_code}/${m.waybill}`, m]));
    let reassigned = 0;
    for (const k of before.brokenLeft) {
      const m = byKey.get(k)!;
      expect(m).toBeDefined();
      expect(m.vehicle_id).not.toBe(broken.vehicleId);
      if (m.status === 'planned') reassigned += 1;
      else expect(m.status_reason).not.toBeNull();
    }
    expect(reassigned).toBeGreaterThan(0);

    // Late parcels: planned by the new version or reported with the planner's reason.
    const lateRows = await t.db.selectFrom('parcels').select(['status', 'plan_id', 'status_reason']).where('id', 'in', late).execute();
    expect(lateRows.every((p) => p.plan_id === v2 && (p.status === 'planned' || p.status_reason !== null))).toBe(true);
    expect(lateRows.filter((p) => p.status === 'planned').length).toBeGreaterThan(25);

    // An unstarted route of the replaced version still answers, naming the current version.
    const old = await call('GET', `/v1/manifests/${before.unstartedRoute}`, keys.dispatcher);
    expect(old.status).toBe(200);
    expect(old.body.replacedBy.planId).toBe(v2);
  });

  it('closes the day: its KPIs do not change when the next day is planned; a second failure makes a return', async () => {
    const closed = await call('POST', `/v1/plans/${v2}/close`, keys.dispatcher);
    expect(closed.body.state).toBe('closed');
    const kpis = (await call('GET', `/v1/dashboard/kpis?planId=${v2}`, keys.dispatcher)).body;
    const stats = (await call('GET', `/v1/stats?from=${D}&to=${D}`, keys.dispatcher)).body.plans;
    expect(stats).toHaveLength(1);
    expect(kpis.delivery).toMatchObject({ failed: 1 });
    // Events on a closed day are refused.
    const visitedStop = (await t.db.selectFrom('stops').select('id').where('route_id', '=', started.id).where('seq', '=', before.visitedSeq).executeTakeFirstOrThrow()).id;
    expect((await call('POST', `/v1/stops/${visitedStop}/events`, driverKeys.get(started.id)!, { type: 'arrived', at: at(D, '09:30') })).status).toBe(409);

    // The closed day's settlement: every courier's share of the joint cost is below its cost alone.
    const settlement = (await call('GET', `/v1/settlements?date=${D}`, keys.dispatcher)).body;
    expect(settlement).toMatchObject({ date: D, planId: v2, frozen: true, individuallyRational: true });
    expect(settlement.couriers.length).toBeGreaterThan(1);
    expect(settlement.couriers.reduce((a: number, c: { shareFen: number }) => a + c.shareFen, 0)).toBe(settlement.jointCostFen);
    for (const c of settlement.couriers) {
      expect(c.aloneFen, c.courier).not.toBeNull();
      expect(c.shareFen, c.courier).toBeLessThan(c.aloneFen);
    }

    clock = at(NEXT, '10:00');
    const next = await call('POST', '/v1/plans', keys.dispatcher, { date: NEXT, seed: 2 });
    expect(next.status).toBe(202);
    await run(next.body.id, at(NEXT, '05:00'));
    expect((await call('GET', `/v1/settlements?date=${D}`, keys.dispatcher)).body).toEqual(settlement);
    expect((await call('GET', `/v1/dashboard/kpis?planId=${v2}`, keys.dispatcher)).body).toEqual(kpis);
    expect((await call('GET', `/v1/stats?from=${D}&to=${D}`, keys.dispatcher)).body.plans).toEqual(stats);

    // The parcel that failed yesterday is tried again today and fails again: with 2 attempts allowed, it becomes a return.
    const retry = await t.db.selectFrom('parcels').innerJoin('stops', 'stops.id', 'parcels.stop_id').innerJoin('routes', 'routes.id', 'stops.route_id').select(['parcels.stop_id', 'routes.vehicle_id', 'parcels.status']).where('parcels.id', '=', before.failedParcel).executeTakeFirstOrThrow();
    expect(retry.status).toBe('planned');
    const driver = await call('POST', '/v1/drivers', keys.dispatcher, { name: '司机9', phone: '13900000009' });
    expect((await call('PUT', '/v1/driver-assignments', keys.dispatcher, { date: NEXT, vehicleId: retry.vehicle_id, driverId: driver.body.id })).status).toBe(200);
    expect((await call('POST', `/v1/plans/${next.body.id}/publish`, keys.dispatcher)).status).toBe(200);
    const key = await signIn(driver.body.id, NEXT);
    const failed = await call('POST', `/v1/stops/${retry.stop_id}/events`, key, { type: 'failed', parcelIds: [before.failedParcel], reason: '拒收', at: at(NEXT, '09:00') });
    expect(failed.status).toBe(200);
    const tracked = (await call('GET', `/v1/parcels/${before.failedWaybill}`, keys.courier)).body;
    expect(tracked).toMatchObject({ status: 'return_requested', attempts: 2, statusReason: 'failed_2_attempts' });
    expect(tracked.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['failed', 'return_requested']));
    const webhooks = await t.db.selectFrom('outbox').select('payload_json').where('queue', '=', 'notify').execute();
    const returnEvent = await t.db.selectFrom('parcel_events').select('id').where('parcel_id', '=', before.failedParcel).where('type', '=', 'return_requested').executeTakeFirstOrThrow();
    expect(webhooks.some((w) => (JSON.parse(w.payload_json) as { eventId?: string }).eventId === returnEvent.id)).toBe(true);
  });
});
