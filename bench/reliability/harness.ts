/**
 * The reliability harness: real processes on loopback. The API is `node bin/gongpei.js serve`,
 * the worker is `workers/main.ts`, each started as a child in its own process group (so a
 * SIGKILL reaches tsx's children too), with stdout/stderr captured into one log for the whole run
 * (searched afterwards for personal data). Databases are throw-away (src/db/test-database.ts),
 * queues get a unique prefix, and Redis outages use a private redis-server, never the shared one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { createApiKey, revokeApiKey } from '../../src/auth/api-keys.ts';
import type { DialectName } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { environmentWith, getToolSettings } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { loadNetwork, seedNetwork } from '../../src/network/index.ts';
import { freePort, waitFor } from '../../test/integration/http/helpers.ts';
import { request, type HttpResult } from '../../test/support/http-request.ts';
import { PrivateRedis } from '../../test/support/private-redis.ts';

export { freePort, PrivateRedis, request, waitFor, type HttpResult };

export const SHARED_REDIS_URL = getToolSettings().TEST_REDIS_URL;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Everything every child process printed during this run, for the personal-data search. */
export const capturedLogs: string[] = [];

/** Every child still alive; `killAll` runs on exit and in every scenario's finally. */
const alive = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export function killAll(): void {
  for (const c of alive) killGroup(c, 'SIGKILL');
  alive.clear();
  PrivateRedis.killAll();
}
process.once('exit', killAll);

