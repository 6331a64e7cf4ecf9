/**
 * The cross-county isolation matrix (issue 15 item 3), like the courier one of
 * test/reliability/isolation.test.ts, through real HTTP on SQLite and PostgreSQL: Qin County (A)
 * and a generated second county (B), written to network files and imported beside it over
 * POST /v1/admin/networks; both counties' days planned and published in the one deployment; a
 * key of each role in each county (courier, dispatcher, driver phone session, admin of one
 * county). Every endpoint that reads or writes a county's rows is asked by each key about its own
 * county's row (2xx) and about the other county's (404 for a single row: its existence is not
 * told; 403 where the request names the other county; lists and aggregates hold the key's county
 * only). Webhooks are per courier and county: a courier key sets, reads and deletes its own
 * county's webhook only, and a county's parcel events reach that county's webhook only (a real
 * notify worker on Redis, posting to local HTTP receivers).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, webhookConfig } from '../../../src/config.ts';
import { QUEUE_NAMES } from '../../../src/queue/queues.ts';
import { startNotifyWorker } from '../../../src/workers/notify.worker.ts';
import { createApp } from '../../../src/app.ts';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../src/db/test-database.ts';
import { ReloadableResolver } from '../../../src/geo/destination-network.ts';
import { writeNetworkFolder } from '../../../src/network/files.ts';
import { exportNetwork } from '../../../src/network/import.ts';
import { seedNetwork } from '../../../src/network/seed.ts';
import { syntheticCounty } from '../../../src/network/synthetic.ts';
import { runDay } from '../../../src/pipeline/day-runner.ts';
import { localDate } from '../../../src/planning/day-model.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import { request, type HttpResult } from '../../support/http-request.ts';
import { TEST_SETTINGS } from '../../support/config.ts';
import { REDIS_URL, parcel, waitFor } from '../http/helpers.ts';
import { testDeps } from '../pipeline/helpers.ts';

const COUNTY = { A: '140430', B: '149902' } as const;
type Side = keyof typeof COUNTY;
const other = (s: Side): Side => (s === 'A' ? 'B' : 'A');
/** Webhooks may go to the test's loopback receivers (the test-only allow-list). */
const LOOPBACK_WEBHOOKS = webhookConfig(loadConfig({ WEBHOOK_ALLOW_ADDRESSES: '127.0.0.1/32', WEBHOOK_TIMEOUT_MS: '2000' }));

/** What the matrix needs of each county: its keys and one row of each kind. */
interface CountyWorld {
  keys: { courier: string; dispatcher: string; admin: string; driver: string };
  stations: string[];
  waybill: string;
  cancelWaybill: string;
  pickupId: string;
  planId: string;
  routeId: string;
  stopIds: string[];
  stopId: string;
  vehicleId: string;
  driverId: string;
  linkId: string;
}

/** One row of the matrix: who (role of county `from`) asks what of county `of`. */
interface Case {
  readonly name: string;
  readonly expect: number;
  readonly ask: () => Promise<HttpResult>;
  /** For lists and aggregates: what the answer must (not) hold. */
  readonly check?: (body: Record<string, unknown>) => void;
}

