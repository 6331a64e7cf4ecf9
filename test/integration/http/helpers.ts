/**
 * Test context for the intake API: a throw-away database (SQLite file or PostgreSQL database), a
 * small fixture network, keys for every role, a unique BullMQ prefix, and the real app listening
 * on a random loopback port. Requests go over real HTTP with fetch.
 */
import type { RoadMatrixProvider } from '../../../src/geo/matrix.ts';
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import type { Feature, Polygon } from 'geojson';
import { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import { createApiKey, revokeApiKey } from '../../../src/auth/api-keys.ts';
import type { DialectName } from '../../../src/db/database.ts';
import type { Database } from '../../../src/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../src/db/test-database.ts';
import { loadResolverNetwork } from '../../../src/geo/destination-network.ts';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { createApp, createLogger, type AppOptions } from '../../../src/app.ts';
import { OutboxRelay } from '../../../src/queue/outbox-relay.ts';
import { ConsolidatePayload, QUEUE_NAMES, consolidateParcelIds } from '../../../src/queue/queues.ts';
import { queueSideOf } from '../../../src/server.ts';
import { TEST_REDIS_URL, TEST_SETTINGS } from '../../support/config.ts';
import { request, type HttpRequestInit, type HttpResult } from '../../support/http-request.ts';

export const REDIS_URL = TEST_REDIS_URL;

/** A 0.2° × 0.2° "county" around two townships; real Qin County codes, made-up geometry. */
export const BOUNDARY: Feature<Polygon> = {
  type: 'Feature',
  properties: {},
  geometry: { type: 'Polygon', coordinates: [[[112.5, 36.5], [112.7, 36.5], [112.7, 36.7], [112.5, 36.7], [112.5, 36.5]]] },
};

export const STATIONS = {
  guocun: '140430101201', // 郭村村委会, 郭村镇
  xiaoheA: '140430101202', // 小河村委会, 郭村镇
  xiaoheB: '140430102201', // 小河村委会, 故县镇
  guxian: '140430102202', // 故县村委会, 故县镇
} as const;

export async function seedFixtureNetwork(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  await db.insertInto('couriers').values(['ZTO', 'YTO', 'SF'].map((code) => ({ code, name: code, created_at: now }))).execute();
  await db
    .insertInto('townships')
    .values([
      { code: '140430101', name: '郭村镇', kind: '镇', seat_lat: 36.6, seat_lon: 112.55, hub_id: 'hub-guocun' },
      { code: '140430102', name: '故县镇', kind: '镇', seat_lat: 36.54, seat_lon: 112.62, hub_id: 'hub-guxian' },
    ])
    .execute();
  await db
    .insertInto('hubs')
    .values([
      { id: 'hub-guocun', kind: 'township_centre', name: '郭村', township_code: '140430101', lat: 36.6, lon: 112.55, coord_quality: 'known' },
      { id: 'hub-guxian', kind: 'township_centre', name: '故县', township_code: '140430102', lat: 36.54, lon: 112.62, coord_quality: 'known' },
    ])
    .execute();
  const station = (code: string, name: string, township: string, hub: string, lat: number, lon: number) => ({
    code,
    name,
    kind: 'village' as const,
    township_code: township,
    hub_id: hub,
    lat,
    lon,
    coord_quality: 'estimated' as const,
    opens_s: 8 * 3600,
    closes_s: 19 * 3600,
    size_weight: 1,
  });
  await db
    .insertInto('stations')
    .values([
      station(STATIONS.guocun, '郭村村委会', '140430101', 'hub-guocun', 36.6, 112.55),
      station(STATIONS.xiaoheA, '小河村委会', '140430101', 'hub-guocun', 36.62, 112.56),
      station(STATIONS.xiaoheB, '小河村委会', '140430102', 'hub-guxian', 36.52, 112.65),
      station(STATIONS.guxian, '故县村委会', '140430102', 'hub-guxian', 36.54, 112.62),
    ])
    .execute();
}

/**
 * Every consolidate job in `queue` (any state), and for each parcel id the jobs listing it. The
 * payloads are parsed with the consumer's own schema, so a job the worker would reject counts as
 * listing nothing.
 */
export async function consolidateJobsByParcel(queue: Queue): Promise<{ jobs: number; byParcel: Map<string, string[]> }> {
  const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children']);
  const byParcel = new Map<string, string[]>();
  for (const job of jobs) {
    const p = ConsolidatePayload.safeParse(job.data);
    if (!p.success) continue;
    for (const id of consolidateParcelIds(p.data)) byParcel.set(id, [...(byParcel.get(id) ?? []), job.id!]);
  }
  return { jobs: jobs.length, byParcel };
}

export interface Keys {
  zto: string;
  yto: string;
  dispatcher: string;
  driver: string;
  admin: string;
  revoked: string;
}

export interface ApiContext {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  readonly base: string;
  readonly keys: Keys;
  readonly prefix: string;
  readonly relay: OutboxRelay;
  /** Everything the app logged, as text. */
  logs(): string;
  /** Over real HTTP, as courier ZTO unless `key` says otherwise (null: no key). */
  request(method: string, path: string, init?: HttpRequestInit): Promise<HttpResult>;
  consolidateQueue(): Queue;
  close(): Promise<void>;
}

export interface ContextOptions {
  readonly app?: AppOptions;
  readonly redisUrl?: string;
  /** Start the relay (default true). */
  readonly relay?: boolean;
  /** Use this database instead of a fresh one (e.g. a broken one, for 503s). */
  readonly db?: Kysely<Database>;
  /** The road matrix provider the app tells about station moves. */
  readonly roadProvider?: RoadMatrixProvider;
}

export async function startApi(dialect: DialectName, options: ContextOptions = {}): Promise<ApiContext> {
  let tdb: TestDatabase | undefined;
  let db: Kysely<Database>;
  let keys: Keys;
  let resolveDestination;
  if (options.db === undefined) {
    tdb = await createTestDatabase(dialect);
    db = tdb.db;
    await seedFixtureNetwork(db);
    keys = {
      zto: (await createApiKey(db, { role: 'courier', courierCode: 'ZTO' })).key,
      yto: (await createApiKey(db, { role: 'courier', courierCode: 'YTO' })).key,
      dispatcher: (await createApiKey(db, { role: 'dispatcher' })).key,
      driver: (await createApiKey(db, { role: 'driver', driverId: 'driver-1' })).key,
      admin: (await createApiKey(db, { role: 'admin' })).key,
      revoked: '',
    };
    const r = await createApiKey(db, { role: 'courier', courierCode: 'SF' });
    await revokeApiKey(db, r.id);
    keys.revoked = r.key;
    resolveDestination = createDestinationResolver(await loadResolverNetwork(db, BOUNDARY), { maxSnapM: 5_000 });
  } else {
    db = options.db;
    keys = { zto: 'x', yto: 'x', dispatcher: 'x', driver: 'x', admin: 'x', revoked: 'x' };
    resolveDestination = createDestinationResolver({ townships: [], stations: [], boundary: BOUNDARY });
  }
  const prefix = `test-${randomUUID()}`;
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const relay = new OutboxRelay({ db, redisUrl, prefix, idleMs: 100, maxBackoffMs: 300, redisTimeoutMs: 1_000 });
  if (options.relay ?? true) relay.start();
  let logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logText += chunk.toString('utf8');
      cb();
    },
  });
  const app = createApp({
    db,
    resolveDestination,
    settings: TEST_SETTINGS,
    ...(options.roadProvider ? { roadSource: options.roadProvider.source, roadProvider: options.roadProvider } : {}),
    queues: queueSideOf(relay),
    logger: createLogger('debug', sink),
    options: { authCacheMs: 0, ...options.app },
  });
  const server = await new Promise<HttpServer>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queues: Queue[] = [];
  const consolidateQueue = (): Queue => {
    const q = new Queue(QUEUE_NAMES.consolidate, { connection: { url: redisUrl }, prefix });
    q.on('error', () => {});
    queues.push(q);
    return q;
  };

  return {
    dialect,
    db,
    base,
    keys,
    prefix,
    relay,
    logs: () => logText,
    request(method, path, init = {}) {
      return request(base, method, path, { ...init, key: init.key === undefined ? keys.zto : init.key });
    },
    consolidateQueue,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.stop();
      // Leave nothing behind in the (possibly shared) Redis: every job this context relayed.
      consolidateQueue();
      for (const q of queues) {
        await q.obliterate({ force: true }).catch(() => {});
        await q.close();
      }
      if (tdb !== undefined) await tdb.dispose();
    },
  };
}

/** A parcel body with a unique waybill. */
export function parcel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    waybill: `ZT${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    destination: { stationCode: STATIONS.guocun },
    weightG: 1200,
    dimensionsCm: [30, 20, 15],
    coldChain: false,
    fragile: false,
    codAmountFen: 0,
    recipient: { name: '张三丰', phone: '13812345678' },
    promisedDate: '2026-12-01',
    ...overrides,
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A free loopback port (closed again, so connecting to it is refused until someone listens). */
export async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