export interface Child {
  readonly proc: ChildProcess;
  /** What this child printed so far. */
  output(): string;
  /** Sends a signal to the whole process group and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited(): boolean;
}

export function spawnChild(name: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: environmentWith({ NODE_ENV: 'test', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  alive.add(proc);
  let out = '';
  const onData = (d: Buffer) => {
    const s = d.toString('utf8');
    out += s;
    capturedLogs.push(s);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      alive.delete(proc);
      resolve();
    }),
  );
  return {
    proc,
    output: () => out,
    exited: () => proc.exitCode !== null || proc.signalCode !== null,
    async kill(signal = 'SIGKILL') {
      killGroup(proc, signal);
      const t = setTimeout(() => killGroup(proc, 'SIGKILL'), 10_000);
      await exit;
      clearTimeout(t);
      void name;
    },
  };
}

export interface ApiProcess extends Child {
  readonly base: string;
  readonly port: number;
}

export interface ApiEnv {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly port?: number;
}

/** `node bin/gongpei.js serve`, waiting until /healthz answers. */
export async function startApi(env: ApiEnv & { readonly extra?: Record<string, string> }): Promise<ApiProcess> {
  const port = env.port ?? (await freePort());
  const child = spawnChild('api', ['bin/gongpei.js', 'serve'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.prefix,
    LOG_LEVEL: 'info',
    ...env.extra,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    'the API to answer /healthz',
    async () => {
      if (child.exited()) throw new Error(`the API exited during start-up:\n${child.output().slice(-2000)}`);
      try {
        return (await fetch(`${base}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    60_000,
  );
  return { ...child, base, port };
}

/** The worker entry (consolidate, plan and notify workers) as a child process. */
export async function startWorker(env: ApiEnv & { readonly extra?: Record<string, string> }): Promise<Child> {
  const child = spawnChild('worker', ['--import', 'tsx', 'workers/main.ts'], {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.prefix,
    LOG_LEVEL: 'info',
    ...env.extra,
  });
  await waitFor(
    'the worker to be ready',
    async () => {
      if (child.exited()) throw new Error(`the worker exited during start-up:\n${child.output().slice(-2000)}`);
      return child.output().includes('"event":"ready"');
    },
    60_000,
  );
  return child;
}

export interface Keys {
  readonly courierA: string; // ZTO
  readonly courierB: string; // YTO
  readonly driverX: string;
  readonly driverY: string;
  readonly dispatcher: string;
  readonly admin: string;
  readonly revoked: string;
  /** Extra courier keys (rate limits are per key), courier code → keys. */
  readonly couriers: ReadonlyMap<string, string[]>;
}

export interface Env {
  readonly dialect: DialectName;
  readonly tdb: TestDatabase;
  readonly db: Kysely<Database>;
  readonly url: string;
  readonly prefix: string;
  readonly keys: Keys;
  readonly stations: readonly string[];
  readonly courierCodes: readonly string[];
  dispose(): Promise<void>;
}

export const DRIVER_X = 'driver-x';
export const DRIVER_Y = 'driver-y';

/** A throw-away database with the Qin County network seeded and keys for every role. */
export async function createEnv(dialect: DialectName, keysPerCourier = 1): Promise<Env> {
  const tdb = await createTestDatabase(dialect);
  try {
    const db = tdb.db;
    await seedNetwork(db, loadNetwork());
    const courierCodes = (await db.selectFrom('couriers').select('code').orderBy('code').execute()).map((c) => c.code);
    const couriers = new Map<string, string[]>();
    for (const code of courierCodes) {
      const list: string[] = [];
      for (let i = 0; i < keysPerCourier; i++) list.push((await createApiKey(db, { role: 'courier', courierCode: code, label: `verify ${i}` })).key);
      couriers.set(code, list);
    }
    const revoked = await createApiKey(db, { role: 'courier', courierCode: 'SF' });
    await revokeApiKey(db, revoked.id);
    const keys: Keys = {
      courierA: couriers.get('ZTO')![0]!,
      courierB: couriers.get('YTO')![0]!,
      driverX: (await createApiKey(db, { role: 'driver', driverId: DRIVER_X })).key,
      driverY: (await createApiKey(db, { role: 'driver', driverId: DRIVER_Y })).key,
      dispatcher: (await createApiKey(db, { role: 'dispatcher' })).key,
      admin: (await createApiKey(db, { role: 'admin' })).key,
      revoked: revoked.key,
      couriers,
    };
    const stations = (await db.selectFrom('stations').select('code').orderBy('code').execute()).map((s) => s.code);
    return {
      dialect,
      tdb,
      db,
      url: tdb.url,
      prefix: `verify-${randomUUID()}`,
      keys,
      stations,
      courierCodes,
      dispose: () => tdb.dispose(),
    };
  } catch (err) {
    await tdb.dispose();
    throw err;
  }
}

/** Removes a run's BullMQ keys from a Redis (the shared one is used by others: only our prefix). */
/**
 * The end of a scenario on the shared Redis: its processes killed (SIGKILL, in the order given),
 * its queue keys removed, its database dropped.
 */
export async function endRun(env: Env, ...children: (Child | undefined)[]): Promise<void> {
  for (const child of children) await child?.kill('SIGKILL');
  await dropQueueKeys(SHARED_REDIS_URL, env.prefix);
  await env.dispose();
}

export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const c = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  c.on('error', () => {});
  try {
    await c.connect();
    let cursor = '0';
    do {
      const [next, found] = await c.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await c.del(...found);
    } while (cursor !== '0');
  } catch {
    // best effort
  } finally {
    c.disconnect();
  }
}


/** Runs `fn` over items with at most `n` in flight. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A valid parcel body (recipient data is fake but shaped like the real thing). */
export function parcelBody(waybill: string, stationCode: string, i = 0): Record<string, unknown> {
  return {
    waybill,
    destination: { stationCode },
    weightG: 200 + (i % 50) * 100,
    dimensionsCm: [30, 20, 10 + (i % 5)],
    coldChain: false,
    fragile: i % 7 === 0,
    codAmountFen: 0,
    recipient: { name: RECIPIENT_NAME, phone: RECIPIENT_PHONE },
    promisedDate: '2031-12-01',
  };
}

/** Distinctive personal data, searched for in every log line afterwards. */
export const RECIPIENT_NAME = '欧阳验证';
export const RECIPIENT_PHONE = '13911119876';

/** Lines any child process printed so far that carry the recipient's phone or name. */
export function personalDataInLogs(): string[] {
  return capturedLogs
    .join('')
    .split('\n')
    .filter((l) => l.includes(RECIPIENT_PHONE) || l.includes(RECIPIENT_NAME));
}

/** What one scenario reports for the table. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly database: DialectName;
  readonly load: string;
  readonly faults: string;
  readonly badInputs: number;
  readonly acknowledged: number;
  readonly found: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Broken guarantees other than loss and duplication (unexpected statuses, leaks, …). */
  readonly failures: string[];
  readonly seconds: number;
}
