/**
 * Scenario 6, isolation, against a real API process: every role × every endpoint with the
 * expected status in ONE table (courier A = ZTO, courier B = YTO, driver X, driver Y, dispatcher,
 * admin, no key, revoked key); what a caller may not see is 404 with none of its data in the
 * body; rate limiting per key (one key limited, another unaffected); security headers; and no
 * recipient phone or name in any log line of the process.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { environmentWith, loadConfig } from '../../../src/config.ts';
import type { DialectName } from '../../../src/db/database.ts';
import { localDate } from '../../../src/planning/day-model.ts';
import { createEnv, endRun, DRIVER_X, parcelBody, RECIPIENT_NAME, RECIPIENT_PHONE, request, SHARED_REDIS_URL, startApi, type ApiProcess, type Env, type ScenarioResult } from '../harness.ts';

export const ROLES = ['courierA', 'courierB', 'driverX', 'driverY', 'dispatcher', 'admin', 'noKey', 'revoked'] as const;
type RoleName = (typeof ROLES)[number];

interface Fixture {
  readonly waybillA: string;
  /** Courier A's parcel id: must never appear in an answer to anyone else. */
  readonly parcelIdA: string;
  readonly cancelA: string;
  readonly pickupA: string;
  readonly planId: string;
  readonly routeX: string;
  readonly stopX: string;
  readonly date: string;
  /** When the fixture was made: a time on the route's service day, for the driver's event. */
  readonly at: string;
}

interface Endpoint {
  readonly name: string;
  readonly method: string;
  readonly path: (f: Fixture) => string;
  readonly json?: (f: Fixture, env: Env) => unknown;
  readonly body?: (f: Fixture, env: Env) => string;
  readonly contentType?: string;
  /** Expected status per role, in ROLES order. */
  readonly expect: readonly [number, number, number, number, number, number, number, number];
  /** Roles that must get 404 without the resource's data leaking: strings that must not appear. */
  readonly secret?: (f: Fixture) => string[];
}

const uniq = () => `IS${randomUUID().replace(/-/g, '').slice(0, 14)}`;