describe.each(testDialects())('%s: cross-county isolation matrix', (dialect) => {
  let t: TestDatabase;
  let server: Server;
  let base: string;
  let resolver: ReloadableResolver;
  let pool: SolverPool;
  let allAdmin = '';
  /** Each county's network as files (county B's as generated; Qin County's as exported), for re-imports. */
  const networkFiles = {} as Record<Side, Record<string, string>>;
  const folderFiles = (n: Parameters<typeof writeNetworkFolder>[1]): Record<string, string> => {
    const dir = mkdtempSync(join(tmpdir(), 'gongpei-county-'));
    try {
      return Object.fromEntries(writeNetworkFolder(dir, n).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const w = {} as Record<Side, CountyWorld>;
  // Tomorrow (local): its cut-off is after the parcels submitted now, and sign-in links are for it.
  const date = localDate(new Date(Date.now() + 86_400_000), TEST_SETTINGS.utcOffsetMinutes);
  const call = (method: string, path: string, key: string, json?: unknown): Promise<HttpResult> => request(base, method, path, { key, ...(json === undefined ? {} : { json }) });
  const ok = (res: HttpResult, status: number) => expect(res.status, `${res.status} ${JSON.stringify(res.body)}`).toBe(status);

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedNetwork(t.db);
    resolver = await ReloadableResolver.create(t.db, null);
    const app = createApp({ db: t.db, resolveDestination: resolver.resolve, onNetworkImported: () => resolver.reload(), settings: TEST_SETTINGS, options: { authCacheMs: 0, requestLogging: false, webhook: LOOPBACK_WEBHOOKS, clock: () => new Date(`${date}T10:00:00+08:00`) } });
    server = await new Promise<Server>((done) => {
      const s = app.listen(0, '127.0.0.1', () => done(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new SolverPool({ size: 2 });
    allAdmin = (await createApiKey(t.db, { role: 'admin' })).key;

    // County B: generated, written to the folder format, imported over HTTP from those files.
    networkFiles.B = folderFiles(syntheticCounty({ code: COUNTY.B, seed: 5, townships: 2, villagesPerTownship: 5 }));
    ok(await call('POST', '/v1/admin/networks', allAdmin, { files: networkFiles.B }), 201);
    networkFiles.A = folderFiles(await exportNetwork(t.db, COUNTY.A));

    for (const side of ['A', 'B'] as const) {
      const county = COUNTY[side];
      const keys = {
        courier: (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO', counties: [county] })).key,
        dispatcher: (await createApiKey(t.db, { role: 'dispatcher', counties: [county] })).key,
        admin: (await createApiKey(t.db, { role: 'admin', counties: [county] })).key,
        driver: '',
      };
      const all = (await t.db.selectFrom('stations').select('code').where('county_id', '=', county).where('kind', '=', 'village').orderBy('code').execute()).map((s) => s.code);
      const stations = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 8)) === 0).slice(0, 8);
      w[side] = { keys, stations, waybill: '', cancelWaybill: '', pickupId: '', planId: '', routeId: '', stopIds: [], stopId: '', vehicleId: '', driverId: '', linkId: '' };
      for (const [i, code] of stations.entries()) {
        const res = await call('POST', '/v1/parcels', keys.courier, parcel({ waybill: `ZT${side}${String(i).padStart(9, '0')}`, destination: { stationCode: code }, promisedDate: date }));
        ok(res, 201);
        if (i === 0) w[side].waybill = res.body.waybill as string;
      }
      const pickup = await call('POST', '/v1/pickups', keys.courier, { station: { stationCode: stations[1] }, weightKg: 20, volumeM3: 0.1, shipper: { name: '合作社', phone: '13900001234' }, readyDate: date });
      ok(pickup, 201);
      w[side].pickupId = pickup.body.id as string;
      const driver = await call('POST', '/v1/drivers', keys.dispatcher, { name: `司机${side}`, phone: side === 'A' ? '13800000001' : '13800000002' });
      ok(driver, 201);
      w[side].driverId = driver.body.id as string;
    }

    // Both counties' days, planned in the one deployment and published.
    const deps = testDeps(t.db, pool, { now: () => new Date(), savings: true });
    for (const side of ['A', 'B'] as const) {
      const asked = await call('POST', '/v1/plans', w[side].keys.dispatcher, { date });
      ok(asked, 202);
      w[side].planId = asked.body.id as string;
    }
    await Promise.all((['A', 'B'] as const).map((side) => runDay(deps, w[side].planId)));
    for (const side of ['A', 'B'] as const) {
      const { keys } = w[side];
      ok(await call('POST', `/v1/plans/${w[side].planId}/publish`, keys.dispatcher), 200);
      const routes = await call('GET', `/v1/plans/${w[side].planId}/routes`, keys.dispatcher);
      ok(routes, 200);
      const village = (routes.body.routes as { id: string; tier: string; vehicleId: string; stops: { id: string; kind: string }[] }[]).find((r) => r.tier === 'village' && r.stops.some((s) => s.kind === 'station'))!;
      w[side].routeId = village.id;
      w[side].vehicleId = village.vehicleId;
      w[side].stopIds = village.stops.filter((s) => s.kind === 'station').map((s) => s.id);
      w[side].stopId = w[side].stopIds[0]!;
      ok(await call('PUT', '/v1/driver-assignments', keys.dispatcher, { date, vehicleId: village.vehicleId, driverId: w[side].driverId }), 200);
      const link = await call('POST', `/v1/drivers/${w[side].driverId}/sign-in-links`, keys.dispatcher, { date });
      ok(link, 201);
      w[side].linkId = link.body.linkId as string;
      const session = await call('POST', '/v1/driver-sessions', '', { token: String(link.body.path).split('#token=')[1] });
      ok(session, 201);
      keys.driver = session.body.token as string;
      // A parcel for a later day, to cancel: not on a plan.
      const later = await call('POST', '/v1/parcels', keys.courier, parcel({ waybill: `ZT${side}C${'0'.repeat(8)}`, destination: { stationCode: w[side].stations[2] }, promisedDate: date }));
      ok(later, 201);
      w[side].cancelWaybill = later.body.waybill as string;
    }
  }, 300_000);

  afterAll(async () => {
    await new Promise((done) => server?.close(done));
    resolver?.stop();
    await pool?.close();
    await t?.dispose();
  });

  /** The cases of a key of county `from` asking about county `of` (own county when from === of). */
  function cases(from: Side, of: Side): Case[] {
    const k = w[from].keys;
    const x = w[of];
    const own = from === of;
    const single = own ? 200 : 404;
    const named = (ownStatus: number) => (own ? ownStatus : 403);
    const c: Case[] = [];
    const add = (name: string, expectStatus: number, ask: () => Promise<HttpResult>, check?: Case['check']) => c.push({ name: `${name} (${from}→${of})`, expect: expectStatus, ask, ...(check ? { check } : {}) });

    // Courier.
    add('courier cancels a parcel', single, () => call('DELETE', `/v1/parcels/${x.cancelWaybill}`, k.courier));
    add('courier reads a parcel', single, () => call('GET', `/v1/parcels/${x.waybill}`, k.courier));
    add('courier submits to a station', own ? 201 : 422, () => call('POST', '/v1/parcels', k.courier, parcel({ destination: { stationCode: x.stations[3] }, promisedDate: date })));
    add('courier requests a pickup', own ? 201 : 422, () => call('POST', '/v1/pickups', k.courier, { station: { stationCode: x.stations[3] }, weightKg: 5, volumeM3: 0.05, shipper: { name: '合作社', phone: '13900001234' }, readyDate: date }));
    add('courier reads a pickup', single, () => call('GET', `/v1/pickups/${x.pickupId}`, k.courier));
    add('courier reads a settlement', named(200), () => call('GET', `/v1/settlements?date=${date}&county=${COUNTY[of]}`, k.courier));

    // Dispatcher and an admin of one county: the same view of their county.
    for (const role of ['dispatcher', 'admin'] as const) {
      const key = k[role];
      add(`${role} reads a parcel`, single, () => call('GET', `/v1/parcels/${x.waybill}?courier=ZTO`, key));
      add(`${role} reads a pickup`, single, () => call('GET', `/v1/pickups/${x.pickupId}`, key));
      add(`${role} reads a plan`, single, () => call('GET', `/v1/plans/${x.planId}`, key));
      add(`${role} reads a plan's routes`, single, () => call('GET', `/v1/plans/${x.planId}/routes`, key));
      add(`${role} reads a plan's routes.geojson`, single, () => call('GET', `/v1/plans/${x.planId}/routes.geojson`, key));
      add(`${role} reads a plan's savings`, single, () => call('GET', `/v1/plans/${x.planId}/savings`, key));
      add(`${role} reads a plan's settlement`, single, () => call('GET', `/v1/plans/${x.planId}/settlement`, key));
      add(`${role} reads a plan's KPIs`, single, () => call('GET', `/v1/dashboard/kpis?planId=${x.planId}`, key));
      add(`${role} publishes a plan`, single, () => call('POST', `/v1/plans/${x.planId}/publish`, key));
      if (!own) add(`${role} closes a plan`, 404, () => call('POST', `/v1/plans/${x.planId}/close`, key));
      if (!own) add(`${role} plans a county's day`, 403, () => call('POST', '/v1/plans', key, { date, county: COUNTY[of] }));
      add(`${role} previews a route edit`, single, () => call('POST', `/v1/plans/${x.planId}/edits/preview`, key, { routes: [{ routeId: x.routeId, stopIds: x.stopIds }] }));
      // The admin reports the breakdown the dispatcher reported: recorded once (200).
      add(`${role} reports a breakdown`, own ? (role === 'dispatcher' ? 201 : 200) : 404, () => call('POST', `/v1/vehicles/${x.vehicleId}/breakdowns`, key, { date, at: `${date}T23:00:00+08:00`, note: 'matrix' }));
      add(`${role} reads the statistics of a county`, named(200), () => call('GET', `/v1/stats?from=${date}&county=${COUNTY[of]}`, key));
      add(`${role} reads a settlement`, named(200), () => call('GET', `/v1/settlements?date=${date}&county=${COUNTY[of]}`, key));
      add(`${role} reads a county's network`, named(200), () => call('GET', `/v1/network.geojson?county=${COUNTY[of]}`, key));
      add(`${role} adds a driver in a county`, named(201), () => call('POST', '/v1/drivers', key, { name: '新司机', phone: `139${from === 'A' ? 1 : 2}${of === 'A' ? 1 : 2}${role === 'admin' ? 1 : 2}000000`.slice(0, 11), county: COUNTY[of] }));
      add(`${role} activates a driver`, single, () => call('PATCH', `/v1/drivers/${x.driverId}`, key, { active: true }));
      add(`${role} assigns a driver`, single, () => call('PUT', '/v1/driver-assignments', key, { date, vehicleId: x.vehicleId, driverId: x.driverId }));
      add(`${role} assigns its driver to a vehicle`, single, () => call('PUT', '/v1/driver-assignments', key, { date, vehicleId: x.vehicleId, driverId: w[from].driverId }));
      add(`${role} makes a sign-in link`, own ? 201 : 404, () => call('POST', `/v1/drivers/${x.driverId}/sign-in-links`, key, { date }));
      if (!own) add(`${role} revokes a sign-in link`, 404, () => call('POST', `/v1/driver-links/${x.linkId}/revoke`, key));
      if (!own) add(`${role} revokes a driver's sign-ins`, 404, () => call('POST', `/v1/drivers/${x.driverId}/revoke-sign-ins`, key));
      add(`${role} reads a manifest`, single, () => call('GET', `/v1/manifests/${x.routeId}`, key));
      add(`${role} prints a manifest`, single, () => call('GET', `/v1/manifests/${x.routeId}.html`, key));
      add(`${role} links a manifest`, own ? 201 : 404, () => call('POST', `/v1/manifests/${x.routeId}/links`, key, {}));
      add(`${role} sets a station's keeper`, single, () => call('PATCH', `/v1/stations/${x.stations[0]}`, key, { keeperName: '王' }));
      add(`${role} reads a station's moves`, single, () => call('GET', `/v1/stations/${x.stations[0]}/moves`, key));
    }
    add('admin re-imports a county\'s network', named(200), () => call('POST', '/v1/admin/networks', k.admin, { files: networkFiles[of] }));

    // The driver's phone session.
    add('driver reads a manifest', single, () => call('GET', `/v1/manifests/${x.routeId}`, k.driver));
    add('driver reports at a stop', single, () => call('POST', `/v1/stops/${x.stopId}/events`, k.driver, { type: 'arrived' }));
    return c;
  }

  /** Lists and aggregates: each key's answer holds its own county's rows only. */
  function listCases(side: Side): Case[] {
    const k = w[side].keys;
    const mine = w[side];
    const theirs = w[other(side)];
    const c: Case[] = [];
    const add = (name: string, ask: () => Promise<HttpResult>, check: Case['check']) => c.push({ name: `${name} (${side})`, expect: 200, ask, check });
    for (const role of ['dispatcher', 'admin'] as const) {
      add(`${role} lists parcels`, () => call('GET', '/v1/parcels?limit=100', k[role]), (b) => {
        const ids = (b.parcels as { waybill: string }[]).map((p) => p.waybill);
        expect(ids).toContain(mine.waybill);
        expect(ids).not.toContain(theirs.waybill);
      });
      add(`${role} lists plans`, () => call('GET', '/v1/plans', k[role]), (b) => expect((b.plans as { id: string }[]).map((p) => p.id)).toEqual([mine.planId]));
      add(`${role} reads the statistics`, () => call('GET', `/v1/stats?from=${localDate(new Date(), TEST_SETTINGS.utcOffsetMinutes)}&to=${date}`, k[role]), (b) => {
        expect((b.plans as { planId: string }[]).map((p) => p.planId)).toEqual([mine.planId]);
        // The day's parcels, the one to cancel and the one the matrix submitted.
        expect((b.parcels as { total: number }).total).toBe(mine.stations.length + 1 + extraParcels[side]);
      });
      add(`${role} lists drivers`, () => call('GET', `/v1/drivers?date=${date}`, k[role]), (b) => {
        const ids = (b.drivers as { id: string }[]).map((d) => d.id);
        expect(ids).toContain(mine.driverId);
        expect(ids).not.toContain(theirs.driverId);
      });
      add(`${role} lists assignments`, () => call('GET', `/v1/driver-assignments?date=${date}`, k[role]), (b) => {
        const vehicles = (b.assignments as { vehicleId: string }[]).map((a) => a.vehicleId);
        expect(vehicles).toContain(mine.vehicleId);
        expect(vehicles).not.toContain(theirs.vehicleId);
      });
      add(`${role} lists manifests`, () => call('GET', `/v1/manifests?date=${date}`, k[role]), (b) => {
        const ids = (b.manifests as { routeId: string }[]).map((m) => m.routeId);
        expect(ids).toContain(mine.routeId);
        expect(ids).not.toContain(theirs.routeId);
      });
      add(`${role} reads the network`, () => call('GET', '/v1/network.geojson', k[role]), (b) => {
        const codes = (b.features as { properties: { layer: string; code?: string } }[]).filter((f) => f.properties.layer === 'station').map((f) => f.properties.code);
        expect(codes).toContain(mine.stations[0]);
        expect(codes).not.toContain(theirs.stations[0]);
      });
    }
    add('driver lists manifests', () => call('GET', `/v1/manifests?date=${date}`, k.driver), (b) => expect((b.manifests as { routeId: string }[]).map((m) => m.routeId)).toContain(mine.routeId));
    return c;
  }

  /** Parcels the matrix itself submitted in a county (the own-county submit), for the statistics. */
  const extraParcels: Record<Side, number> = { A: 0, B: 0 };

  it('answers every key about its own county (2xx) and about the other county (404/403)', async () => {
    const failures: string[] = [];
    let n = 0;
    for (const [from, of] of [['A', 'A'], ['A', 'B'], ['B', 'B'], ['B', 'A']] as const) {
      for (const row of cases(from, of)) {
        n++;
        const res = await row.ask();
        if (res.status !== row.expect) failures.push(`${row.name}: ${res.status}, expected ${row.expect} ${JSON.stringify(res.body).slice(0, 160)}`);
        if (row.name.startsWith('courier submits') && res.status === 201) extraParcels[from]++;
      }
    }
    expect(failures, `${failures.length} of ${n} cases`).toEqual([]);
  }, 300_000);

  it('lists and aggregates hold the key\'s own county only', async () => {
    const failures: string[] = [];
    for (const side of ['A', 'B'] as const) {
      for (const row of listCases(side)) {
        const res = await row.ask();
        try {
          expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(200);
          row.check?.(res.body);
        } catch (err) {
          failures.push(`${row.name}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('an admin key of every county sees both counties', async () => {
    const plans = await call('GET', '/v1/plans', allAdmin);
    expect((plans.body.plans as { id: string }[]).map((p) => p.id).sort()).toEqual([w.A.planId, w.B.planId].sort());
    for (const side of ['A', 'B'] as const) ok(await call('GET', `/v1/plans/${w[side].planId}`, allAdmin), 200);
  });

  it('webhooks: a courier key sets, reads and deletes its own county’s webhook only; a county’s events reach that county’s webhook only', async () => {
    const received: Record<Side, { type: string; data: { waybill?: string } }[]> = { A: [], B: [] };
    const receivers: Server[] = [];
    const url = {} as Record<Side, string>;
    for (const side of ['A', 'B'] as const) {
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          received[side].push(JSON.parse(body) as { type: string; data: { waybill?: string } });
          res.end();
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
      receivers.push(server);
      url[side] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook-${side}`;
    }
    const prefix = `test-${randomUUID()}`;
    const queue = new Queue(QUEUE_NAMES.notify, { connection: { url: REDIS_URL }, prefix });
    queue.on('error', () => {});
    const worker = startNotifyWorker({ db: t.db, redisUrl: REDIS_URL, prefix, webhook: LOOPBACK_WEBHOOKS });
    const fieldsOf = (res: HttpResult) => ((res.body.error as { details?: { path: string }[] } | undefined)?.details ?? []).map((d) => d.path);
    try {
      // Each county's ZTO franchisee sets its own webhook with its own key.
      for (const side of ['A', 'B'] as const) {
        const put = await call('PUT', '/v1/webhook', w[side].keys.courier, { url: url[side], secret: `secret-of-county-${side}-0001` });
        ok(put, 200);
        expect(put.body).toMatchObject({ courier: 'ZTO', county: COUNTY[side], url: url[side], secretSet: true });
      }
      // County A's key asks about county B's webhook: 403 naming the field; B's webhook unchanged.
      const a = w.A.keys.courier;
      const refused = [
        await call('GET', `/v1/webhook?county=${COUNTY.B}`, a),
        await call('PUT', '/v1/webhook', a, { url: url.A, secret: 'taken-over-secret-0001', county: COUNTY.B }),
        await call('DELETE', `/v1/webhook?county=${COUNTY.B}`, a),
      ];
      for (const res of refused) {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(fieldsOf(res)).toEqual(['county']);
        expect(JSON.stringify(res.body)).not.toContain(url.B);
      }
      for (const side of ['A', 'B'] as const) {
        const get = await call('GET', '/v1/webhook', w[side].keys.courier);
        ok(get, 200);
        expect(get.body).toMatchObject({ courier: 'ZTO', county: COUNTY[side], url: url[side], secretSet: true });
        expect(JSON.stringify(get.body)).not.toContain(url[other(side)]);
      }
      expect(await t.db.selectFrom('courier_webhooks').select(['county_id', 'url']).where('courier_code', '=', 'ZTO').orderBy('county_id').execute()).toEqual([
        { county_id: COUNTY.A, url: url.A },
        { county_id: COUNTY.B, url: url.B },
      ]);
      // A courier key of both counties must name one (400 naming the field).
      const both = (await createApiKey(t.db, { role: 'courier', courierCode: 'ZTO', counties: [COUNTY.A, COUNTY.B] })).key;
      const unnamed = await call('GET', '/v1/webhook', both);
      expect(unnamed.status).toBe(400);
      expect(fieldsOf(unnamed)).toEqual(['county']);
      ok(await call('GET', `/v1/webhook?county=${COUNTY.B}`, both), 200);

      // An event of each county's ZTO parcel: each reaches its own county's webhook, never the other's.
      const eventOf = async (side: Side): Promise<string> => {
        const p = await t.db.selectFrom('parcels').select('id').where('waybill', '=', w[side].waybill).executeTakeFirstOrThrow();
        const id = randomUUID();
        await t.db.insertInto('parcel_events').values({ id, parcel_id: p.id, type: 'arrived', at: new Date().toISOString(), details_json: null }).execute();
        await queue.add('parcel-event', { kind: 'parcel', eventId: id }, { jobId: `parcel-event-${id}`, attempts: 3, backoff: { type: 'fixed', delay: 200 } });
        return id;
      };
      await eventOf('B');
      await eventOf('A');
      await waitFor('both counties’ webhooks called', async () => received.A.length >= 1 && received.B.length >= 1);
      expect(received.B.map((e) => e.data.waybill)).toEqual([w.B.waybill]);
      expect(received.A.map((e) => e.data.waybill)).toEqual([w.A.waybill]);

      // County A stops its webhook: B's stays; A's next event goes nowhere, B's still to B.
      const deleted = await call('DELETE', '/v1/webhook', a);
      ok(deleted, 200);
      expect(deleted.body).toMatchObject({ county: COUNTY.A, url: null, secretSet: false });
      expect((await call('GET', '/v1/webhook', w.B.keys.courier)).body).toMatchObject({ county: COUNTY.B, url: url.B });
      const skipped = await eventOf('A');
      await eventOf('B');
      await waitFor('county A’s event handled', async () => (await queue.getJob(`parcel-event-${skipped}`))?.finishedOn !== undefined);
      await waitFor('county B’s second event delivered', async () => received.B.length >= 2);
      expect((await queue.getJob(`parcel-event-${skipped}`))?.returnvalue).toEqual({ skipped: `the courier has no webhook in county ${COUNTY.A}` });
      expect(received.A).toHaveLength(1);
      expect(received.B.map((e) => e.data.waybill)).toEqual([w.B.waybill, w.B.waybill]);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      for (const server of receivers) {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
      }
    }
  }, 120_000);
});
