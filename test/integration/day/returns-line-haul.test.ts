/**
 * Returns (退回) take room on the line-haul (issue 11 item 4), on SQLite and PostgreSQL, through
 * HTTP: returns waiting at a township centre ride the trucks back to the county warehouse like the
 * centre's produce. When they weigh more than the trucks can take back that day, the ones that fit
 * ride (returning, with the courier told), the rest wait at the centre for the next line-haul, and
 * the trucks' loads account for every return they carry.
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
const D = addDays(localDate(new Date(), OFFSET), 1);
const at = (date: string, hhmm: string) => localSecondsToIso(date, Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60, OFFSET);
/** 60 returns of 200 kg and 0.5 m³ at one centre: 12 t, more than the county's two trucks carry in a day. */
const RETURNS = 60;
const RETURN_G = 200_000;

describe.each(testDialects())('%s: returns ride the line-haul', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let pool: SolverPool;
  const keys = { dispatcher: '', courier: '' };
  let centre = '';
  const waybills: string[] = [];
  let pickups = 0;

  // The suite's one way to call the API: JSON in and out over loopback; '' sends no key.
  const call = (method: string, path: string, key: string, json?: unknown) => request(base, method, path, { key: key === '' ? null : key, json });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db, loadNetwork());
    pool = new SolverPool({ size: 2 });
    pickups = (await insertDay(t.db, 150, 23, { receivedAt: at(addDays(D, -1), '18:00'), serviceDate: D })).pickupIds.length;
    centre = (await t.db.selectFrom('hubs').select('id').where('kind', '!=', 'county_warehouse').orderBy('id').executeTakeFirstOrThrow()).id;
    const station = (await t.db.selectFrom('stations').select('code').where('hub_id', '=', centre).orderBy('code').executeTakeFirstOrThrow()).code;
    const received = at(addDays(D, -3), '12:00');
    const rows = Array.from({ length: RETURNS }, (_, k) => ({
      id: randomUUID(), courier_code: 'ZTO', waybill: `RET${String(k).padStart(4, '0')}`, station_code: station, destination_json: JSON.stringify({ stationCode: station }),
      weight_g: RETURN_G, length_cm: 100, width_cm: 100, height_cm: 50, volume_cm3: 500_000, cold_chain: 0, fragile: 0, cod_amount_fen: 0, recipient_name: 'x', recipient_phone: '13800000000',
      promised_date: null, body_hash: 'h', status: 'return_requested' as const, status_reason: 'failed_3_attempts', attempts: 3, hub_id: centre, plan_id: null, stop_id: null, received_at: received, updated_at: received,
    }));
    await t.db.insertInto('parcels').values(rows).execute();
    waybills.push(...rows.map((r) => r.waybill));
    keys.dispatcher = (await createApiKey(t.db, { role: 'dispatcher' })).key;
    keys.courier = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO' })).key;
    const app = createApp({
      db: t.db,
      resolveDestination: createDestinationResolver(await loadResolverNetwork(t.db, null)),
      settings: TEST_SETTINGS,
      options: { authCacheMs: 0, requestLogging: false, clock: () => new Date(at(D, '10:00')) },
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

  const statuses = async () => {
    const out = new Map<string, string[]>();
    for (const w of waybills) {
      const p = (await call('GET', `/v1/parcels/${w}`, keys.courier)).body as { status: string };
      out.set(p.status, [...(out.get(p.status) ?? []), w]);
    }
    return out;
  };

  it('carries the returns that fit, in the trucks’ loads; the rest wait at the centre; the day closes with the carried ones handed back', async () => {
    const requested = await call('POST', '/v1/plans', keys.dispatcher, { date: D, seed: 4 });
    expect(requested.status).toBe(202);
    const planId = requested.body.id as string;
    await runDay(testDeps(t.db, pool, { timeLimitMs: 80, now: () => new Date(at(D, '05:00')) }), planId, { concurrency: 2 });
    const plan = (await call('GET', `/v1/plans/${planId}`, keys.dispatcher)).body;
    expect(plan.status).toBe('completed');

    const byStatus = await statuses();
    const carried = byStatus.get('returning') ?? [];
    const waiting = byStatus.get('return_requested') ?? [];
    expect(carried.length + waiting.length).toBe(RETURNS);
    expect(carried.length).toBeGreaterThan(0);
    expect(waiting.length).toBeGreaterThan(0);
    // The courier hears that a return is on its way, not one that is still waiting.
    const onItsWay = (await call('GET', `/v1/parcels/${carried[0]}`, keys.courier)).body;
    expect(onItsWay.events.map((e: { type: string }) => e.type)).toContain('returning');
    const still = (await call('GET', `/v1/parcels/${waiting[0]}`, keys.courier)).body;
    expect(still).toMatchObject({ status: 'return_requested', statusReason: 'failed_3_attempts' });
    expect(still.events.map((e: { type: string }) => e.type)).not.toContain('returning');

    // The trucks' stops at the centre take the returns on board: their pickups count them, and the
    // load when leaving the centre holds their weight, within the truck's capacity.
    const routes = (await call('GET', `/v1/plans/${planId}/routes`, keys.dispatcher)).body.routes as { tier: string; load: { capacity: number[] }; stops: { hubId: string | null; kind: string; pickupCount: number; load: number[] }[] }[];
    const lineHaul = routes.filter((r) => r.tier === 'line_haul');
    const atCentre = lineHaul.flatMap((r) => r.stops.filter((s) => s.kind === 'hub' && s.hubId === centre).map((s) => ({ ...s, capacity: r.load.capacity })));
    expect(atCentre.reduce((a, s) => a + s.pickupCount, 0)).toBeGreaterThanOrEqual(carried.length);
    const perStopReturns = Math.floor(atCentre[0]!.capacity[0]! / RETURN_G);
    expect(carried.length).toBeLessThanOrEqual(atCentre.length * perStopReturns);
    for (const s of atCentre) expect(s.load[0]!).toBeLessThanOrEqual(s.capacity[0]!);
    expect(Math.max(...atCentre.map((s) => s.load[0]!))).toBeGreaterThanOrEqual(RETURN_G);
    // Returns are not counted as the day's produce.
    expect(plan.counts.pickups.eligible).toBe(pickups);

    expect((await call('POST', `/v1/plans/${planId}/publish`, keys.dispatcher)).status).toBe(200);
    expect((await call('POST', `/v1/plans/${planId}/close`, keys.dispatcher)).status).toBe(200);
    const closed = await statuses();
    expect((closed.get('returned') ?? []).sort()).toEqual([...carried].sort());
    expect((closed.get('return_requested') ?? []).sort()).toEqual([...waiting].sort());
  });
});