//                                       A    B    X    Y    disp adm  none rev
export const ENDPOINTS: readonly Endpoint[] = [
  { name: 'POST /v1/parcels', method: 'POST', path: () => '/v1/parcels', json: (_f, env) => parcelBody(uniq(), env.stations[1]!), expect: [201, 201, 403, 403, 403, 403, 401, 401] },
  {
    name: 'POST /v1/parcels/import',
    method: 'POST',
    path: () => '/v1/parcels/import',
    body: (_f, env) => `waybill,stationCode,weightG,recipientName,recipientPhone\n${uniq()},${env.stations[2]},800,${RECIPIENT_NAME},${RECIPIENT_PHONE}`,
    contentType: 'text/csv',
    expect: [201, 201, 403, 403, 403, 403, 401, 401],
  },
  { name: 'GET /v1/parcels/{A} (own scope)', method: 'GET', path: (f) => `/v1/parcels/${f.waybillA}`, expect: [200, 404, 403, 403, 400, 400, 401, 401], secret: (f) => [f.parcelIdA, RECIPIENT_PHONE] },
  { name: 'GET /v1/parcels/{A}?courier=ZTO', method: 'GET', path: (f) => `/v1/parcels/${f.waybillA}?courier=ZTO`, expect: [200, 404, 403, 403, 200, 200, 401, 401], secret: (f) => [f.parcelIdA, RECIPIENT_PHONE] },
  { name: 'DELETE /v1/parcels/{A}', method: 'DELETE', path: (f) => `/v1/parcels/${f.cancelA}`, expect: [200, 404, 403, 403, 403, 403, 401, 401], secret: (f) => [f.parcelIdA, RECIPIENT_PHONE] },
  { name: 'GET /v1/parcels (list)', method: 'GET', path: () => '/v1/parcels', expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  {
    name: 'POST /v1/pickups',
    method: 'POST',
    path: () => '/v1/pickups',
    json: (_f, env) => ({ station: { stationCode: env.stations[3] }, weightKg: 20, volumeM3: 0.2, readyDate: '2031-01-02', shipper: { name: RECIPIENT_NAME, phone: RECIPIENT_PHONE } }),
    expect: [201, 201, 403, 403, 201, 201, 401, 401],
  },
  { name: 'GET /v1/pickups/{A}', method: 'GET', path: (f) => `/v1/pickups/${f.pickupA}`, expect: [200, 404, 403, 403, 200, 200, 401, 401], secret: () => [RECIPIENT_PHONE] },
  { name: 'POST /v1/plans', method: 'POST', path: () => '/v1/plans', json: () => ({ date: IN_PLANNING_WINDOW }), expect: [403, 403, 403, 403, 202, 202, 401, 401] },
  { name: 'GET /v1/plans', method: 'GET', path: () => '/v1/plans', expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  { name: 'GET /v1/plans/{id}', method: 'GET', path: (f) => `/v1/plans/${f.planId}`, expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  { name: 'GET /v1/plans/{id}/routes', method: 'GET', path: (f) => `/v1/plans/${f.planId}/routes`, expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  { name: 'GET /v1/stats', method: 'GET', path: () => '/v1/stats?from=2031-01-01&to=2031-01-31', expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  { name: 'GET /v1/network.geojson', method: 'GET', path: () => '/v1/network.geojson', expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  { name: 'GET /v1/dashboard/kpis', method: 'GET', path: (f) => `/v1/dashboard/kpis?planId=${f.planId}`, expect: [403, 403, 403, 403, 200, 200, 401, 401] },
  { name: 'GET /v1/manifests?date', method: 'GET', path: (f) => `/v1/manifests?date=${f.date}`, expect: [403, 403, 200, 200, 200, 200, 401, 401] },
  { name: 'GET /v1/manifests/{X route}', method: 'GET', path: (f) => `/v1/manifests/${f.routeX}`, expect: [403, 403, 200, 404, 200, 200, 401, 401], secret: (f) => [f.stopX] },
  { name: 'POST /v1/stops/{X stop}/events', method: 'POST', path: (f) => `/v1/stops/${f.stopX}/events`, json: (f) => ({ type: 'arrived', at: f.at }), expect: [403, 403, 201, 404, 403, 403, 401, 401], secret: (f) => [f.routeX] },
  { name: 'PUT /v1/webhook', method: 'PUT', path: () => '/v1/webhook', json: () => ({ url: 'https://223.5.5.5/hook', secret: 'a-long-enough-secret' }), expect: [200, 200, 403, 403, 403, 403, 401, 401] },
  { name: 'GET /v1/webhook', method: 'GET', path: () => '/v1/webhook', expect: [200, 200, 403, 403, 403, 403, 401, 401] },
  { name: 'GET /admin/queues', method: 'GET', path: () => '/admin/queues', expect: [403, 403, 403, 403, 403, 200, 401, 401] },
  { name: 'GET /healthz', method: 'GET', path: () => '/healthz', expect: [200, 200, 200, 200, 200, 200, 200, 200] },
  { name: 'GET /readyz', method: 'GET', path: () => '/readyz', expect: [200, 200, 200, 200, 200, 200, 200, 200] },
  { name: 'GET /metrics', method: 'GET', path: () => '/metrics', expect: [403, 403, 403, 403, 403, 200, 401, 401] },
  { name: 'GET /openapi.json', method: 'GET', path: () => '/openapi.json', expect: [200, 200, 200, 200, 200, 200, 200, 200] },
];

/** A service date inside the planning window (PLAN_DAYS_AHEAD, default 14): three days from now. */
const IN_PLANNING_WINDOW = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

/**
 * Every endpoint is tried with no key and a revoked key from one address, far more failures than
 * the per-address limit allows: this scenario checks who may see what, so it lifts that limit
 * (test/integration/http/auth-hardening.test.ts checks the limit itself).
 */
const ISOLATION_AUTH_FAILURES = { AUTH_FAILURE_LIMIT: '1000000' };

/**
 * A completed, published plan with one village route for driver X (rows written directly: no
 * solve needed). Drivers post events only on a published plan and only on its service day, so the
 * route is today's in the API's time zone.
 */
async function seedRouteForDriverX(env: Env, date: string): Promise<{ planId: string; routeX: string; stopX: string }> {
  const hub = await env.db.selectFrom('hubs').select(['id']).where('kind', '=', 'township_centre').executeTakeFirstOrThrow();
  const vehicle = await env.db.selectFrom('vehicles').select(['id']).executeTakeFirstOrThrow();
  const station = await env.db.selectFrom('stations').select(['code']).where('hub_id', '=', hub.id).executeTakeFirstOrThrow();
  const planId = randomUUID();
  const routeX = randomUUID();
  const stopX = randomUUID();
  const t = `${date}T01:00:00.000Z`;
  await env.db
    .insertInto('plans')
    .values({ id: planId, service_date: date, status: 'completed', state: 'published', published_at: t, progress: 100, seed: 1, cutoff_at: t, created_at: t, started_at: t, finished_at: t, error: null, summary_json: null, savings_json: null })
    .execute();
  await env.db
    .insertInto('routes')
    .values({
      id: routeX,
      plan_id: planId,
      tier: 'village',
      hub_id: hub.id,
      vehicle_id: vehicle.id,
      driver_id: DRIVER_X,
      trips: 1,
      distance_m: 1000,
      duration_s: 600,
      cost_fen: 100,
      start_at: t,
      end_at: t,
      load_json: JSON.stringify({ peak: [0, 0], capacity: [1, 1] }),
      geometry_json: null,
    })
    .execute();
  await env.db
    .insertInto('stops')
    .values({ id: stopX, route_id: routeX, seq: 1, kind: 'station', station_code: station.code, hub_id: null, trip: 1, arrival_at: t, departure_at: t, deliver_count: 0, pickup_count: 0, load_json: '[0,0]' })
    .execute();
  return { planId, routeX, stopX };
}

const RATE = { perSecond: 5, burst: 60 };

export interface IsolationOptions {
  readonly dialect: DialectName;
}

export async function isolation(options: IsolationOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const env = await createEnv(options.dialect);
  let api: ApiProcess | undefined;
  try {
    // A low per-key limit, so one key's flood is limited even on a slow, shared machine; the matrix
    // stays far below it (each key makes fewer than 40 requests).
    api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix, extra: { RATE_LIMIT_PER_SECOND: String(RATE.perSecond), RATE_LIMIT_BURST: String(RATE.burst), ...ISOLATION_AUTH_FAILURES } });
    const base = api.base;
    const failures: string[] = [];
    const keyOf: Record<RoleName, string | null> = {
      courierA: env.keys.courierA,
      courierB: env.keys.courierB,
      driverX: env.keys.driverX,
      driverY: env.keys.driverY,
      dispatcher: env.keys.dispatcher,
      admin: env.keys.admin,
      noKey: null,
      revoked: env.keys.revoked,
    };
    const now = new Date();
    const date = localDate(now, loadConfig(environmentWith()).utcOffsetMinutes);
    const waybillA = uniq();
    const cancelA = uniq();
    const ids: string[] = [];
    for (const w of [waybillA, cancelA]) {
      const r = await request(base, 'POST', '/v1/parcels', { key: env.keys.courierA, json: parcelBody(w, env.stations[0]!) });
      if (r.status !== 201) throw new Error(`fixture parcel: ${r.status} ${JSON.stringify(r.body)}`);
      ids.push(r.body.id);
    }
    const pickup = await request(base, 'POST', '/v1/pickups', {
      key: env.keys.courierA,
      json: { station: { stationCode: env.stations[0] }, weightKg: 5, volumeM3: 0.1, readyDate: '2031-01-05', shipper: { name: RECIPIENT_NAME, phone: RECIPIENT_PHONE } },
    });
    if (pickup.status !== 201) throw new Error(`fixture pickup: ${pickup.status} ${JSON.stringify(pickup.body)}`);
    const fixture: Fixture = { waybillA, parcelIdA: ids[0]!, cancelA, pickupA: pickup.body.id, date, at: now.toISOString(), ...(await seedRouteForDriverX(env, date)) };

    // The matrix. Roles in order, so courier A's cancellation comes after B's attempt.
    const rows: string[] = [];
    let cells = 0;
    for (const ep of ENDPOINTS) {
      const got: number[] = [];
      for (const [i, role] of ROLES.entries()) {
        const r = await request(base, ep.method, ep.path(fixture), {
          key: keyOf[role],
          ...(ep.json ? { json: ep.json(fixture, env) } : {}),
          ...(ep.body ? { body: ep.body(fixture, env), contentType: ep.contentType } : {}),
        });
        cells++;
        got.push(r.status);
        const want = ep.expect[i]!;
        // A replayed delivery event answers 200 instead of 201: same meaning.
        const same = r.status === want || (want === 201 && r.status === 200 && ep.name.startsWith('POST /v1/stops'));
        if (!same) failures.push(`${ep.name} as ${role}: ${r.status}, expected ${want} ${JSON.stringify(r.body).slice(0, 160)}`);
        if (r.status >= 400) {
          const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          for (const s of ep.secret?.(fixture) ?? []) if (text.includes(s)) failures.push(`${ep.name} as ${role}: the ${r.status} body leaks ${s}`);
          if (r.body?.error === undefined && !ep.name.startsWith('GET /admin')) failures.push(`${ep.name} as ${role}: ${r.status} not in the error shape`);
        }
      }
      rows.push(`${ep.name.padEnd(36)} ${got.join(' ')}`);
    }
    // Driver Y's manifest list must not contain X's route; B's parcel list is not reachable at all.
    const yList = await request(base, 'GET', `/v1/manifests?date=${date}`, { key: env.keys.driverY });
    if (JSON.stringify(yList.body).includes(fixture.routeX)) failures.push("driver Y's manifest list contains driver X's route");
    const xList = await request(base, 'GET', `/v1/manifests?date=${date}`, { key: env.keys.driverX });
    if (!JSON.stringify(xList.body).includes(fixture.routeX)) failures.push("driver X's manifest list lacks X's own route");

    // Rate limiting per key: courier A floods (autocannon: fetch alone cannot outrun the refill on
    // two shared cores), courier B is unaffected.
    const statuses = new Map<number, number>();
    const flood = await autocannon({
      url: `${base}/v1/parcels/NOPE`,
      connections: 32,
      amount: 400,
      timeout: 20,
      headers: { authorization: `Bearer ${env.keys.courierA}` },
    });
    for (const [code, stat] of Object.entries(flood.statusCodeStats ?? {})) statuses.set(Number(code), (stat as { count: number }).count);
    const sample = await request(base, 'GET', '/v1/parcels/NOPE', { key: env.keys.courierA });
    const retryAfterOk = sample.status !== 429 || Number(sample.headers.get('retry-after')) > 0;
    const other = await request(base, 'GET', '/v1/parcels/NOPE', { key: env.keys.courierB });
    const limited = statuses.get(429) ?? 0;
    if (limited === 0) failures.push(`no 429 after 400 requests at once from one key (limit ${RATE.perSecond}/s, burst ${RATE.burst}) (${[...statuses].map(([s, n]) => `${n}×${s}`).join(', ')})`);
    if (!retryAfterOk) failures.push('a 429 without Retry-After');
    if (other.status !== 404) failures.push(`another key was affected by courier A's rate limit: ${other.status}`);

    // Security headers (helmet) on an API answer and on an error.
    for (const path of ['/healthz', '/v1/parcels/NOPE']) {
      const r = await request(base, 'GET', path, { key: env.keys.courierB });
      const h = r.headers;
      const want: Record<string, (v: string | null) => boolean> = {
        'x-content-type-options': (v) => v === 'nosniff',
        'x-frame-options': (v) => v === 'SAMEORIGIN' || v === 'DENY',
        'strict-transport-security': (v) => v !== null && /max-age=\d+/.test(v),
        'content-security-policy': (v) => v !== null && v.includes("default-src 'self'"),
        'referrer-policy': (v) => v === 'no-referrer',
        'cross-origin-opener-policy': (v) => v === 'same-origin',
        'x-powered-by': (v) => v === null,
      };
      for (const [name, ok] of Object.entries(want)) if (!ok(h.get(name))) failures.push(`${path}: header ${name} = ${h.get(name)}`);
    }

    // Personal data in this process's logs.
    const logs = api.output();
    const lines = logs.split('\n').filter((l) => l.includes(RECIPIENT_PHONE) || l.includes(RECIPIENT_NAME));
    if (lines.length > 0) failures.push(`${lines.length} log line(s) contain a recipient phone or name: ${lines[0]!.slice(0, 200)}`);
    if (!logs.includes('"statusCode":404')) failures.push('the request log is missing (nothing to search)');

    return {
      scenario: '6 isolation matrix',
      database: options.dialect,
      load: `${ENDPOINTS.length} endpoints × ${ROLES.length} roles = ${cells} cells; one-key flood of ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests`,
      faults: `429 ×${limited}; helmet headers checked; ${logs.split('\n').length} log lines searched`,
      badInputs: cells - ENDPOINTS.reduce((s, e) => s + e.expect.filter((x) => x < 300).length, 0),
      acknowledged: 0,
      found: 0,
      lost: 0,
      duplicated: 0,
      failures: failures.length > 0 ? [...failures, `matrix (A B X Y disp adm none rev):\n${rows.join('\n')}`] : [],
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await endRun(env, api);
  }
}
