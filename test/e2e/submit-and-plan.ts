/**
 * The browser tests' day: a generated day submitted through the intake API as couriers would
 * send it, then planned by the planner's own in-process runner with a small budget (these tests
 * are about the views of a planned day, not its optimality).
 */
import { Queue } from 'bullmq';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import type { generateDay } from '../../src/demo/generate.ts';
import { plannerDeps } from '../../src/pipeline/plan.deps.ts';
import { runDay } from '../../src/pipeline/day-runner.ts';
import { loadNetwork, networkRows, seedNetwork, type NetworkRows } from '../../src/network/index.ts';
import { QUEUE_NAMES } from '../../src/queue/queues.ts';
import { freePort, REDIS_URL } from '../integration/http/helpers.ts';

type Day = ReturnType<typeof generateDay>;

export interface E2eDatabase {
  config: Config;
  /** Open for the test's own changes to the network or fleet; the caller destroys it before serving. */
  setup: Kysely<Database>;
  rows: NetworkRows;
  couriers: string[];
  /** Courier code → that courier's API key. */
  courierKeys: Map<string, string>;
  dispatcherKey: string;
}

/**
 * A browser test's SQLite database at `file`, migrated and seeded with Qin County, a key per
 * courier and a dispatcher key, and the config that serves it (a free port, the test's queue
 * prefix). The network and keys come first so the server's destination resolver knows the stations.
 */
export async function prepareE2eDatabase(file: string, prefix: string): Promise<E2eDatabase> {
  const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'silent', QUEUE_PREFIX: prefix, REDIS_URL });
  const setup = createDb(config.database);
  await migrateToLatest(setup);
  const network = loadNetwork();
  await seedNetwork(setup, network);
  const rows = networkRows(network);
  const couriers = rows.couriers.map((c) => c.code);
  const courierKeys = new Map<string, string>();
  for (const c of couriers) courierKeys.set(c, (await createApiKey(setup, { role: 'courier', courierCode: c })).key);
  const dispatcherKey = (await createApiKey(setup, { role: 'dispatcher' })).key;
  return { config, setup, rows, couriers, courierKeys, dispatcherKey };
}

export interface SubmitAndPlan {
  base: string;
  config: Config;
  db: Parameters<typeof plannerDeps>[0];
  /** Courier code → that courier's API key. */
  courierKeys: ReadonlyMap<string, string>;
  dispatcherKey: string;
  day: Day;
  date: string;
  timeLimitMs: number;
  savings: boolean;
}

/** Submits every parcel (in batches of 1,000) and pickup, asks for the date's plan, runs it; returns the plan id. */
export async function submitAndPlan(o: SubmitAndPlan): Promise<string> {
  const post = (path: string, key: string | undefined, body: unknown) =>
    fetch(`${o.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (const [courier, parcels] of o.day.parcels) {
    for (let i = 0; i < parcels.length; i += 1000) {
      const res = await post('/v1/parcels', o.courierKeys.get(courier), { parcels: parcels.slice(i, i + 1000) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    }
  }
  for (const p of o.day.pickups) {
    const res = await post('/v1/pickups', p.courier ? o.courierKeys.get(p.courier) : o.dispatcherKey, p.body);
    expect(res.status).toBeLessThan(300);
  }
  const created = await post('/v1/plans', o.dispatcherKey, { date: o.date, seed: 1 });
  expect(created.status).toBe(202);
  const planId = ((await created.json()) as { id: string }).id;
  const deps = await plannerDeps(o.db, o.config, { timeLimitMs: o.timeLimitMs, savings: o.savings, threads: 1 });
  try {
    await runDay(deps, planId, { concurrency: 1 });
  } finally {
    await deps.close();
  }
  return planId;
}

/**
 * Leaves nothing of an e2e run in the shared Redis: every queue the app used under `prefix`.
 * The API relays into these queues, so a closed server can still have left jobs there.
 */
export async function removeQueues(redisUrl: string, prefix: string): Promise<void> {
  for (const name of [QUEUE_NAMES.consolidate, QUEUE_NAMES.plan, QUEUE_NAMES.notify]) {
    const q = new Queue(name, { connection: { url: redisUrl }, prefix });
    q.on('error', () => {});
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
}
